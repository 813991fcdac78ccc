// The per-sample losses of the annealer (anneal.ts), apart from its resident state: pure functions
// of numbers, f64, no SIMD or fma, so the bytes match on every binary and engine.

@inline function at(p: usize, i: usize): f64 { return load<f64>(p + (i << 3)); }

/**
 * ℓ of logits z (c values) with label ys; entry `sub` (≥ 0) read as `v` instead. The losses of
 * mlp.ts: 0 cross-entropy (log-sum-exp shifted by the max), 1 Weston–Watkins hinge, 2 |y − f|,
 * 3 max(0, 1 − y·f).
 */
export function rowLoss(z: usize, c: i32, ys: i32, code: i32, sub: i32, v: f64): f64 {
  if (code >= 2) {
    const f = sub == 0 ? v : at(z, 0), t = <f64>ys;
    if (code == 2) return Math.abs(t - f);
    const margin = 1 - t * f;
    return margin > 0 ? margin : 0;
  }
  const zy = ys == sub ? v : at(z, <usize>ys);
  if (code == 0) {
    let top = zy;
    for (let j = 0; j < c; j++) top = max(top, j == sub ? v : at(z, <usize>j));
    let e: f64 = 0;
    for (let j = 0; j < c; j++) e += Math.exp((j == sub ? v : at(z, <usize>j)) - top);
    return Math.log(e) + top - zy;
  }
  let sum: f64 = 0;
  for (let j = 0; j < c; j++) {
    if (j == ys) continue;
    const margin = 1 + (j == sub ? v : at(z, <usize>j)) - zy;
    if (margin > 0) sum += margin;
  }
  return sum;
}

export function checkLabels(yPtr: usize, S: i32, c: i32, code: i32): void {
  if (code < 0 || code > 3 || (code >= 2 && c != 1)) unreachable();
  for (let s = 0; s < S; s++) {
    const ys = load<i32>(yPtr + (<usize>s << 2));
    if (code >= 2 ? ys != 1 && ys != -1 : <u32>ys >= <u32>c) unreachable();
  }
}

