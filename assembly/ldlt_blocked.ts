// Inertia of A − σI by a blocked Bunch–Kaufman LDLᵀ (LAPACK dsytrf/dlasyf, lower; GvL §4.4): a panel of nb columns is factored left-looking against W = L·D, then A22 −= L21·W21ᵀ (lower triangle) by syrk64.ts's 4×4 f64x2 tiles over packed panels. Row-major, lower triangle read (row i holds A(i, 0..i]).

const NB_MAX: i32 = 128;
const NB_DEFAULT: i32 = 64;
import { lowerUpdatePacked } from './syrk64';

const ALPHA: f64 = 0.6403882032022076; // (1 + √17)/8: bounds element growth by 2.57^(n−1)

@inline function at(p: usize, i: i32): f64 { return load<f64>(p + (<usize>i << 3)); }
@inline function put(p: usize, i: i32, v: f64): void { store<f64>(p + (<usize>i << 3), v); }
@inline function rowOf(aPtr: usize, i: i32, lda: i32): usize { return aPtr + (<usize>i * <usize>lda << 3); }
@inline function align16(p: usize): usize { return (p + 15) & ~(<usize>15); }

// Workspace layout, set per call: W (n × nb, row i − k0 of the current panel at w + (i − k0)·nb),
// the packed L21 and W21 panels (4 rows interleaved per p), and a 4×4 spill tile.
let wPtr: usize = 0, lpPtr: usize = 0, wpPtr: usize = 0, tilePtr: usize = 0;
let negCount: i32 = 0;

/** Bytes of workspace for n (covers every nb ≤ 128). */
export function sym_inertia_blocked_f64_work_bytes(n: i32): i32 {
  const rows = (n + 3) & ~3;
  return 3 * rows * NB_MAX * 8 + 4 * 16 + 16 * 8;
}

function dotv(x: usize, y: usize, len: i32, vec: bool): f64 {
  let j = 0;
  let s: f64 = 0;
  if (ASC_FEATURE_SIMD && vec) {
    let v0 = f64x2.splat(0), v1 = f64x2.splat(0);
    for (; j + 4 <= len; j += 4) {
      const o = <usize>j << 3;
      v0 = f64x2.add(v0, f64x2.mul(v128.load(x + o), v128.load(y + o)));
      v1 = f64x2.add(v1, f64x2.mul(v128.load(x + o, 16), v128.load(y + o, 16)));
    }
    const v = f64x2.add(v0, v1);
    s = f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
  }
  for (; j < len; j++) s += at(x, j) * at(y, j);
  return s;
}

@inline function wRow(i: i32, k0: i32, nb: i32): usize { return wPtr + (<usize>(i - k0) * <usize>nb << 3); }

/**
 * Factors columns k0.. of the trailing matrix (all of it when at most nb remain, else nb − 1 or nb,
 * so a 2×2 pivot fits in W), counting negative pivots into negCount. Returns the number of columns
 * factored, or −1 for a non-finite pivot (overflow of a finite input).
 */
function panel(a: usize, n: i32, lda: i32, k0: i32, nb: i32, vec: bool): i32 {
  const last = n - k0 <= nb;
  const off = <usize>k0 << 3;
  let k = k0;
  while (k < n && (last || k - k0 < nb - 1)) {
    const c = k - k0;
    const wk = wRow(k, k0, nb);
    // Column k of A − L·Wᵀ (left-looking): each row's panel part is contiguous.
    for (let i = k; i < n; i++) {
      const ri = rowOf(a, i, lda);
      put(wRow(i, k0, nb), c, at(ri, k) - dotv(ri + off, wk, c, vec));
    }
    const absakk = Math.abs(at(wk, c));
    let colmax: f64 = 0;
    let imax = k;
    for (let i = k + 1; i < n; i++) { const v = Math.abs(at(wRow(i, k0, nb), c)); if (v > colmax) { colmax = v; imax = i; } }
    let kp = k, size = 1;
    if (colmax != 0 && absakk < ALPHA * colmax) {
      // Column imax, updated, into W(:, c + 1): A(imax, i) is row imax for i < imax, column imax below.
      const rim = rowOf(a, imax, lda), wim = wRow(imax, k0, nb);
      for (let i = k; i < imax; i++) put(wRow(i, k0, nb), c + 1, at(rim, i) - dotv(rowOf(a, i, lda) + off, wim, c, vec));
      for (let i = imax; i < n; i++) { const ri = rowOf(a, i, lda); put(wRow(i, k0, nb), c + 1, at(ri, imax) - dotv(ri + off, wim, c, vec)); }
      let rowmax: f64 = 0;
      for (let i = k; i < n; i++) if (i != imax) rowmax = Math.max(rowmax, Math.abs(at(wRow(i, k0, nb), c + 1)));
      if (absakk >= ALPHA * colmax * (colmax / rowmax)) {
        // 1×1 pivot at k
      } else if (Math.abs(at(wim, c + 1)) >= ALPHA * rowmax) {
        kp = imax;
        for (let i = k; i < n; i++) { const wi = wRow(i, k0, nb); put(wi, c, at(wi, c + 1)); }
      } else {
        kp = imax;
        size = 2;
      }
    }
    const kk = k + size - 1;
    if (kp != kk) {
      // The not-yet-updated column kk moves to kp (its updated form is already W(:, kk − k0));
      // rows kk and kp swap in the panel's finished columns of A and in W.
      const rkk = rowOf(a, kk, lda), rkp = rowOf(a, kp, lda);
      put(rkp, kp, at(rkk, kk));
      for (let j = kk + 1; j < kp; j++) put(rkp, j, at(rowOf(a, j, lda), kk));
      for (let i = kp + 1; i < n; i++) { const ri = rowOf(a, i, lda); put(ri, kp, at(ri, kk)); }
      for (let j = k0; j < k; j++) { const t = at(rkk, j); put(rkk, j, at(rkp, j)); put(rkp, j, t); }
      const wkk = wRow(kk, k0, nb), wkp = wRow(kp, k0, nb);
      for (let j = 0; j <= kk - k0; j++) { const t = at(wkk, j); put(wkk, j, at(wkp, j)); put(wkp, j, t); }
    }
    const rk = rowOf(a, k, lda);
    if (size == 1) {
      const d = at(wk, c);
      if (!isFinite(d)) return -1;
      if (d < 0) negCount++;
      put(rk, k, d);
      // d = 0 only for an exactly zero column (every other pivot above is nonzero): L(:, k) = 0.
      const r = d != 0 ? 1 / d : 0;
      for (let i = k + 1; i < n; i++) put(rowOf(a, i, lda), k, at(wRow(i, k0, nb), c) * r);
      k += 1;
      continue;
    }
    // 2×2 pivot D = [d11 d21; d21 d22], in dsytf2's scaled form (no d21² overflow):
    // sign(det D) = sign(d11·d22/d21² − 1), and L rows = W rows · D⁻¹.
    const wk1 = wRow(k + 1, k0, nb);
    const d21 = at(wk1, c);
    const e11 = at(wk1, c + 1) / d21;
    const e22 = at(wk, c) / d21;
    const q = e11 * e22 - 1;
    const tr = at(wk, c) + at(wk1, c + 1);
    if (!isFinite(q) || !isFinite(tr)) return -1;
    negCount += q < 0 ? 1 : q > 0 ? (tr < 0 ? 2 : 0) : (tr < 0 ? 1 : 0);
    const t = 1 / q / d21;
    for (let j = k + 2; j < n; j++) {
      const rj = rowOf(a, j, lda), wj = wRow(j, k0, nb);
      const x = at(wj, c), y = at(wj, c + 1);
      put(rj, k, t * (e11 * x - y));
      put(rj, k + 1, t * (e22 * y - x));
    }
    const rk1 = rowOf(a, k + 1, lda);
    put(rk, k, at(wk, c));
    put(rk1, k, d21);
    put(rk1, k + 1, at(wk1, c + 1));
    k += 2;
  }
  return k - k0;
}

/** A(s.., s..) −= L(s.., k0..k0+kb)·W(s.., ·)ᵀ on the lower triangle, by 4×4 tiles. */
function update(a: usize, n: i32, lda: i32, k0: i32, kb: i32, s: i32, nb: i32, vec: bool): void {
  const nblk = (n - s + 3) >> 2;
  const panelBytes = <usize>kb << 5;
  for (let t = 0; t < nblk; t++) {
    const lp = lpPtr + <usize>t * panelBytes, wp = wpPtr + <usize>t * panelBytes;
    for (let r = 0; r < 4; r++) {
      const i = s + 4 * t + r;
      if (i < n) {
        const ri = rowOf(a, i, lda) + (<usize>k0 << 3), wi = wRow(i, k0, nb);
        for (let p = 0; p < kb; p++) { put(lp, p * 4 + r, at(ri, p)); put(wp, p * 4 + r, at(wi, p)); }
      } else {
        for (let p = 0; p < kb; p++) { put(lp, p * 4 + r, 0); put(wp, p * 4 + r, 0); }
      }
    }
  }
  lowerUpdatePacked(rowOf(a, s, lda) + (<usize>s << 3), lda, n - s, lpPtr, wpPtr, kb, tilePtr, vec);
}

function inertiaBlocked(a: usize, n: i32, lda: i32, shift: f64, work: usize, nb: i32, vec: bool): i32 {
  assert(n >= 1 && lda >= n);
  if (!isFinite(shift)) return -2;
  for (let i = 0; i < n; i++) {
    const r = rowOf(a, i, lda);
    for (let j = 0; j <= i; j++) if (!isFinite(at(r, j))) return -2;
  }
  if (nb <= 0) nb = NB_DEFAULT;
  nb = min(max(nb, 2), NB_MAX);
  const rows = <usize>((n + 3) & ~3);
  wPtr = align16(work);
  lpPtr = align16(wPtr + rows * <usize>NB_MAX * 8);
  wpPtr = align16(lpPtr + rows * <usize>NB_MAX * 8);
  tilePtr = align16(wpPtr + rows * <usize>NB_MAX * 8);
  for (let i = 0; i < n; i++) { const r = rowOf(a, i, lda); put(r, i, at(r, i) - shift); }
  negCount = 0;
  let k0 = 0;
  while (k0 < n) {
    const kb = panel(a, n, lda, k0, nb, vec);
    if (kb < 0) return -2;
    if (k0 + kb < n) update(a, n, lda, k0, kb, k0 + kb, nb, vec);
    k0 += kb;
  }
  return negCount;
}

/**
 * Number of eigenvalues of A below shift (Sylvester), from the signs of D in a blocked
 * Bunch–Kaufman LDLᵀ of A − shift·I: the same count as sym_inertia_f64, with the O(n³) part as
 * GEMM-shaped tile updates. Reads the lower triangle only and OVERWRITES it; the upper triangle is
 * untouched. An exactly zero pivot counts as non-negative. nb: panel width (0: default 64; clamped
 * to 2..128). work: sym_inertia_blocked_f64_work_bytes(n), any alignment; A and work must not
 * overlap. Returns −2 for NaN/±∞ input or shift, or overflow while factoring.
 */
export function sym_inertia_blocked_f64(aPtr: usize, n: i32, lda: i32, shift: f64, workPtr: usize, nb: i32): i32 {
  return inertiaBlocked(aPtr, n, lda, shift, workPtr, nb, true);
}

export function sym_inertia_blocked_f64_scalar(aPtr: usize, n: i32, lda: i32, shift: f64, workPtr: usize, nb: i32): i32 {
  return inertiaBlocked(aPtr, n, lda, shift, workPtr, nb, false);
}
