// assembly/paths.ts: path statistics of a bias-free ReLU net (SCIENCE.md §3, §8), streamed over
// samples. Params f64 (per layer W_l n_l × n_{l−1}, no biases), x f64 S × n_0, masks u8 S × h.
export const pathsKernels = {
  /** Workspace bytes of paths_masks_f64 / paths_sum_f64 (8-byte aligned is enough). */
  paths_work_bytes: (layersPtr: number, L: number): number => 0,
  /** mask[s, c] = 1[z > 0] for the h hidden units (u8 S × h); count[c] += Σ_s mask[s, c] (f64 h). */
  paths_masks_f64: (maskPtr: number, countPtr: number, paramsPtr: number, layersPtr: number, L: number, xPtr: number, S: number, workPtr: number): void => {},
  /** Y (S × n_L f64) = Σ_π x_i A_π w_π, no q; enumerate = 1 forms every path (L = 2, 3), 0 sums by DP. */
  paths_sum_f64: (yPtr: number, paramsPtr: number, layersPtr: number, L: number, xPtr: number, S: number, enumerate: number, workPtr: number): void => {},
  /** out[j1, j2] += Σ_s a[s, j1]·b[s, j2] (f64 m × n) over u8 masks; listPtr 4·(m + n) bytes. */
  paths_coact_u8: (outPtr: number, aPtr: number, lda: number, bPtr: number, ldb: number, m: number, n: number, S: number, listPtr: number): void => {},
  /** Contingency counts of active units (or unit pairs) against binned inputs (U × d × B u32) and labels (U × C, sums U × C × d f64); listPtr 4·S bytes; see assembly/paths.ts. */
  paths_mi_counts_u8: (
    cntPtr: number, clsPtr: number, sumPtr: number, maskPtr: number, ldm: number, a0: number, a1: number, b0: number, nb: number,
    binsPtr: number, xPtr: number, yPtr: number, permPtr: number, S: number, d: number, B: number, C: number, listPtr: number,
  ): void => {},
  /** cov[p, q≥p] += t_p t_q, sum[p] += t_p for path terms t_p = x_i·A_π; paths i32 P × 3; termPtr 8·P bytes. */
  paths_term_moments_f64: (covPtr: number, sumPtr: number, pathsPtr: number, P: number, maskPtr: number, ldm: number, xPtr: number, d: number, S: number, termPtr: number): void => {},
  /** Column bitsets (W = ⌈S/64⌉ u64 each) of a u8 S × n matrix: V = 1 nonzero, V ≥ 2 one per value c·V + v; rows perm[s] when permPtr ≠ 0. */
  paths_bits_u8: (bitsPtr: number, srcPtr: number, ld: number, n: number, V: number, permPtr: number, S: number): void => {},
  /** Pair bitsets out[(j1 − a0)·nb + j2] = a[j1] & b[j2], W words each. */
  paths_bits_and: (outPtr: number, aPtr: number, a0: number, a1: number, bPtr: number, nb: number, W: number): void => {},
  /** out[p, q] = Σ_w popcnt(a[p]_w & b[q]_w) (u32 m × n, overwritten): counts as a popcount GEMM. */
  paths_popcount_u32: (outPtr: number, aPtr: number, m: number, bPtr: number, n: number, W: number): void => {},
  /** cls[u, y_r] += 1, sum[u, y_r, :] += x[r, :] (f64) over the set bits s of unit bitsets, ascending; r = perm[s] or s. */
  paths_label_sums_f64: (clsPtr: number, sumPtr: number, bitsPtr: number, U: number, W: number, xPtr: number, yPtr: number, permPtr: number, d: number, C: number): void => {},
  /** Work bytes of paths_quantile_bins_f64: 16·S + 19488. */
  paths_quantile_bins_work_bytes: (S: number): number => 0,
  /** bins[s, i] = #{leading edges ≤ x[s, i]} (u8 S × d), edges the ⌊(b + 1)S/B⌋-th of each sorted column (MSD radix select); B ≤ 255. */
  paths_quantile_bins_f64: (binsPtr: number, xPtr: number, S: number, d: number, B: number, workPtr: number): void => {},
  /** corrUnit of dependence.ts for U units into a grid summary (state f64 [W, s1, s2, Σ|v|, n, undefined], hist f64 bins), same bits; keepPtr ≠ 0 gets every value. */
  paths_corr_grid_f64: (statePtr: number, histPtr: number, bins: number, lo: number, hi: number, keepPtr: number, sumPtr: number, activePtr: number, ezPtr: number, izPtr: number, U: number, S: number, d: number, C: number, K: number): void => {},
  /** binTot[i·B + bin] += 1, colSum[i·C + y_s] += x, sumX2[i] += x² over s then i (f64), as dependence.ts's tallies. */
  paths_input_moments_f64: (binTotPtr: number, colSumPtr: number, sumX2Ptr: number, binsPtr: number, xPtr: number, yPtr: number, S: number, d: number, B: number, C: number): void => {},
};
