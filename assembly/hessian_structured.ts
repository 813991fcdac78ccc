// Exact f64 Hessian of L(θ) = (1/S) Σ_s ℓ(W2·relu(W1·x_s + b1) + b2, y_s) by structured assembly
// (SCIENCE.md §6): H = (1/S) Σ_s J_sᵀ A_s J_s + Σ_k r_sk ∇²f_k with A_s = ∇²ℓ(f_s), r_s = ∇ℓ(f_s);
// σ'' = 0 leaves one ∇²f, the W1-W2 cross term m_j x_i. With x̃ = [x, 1], h̃ = [h, 1] (bias), GEMMs
// whose k dimension is the sample (chunks of 1024 in a fixed order), over only the samples whose
// ReLU mask makes the term nonzero (the rest contribute exact zeros):
//   W1-W1  pair a ≤ b:  G_ab = Σ_s c_s(a,b) x̃_s x̃_sᵀ, c_s = (W2ᵀA_sW2)[a,b], samples with m_a m_b = 1
//   W2-W2  G22 = Uᵀ·V,  U_s = h̃h̃ᵀ (pairs), V_s = A_s (pairs k ≤ k')
//   W1-W2  unit j: G12_j = F_jᵀ·X̃, F_j[k,j'] = (W2ᵀA_s)[j,k] h̃_j' + r_k δ_jj', samples with m_j = 1.
// Params in the mlp.ts layout (W1 n1 × d, b1, W2 c × n1, b2). A_s = diag p − ppᵀ for cross-entropy
// and 0 for the piecewise-linear losses (hinge, |y − f|), which leave only the r term. f64 add/mul only.

import { KC, gemm, microScalar, microSimd, setPackBuffers } from './gemm64';
import { lossRowAt } from './hessian_loss';

@inline function at(p: usize, i: usize): f64 { return load<f64>(p + (i << 3)); }
@inline function put(p: usize, i: usize, v: f64): void { store<f64>(p + (i << 3), v); }
@inline function up16(b: u64): u64 { return (b + 15) & ~15; }
@inline function pairs(n: i32): i32 { return n * (n + 1) >> 1; }

// Dims and workspace of the current call (set by plan()). Per-sample rows of a chunk of CH samples:
// xt x̃, hs h̃, rs r, bs B = W2ᵀA (n1 × c), cm C (pairs), u U, v V. The gathered samples go straight
// into zero-padded 4-wide panels of KC rows (pa c·x̃, pb x̃, pf F_j), the 4×4 micro-kernel's layout.
const CH: i32 = 1024;
// Bytes from one panel to the next: KC rows of 4 f64 plus a cache line, so that the 26 or so panels
// one gathered sample writes do not all fall into the same L1 set (a 8 KiB stride would).
const PSTEP: usize = (<usize>KC << 5) + 64;
let d: i32 = 0, n1: i32 = 0, c: i32 = 0, dp: i32 = 0, ldx: i32 = 0, np: i32 = 0, gn: bool = false;
let nc: i32 = 0, nu: i32 = 0, nv: i32 = 0, wf: i32 = 0;
let xt: usize = 0, hs: usize = 0, rs: usize = 0, bs: usize = 0, cm: usize = 0, u: usize = 0, v: usize = 0;
let pa: usize = 0, pb: usize = 0, pf: usize = 0, g11: usize = 0, g22: usize = 0, g12: usize = 0;
let fs: usize = 0, ps: usize = 0, us: usize = 0;

function plan(layersPtr: usize, L: i32, bias: i32, loss: i32, base: u64): f64 {
  if (L != 2 || loss < 0 || loss > 3) unreachable();
  d = load<i32>(layersPtr); n1 = load<i32>(layersPtr, 4); c = load<i32>(layersPtr, 8);
  if (d < 1 || n1 < 1 || c < 1) unreachable();
  dp = d + (bias ? 1 : 0); np = n1 + (bias ? 1 : 0); gn = loss == 0; ldx = (dp + 3) & ~3; // x̃ rows zero-padded to whole panels
  nc = gn ? pairs(n1) : 0; nu = gn ? pairs(np) : 0; nv = gn ? pairs(c) : 0;
  wf = gn ? c * np : c; // columns of the gathered cross-block factor F_j
  const ch = <u64>CH;
  let off = base;
  xt = <usize>off; off += up16(ch * <u64>ldx << 3);
  hs = <usize>off; off += up16(ch * <u64>np << 3);
  rs = <usize>off; off += up16(ch * <u64>c << 3);
  bs = <usize>off; off += up16(ch * <u64>(gn ? n1 * c : 0) << 3);
  cm = <usize>off; off += up16(ch * <u64>nc << 3);
  u = <usize>off; off += up16(ch * <u64>nu << 3);
  v = <usize>off; off += up16(ch * <u64>nv << 3);
  const panel = <u64>PSTEP;
  pa = <usize>off; off += <u64>(gn ? (dp + 3) >> 2 : 0) * panel;
  pb = <usize>off; off += <u64>((dp + 3) >> 2) * panel;
  pf = <usize>off; off += <u64>((wf + 3) >> 2) * panel;
  g11 = <usize>off; off += up16(<u64>nc * <u64>dp * <u64>dp << 3);
  g22 = <usize>off; off += up16(<u64>nu * <u64>nv << 3);
  g12 = <usize>off; off += up16(<u64>n1 * <u64>wf * <u64>dp << 3);
  fs = <usize>off; off += up16(<u64>c << 3);
  ps = <usize>off; off += up16(<u64>c << 3);
  us = <usize>off; off += up16(<u64>n1 << 3);
  // gemm64's own pack buffers serve W2-W2 (B = V, nv wide); its micro-kernel spills after packA.
  const packA = <usize>off; off += up16((<u64>KC * 4 + 16) << 3);
  const packB = <usize>off; off += up16(<u64>KC * <u64>((nv + 3) & ~3) << 3);
  setPackBuffers(packA, packB);
  return <f64>(off - base);
}

/** Workspace bytes of hess_struct_f64 (independent of S: samples go in chunks of 1024; 16 to align). */
export function hess_struct_work_bytes(layersPtr: usize, L: i32, bias: i32, loss: i32): f64 {
  return plan(layersPtr, L, bias, loss, 0) + 16;
}


/** Row t of the chunk's per-sample matrices for sample x (d f64); returns ℓ_s. */
function sampleRows(t: usize, x: usize, ys: i32, w1: usize, b1: usize, w2: usize, b2: usize, code: i32): f64 {
  const xr = xt + (t * <usize>ldx << 3), hr = hs + (t * <usize>np << 3), rr = rs + (t * <usize>c << 3);
  for (let i = 0; i < d; i++) put(xr, <usize>i, at(x, <usize>i));
  if (dp > d) put(xr, <usize>d, 1);
  for (let i = dp; i < ldx; i++) put(xr, <usize>i, 0);
  for (let j = 0; j < n1; j++) {
    const w = w1 + (<usize>j * <usize>d << 3);
    let a: f64 = 0;
    for (let i = 0; i < d; i++) a += at(w, <usize>i) * at(x, <usize>i);
    if (b1) a += at(b1, <usize>j);
    put(hr, <usize>j, a > 0 ? a : 0); // m_j = 1[a_j > 0] = 1[h_j > 0]
  }
  if (np > n1) put(hr, <usize>n1, 1);
  for (let k = 0; k < c; k++) {
    const w = w2 + (<usize>k * <usize>n1 << 3);
    let f: f64 = 0;
    for (let j = 0; j < n1; j++) f += at(w, <usize>j) * at(hr, <usize>j);
    if (b2) f += at(b2, <usize>k);
    put(fs, <usize>k, f);
  }
  const ell = lossRowAt(fs, ps, c, ys, code, rr);
  if (!gn) return ell;
  // B = W2ᵀA (n1 × c): B[j,k] = p_k (W2[k,j] − (W2ᵀp)_j), zero rows for units that are off.
  for (let j = 0; j < n1; j++) {
    let s: f64 = 0;
    for (let k = 0; k < c; k++) s += at(w2, <usize>(k * n1 + j)) * at(ps, <usize>k);
    put(us, <usize>j, s);
  }
  const br = bs + (t * <usize>(n1 * c) << 3);
  for (let j = 0; j < n1; j++) {
    const on = at(hr, <usize>j) > 0;
    for (let k = 0; k < c; k++) put(br, <usize>(j * c + k), on ? at(ps, <usize>k) * (at(w2, <usize>(k * n1 + j)) - at(us, <usize>j)) : 0);
  }
  let o: usize = 0;
  const cr = cm + (t * <usize>nc << 3);
  for (let j = 0; j < n1; j++) for (let j2 = j; j2 < n1; j2++) {
    let s: f64 = 0;
    if (at(hr, <usize>j2) > 0) for (let k = 0; k < c; k++) s += at(br, <usize>(j * c + k)) * at(w2, <usize>(k * n1 + j2));
    put(cr, o++, s);
  }
  o = 0;
  const ur = u + (t * <usize>nu << 3);
  for (let j = 0; j < np; j++) for (let j2 = j; j2 < np; j2++) put(ur, o++, at(hr, <usize>j) * at(hr, <usize>j2));
  o = 0;
  const vr = v + (t * <usize>nv << 3);
  for (let k = 0; k < c; k++) for (let k2 = k; k2 < c; k2++) put(vr, o++, (k == k2 ? at(ps, <usize>k) : 0) - at(ps, <usize>k) * at(ps, <usize>k2));
  return ell;
}

@inline function active(t: i32, j: i32): bool { return at(hs, <usize>(t * np + j)) > 0; }

/** Element (row i, k-index p) of a panel set: panel i >> 2 holds KC rows of 4. */
@inline function slot(panels: usize, i: i32, p: i32): usize {
  return panels + <usize>(i >> 2) * PSTEP + (<usize>(p * 4 + (i & 3)) << 3);
}

/** C (m × n, ldc) += Σ_{p < kc} A_p B_pᵀ over packed panels; upper: only tiles reaching the diagonal or right of it. */
function tiles(cPtr: usize, ldc: i32, ap: usize, bp: usize, m: i32, n: i32, kc: i32, upper: bool, simd: bool): void {
  const step = PSTEP;
  for (let it = 0; it < (m + 3) >> 2; it++) {
    const crow = cPtr + (<usize>(it * 4) * <usize>ldc << 3);
    for (let jt = upper ? it : 0; jt < (n + 3) >> 2; jt++) {
      const a = ap + <usize>it * step, b = bp + <usize>jt * step, cp = crow + (<usize>(jt * 4) << 3);
      if (ASC_FEATURE_SIMD && simd) microSimd(a, b, kc, cp, ldc, min(4, m - it * 4), min(4, n - jt * 4), 1);
      else microScalar(a, b, kc, cp, ldc, min(4, m - it * 4), min(4, n - jt * 4), 1);
    }
  }
}

/** Row p of the panels pb ← x̃ (padded row at src) and pa ← c·x̃, two lanes a store (the same IEEE products). */
function packScaledSimd(src: usize, p: i32, cst: f64): void {
  const vc = f64x2.splat(cst), step = PSTEP;
  let da = pa + (<usize>p << 5), db = pb + (<usize>p << 5);
  for (let q = 0; q < ldx; q += 4) {
    const v0 = v128.load(src + (<usize>q << 3)), v1 = v128.load(src + (<usize>q << 3), 16);
    v128.store(db, v0); v128.store(db, v1, 16);
    v128.store(da, f64x2.mul(vc, v0)); v128.store(da, f64x2.mul(vc, v1), 16);
    da += step; db += step;
  }
}

/**
 * W1-W1, pair (a, b) of hidden units: G_ab += Σ_s c_s(a,b) x̃_s x̃_sᵀ over the chunk's samples with
 * both units on (the others add exact zeros), upper 4×4 tiles only (SYRK-like), KC samples a pass.
 */
function pairBlock(o: i32, a: i32, b: i32, n: i32, simd: bool): void {
  const g = g11 + (<usize>o * <usize>dp * <usize>dp << 3);
  let p = 0;
  for (let t = 0; t < n; t++) {
    if (!active(t, a) || !active(t, b)) continue;
    const src = xt + (<usize>(t * ldx) << 3), cst = at(cm, <usize>t * <usize>nc + <usize>o);
    if (ASC_FEATURE_SIMD && simd) packScaledSimd(src, p, cst);
    else for (let i = 0; i < dp; i++) {
      const xi = at(src, <usize>i);
      store<f64>(slot(pa, i, p), cst * xi);
      store<f64>(slot(pb, i, p), xi);
    }
    if (++p == KC) { tiles(g, dp, pa, pb, dp, dp, p, true, simd); p = 0; }
  }
  if (p > 0) tiles(g, dp, pa, pb, dp, dp, p, true, simd);
}

/** W1-W2, hidden unit j: G12_j += F_jᵀ·X̃ over the chunk's samples with j on, F_j[k, j'] = B[j,k] h̃_j' + r_k δ_jj' (r_k alone without GN). */
function crossBlock(j: i32, n: i32, simd: bool): void {
  const g = g12 + (<usize>(j * wf * dp) << 3);
  let p = 0;
  for (let t = 0; t < n; t++) {
    if (!active(t, j)) continue;
    const src = xt + (<usize>(t * ldx) << 3), rr = rs + (<usize>(t * c) << 3);
    for (let i = 0; i < dp; i++) store<f64>(slot(pb, i, p), at(src, <usize>i));
    if (gn) {
      const br = bs + (<usize>(t * n1 * c + j * c) << 3), hr = hs + (<usize>(t * np) << 3);
      for (let k = 0; k < c; k++) {
        const bk = at(br, <usize>k);
        for (let j2 = 0; j2 < np; j2++) store<f64>(slot(pf, k * np + j2, p), j2 == j ? bk * at(hr, <usize>j2) + at(rr, <usize>k) : bk * at(hr, <usize>j2));
      }
    } else for (let k = 0; k < c; k++) store<f64>(slot(pf, k, p), at(rr, <usize>k));
    if (++p == KC) { tiles(g, dp, pf, pb, wf, dp, p, false, simd); p = 0; }
  }
  if (p > 0) tiles(g, dp, pf, pb, wf, dp, p, false, simd);
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

/** Scatters W2-W2's G (inner pairs × outer pairs): g fills (a,i)(b,i') and (a,i')(b,i) and their mirrors. */
function scatter22(h: usize, P: usize, inv: f64): void {
  let t: usize = 0;
  for (let i = 0; i < np; i++) for (let i2 = i; i2 < np; i2++) {
    const row = g22 + (t++ * <usize>nv << 3);
    let o: usize = 0;
    for (let a = 0; a < c; a++) for (let b = a; b < c; b++) {
      const val = at(row, o++) * inv;
      sym(h, P, p2(a, i), p2(b, i2), val); sym(h, P, p2(a, i2), p2(b, i), val);
    }
  }
}

/**
 * Scatters W1-W1's per-pair blocks G_ab (d' × d', upper triangle i ≤ i' canonical). G_ab is
 * symmetric, so the W1 parts of blocks (a, b) and (b, a) of H are both G_ab, written row by row.
 */
function scatter11(h: usize, P: usize, inv: f64): void {
  let o: usize = 0;
  for (let a = 0; a < n1; a++) for (let b = a; b < n1; b++) {
    const g = g11 + (o++ * <usize>dp * <usize>dp << 3);
    for (let i = 0; i < d; i++) {
      const r1 = h + (((<usize>(a * d + i)) * P + <usize>(b * d)) << 3), r2 = h + (((<usize>(b * d + i)) * P + <usize>(a * d)) << 3);
      for (let i2 = 0; i2 < d; i2++) {
        const val = (i <= i2 ? at(g, <usize>(i * dp + i2)) : at(g, <usize>(i2 * dp + i))) * inv;
        put(r1, <usize>i2, val);
        put(r2, <usize>i2, val);
      }
    }
    if (dp == d) continue;
    for (let i = 0; i < d; i++) { // x̃_d = 1: the b1 rows and columns
      const val = at(g, <usize>(i * dp + d)) * inv;
      sym(h, P, p1(a, i), p1(b, d), val);
      sym(h, P, p1(b, i), p1(a, d), val);
    }
    sym(h, P, p1(a, d), p1(b, d), at(g, <usize>(d * dp + d)) * inv);
  }
}

function run(hPtr: usize, paramsPtr: usize, layersPtr: usize, L: i32, bias: i32, xPtr: usize, yPtr: usize, S: i32, loss: i32, workPtr: usize, simd: bool): f64 {
  if (S < 1) unreachable();
  plan(layersPtr, L, bias, loss, <u64>((workPtr + 15) & ~15));
  const w1 = paramsPtr, b1: usize = bias ? w1 + (<usize>n1 * <usize>d << 3) : 0;
  const w2 = paramsPtr + (<usize>n1 * <usize>dp << 3), b2: usize = bias ? w2 + (<usize>c * <usize>n1 << 3) : 0;
  memory.fill(pa, 0, <usize>(g12 + (<usize>n1 * <usize>wf * <usize>dp << 3) - pa)); // panel padding stays 0
  let sum: f64 = 0;
  for (let s0 = 0; s0 < S; s0 += CH) {
    const n = min(CH, S - s0);
    for (let t = 0; t < n; t++) {
      const s = s0 + t;
      sum += sampleRows(<usize>t, xPtr + (<usize>s * <usize>d << 3), load<i32>(yPtr + (<usize>s << 2)), w1, b1, w2, b2, loss);
    }
    if (gn) {
      let o = 0;
      for (let a = 0; a < n1; a++) for (let b = a; b < n1; b++) pairBlock(o++, a, b, n, simd);
      gemm(g22, nv, u, 1, nu, v, nv, nu, nv, n, 1, 1, simd);
    }
    for (let j = 0; j < n1; j++) crossBlock(j, n, simd);
  }
  const P = <usize>(n1 * dp + c * np), inv = 1.0 / <f64>S;
  if (gn) { // every entry is written below
    scatter11(hPtr, P, inv);
    scatter22(hPtr, P, inv);
  } else memory.fill(hPtr, 0, P * P << 3);
  for (let j = 0; j < n1; j++) for (let k = 0; k < c; k++) {
    for (let j2 = 0; j2 < np; j2++) {
      if (!gn && j2 != j) continue;
      const gr = g12 + (<usize>(((j * c + k) * (gn ? np : 1) + (gn ? j2 : 0)) * dp) << 3);
      for (let i = 0; i < dp; i++) sym(hPtr, P, p1(j, i), p2(k, j2), at(gr, <usize>i) * inv);
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
