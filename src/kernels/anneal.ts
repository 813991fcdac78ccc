// assembly/anneal.ts: Metropolis annealing over MLP weights with the loss change computed
// incrementally from resident f64 pre-activations. Params f64 (mlp.ts layout), x f64 S × n_0, y i32;
// the workspace holds the chain's state between calls, so every call passes the same buffers.
export const annealKernels = {
  /** Workspace bytes for S samples (the resident Z_l, candidates and ℓ_s). */
  anneal_work_bytes: (layersPtr: number, L: number, S: number): number => 0,
  /** Fills the resident state from the params, zeroes the drift statistics; returns the mean loss. */
  anneal_init_f64: (paramsPtr: number, layersPtr: number, L: number, bias: number, xPtr: number, yPtr: number, S: number, loss: number, workPtr: number): number => 0,
  /** Full recomputation now, drift recorded; returns the recomputed mean loss. */
  anneal_refresh_f64: (paramsPtr: number, layersPtr: number, L: number, bias: number, xPtr: number, yPtr: number, S: number, loss: number, workPtr: number): number => 0,
  /** outPtr ← [incremental mean loss, max drift, full recomputations, accepted since the last] (f64). */
  anneal_stats_f64: (outPtr: number, layersPtr: number, L: number, S: number, workPtr: number): void => {},
  /** ΔL of proposals t0 .. t0+n−1 to outPtr (n f64), none accepted. */
  anneal_probe_f64: (outPtr: number, n: number, seed: number, stream: number, t0: number, scalePtr: number, ternary: number,
    paramsPtr: number, layersPtr: number, L: number, bias: number, xPtr: number, yPtr: number, S: number, loss: number, workPtr: number): void => {},
  /** n Metropolis proposals at temperature T; returns the number accepted. */
  anneal_run_f64: (n: number, T: number, seed: number, stream: number, t0: number, scalePtr: number, ternary: number, every: number, full: number,
    paramsPtr: number, layersPtr: number, L: number, bias: number, xPtr: number, yPtr: number, S: number, loss: number, workPtr: number): number => 0,
};
