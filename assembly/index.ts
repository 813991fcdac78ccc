// Re-exports only, one kernel family per line, by name: a helper that another kernel file imports
// (wordAt, fillU32, ...) stays internal. src/kernels.ts declares this same list and refuses, at
// load time, a binary whose exports differ from it.
export { alloc, reset, heap_mark, heap_release } from './heap';
export { rng_u32, rng_uniform_f32, rng_uniform_f64, rng_normal_f64, rng_normal_f32, philox4x32, philoxWord, unitF64, unitF32 } from './rng';
export { gemm_f32_work_bytes, gemm_f32, gemm_f32_scalar } from './gemm';
export { gemm_f32_set_variant, gemm_f32_variant } from './gemm_variants';
export { dot_f64, dot_f64_scalar, axpy_f64, axpy_f64_scalar, gemv_f64, gemv_f64_scalar, symv_f64, symv_f64_scalar } from './blas64';
export { pspin_packed_count, pspin_fill_dense_f32, pspin_fill_dense_f64, pspin_fill_packed_f32, pspin_pack_f64, pspin_split_pieces_f32 } from './pspin_couplings';
export { pspin_eg_f32x8, pspin_eg_f32x8_scalar, pspin_eg_f64, pspin_hess_f64, pspin_project_hess_f64 } from './pspin';
export { pspin_descend_f32x8, pspin_descend_f32x16 } from './pspin_descend';
export { pspin_eg_f32x16 } from './pspin_wide';
export { sym_eigvals_f64_work_bytes, sym_eigvals_f64, sym_eigvals_f64_scalar, sym_inertia_f64_work_bytes, sym_inertia_f64, sym_inertia_f64_scalar } from './eigen';
export { sym_inertia_blocked_f64_work_bytes, sym_inertia_blocked_f64, sym_inertia_blocked_f64_scalar } from './ldlt_blocked';
export {
  mlp_work_bytes, mlp_forward_loss_f32, mlp_forward_loss_f32_scalar, mlp_grad_f32, mlp_grad_f32_scalar,
  mlp_sgd_step_f32, mlp_sgd_step_f32_scalar,
} from './mlp';
export { mlp_init_f32, mlp_shuffle_u32, mlp_gather_rows_f32 } from './mlp_data';
export { hess_work_bytes, hess_grad_f64, hess_hvp_f64, hess_hvp_f64_scalar, hess_rows_f64, hess_rows_f64_scalar } from './hessian';
export { hess_struct_work_bytes, hess_struct_f64, hess_struct_f64_scalar } from './hessian_structured';
export { roofline_madd_f32x4, roofline_fma_f32x4, roofline_madd_f64x2, roofline_fma_f64x2, roofline_read_f32, roofline_triad_f32 } from './roofline';
export { paths_work_bytes, paths_masks_f64, paths_sum_f64, paths_coact_u8, paths_mi_counts_u8, paths_term_moments_f64 } from './paths';
export { paths_bits_u8, paths_bits_and, paths_popcount_u32, paths_label_sums_f64, paths_quantile_bins_work_bytes, paths_quantile_bins_f64, paths_corr_grid_f64, paths_input_moments_f64 } from './paths_bits';
export { anneal_work_bytes, anneal_init_f64, anneal_refresh_f64, anneal_stats_f64, anneal_probe_f64, anneal_run_f64 } from './anneal';
export { surrogate_work_bytes, surrogate_forward_f64, surrogate_loss_grad_f64, surrogate_masks_u8 } from './surrogate';
