// assembly/surrogate.ts: the decoupled surrogate Y_k(x_s) = Σ_π x_{s,i} B_{s,π} w_π, B_{s,π} iid Bernoulli(ρ)
// from a counter hash of (seed, stream, s·Ψ + t_π). Params f64 (paths.ts layout), x f64 S × n_0, L = 2 or 3.
export const surrogateKernels = {
  /** Workspace bytes of surrogate_forward_f64 / surrogate_loss_grad_f64 (one sample's Ψ masks and 2·n_1·n_0 f64). */
  surrogate_work_bytes: (layersPtr: number, L: number): number => 0,
  /** Y (S × n_L f64) of the surrogate at rate ρ. */
  surrogate_forward_f64: (yPtr: number, paramsPtr: number, layersPtr: number, L: number, xPtr: number, S: number, rho: number, seed: number, stream: number, workPtr: number): void => {},
  /** Mean softmax cross-entropy (returned) and, when gradPtr ≠ 0, its gradient (P f64, overwritten); labels i32. */
  surrogate_loss_grad_f64: (gradPtr: number, paramsPtr: number, layersPtr: number, L: number, xPtr: number, yPtr: number, S: number, rho: number, seed: number, stream: number, workPtr: number): number => 0,
  /** Every mask (u8 S × Ψ, path index fastest). */
  surrogate_masks_u8: (outPtr: number, layersPtr: number, L: number, S: number, rho: number, seed: number, stream: number): void => {},
};
