// Exact f64 Hessian of L(θ) = (1/S) Σ_s ℓ(W2·relu(W1·x_s + b1) + b2, y_s) by structured assembly
// (SCIENCE.md §6): H = (1/S) Σ_s J_sᵀ A_s J_s + Σ_k r_sk ∇²f_k with A_s = ∇²ℓ(f_s), r_s = ∇ℓ(f_s);
// σ'' = 0 leaves one ∇²f, the W1-W2 cross term m_j x_i. With x̃ = [x, 1], h̃ = [h, 1] (bias) and pairs
// i ≤ i' packed row-major, three GEMMs whose k dimension is the sample (chunks of KC, fixed order):
//   W1-W1  G11 = Qᵀ·C,   Q_s = x̃x̃ᵀ (pairs), C_s = (m mᵀ ⊙ W2ᵀA_sW2) (pairs j ≤ j')
//   W2-W2  G22 = Uᵀ·V,   U_s = h̃h̃ᵀ (pairs), V_s = A_s (pairs k ≤ k')
//   W1-W2  G12 = Eᵀ·X̃,  E_s[j,k,j'] = m_j (W2ᵀA_s)[j,k] h̃_j';  residual R = E'ᵀ·X̃, E'_s[j,k] = m_j r_k.
// Params in the mlp.ts layout (W1 n1 × d, b1, W2 c × n1, b2). A_s = diag p − ppᵀ for cross-entropy
// and 0 for the piecewise-linear losses (hinge, |y − f|), which leave only R. f64 add/mul only.

import { KC, gemm, setPackBuffers } from './gemm64';

@inline function at(p: usize, i: usize): f64 { return load<f64>(p + (i << 3)); }
@inline function put(p: usize, i: usize, v: f64): void { store<f64>(p + (i << 3), v); }
@inline function up16(b: u64): u64 { return (b + 15) & ~15; }
@inline function pairs(n: i32): i32 { return n * (n + 1) >> 1; }

// Dims and workspace of the current call (set by plan()).
let d: i32 = 0, n1: i32 = 0, c: i32 = 0, dp: i32 = 0, np: i32 = 0, gn: bool = false;
let nq: i32 = 0, nc: i32 = 0, nu: i32 = 0, nv: i32 = 0, ne: i32 = 0, nr: i32 = 0;
let xt: usize = 0, q: usize = 0, cm: usize = 0, u: usize = 0, v: usize = 0, e: usize = 0, e2: usize = 0;
let g11: usize = 0, g22: usize = 0, g12: usize = 0, g12r: usize = 0;
let hs: usize = 0, fs: usize = 0, ps: usize = 0, rs: usize = 0, bs: usize = 0, us: usize = 0;

function plan(layersPtr: usize, L: i32, bias: i32, loss: i32, base: u64): f64 {
  if (L != 2 || loss < 0 || loss > 3) unreachable();
  d = load<i32>(layersPtr); n1 = load<i32>(layersPtr, 4); c = load<i32>(layersPtr, 8);
  if (d < 1 || n1 < 1 || c < 1) unreachable();
  dp = d + (bias ? 1 : 0); np = n1 + (bias ? 1 : 0); gn = loss == 0;
  nq = gn ? pairs(dp) : 0; nc = gn ? pairs(n1) : 0; nu = gn ? pairs(np) : 0; nv = gn ? pairs(c) : 0;
  ne = gn ? n1 * c * np : 0; nr = n1 * c;
  const ch = <u64>KC;
  let off = base;
  xt = <usize>off; off += up16(ch * <u64>dp << 3);
  q = <usize>off; off += up16(ch * <u64>nq << 3);
  cm = <usize>off; off += up16(ch * <u64>nc << 3);
  u = <usize>off; off += up16(ch * <u64>nu << 3);
  v = <usize>off; off += up16(ch * <u64>nv << 3);
  e = <usize>off; off += up16(ch * <u64>ne << 3);
  e2 = <usize>off; off += up16(ch * <u64>nr << 3);
  g11 = <usize>off; off += up16(<u64>nq * <u64>nc << 3);
  g22 = <usize>off; off += up16(<u64>nu * <u64>nv << 3);
  g12 = <usize>off; off += up16(<u64>ne * <u64>dp << 3);
  g12r = <usize>off; off += up16(<u64>nr * <u64>dp << 3);
  hs = <usize>off; off += up16(<u64>np << 3);
  fs = <usize>off; off += up16(<u64>c << 3);
  ps = <usize>off; off += up16(<u64>c << 3);
  rs = <usize>off; off += up16(<u64>c << 3);
  bs = <usize>off; off += up16(<u64>n1 * <u64>c << 3);
  us = <usize>off; off += up16(<u64>n1 << 3);
  const widest = max(max(nc, nv), dp);
  const packA = <usize>off; off += up16((ch * 4 + 16) << 3);
  const packB = <usize>off; off += up16(ch * <u64>((widest + 3) & ~3) << 3);
  setPackBuffers(packA, packB);
  return <f64>(off - base);
}

/** Workspace bytes of hess_struct_f64 (independent of S: samples go in chunks of KC; 16 to align). */
export function hess_struct_work_bytes(layersPtr: usize, L: i32, bias: i32, loss: i32): f64 {
  return plan(layersPtr, L, bias, loss, 0) + 16;
}

/** ℓ(f, y) of one sample; r = ∂ℓ/∂f, p = softmax (cross-entropy). Losses and labels as hessian.ts lossRows. */
function lossAt(ys: i32, code: i32): f64 {
  if (code >= 2) {
    if (c != 1 || (ys != 1 && ys != -1)) unreachable();
    const f = at(fs, 0), t = <f64>ys;
    if (code == 2) { put(rs, 0, f > t ? 1 : f < t ? -1 : 0); return Math.abs(t - f); }
    const margin = 1 - t * f;
    put(rs, 0, margin > 0 ? -t : 0);
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
      put(rs, <usize>k, k == ys ? p - 1 : p);
    }
    return Math.log(z) + top - fy;
  }
  let sum: f64 = 0, active: f64 = 0;
  for (let k = 0; k < c; k++) {
    if (k == ys) continue;
    const margin = 1 + at(fs, <usize>k) - fy;
    if (margin > 0) { sum += margin; active += 1; }
    put(rs, <usize>k, margin > 0 ? 1 : 0);
  }
  put(rs, <usize>ys, -active);
  return sum;
}

/** Row t of every chunk matrix for sample x (d f64); returns ℓ_s. */
function sampleRows(t: usize, x: usize, ys: i32, w1: usize, b1: usize, w2: usize, b2: usize, code: i32): f64 {
  const xr = xt + (t * <usize>dp << 3);
  for (let i = 0; i < d; i++) put(xr, <usize>i, at(x, <usize>i));
  if (dp > d) put(xr, <usize>d, 1);
  for (let j = 0; j < n1; j++) {
    const w = w1 + (<usize>j * <usize>d << 3);
    let a: f64 = 0;
    for (let i = 0; i < d; i++) a += at(w, <usize>i) * at(x, <usize>i);
    if (b1) a += at(b1, <usize>j);
    put(hs, <usize>j, a > 0 ? a : 0);
  }
  if (np > n1) put(hs, <usize>n1, 1);
  for (let k = 0; k < c; k++) {
    const w = w2 + (<usize>k * <usize>n1 << 3);
    let f: f64 = 0;
    for (let j = 0; j < n1; j++) f += at(w, <usize>j) * at(hs, <usize>j);
    if (b2) f += at(b2, <usize>k);
    put(fs, <usize>k, f);
  }
  const ell = lossAt(ys, code);
  // m_j = 1[a_j > 0] = 1[h_j > 0]: h_j = 0 exactly where the unit is off.
  const er = e2 + (t * <usize>nr << 3);
  for (let j = 0; j < n1; j++) {
    const on = at(hs, <usize>j) > 0;
    for (let k = 0; k < c; k++) put(er, <usize>(j * c + k), on ? at(rs, <usize>k) : 0);
  }
  if (!gn) return ell;
  // B = W2ᵀA (n1 × c): B[j,k] = p_k (W2[k,j] − (W2ᵀp)_j), zero rows for units that are off.
  for (let j = 0; j < n1; j++) {
    let s: f64 = 0;
    for (let k = 0; k < c; k++) s += at(w2, <usize>(k * n1 + j)) * at(ps, <usize>k);
    put(us, <usize>j, s);
  }
  for (let j = 0; j < n1; j++) {
    const on = at(hs, <usize>j) > 0;
    for (let k = 0; k < c; k++) put(bs, <usize>(j * c + k), on ? at(ps, <usize>k) * (at(w2, <usize>(k * n1 + j)) - at(us, <usize>j)) : 0);
  }
  let o: usize = 0;
  const cr = cm + (t * <usize>nc << 3);
  for (let j = 0; j < n1; j++) for (let j2 = j; j2 < n1; j2++) {
    let s: f64 = 0;
    if (at(hs, <usize>j2) > 0) for (let k = 0; k < c; k++) s += at(bs, <usize>(j * c + k)) * at(w2, <usize>(k * n1 + j2));
    put(cr, o++, s);
  }
  o = 0;
  const qr = q + (t * <usize>nq << 3);
  for (let i = 0; i < dp; i++) {
    const xi = at(xr, <usize>i);
    for (let i2 = i; i2 < dp; i2++) put(qr, o++, xi * at(xr, <usize>i2));
  }
  o = 0;
  const ur = u + (t * <usize>nu << 3);
  for (let j = 0; j < np; j++) for (let j2 = j; j2 < np; j2++) put(ur, o++, at(hs, <usize>j) * at(hs, <usize>j2));
  o = 0;
  const vr = v + (t * <usize>nv << 3);
  for (let k = 0; k < c; k++) for (let k2 = k; k2 < c; k2++) put(vr, o++, (k == k2 ? at(ps, <usize>k) : 0) - at(ps, <usize>k) * at(ps, <usize>k2));
  const err = e + (t * <usize>ne << 3);
  for (let j = 0; j < n1; j++) for (let k = 0; k < c; k++) {
    const b = at(bs, <usize>(j * c + k)), row = err + (<usize>((j * c + k) * np) << 3);
    for (let j2 = 0; j2 < np; j2++) put(row, <usize>j2, b * at(hs, <usize>j2));
  }
  return ell;
}

// Parameter index of W1[j, i] (i = d: b1_j) and of W2[k, j] (j = n1: b2_k).
@inline function p1(j: i32, i: i32): usize { return <usize>(i < d ? j * d + i : n1 * d + j); }
@inline function p2(k: i32, j: i32): usize {
  const off = n1 * dp;
  return <usize>(j < n1 ? off + k * n1 + j : off + c * n1 + k);
}
@inline function sym(h: usize, P: usize, a: usize, b: usize, g: f64): void {
  store<f64>(h + ((a * P + b) << 3), g);
  store<f64>(h + ((b * P + a) << 3), g);
}

/**
 * Scatters G (inner pairs × outer pairs) of a Kronecker-of-pairs block: g fills (a,i)(b,i') and
 * (a,i')(b,i) and their mirrors. Outer pairs outermost: one d × d block of H at a time stays in L2.
 */
function scatterPairs(h: usize, P: usize, g: usize, inner: i32, outer: i32, first: bool, inv: f64): void {
  const no = <usize>pairs(outer);
  let o: usize = 0;
  for (let a = 0; a < outer; a++) for (let b = a; b < outer; b++) {
    let t: usize = 0;
    for (let i = 0; i < inner; i++) for (let i2 = i; i2 < inner; i2++) {
      const val = at(g, t++ * no + o) * inv;
      if (first) { sym(h, P, p1(a, i), p1(b, i2), val); sym(h, P, p1(a, i2), p1(b, i), val); }
      else { sym(h, P, p2(a, i), p2(b, i2), val); sym(h, P, p2(a, i2), p2(b, i), val); }
    }
    o++;
  }
}

function run(hPtr: usize, paramsPtr: usize, layersPtr: usize, L: i32, bias: i32, xPtr: usize, yPtr: usize, S: i32, loss: i32, workPtr: usize, simd: bool): f64 {
  if (S < 1) unreachable();
  plan(layersPtr, L, bias, loss, <u64>((workPtr + 15) & ~15));
  const w1 = paramsPtr, b1: usize = bias ? w1 + (<usize>n1 * <usize>d << 3) : 0;
  const w2 = paramsPtr + (<usize>n1 * <usize>dp << 3), b2: usize = bias ? w2 + (<usize>c * <usize>n1 << 3) : 0;
  memory.fill(g11, 0, <usize>(g12r + (<usize>nr * <usize>dp << 3) - g11));
  let sum: f64 = 0;
  for (let s0 = 0; s0 < S; s0 += KC) {
    const n = min(KC, S - s0);
    for (let t = 0; t < n; t++) {
      const s = s0 + t;
      sum += sampleRows(<usize>t, xPtr + (<usize>s * <usize>d << 3), load<i32>(yPtr + (<usize>s << 2)), w1, b1, w2, b2, loss);
    }
    if (gn) {
      gemm(g11, nc, q, 1, nq, cm, nc, nq, nc, n, 1, 1, simd);
      gemm(g22, nv, u, 1, nu, v, nv, nu, nv, n, 1, 1, simd);
      gemm(g12, dp, e, 1, ne, xt, dp, ne, dp, n, 1, 1, simd);
    }
    gemm(g12r, dp, e2, 1, nr, xt, dp, nr, dp, n, 1, 1, simd);
  }
  const P = <usize>(n1 * dp + c * np), inv = 1.0 / <f64>S;
  if (gn) { // every entry is written below
    scatterPairs(hPtr, P, g11, dp, n1, true, inv);
    scatterPairs(hPtr, P, g22, np, c, false, inv);
  } else memory.fill(hPtr, 0, P * P << 3);
  for (let j = 0; j < n1; j++) for (let k = 0; k < c; k++) {
    const jk = j * c + k, rr = g12r + (<usize>(jk * dp) << 3);
    for (let j2 = 0; j2 < np; j2++) {
      if (!gn && j2 != j) continue;
      const gr = gn ? g12 + (<usize>((jk * np + j2) * dp) << 3) : 0;
      for (let i = 0; i < dp; i++) {
        let val: f64 = gn ? at(gr, <usize>i) : 0;
        if (j2 == j) val += at(rr, <usize>i);
        sym(hPtr, P, p1(j, i), p2(k, j2), val * inv);
      }
    }
  }
  return sum * inv;
}

/**
 * The P × P Hessian (row-major f64, exactly symmetric) of the mean loss over all S samples of a
 * one-hidden-layer net (L = 2) into hPtr; returns the mean loss. params f64 (mlp.ts layout), x f64
 * S × n_0, y i32, loss codes as hess_grad_f64; workPtr: hess_struct_work_bytes bytes. No overlaps.
 */
export function hess_struct_f64(hPtr: usize, paramsPtr: usize, layersPtr: usize, L: i32, bias: i32, xPtr: usize, yPtr: usize, S: i32, loss: i32, workPtr: usize): f64 {
  return run(hPtr, paramsPtr, layersPtr, L, bias, xPtr, yPtr, S, loss, workPtr, true);
}

export function hess_struct_f64_scalar(hPtr: usize, paramsPtr: usize, layersPtr: usize, L: i32, bias: i32, xPtr: usize, yPtr: usize, S: i32, loss: i32, workPtr: usize): f64 {
  return run(hPtr, paramsPtr, layersPtr, L, bias, xPtr, yPtr, S, loss, workPtr, false);
}
