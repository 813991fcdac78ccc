// assembly/pspin.ts: spherical p-spin energies, gradients, Hessians and 8-lane descent.
// w, g of the f32x8 kernels: [n][8] f32 (restart innermost); sorted = 1 for packed couplings.

/**
 * The per-restart descent state of pspin_descend_f32x8: four fields of 8 lanes × 4 bytes, byte
 * offsets within the block. Mirrors ST_STEPS, ST_CONV, ST_GNORM, ST_ENERGY in assembly/pspin.ts;
 * test/kernels.test.ts checks the mirror by running the kernel.
 */
export const DESCENT_STATE = {
  bytes: 128,
  lanes: 8,
  /** u32: steps taken by the lane */
  steps: 0,
  /** u32: 1 once ‖g_R‖ < tol (with checkTol), or set by JS to freeze a lane */
  converged: 32,
  /** f32: the last Riemannian gradient norm */
  gradNorm: 64,
  /** f32: the last energy H (before the last step) */
  energy: 96,
} as const;

/** The same four fields for W lanes (8 or 16, pspin_descend_f32x16): each W × 4 bytes. */
export function descentState(W: 8 | 16): { bytes: number; lanes: number; steps: number; converged: number; gradNorm: number; energy: number } {
  return { bytes: 16 * W, lanes: W, steps: 0, converged: 4 * W, gradNorm: 8 * W, energy: 12 * W };
}

export const pspinKernels = {
  /** C(n+p−1, p), the number of packed couplings (f64: it can pass 2^32). */
  pspin_packed_count: (n: number, p: number): number => 0,
  pspin_fill_dense_f32: (jPtr: number, n: number, p: number, law: number, seed: number, stream: number): void => {},
  /** The dense draws unrounded (Λ^p f64), as --save-couplings writes them. */
  pspin_fill_dense_f64: (jPtr: number, n: number, p: number, law: number, seed: number, stream: number): void => {},
  pspin_fill_packed_f32: (kPtr: number, n: number, p: number, law: number, seed: number, stream: number): void => {},
  /** Packed f32 couplings from a dense f64 tensor, summed in pspin_fill_packed_f32's order. */
  pspin_pack_f64: (kPtr: number, jPtr: number, n: number, p: number): void => {},
  /** e: 8 f32; g may not alias w. */
  pspin_eg_f32x8: (ePtr: number, gPtr: number, kPtr: number, wPtr: number, n: number, p: number, sorted: number): void => {},
  /** e: 16 f32; w, g: [n][16]; each lane's bytes equal pspin_eg_f32x8's for the same restart. */
  pspin_eg_f32x16: (ePtr: number, gPtr: number, kPtr: number, wPtr: number, n: number, p: number, sorted: number): void => {},
  pspin_eg_f32x8_scalar: (ePtr: number, gPtr: number, kPtr: number, wPtr: number, n: number, p: number, sorted: number): void => {},
  /** Returns H(w) and writes ∇H (n f64) to gPtr. */
  pspin_eg_f64: (gPtr: number, kPtr: number, wPtr: number, n: number, p: number, sorted: number): number => 0,
  pspin_hess_f64: (hPtr: number, kPtr: number, wPtr: number, n: number, p: number, sorted: number): void => {},
  /** workPtr: n f64. */
  pspin_project_hess_f64: (hPtr: number, wPtr: number, n: number, shift: number, workPtr: number): void => {},
  /** statePtr: a DESCENT_STATE block. Returns the steps run. */
  pspin_descend_f32x8: (
    kPtr: number, kStrideBytes: number, pieces: number, wPtr: number, gPtr: number, statePtr: number,
    n: number, p: number, sorted: number, lr0: number, decay: number, tStart: number, tol: number, checkTol: number, maxSteps: number,
  ): number => 0,
  /** pspin_descend_f32x8 on 16 lanes: statePtr a descentState(16) block. */
  pspin_descend_f32x16: (
    kPtr: number, kStrideBytes: number, pieces: number, wPtr: number, gPtr: number, statePtr: number,
    n: number, p: number, sorted: number, lr0: number, decay: number, tStart: number, tol: number, checkTol: number, maxSteps: number,
  ): number => 0,
  pspin_split_pieces_f32: (dstPtr: number, kPtr: number, n: number, p: number, sorted: number, pieces: number, seed: number, stream: number): void => {},
};
