// assembly/hessian.ts: exact f64 gradient, Hessian-vector products (Pearlmutter's R-op) and Hessian
// rows of the mean MLP loss over S samples. Params f64 (mlp.ts layout), x f64 S × n_0, y i32.
export const hessianKernels = {
  /** Workspace bytes for blocks of up to k directions (f64). */
  hess_work_bytes: (layersPtr: number, L: number, S: number, k: number): number => 0,
  /** Writes the mean gradient (P f64); outPtr gets [hidden kinks, loss kinks] (f64); returns the mean loss. */
  hess_grad_f64: (gradPtr: number, paramsPtr: number, layersPtr: number, L: number, bias: number, xPtr: number, yPtr: number, S: number, loss: number, workPtr: number, outPtr: number): number => 0,
  /** HV ← H·V, V and HV k × P row-major; returns the mean loss. */
  hess_hvp_f64: (hvPtr: number, vPtr: number, k: number, paramsPtr: number, layersPtr: number, L: number, bias: number, xPtr: number, yPtr: number, S: number, loss: number, workPtr: number): number => 0,
  hess_hvp_f64_scalar: (hvPtr: number, vPtr: number, k: number, paramsPtr: number, layersPtr: number, L: number, bias: number, xPtr: number, yPtr: number, S: number, loss: number, workPtr: number): number => 0,
  /** Rows j0..j0+k of the P × P Hessian at hPtr; returns the mean loss. */
  hess_rows_f64: (hPtr: number, j0: number, k: number, paramsPtr: number, layersPtr: number, L: number, bias: number, xPtr: number, yPtr: number, S: number, loss: number, workPtr: number): number => 0,
  hess_rows_f64_scalar: (hPtr: number, j0: number, k: number, paramsPtr: number, layersPtr: number, L: number, bias: number, xPtr: number, yPtr: number, S: number, loss: number, workPtr: number): number => 0,
  /** Workspace bytes of hess_struct_f64 for one hidden layer (L = 2); independent of S. */
  hess_struct_work_bytes: (layersPtr: number, L: number, bias: number, loss: number): number => 0,
  /** The P × P Hessian of a one-hidden-layer net by structured assembly (GEMMs over the samples the ReLU masks leave on, in chunks of 1024); returns the mean loss. */
  hess_struct_f64: (hPtr: number, paramsPtr: number, layersPtr: number, L: number, bias: number, xPtr: number, yPtr: number, S: number, loss: number, workPtr: number): number => 0,
  hess_struct_f64_scalar: (hPtr: number, paramsPtr: number, layersPtr: number, L: number, bias: number, xPtr: number, yPtr: number, S: number, loss: number, workPtr: number): number => 0,
};
