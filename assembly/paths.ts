// Path statistics of a bias-free ReLU net (SCIENCE.md §3, §8; [P2] §3.1): Y_k(x) = Σ_π x_i A_π(x) w_π
// over paths π = (i, j_1, …, j_{L−1}, k), A_π = Π 1[z_{l,j_l} > 0]. Params f64, per layer W_l
// (n_l × n_{l−1}, row-major, no biases); x f64 S × n_0 row-major; activation masks u8 S × h,
// h = Σ hidden widths, layer l's units in columns [Σ_{m<l} n_m, …). Everything streams over samples:
// nothing is ever Ψ × S.

import { dot_f64 } from './blas64';

const MAXL = 8;

@inline function width(layersPtr: usize, l: i32): i32 { return load<i32>(layersPtr + (<usize>l << 2)); }
@inline function at(p: usize, i: usize): f64 { return load<f64>(p + (i << 3)); }
@inline function put(p: usize, i: usize, v: f64): void { store<f64>(p + (i << 3), v); }

function maxWidth(layersPtr: usize, L: i32): i32 {
  let w = 0;
  for (let l = 0; l <= L; l++) w = max(w, width(layersPtr, l));
  return w;
}

function hiddenWidth(layersPtr: usize, L: i32): i32 {
  let h = 0;
  for (let l = 1; l < L; l++) h += width(layersPtr, l);
  return h;
}

/** Element offset of W_l (l = 1..L) in the bias-free params. */
function wOffset(layersPtr: usize, l: i32): usize {
  let o: usize = 0;
  for (let m = 1; m < l; m++) o += <usize>width(layersPtr, m) * <usize>width(layersPtr, m - 1);
  return o;
}

/**
 * One sample's forward pass: writes the hidden indicators (f64 0/1, h of them) to ind and returns the
 * address (in cur/nxt) of the output z_L. cur, nxt hold max-width f64 each.
 */
function forward(paramsPtr: usize, layersPtr: usize, L: i32, x: usize, ind: usize, cur: usize, nxt: usize): usize {
  let a = x;
  let out = cur;
  let col: usize = 0;
  let w = paramsPtr;
  for (let l = 1; l <= L; l++) {
    const nIn = <usize>width(layersPtr, l - 1), nOut = <usize>width(layersPtr, l);
    for (let j: usize = 0; j < nOut; j++) {
      // f64x2 in SIMD binaries (blas64 dot): a pre-activation within rounding of 0 may switch sides between binaries.
      const s = dot_f64(w + ((j * nIn) << 3), a, <i32>nIn);
      if (l < L) {
        const on = s > 0;
        put(ind, col + j, on ? 1 : 0);
        put(out, j, on ? s : 0);
      } else {
        put(out, j, s);
      }
    }
    col += l < L ? nOut : 0;
    w += (nOut * nIn) << 3;
    a = out;
    out = out == cur ? nxt : cur;
  }
  return a;
}

/** Workspace bytes of paths_masks_f64 and paths_sum_f64 for this net. */
export function paths_work_bytes(layersPtr: usize, L: i32): f64 {
  if (L < 1 || L > MAXL) unreachable();
  const mw = <f64>maxWidth(layersPtr, L), nL = <f64>width(layersPtr, L);
  return 8 * (<f64>hiddenWidth(layersPtr, L) + 2 * mw + 2 * mw * nL) + 16;
}

/**
 * Hidden ReLU indicators mask[s, c] = 1[z > 0] (u8, S × h) and count[c] += Σ_s mask[s, c] (f64, h).
 * workPtr: paths_work_bytes, 8-byte aligned.
 */
export function paths_masks_f64(maskPtr: usize, countPtr: usize, paramsPtr: usize, layersPtr: usize, L: i32, xPtr: usize, S: i32, workPtr: usize): void {
  if (L < 1 || L > MAXL) unreachable();
  const n0 = <usize>width(layersPtr, 0), h = <usize>hiddenWidth(layersPtr, L), mw = <usize>maxWidth(layersPtr, L);
  const ind = workPtr, cur = ind + (h << 3), nxt = cur + (mw << 3);
  for (let s = 0; s < S; s++) {
    forward(paramsPtr, layersPtr, L, xPtr + ((<usize>s * n0) << 3), ind, cur, nxt);
    const row = maskPtr + <usize>s * h;
    for (let c: usize = 0; c < h; c++) {
      const v = at(ind, c);
      store<u8>(row + c, <u8>v);
      put(countPtr, c, at(countPtr, c) + v);
    }
  }
}

/**
 * Y (f64, S × n_L) as the path sum Σ_π x_i A_π w_π, without the q of [P2]. enumerate = 1: every path's
 * product x_i·A_π·Π w formed and added one by one (L = 2 or 3 only; Ψ multiply-adds per sample).
 * enumerate = 0: the exact sum by dynamic programming from the outputs back, g_L = I,
 * g_{l−1}[i][k] = A_{l−1,i}·Σ_j W_l[j, i]·g_l[j][k] (A_0 = 1), Y_k = Σ_i x_i g_0[i][k]: the sum over
 * path suffixes, so g_0[i][k] = Σ_{π: i→k} A_π w_π = ∂Y_k/∂x_i (Euler's identity for a 1-homogeneous f).
 */
export function paths_sum_f64(yPtr: usize, paramsPtr: usize, layersPtr: usize, L: i32, xPtr: usize, S: i32, enumerate: i32, workPtr: usize): void {
  if (L < 1 || L > MAXL) unreachable();
  if (enumerate != 0 && L != 2 && L != 3) unreachable();
  const n0 = <usize>width(layersPtr, 0), nL = <usize>width(layersPtr, L);
  const h = <usize>hiddenWidth(layersPtr, L), mw = <usize>maxWidth(layersPtr, L);
  const ind = workPtr, cur = ind + (h << 3), nxt = cur + (mw << 3);
  const g0 = nxt + (mw << 3), g1 = g0 + ((mw * nL) << 3);
  for (let s = 0; s < S; s++) {
    const x = xPtr + ((<usize>s * n0) << 3);
    const y = yPtr + ((<usize>s * nL) << 3);
    forward(paramsPtr, layersPtr, L, x, ind, cur, nxt);
    if (enumerate != 0) {
      const n1 = <usize>width(layersPtr, 1);
      const w1 = paramsPtr;
      const w2 = w1 + ((n1 * n0) << 3);
      if (L == 2) {
        for (let k: usize = 0; k < nL; k++) {
          let t: f64 = 0;
          for (let j: usize = 0; j < n1; j++) {
            for (let i: usize = 0; i < n0; i++) t += at(x, i) * at(ind, j) * at(w1, j * n0 + i) * at(w2, k * n1 + j);
          }
          put(y, k, t);
        }
      } else {
        const n2 = <usize>width(layersPtr, 2);
        const w3 = w2 + ((n2 * n1) << 3);
        for (let k: usize = 0; k < nL; k++) {
          let t: f64 = 0;
          for (let j2: usize = 0; j2 < n2; j2++) {
            for (let j1: usize = 0; j1 < n1; j1++) {
              for (let i: usize = 0; i < n0; i++) {
                t += at(x, i) * at(ind, j1) * at(ind, n1 + j2) * at(w1, j1 * n0 + i) * at(w2, j2 * n1 + j1) * at(w3, k * n2 + j2);
              }
            }
          }
          put(y, k, t);
        }
      }
      continue;
    }
    // g (n_l × n_L) from l = L down to 0, ping-ponging between g0 and g1.
    let g = g0, gn = g1;
    for (let k: usize = 0; k < nL; k++) for (let kk: usize = 0; kk < nL; kk++) put(g, k * nL + kk, k == kk ? 1 : 0);
    let col = h;
    for (let l = L; l >= 1; l--) {
      const nIn = <usize>width(layersPtr, l - 1), nOut = <usize>width(layersPtr, l);
      const w = paramsPtr + (wOffset(layersPtr, l) << 3);
      if (l > 1) col -= nIn;
      for (let i: usize = 0; i < nIn * nL; i++) put(gn, i, 0);
      for (let j: usize = 0; j < nOut; j++) {
        const row = w + ((j * nIn) << 3), gj = g + ((j * nL) << 3);
        for (let i: usize = 0; i < nIn; i++) {
          const wji = at(row, i);
          const gi = gn + ((i * nL) << 3);
          for (let k: usize = 0; k < nL; k++) put(gi, k, at(gi, k) + wji * at(gj, k));
        }
      }
      if (l > 1) {
        for (let i: usize = 0; i < nIn; i++) {
          const a = at(ind, col + i);
          const gi = gn + ((i * nL) << 3);
          for (let k: usize = 0; k < nL; k++) put(gi, k, a * at(gi, k));
        }
      }
      const t = g; g = gn; gn = t;
    }
    for (let k: usize = 0; k < nL; k++) {
      let t: f64 = 0;
      for (let i: usize = 0; i < n0; i++) t += at(x, i) * at(g, i * nL + k);
      put(y, k, t);
    }
  }
}

/**
 * Co-activation counts out[j1, j2] += Σ_s a[s, j1]·b[s, j2] (f64, m × n, row-major): an Aᵀ·B GEMM over
 * 0/1 u8 masks (rows lda/ldb bytes apart), done on each sample's active lists, so the cost is
 * Σ_s |active_a|·|active_b|. listPtr: 4·(m + n) bytes of i32 scratch. out must not overlap the masks.
 */
export function paths_coact_u8(outPtr: usize, aPtr: usize, lda: i32, bPtr: usize, ldb: i32, m: i32, n: i32, S: i32, listPtr: usize): void {
  const la = listPtr, lb = listPtr + (<usize>m << 2);
  for (let s = 0; s < S; s++) {
    const ra = aPtr + <usize>s * <usize>lda, rb = bPtr + <usize>s * <usize>ldb;
    let na = 0, nb = 0;
    for (let j = 0; j < m; j++) if (load<u8>(ra + <usize>j) != 0) store<i32>(la + (<usize>(na++) << 2), j);
    for (let j = 0; j < n; j++) if (load<u8>(rb + <usize>j) != 0) store<i32>(lb + (<usize>(nb++) << 2), j);
    for (let p = 0; p < na; p++) {
      const row = outPtr + ((<usize>load<i32>(la + (<usize>p << 2)) * <usize>n) << 3);
      for (let q = 0; q < nb; q++) {
        const c = <usize>load<i32>(lb + (<usize>q << 2));
        put(row, c, at(row, c) + 1);
      }
    }
  }
}

/**
 * Contingency counts for I(A_u; x_i) and I(A_u; y). A unit u is one hidden unit j1 ∈ [a0, a1) of the
 * mask columns (nb = 0), or a pair (j1, b0 + j2), j2 < nb, u = (j1 − a0)·nb + j2 (two hidden layers).
 * For every sample s where u is active, with row r = perm[s] (permPtr ≠ 0, u32 S) or s:
 * cnt[u, i, bins[r, i]] += 1 (u32, U × d × B); cls[u, y_r] += 1 (f64, U × C, when clsPtr ≠ 0);
 * sum[u, y_r, i] += x[r, i] (f64, U × C × d, when sumPtr ≠ 0). The permutation null shuffles inputs
 * and labels together against the fixed masks. Unit-major: one unit's tables (4·d·B + 8·C·d bytes) stay
 * in L1 while the samples stream past, instead of every sample touching every active unit's tables.
 * bins u8 S × d with values < B; y i32 classes < C. listPtr: 4·S bytes of scratch.
 */
export function paths_mi_counts_u8(
  cntPtr: usize, clsPtr: usize, sumPtr: usize, maskPtr: usize, ldm: i32, a0: i32, a1: i32, b0: i32, nb: i32,
  binsPtr: usize, xPtr: usize, yPtr: usize, permPtr: usize, S: i32, d: i32, B: i32, C: i32, listPtr: usize,
): void {
  const dd = <usize>d, dB = dd * <usize>B, nbU = <usize>max(nb, 1), ld = <usize>ldm;
  for (let j1 = a0; j1 < a1; j1++) {
    let n1 = 0; // samples where j1 is on
    for (let s = 0; s < S; s++) if (load<u8>(maskPtr + <usize>s * ld + <usize>j1) != 0) store<i32>(listPtr + (<usize>(n1++) << 2), s);
    for (let j2 = 0; j2 < <i32>nbU; j2++) {
      const u = <usize>(j1 - a0) * nbU + <usize>j2;
      const cu = cntPtr + ((u * dB) << 2);
      const col = <usize>(b0 + j2);
      for (let p = 0; p < n1; p++) {
        const s = <usize>load<i32>(listPtr + (<usize>p << 2));
        if (nb != 0 && load<u8>(maskPtr + s * ld + col) == 0) continue;
        const r = permPtr != 0 ? <usize>load<u32>(permPtr + (s << 2)) : s;
        const brow = binsPtr + r * dd;
        for (let i: usize = 0; i < dd; i++) {
          const cell = cu + ((i * <usize>B + <usize>load<u8>(brow + i)) << 2);
          store<u32>(cell, load<u32>(cell) + 1);
        }
        if (clsPtr == 0 && sumPtr == 0) continue;
        const c = yPtr != 0 ? <usize>load<i32>(yPtr + (r << 2)) : 0;
        if (clsPtr != 0) put(clsPtr, u * <usize>C + c, at(clsPtr, u * <usize>C + c) + 1);
        if (sumPtr != 0) {
          const su = sumPtr + (((u * <usize>C + c) * dd) << 3), xrow = xPtr + ((r * dd) << 3);
          for (let i: usize = 0; i < dd; i++) put(su, i, at(su, i) + at(xrow, i));
        }
      }
    }
  }
}

/**
 * Second moments of P path terms t_p(s) = x[s, i_p]·mask[s, c1_p]·mask[s, c2_p] (c2_p = −1: none):
 * cov[p, q] += t_p t_q for q ≥ p (upper triangle of the P × P f64 matrix) and sum[p] += t_p.
 * pathsPtr: i32 P × 3 (i, c1, c2). termPtr: 8·P bytes of scratch.
 */
export function paths_term_moments_f64(covPtr: usize, sumPtr: usize, pathsPtr: usize, P: i32, maskPtr: usize, ldm: i32, xPtr: usize, d: i32, S: i32, termPtr: usize): void {
  const pp = <usize>P;
  for (let s = 0; s < S; s++) {
    const mrow = maskPtr + <usize>s * <usize>ldm, xrow = xPtr + ((<usize>s * <usize>d) << 3);
    for (let p: usize = 0; p < pp; p++) {
      const e = pathsPtr + p * 12;
      const i = <usize>load<i32>(e), c1 = load<i32>(e, 4), c2 = load<i32>(e, 8);
      let on = load<u8>(mrow + <usize>c1) != 0;
      if (c2 >= 0) on = on && load<u8>(mrow + <usize>c2) != 0;
      const t = on ? at(xrow, i) : 0;
      put(termPtr, p, t);
      put(sumPtr, p, at(sumPtr, p) + t);
    }
    for (let p: usize = 0; p < pp; p++) {
      const tp = at(termPtr, p);
      if (tp == 0) continue;
      const row = covPtr + ((p * pp) << 3);
      for (let q = p; q < pp; q++) put(row, q, at(row, q) + tp * at(termPtr, q));
    }
  }
}
