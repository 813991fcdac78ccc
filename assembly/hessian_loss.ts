// One sample's loss ℓ(f, y) and residual r = ∂ℓ/∂f for the structured Hessian (the losses of mlp.ts:
// 0 softmax cross-entropy, 1 Weston–Watkins hinge, 2 |y − f|, 3 binary hinge), writing the softmax
// p into ps for cross-entropy's A = diag p − ppᵀ. Split from hessian_structured.ts: the formulas
// change with the loss set, the assembly with the GEMM layout.
@inline function at(p: usize, i: usize): f64 { return load<f64>(p + (i << 3)); }
@inline function put(p: usize, i: usize, v: f64): void { store<f64>(p + (i << 3), v); }

/** ℓ(f, y) of one sample from f at fs; r = ∂ℓ/∂f to rp, p = softmax (cross-entropy). Losses and labels as hessian.ts lossRows. */
export function lossRowAt(fs: usize, ps: usize, c: i32, ys: i32, code: i32, rp: usize): f64 {
  if (code >= 2) {
    if (c != 1 || (ys != 1 && ys != -1)) unreachable();
    const f = at(fs, 0), t = <f64>ys;
    if (code == 2) { put(rp, 0, f > t ? 1 : f < t ? -1 : 0); return Math.abs(t - f); }
    const margin = 1 - t * f;
    put(rp, 0, margin > 0 ? -t : 0);
    return margin > 0 ? margin : 0;
  }
  if (<u32>ys >= <u32>c) unreachable();
  const fy = at(fs, <usize>ys);
  if (code == 0) {
    let top = fy;
    for (let k = 0; k < c; k++) top = max(top, at(fs, <usize>k));
    let z: f64 = 0;
    for (let k = 0; k < c; k++) z += Math.exp(at(fs, <usize>k) - top);
    for (let k = 0; k < c; k++) {
      const p = Math.exp(at(fs, <usize>k) - top) / z;
      put(ps, <usize>k, p);
      put(rp, <usize>k, k == ys ? p - 1 : p);
    }
    return Math.log(z) + top - fy;
  }
  let sum: f64 = 0, active: f64 = 0;
  for (let k = 0; k < c; k++) {
    if (k == ys) continue;
    const margin = 1 + at(fs, <usize>k) - fy;
    if (margin > 0) { sum += margin; active += 1; }
    put(rp, <usize>k, margin > 0 ? 1 : 0);
  }
  put(rp, <usize>ys, -active);
  return sum;
}
