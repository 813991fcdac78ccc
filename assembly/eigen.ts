// Symmetric spectra, row-major n×n (ld in elements, lower triangle read): Householder tridiagonal + implicit QL with Wilkinson shifts (Golub & Van Loan 4th ed. §8.3); inertia of A − σI by Bunch–Kaufman LDLᵀ (GvL §4.4; Bunch & Kaufman 1977).
import { axpy_f64, axpy_f64_scalar, symv_f64, symv_f64_scalar, dot_f64, dot_f64_scalar } from './blas64';
import { tridiagPanels, tridiagPanelBytes } from './tridiag_blocked';

@inline function at(ptr: usize, i: i32): f64 { return load<f64>(ptr + (<usize>i << 3)); }
@inline function put(ptr: usize, i: i32, v: f64): void { store<f64>(ptr + (<usize>i << 3), v); }
@inline function rowOf(aPtr: usize, i: i32, lda: i32): usize { return aPtr + (<usize>i * lda << 3); }

/** row[j] -= sx·x[j] + sy·y[j] for j < len: the symmetric rank-2 update, one row at a time. */
function rank2Row(rowPtr: usize, xPtr: usize, yPtr: usize, len: i32, sx: f64, sy: f64, vec: bool): void {
  let j = 0;
  if (ASC_FEATURE_SIMD && vec) {
    const vx = f64x2.splat(sx);
    const vy = f64x2.splat(sy);
    for (; j + 2 <= len; j += 2) {
      const o = <usize>j << 3;
      const t = f64x2.add(f64x2.mul(vx, v128.load(xPtr + o)), f64x2.mul(vy, v128.load(yPtr + o)));
      v128.store(rowPtr + o, f64x2.sub(v128.load(rowPtr + o), t));
    }
  }
  for (; j < len; j++) put(rowPtr, j, at(rowPtr, j) - (sx * at(xPtr, j) + sy * at(yPtr, j)));
}

/** The kernels refuse NaN/±∞ up front: QL would spend its whole iteration budget on them. */
function lowerIsFinite(aPtr: usize, n: i32, lda: i32): bool {
  for (let i = 0; i < n; i++) {
    const row = rowOf(aPtr, i, lda);
    for (let j = 0; j <= i; j++) if (!isFinite(at(row, j))) return false;
  }
  return true;
}

export function sym_eigvals_f64_work_bytes(n: i32): i32 { return (n << 3) + tridiagPanelBytes(n); }

function symEigvals(outPtr: usize, aPtr: usize, n: i32, lda: i32, workPtr: usize, vec: bool): i32 {
  assert(n >= 1 && lda >= n);
  if (!lowerIsFinite(aPtr, n, lda)) return -2;
  const d = outPtr;
  const e = workPtr;
  // Tridiagonalise from the last row up (tred2 order): the Householder vector u is row i's
  // lower part, contiguous in row-major, and p = A·u/H lands in e[0..i), which no later row needs.
  // Rows from hi up have been reduced in blocked panels (tridiag_blocked.ts).
  const hi = tridiagPanels(aPtr, n, lda, e, workPtr + (<usize>n << 3), vec);
  for (let i = hi - 1; i >= 1; i--) {
    const u = rowOf(aPtr, i, lda);
    let scale: f64 = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(at(u, k));
    if (i == 1 || scale == 0) { put(e, i, at(u, i - 1)); continue; }
    // Scaling by Σ|u_k| keeps Σu_k² from overflowing or underflowing.
    let h: f64 = 0;
    for (let k = 0; k < i; k++) { const v = at(u, k) / scale; put(u, k, v); h += v * v; }
    const f = at(u, i - 1);
    const g = f >= 0 ? -Math.sqrt(h) : Math.sqrt(h);
    put(e, i, scale * g);
    h -= f * g;
    put(u, i - 1, f - g);
    if (vec) symv_f64(e, aPtr, u, i, lda, 1 / h, 0); else symv_f64_scalar(e, aPtr, u, i, lda, 1 / h, 0);
    const hh = (vec ? dot_f64(e, u, i) : dot_f64_scalar(e, u, i)) / (h + h);
    if (vec) axpy_f64(e, u, i, -hh); else axpy_f64_scalar(e, u, i, -hh);
    for (let j = 0; j < i; j++) rank2Row(rowOf(aPtr, j, lda), e, u, j + 1, at(u, j), at(e, j), vec);
  }
  for (let i = 0; i < n; i++) put(d, i, at(rowOf(aPtr, i, lda), i));
  for (let i = 1; i < n; i++) put(e, i - 1, at(e, i));
  put(e, n - 1, 0);

  // Implicit QL (tqli without eigenvectors). The budget is 30·n sweeps in all, as in LAPACK dsterf.
  let budget = 30 * n;
  for (let l = 0; l < n; l++) {
    let m = 0;
    do {
      for (m = l; m < n - 1; m++) {
        const dd = Math.abs(at(d, m)) + Math.abs(at(d, m + 1));
        if (Math.abs(at(e, m)) <= f64.EPSILON * dd) break;
      }
      if (m == l) break;
      if (budget-- == 0) return -1;
      // Wilkinson shift: the eigenvalue of the leading 2×2 nearer d[l].
      let g = (at(d, l + 1) - at(d, l)) / (2 * at(e, l));
      let r = Math.hypot(g, 1);
      g = at(d, m) - at(d, l) + at(e, l) / (g + (g >= 0 ? r : -r));
      let s: f64 = 1, c: f64 = 1, p: f64 = 0;
      let i = m - 1;
      for (; i >= l; i--) {
        const f = s * at(e, i);
        const b = c * at(e, i);
        r = Math.hypot(f, g);
        put(e, i + 1, r);
        if (r == 0) { put(d, i + 1, at(d, i + 1) - p); put(e, m, 0); break; } // underflow: split here
        s = f / r;
        c = g / r;
        g = at(d, i + 1) - p;
        r = (at(d, i) - g) * s + 2 * c * b;
        p = s * r;
        put(d, i + 1, g + p);
        g = c * r - b;
      }
      if (r == 0 && i >= l) continue;
      put(d, l, at(d, l) - p);
      put(e, l, g);
      put(e, m, 0);
    } while (m != l);
  }
  // Insertion sort: O(n²) compares against the O(n³) reduction, and QL output is nearly sorted.
  for (let i = 1; i < n; i++) {
    const v = at(d, i);
    let j = i - 1;
    for (; j >= 0 && at(d, j) > v; j--) put(d, j + 1, at(d, j));
    put(d, j + 1, v);
  }
  return 0;
}

/**
 * All eigenvalues of symmetric A, ascending, into out (n f64). Reads the lower triangle only and
 * OVERWRITES it (the reduction runs in place); the upper triangle is untouched. work:
 * sym_eigvals_f64_work_bytes(n) (n f64, plus the blocked panels' scratch for n > 128). out, A and
 * work must not overlap. Returns 0, −1 when QL has not
 * converged within 30·n iterations, −2 when the lower triangle holds NaN or ±∞.
 */
export function sym_eigvals_f64(outPtr: usize, aPtr: usize, n: i32, lda: i32, workPtr: usize): i32 {
  return symEigvals(outPtr, aPtr, n, lda, workPtr, true);
}

export function sym_eigvals_f64_scalar(outPtr: usize, aPtr: usize, n: i32, lda: i32, workPtr: usize): i32 {
  return symEigvals(outPtr, aPtr, n, lda, workPtr, false);
}

export function sym_inertia_f64_work_bytes(n: i32): i32 { return n << 4; }

/** Symmetric interchange of rows/columns p < q in the trailing block k.. (lower triangle). */
function swapSym(aPtr: usize, n: i32, lda: i32, k: i32, p: i32, q: i32): void {
  const rp = rowOf(aPtr, p, lda), rq = rowOf(aPtr, q, lda);
  let t = at(rp, p); put(rp, p, at(rq, q)); put(rq, q, t);
  // Columns left of k hold multipliers the count never reads, so only j ≥ k moves.
  for (let j = k; j < p; j++) { t = at(rp, j); put(rp, j, at(rq, j)); put(rq, j, t); }
  for (let j = p + 1; j < q; j++) { const rj = rowOf(aPtr, j, lda); t = at(rj, p); put(rj, p, at(rq, j)); put(rq, j, t); }
  for (let i = q + 1; i < n; i++) { const ri = rowOf(aPtr, i, lda); t = at(ri, p); put(ri, p, at(ri, q)); put(ri, q, t); }
}

function symInertia(aPtr: usize, n: i32, lda: i32, shift: f64, workPtr: usize, vec: bool): i32 {
  assert(n >= 1 && lda >= n);
  if (!lowerIsFinite(aPtr, n, lda) || !isFinite(shift)) return -2;
  for (let i = 0; i < n; i++) { const r = rowOf(aPtr, i, lda); put(r, i, at(r, i) - shift); }
  const alpha = (1 + Math.sqrt(17)) / 8; // bounds element growth by 2.57^(n−1)
  const c1 = workPtr;
  const c2 = workPtr + (<usize>n << 3);
  let neg = 0;
  let k = 0;
  while (k < n) {
    const rk = rowOf(aPtr, k, lda);
    let lam: f64 = 0;
    let r = k;
    for (let i = k + 1; i < n; i++) { const v = Math.abs(at(rowOf(aPtr, i, lda), k)); if (v > lam) { lam = v; r = i; } }
    const akk = Math.abs(at(rk, k));
    // An exactly zero column is already eliminated: its pivot (possibly an exact 0, counted as
    // non-negative) needs no update. Every other pivot chosen below is nonzero.
    let size = 1;
    if (lam != 0 && akk < alpha * lam) {
      const rr = rowOf(aPtr, r, lda);
      let sigma: f64 = 0;
      for (let j = k; j < r; j++) sigma = Math.max(sigma, Math.abs(at(rr, j)));
      for (let j = r + 1; j < n; j++) sigma = Math.max(sigma, Math.abs(at(rowOf(aPtr, j, lda), r)));
      if (akk * sigma >= alpha * lam * lam) {
        // 1×1 pivot at k
      } else if (Math.abs(at(rr, r)) >= alpha * sigma) {
        swapSym(aPtr, n, lda, k, k, r);
      } else {
        if (r != k + 1) swapSym(aPtr, n, lda, k, k + 1, r);
        size = 2;
      }
    }
    if (size == 1) {
      const dk = at(rk, k);
      if (dk != dk) return -2; // overflow in the updates of a finite input
      if (dk < 0) neg++;
      if (lam != 0) {
        for (let i = k + 1; i < n; i++) put(c1, i, at(rowOf(aPtr, i, lda), k));
        for (let i = k + 1; i < n; i++) {
          const mult = at(c1, i) / dk;
          if (mult == 0) continue;
          const ri = rowOf(aPtr, i, lda) + (<usize>(k + 1) << 3);
          if (vec) axpy_f64(ri, c1 + (<usize>(k + 1) << 3), i - k, -mult);
          else axpy_f64_scalar(ri, c1 + (<usize>(k + 1) << 3), i - k, -mult);
        }
      }
      k += 1;
      continue;
    }
    // 2×2 pivot D = [d11 d21; d21 d22], in LAPACK dsytf2's scaled form (no d21² overflow):
    // sign(det D) = sign(d11·d22/d21² − 1), and (w1, w2) = (c1, c2)·D⁻¹ row by row.
    const rk1 = rowOf(aPtr, k + 1, lda);
    const d21 = at(rk1, k);
    const e11 = at(rk1, k + 1) / d21;
    const e22 = at(rk, k) / d21;
    const q = e11 * e22 - 1;
    const tr = at(rk, k) + at(rk1, k + 1);
    if (q != q || tr != tr) return -2;
    neg += q < 0 ? 1 : q > 0 ? (tr < 0 ? 2 : 0) : (tr < 0 ? 1 : 0);
    const t = 1 / q / d21;
    for (let i = k + 2; i < n; i++) { const ri = rowOf(aPtr, i, lda); put(c1, i, at(ri, k)); put(c2, i, at(ri, k + 1)); }
    const o = <usize>(k + 2) << 3;
    for (let i = k + 2; i < n; i++) {
      const w1 = t * (e11 * at(c1, i) - at(c2, i));
      const w2 = t * (e22 * at(c2, i) - at(c1, i));
      rank2Row(rowOf(aPtr, i, lda) + o, c1 + o, c2 + o, i - k - 1, w1, w2, vec);
    }
    k += 2;
  }
  return neg;
}

/**
 * Number of eigenvalues of A − shift·I below 0, i.e. of A below shift (Sylvester's law of
 * inertia), from the signs of D in a Bunch–Kaufman LDLᵀ. Reads the lower triangle only and
 * OVERWRITES it (with A − shift·I partly factored). An exactly zero pivot counts as non-negative,
 * so an eigenvalue equal to shift in exact arithmetic is not counted. work: 2n f64
 * (sym_inertia_f64_work_bytes); A and work must not overlap. Returns −2 for NaN/±∞ input or shift.
 */
export function sym_inertia_f64(aPtr: usize, n: i32, lda: i32, shift: f64, workPtr: usize): i32 {
  return symInertia(aPtr, n, lda, shift, workPtr, true);
}

export function sym_inertia_f64_scalar(aPtr: usize, n: i32, lda: i32, shift: f64, workPtr: usize): i32 {
  return symInertia(aPtr, n, lda, shift, workPtr, false);
}
