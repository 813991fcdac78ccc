// Riemannian descent of a batch of restarts on the sphere |w|² = n, 8 or 16 lanes wide. The
// width changes only how many restarts share one pass over the couplings: every lane's arithmetic
// is the same sequence at either width (same energy+gradient summation order, same per-lane
// loops), so a restart's bytes do not depend on it (test/pspin-width.test.ts). src/pspin/width.ts
// picks the faster width per size by a short calibration.
import { pspin_eg_f32x8 } from './pspin';
import { pspin_eg_f32x16 } from './pspin_wide';

// Per-restart descent state of W lanes: steps taken (i32), converged flag (i32), last Riemannian
// gradient norm (f32), last energy H (f32), each a field of W × 4 bytes, in that order.
@inline function stSteps(W: i32): usize { return 0; }
@inline function stConv(W: i32): usize { return <usize>W << 2; }
@inline function stGnorm(W: i32): usize { return <usize>W << 3; }
@inline function stEnergy(W: i32): usize { return <usize>(W * 12); }

@inline function f(ptr: usize, l: i32): f32 { return load<f32>(ptr + (<usize>l << 2)); }
@inline function setF(ptr: usize, l: i32, v: f32): void { store<f32>(ptr + (<usize>l << 2), v); }
@inline function laneI(ptr: usize, l: i32): i32 { return load<i32>(ptr + (<usize>l << 2)); }

/**
 * Riemannian descent of W restarts: w ← w − γ_t·g_R, then renormalise, with
 * g_R = ∇H − (⟨∇H, w⟩/n)·w and γ_t = lr0/(1 + decay·t). Step t (counted from tStart) uses
 * couplings kPtr + (t mod pieces)·kStrideBytes, which is coupling-split SGD when pieces > 1 and
 * plain GD when pieces = 1. With checkTol, a lane stops (and is frozen bit for bit) once
 * ‖g_R‖ < tol; lanes already flagged converged in the state never move (padding lanes).
 * Runs at most maxSteps steps; returns the steps run. w, g: [n][W] f32.
 */
function descend(
  W: i32, kPtr: usize, kStrideBytes: usize, pieces: i32, wPtr: usize, gPtr: usize, statePtr: usize,
  n: i32, p: i32, sorted: i32, lr0: f32, decay: f32, tStart: i32, tol: f32, checkTol: i32, maxSteps: i32,
): i32 {
  const row: usize = <usize>W << 2; // bytes of one coordinate's W lanes
  const conv = statePtr + stConv(W), steps = statePtr + stSteps(W), gnorm = statePtr + stGnorm(W);
  let t = 0;
  for (; t < maxSteps; t++) {
    const step = tStart + t;
    const k = kPtr + <usize>(step % pieces) * kStrideBytes;
    if (W == 16) pspin_eg_f32x16(statePtr + stEnergy(W), gPtr, k, wPtr, n, p, sorted);
    else pspin_eg_f32x8(statePtr + stEnergy(W), gPtr, k, wPtr, n, p, sorted);
    let active = 0;
    for (let l = 0; l < W; l++) {
      if (laneI(conv, l)) continue;
      let dot: f32 = 0;
      for (let i = 0; i < n; i++) dot += f(gPtr + <usize>i * row, l) * f(wPtr + <usize>i * row, l);
      const c = dot / <f32>n;
      let norm2: f32 = 0;
      for (let i = 0; i < n; i++) {
        const gi = gPtr + <usize>i * row;
        const r = f(gi, l) - c * f(wPtr + <usize>i * row, l);
        setF(gi, l, r); // g now holds the Riemannian gradient of this lane
        norm2 += r * r;
      }
      const gn = <f32>Math.sqrt(<f64>norm2);
      setF(gnorm, l, gn);
      if (checkTol && gn < tol) {
        store<i32>(conv + (<usize>l << 2), 1);
        continue;
      }
      active++;
      const lr = lr0 / (<f32>1 + decay * <f32>step);
      let wn2: f32 = 0;
      for (let i = 0; i < n; i++) {
        const wi = wPtr + <usize>i * row;
        const v = f(wi, l) - lr * f(gPtr + <usize>i * row, l);
        setF(wi, l, v);
        wn2 += v * v;
      }
      const s = <f32>Math.sqrt(<f64>n / <f64>wn2);
      for (let i = 0; i < n; i++) {
        const wi = wPtr + <usize>i * row;
        setF(wi, l, f(wi, l) * s);
      }
      store<i32>(steps + (<usize>l << 2), laneI(steps, l) + 1);
    }
    if (active == 0) return t + 1;
  }
  return t;
}

/** 8 lanes: w, g [n][8] f32; state 128 bytes (src/kernels/pspin.ts DESCENT_STATE). */
export function pspin_descend_f32x8(
  kPtr: usize, kStrideBytes: usize, pieces: i32, wPtr: usize, gPtr: usize, statePtr: usize,
  n: i32, p: i32, sorted: i32, lr0: f32, decay: f32, tStart: i32, tol: f32, checkTol: i32, maxSteps: i32,
): i32 {
  return descend(8, kPtr, kStrideBytes, pieces, wPtr, gPtr, statePtr, n, p, sorted, lr0, decay, tStart, tol, checkTol, maxSteps);
}

/** 16 lanes: w, g [n][16] f32; state 256 bytes (the same four fields, 16 lanes each). */
export function pspin_descend_f32x16(
  kPtr: usize, kStrideBytes: usize, pieces: i32, wPtr: usize, gPtr: usize, statePtr: usize,
  n: i32, p: i32, sorted: i32, lr0: f32, decay: f32, tStart: i32, tol: f32, checkTol: i32, maxSteps: i32,
): i32 {
  return descend(16, kPtr, kStrideBytes, pieces, wPtr, gPtr, statePtr, n, p, sorted, lr0, decay, tStart, tol, checkTol, maxSteps);
}
