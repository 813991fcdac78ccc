// Blocked Householder tridiagonalisation (LAPACK dsytrd/dlatrd, UPLO = 'U' read as row-major lower, tred2 order from the last row up): a panel of NB reflections H = I − u·uᵀ/h defers its A ← A − u·qᵀ − q·uᵀ updates, then applies them at once as a rank-2·NB update ([U Q]·[Q U]ᵀ, syrk64.ts tiles) on the leading block.
import { symv_f64_scalar, dot_f64, dot_f64_scalar } from './blas64';
import { lowerUpdatePacked } from './syrk64';

const NB: i32 = 32;
/** Below this many rows the unblocked loop of eigen.ts finishes the reduction. */
const NX: i32 = 128;

@inline function at(p: usize, i: i32): f64 { return load<f64>(p + (<usize>i << 3)); }
@inline function put(p: usize, i: i32, v: f64): void { store<f64>(p + (<usize>i << 3), v); }
@inline function rowOf(aPtr: usize, i: i32, lda: i32): usize { return aPtr + (<usize>i * <usize>lda << 3); }
@inline function align16(p: usize): usize { return (p + 15) & ~(<usize>15); }

/** Workspace bytes beyond eigen.ts's n f64 for e. */
export function tridiagPanelBytes(n: i32): i32 {
  if (n <= NX) return 0;
  const rows = (n + 3) & ~3;
  return (NB * n + 2 * rows * 2 * NB + 16) * 8 + 4 * 16;
}

/** row[k] −= sx·x[k] + sy·y[k] for k < len. */
function rank2(row: usize, x: usize, y: usize, len: i32, sx: f64, sy: f64, vec: bool): void {
  let k = 0;
  if (ASC_FEATURE_SIMD && vec) {
    const vx = f64x2.splat(sx), vy = f64x2.splat(sy);
    for (; k + 2 <= len; k += 2) {
      const o = <usize>k << 3;
      v128.store(row + o, f64x2.sub(v128.load(row + o), f64x2.add(f64x2.mul(vx, v128.load(x + o)), f64x2.mul(vy, v128.load(y + o)))));
    }
  }
  for (; k < len; k++) put(row, k, at(row, k) - (sx * at(x, k) + sy * at(y, k)));
}

/**
 * y = alpha·A·x over the leading m×m lower triangle, four rows per pass: each pass reads x and
 * y[0..j) once for four rows' dots and axpys (symv_f64 reads them once a row). Measured at
 * n = 2750 (load 15 to 17): the whole reduction 11.6 to 13.2 s with it, 18.6 to 21.2 s with symv_f64,
 * 13.0 to 17.0 s with two rows a pass.
 */
function symv4(y: usize, a: usize, x: usize, m: i32, lda: i32, alpha: f64): void {
  for (let k = 0; k < m; k++) put(y, k, 0);
  let j = 0;
  for (; j + 4 <= m; j += 4) {
    const r0 = rowOf(a, j, lda), r1 = r0 + (<usize>lda << 3), r2 = r1 + (<usize>lda << 3), r3 = r2 + (<usize>lda << 3);
    const x0 = at(x, j), x1 = at(x, j + 1), x2 = at(x, j + 2), x3 = at(x, j + 3);
    const v0 = f64x2.splat(alpha * x0), v1 = f64x2.splat(alpha * x1), v2 = f64x2.splat(alpha * x2), v3 = f64x2.splat(alpha * x3);
    let d0 = f64x2.splat(0), d1 = d0, d2 = d0, d3 = d0;
    let k = 0;
    for (; k + 2 <= j; k += 2) {
      const o = <usize>k << 3;
      const xv = v128.load(x + o);
      const a0 = v128.load(r0 + o), a1 = v128.load(r1 + o), a2 = v128.load(r2 + o), a3 = v128.load(r3 + o);
      d0 = f64x2.add(d0, f64x2.mul(a0, xv)); d1 = f64x2.add(d1, f64x2.mul(a1, xv));
      d2 = f64x2.add(d2, f64x2.mul(a2, xv)); d3 = f64x2.add(d3, f64x2.mul(a3, xv));
      const t = f64x2.add(f64x2.add(f64x2.mul(v0, a0), f64x2.mul(v1, a1)), f64x2.add(f64x2.mul(v2, a2), f64x2.mul(v3, a3)));
      v128.store(y + o, f64x2.add(v128.load(y + o), t));
    }
    let s0 = f64x2.extract_lane(d0, 0) + f64x2.extract_lane(d0, 1), s1 = f64x2.extract_lane(d1, 0) + f64x2.extract_lane(d1, 1);
    let s2 = f64x2.extract_lane(d2, 0) + f64x2.extract_lane(d2, 1), s3 = f64x2.extract_lane(d3, 0) + f64x2.extract_lane(d3, 1);
    for (; k < j; k++) {
      const xk = at(x, k), b0 = at(r0, k), b1 = at(r1, k), b2 = at(r2, k), b3 = at(r3, k);
      s0 += b0 * xk; s1 += b1 * xk; s2 += b2 * xk; s3 += b3 * xk;
      put(y, k, at(y, k) + alpha * (x0 * b0 + x1 * b1 + x2 * b2 + x3 * b3));
    }
    // The 4×4 diagonal block, lower part: A(j + r, j + c) for c ≤ r.
    const a10 = at(r1, j), a20 = at(r2, j), a21 = at(r2, j + 1), a30 = at(r3, j), a31 = at(r3, j + 1), a32 = at(r3, j + 2);
    s0 += at(r0, j) * x0 + a10 * x1 + a20 * x2 + a30 * x3;
    s1 += a10 * x0 + at(r1, j + 1) * x1 + a21 * x2 + a31 * x3;
    s2 += a20 * x0 + a21 * x1 + at(r2, j + 2) * x2 + a32 * x3;
    s3 += a30 * x0 + a31 * x1 + a32 * x2 + at(r3, j + 3) * x3;
    put(y, j, at(y, j) + alpha * s0); put(y, j + 1, at(y, j + 1) + alpha * s1);
    put(y, j + 2, at(y, j + 2) + alpha * s2); put(y, j + 3, at(y, j + 3) + alpha * s3);
  }
  for (; j < m; j++) {
    const r = rowOf(a, j, lda), xj = at(x, j);
    let s = at(r, j) * xj;
    for (let k = 0; k < j; k++) { s += at(r, k) * at(x, k); put(y, k, at(y, k) + alpha * xj * at(r, k)); }
    put(y, j, at(y, j) + alpha * s);
  }
}

/**
 * Reduces rows n−1 down to the returned row index hi (exclusive), panel by panel, writing e[i] for
 * each reduced row and leaving rows < hi fully updated for the unblocked loop. Row s of a panel
 * keeps u_s in A(s, 0..s); q_s goes to row s − lo of Q (stride n), all zero for a skipped step.
 */
export function tridiagPanels(a: usize, n: i32, lda: i32, e: usize, work: usize, vec: bool): i32 {
  if (n <= NX) return n;
  const q = align16(work);
  const rows = <usize>((n + 3) & ~3);
  const lp = align16(q + (<usize>NB * <usize>n << 3));
  const wp = align16(lp + (rows * <usize>(2 * NB) << 3));
  const tile = align16(wp + (rows * <usize>(2 * NB) << 3));
  let hi = n;
  while (hi > NX) {
    const lo = hi - NB;
    for (let i = hi - 1; i >= lo; i--) {
      const u = rowOf(a, i, lda);
      const qi = q + (<usize>(i - lo) * <usize>n << 3);
      // Row i of A − Σ_s (u_s·q_sᵀ + q_s·u_sᵀ) over this panel's earlier steps s > i.
      for (let s = i + 1; s < hi; s++) {
        const us = rowOf(a, s, lda), qs = q + (<usize>(s - lo) * <usize>n << 3);
        rank2(u, qs, us, i + 1, at(us, i), at(qs, i), vec);
      }
      let scale: f64 = 0;
      for (let k = 0; k < i; k++) scale += Math.abs(at(u, k));
      if (scale == 0) {
        put(e, i, at(u, i - 1));
        for (let k = 0; k < i; k++) put(qi, k, 0);
        continue;
      }
      let h: f64 = 0;
      for (let k = 0; k < i; k++) { const v = at(u, k) / scale; put(u, k, v); h += v * v; }
      const f = at(u, i - 1);
      const g = f >= 0 ? -Math.sqrt(h) : Math.sqrt(h);
      put(e, i, scale * g);
      h -= f * g;
      put(u, i - 1, f - g);
      // p = (A·u − Σ_s [u_s·(q_s·u) + q_s·(u_s·u)]) / h, A not yet updated by this panel.
      if (ASC_FEATURE_SIMD && vec) symv4(qi, a, u, i, lda, 1 / h); else symv_f64_scalar(qi, a, u, i, lda, 1 / h, 0);
      for (let s = i + 1; s < hi; s++) {
        const us = rowOf(a, s, lda), qs = q + (<usize>(s - lo) * <usize>n << 3);
        const cq = (vec ? dot_f64(qs, u, i) : dot_f64_scalar(qs, u, i)) / h;
        const cu = (vec ? dot_f64(us, u, i) : dot_f64_scalar(us, u, i)) / h;
        rank2(qi, us, qs, i, cq, cu, vec);
      }
      const kk = (vec ? dot_f64(qi, u, i) : dot_f64_scalar(qi, u, i)) / (h + h);
      for (let k = 0; k < i; k++) put(qi, k, at(qi, k) - kk * at(u, k));
    }
    // A(0..lo, 0..lo) −= [U Q]·[Q U]ᵀ, lower triangle, packed 4 rows at a time.
    const kb = 2 * NB;
    const nblk = (lo + 3) >> 2;
    for (let t = 0; t < nblk; t++) {
      const lt = lp + (<usize>t * <usize>kb << 5), wt = wp + (<usize>t * <usize>kb << 5);
      for (let r = 0; r < 4; r++) {
        const j = 4 * t + r;
        for (let p = 0; p < NB; p++) {
          const s = lo + p;
          const uj = j < lo ? at(rowOf(a, s, lda), j) : 0, qj = j < lo ? at(q + (<usize>p * <usize>n << 3), j) : 0;
          put(lt, p * 4 + r, uj); put(lt, (NB + p) * 4 + r, qj);
          put(wt, p * 4 + r, qj); put(wt, (NB + p) * 4 + r, uj);
        }
      }
    }
    lowerUpdatePacked(a, lda, lo, lp, wp, kb, tile, vec);
    hi = lo;
  }
  return hi;
}
