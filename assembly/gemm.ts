// C[m×n] = alpha·op(A)·op(B) + beta·C, f32 row-major with leading dims; GotoBLAS/BLIS packing (Goto & van de Geijn, TOMS 2008).
// op(B) is packed per kc×nc block into 8-wide zero-padded column panels swept by 4×8 register
// tiles, A is read in place unless stored transposed; under 16 rows B is read in place too, and
// narrow C (n ≤ 12) takes dot products. Every path sums each entry in the same order.
import { min32, loadCols, storeT4, finish, finish4, tile4x8, tile2x16, row1x24, row1x8, dot4x2, dot1x4, streamRow, streamTile4 } from './gemm_tiles';
import { sweepBlock, gemmPacksA } from './gemm_variants';
import { packA, packAN } from './gemm_pack';

const KC: i32 = 256; // a kc×8 panel of B (8 KiB) stays in L1 while the rows of A stream past it
const MC: i32 = 128; // rows swept per packed block: a transposed A block (128 KiB) stays in L2
const NC: i32 = 2048; // caps the packed B block, and so the workspace, at kc·nc floats (2 MiB)

/** Scratch bytes gemm_f32 needs at workPtr: a packed B block, a packed A block, 4 rows of sums. */
export function gemm_f32_work_bytes(m: i32, n: i32, k: i32): usize {
  const kc = <usize>min32(k, KC);
  const nc = <usize>min32((n + 7) & ~7, NC);
  const mc = <usize>min32(m & ~3, MC);
  return (kc * (nc + mc) + 4 * nc << 2) + 16;
}

@inline function elemA(aPtr: usize, lda: i32, transA: i32, i: i32, p: i32): f32 {
  return transA ? load<f32>(aPtr + ((<usize>p * lda + i) << 2)) : load<f32>(aPtr + ((<usize>i * lda + p) << 2));
}

@inline function elemB(bPtr: usize, ldb: i32, transB: i32, p: i32, j: i32): f32 {
  return transB ? load<f32>(bPtr + ((<usize>j * ldb + p) << 2)) : load<f32>(bPtr + ((<usize>p * ldb + j) << 2));
}

/** Plain loops, no SIMD: the twin every binary carries and the tests compare against. Same contract as gemm_f32. */
export function gemm_f32_scalar(
  cPtr: usize, aPtr: usize, bPtr: usize, m: i32, n: i32, k: i32, lda: i32, ldb: i32, ldc: i32,
  transA: i32, transB: i32, alpha: f32, beta: f32, workPtr: usize,
): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let acc: f32 = 0;
      for (let p = 0; p < k; p++) acc += elemA(aPtr, lda, transA, i, p) * elemB(bPtr, ldb, transB, p, j);
      finish(cPtr + ((<usize>i * ldc + j) << 2), acc, alpha, beta, true);
    }
  }
}

/** op(B)[p0..p0+kc, j0..j0+nc) → 8-wide panels of kc rows, zero-padded past nc. */
function packB(dst: usize, bPtr: usize, ldb: i32, transB: i32, p0: i32, kc: i32, j0: i32, nc: i32): void {
  const ld = <usize>ldb << 2;
  const zero = f32x4.splat(0);
  if (!transB) {
    // Eight rows at a time across all panels: walking one panel down all kc rows would stride
    // by ldb·4, which for a multiple of 4 KiB lands every row in one L1 set.
    for (let p8 = 0; p8 < kc; p8 += 8) {
      const rows = min32(8, kc - p8);
      for (let jp = 0; jp < nc; jp += 8) {
        const w = min32(8, nc - jp);
        let src = bPtr + ((<usize>(p0 + p8) * ldb + j0 + jp) << 2);
        let d = dst + (<usize>jp * kc << 2) + (<usize>p8 << 5);
        for (let r = 0; r < rows; r++) {
          v128.store(d, loadCols(src, w));
          v128.store(d, w > 4 ? loadCols(src + 16, w - 4) : zero, 16);
          src += ld;
          d += 32;
        }
      }
    }
    return;
  }
  // Stored n×k, each panel column is a contiguous row of B: transposing 4×4 blocks keeps both
  // sides contiguous, so NT packs about as fast as NN.
  for (let jp = 0; jp < nc; jp += 8) {
    const w = min32(8, nc - jp);
    const panel = dst + (<usize>jp * kc << 2);
    const s0 = bPtr + ((<usize>(j0 + jp) * ldb + p0) << 2);
    let p = 0;
    for (; p + 4 <= kc; p += 4) {
      for (let h = 0; h < 8; h += 4) {
        const r = s0 + (<usize>p << 2) + <usize>h * ld;
        const v = w - h;
        const x0 = v > 0 ? v128.load(r) : zero, x1 = v > 1 ? v128.load(r + ld) : zero;
        const x2 = v > 2 ? v128.load(r + 2 * ld) : zero, x3 = v > 3 ? v128.load(r + 3 * ld) : zero;
        storeT4(panel + (<usize>p << 5) + (<usize>h << 2), 32, 4, x0, x1, x2, x3);
      }
    }
    for (; p < kc; p++) {
      for (let c = 0; c < 8; c++) store<f32>(panel + (<usize>p << 5) + (<usize>c << 2), c < w ? elemB(bPtr, ldb, 1, p0 + p, j0 + jp + c) : 0);
    }
  }
}

/** B[p0..p0+kc, 0..n) → op(B)ᵀ as n rows of kc floats, contiguous along p for dot4x2. */
function packBT(dst: usize, bPtr: usize, ldb: i32, p0: i32, kc: i32, n: i32): void {
  const ld = <usize>ldb << 2;
  const ts = <usize>kc << 2;
  let p = 0;
  for (; p + 4 <= kc; p += 4) {
    const src = bPtr + ((<usize>(p0 + p) * ldb) << 2);
    for (let j = 0; j < n; j += 4) {
      const w = min32(4, n - j);
      const s = src + (<usize>j << 2);
      storeT4(dst + <usize>j * ts + (<usize>p << 2), ts, w, loadCols(s, w), loadCols(s + ld, w), loadCols(s + 2 * ld, w), loadCols(s + 3 * ld, w));
    }
  }
  for (; p < kc; p++) {
    for (let j = 0; j < n; j++) store<f32>(dst + <usize>j * ts + (<usize>p << 2), elemB(bPtr, ldb, 0, p0 + p, j));
  }
}

/** C = alpha·A·op(B) + beta·C as dot products along p: A not transposed, op(B)ᵀ rows contiguous. */
function gemmDot(
  cPtr: usize, aPtr: usize, bPtr: usize, m: i32, n: i32, k: i32, lda: i32, ldb: i32, ldc: i32,
  transB: i32, alpha: f32, beta: f32, work: usize,
): void {
  const rs = <usize>lda << 2;
  for (let p0 = 0; p0 < k; p0 += KC) {
    const kc = min32(KC, k - p0);
    let t = bPtr + (<usize>p0 << 2);
    let ts = <usize>ldb << 2;
    if (!transB) {
      packBT(work, bPtr, ldb, p0, kc, n);
      t = work;
      ts = <usize>kc << 2;
    }
    if (m == 1) {
      for (let j = 0; j < n; j += 4) dot1x4(aPtr + (<usize>p0 << 2), t + <usize>j * ts, ts, min32(4, n - j), kc, cPtr + (<usize>j << 2), alpha, beta, p0 == 0);
      continue;
    }
    for (let i = 0; i < m; i += 4) {
      const a = aPtr + <usize>i * rs + (<usize>p0 << 2);
      const cRow = cPtr + (<usize>i * ldc << 2);
      for (let j = 0; j < n; j += 2) {
        dot4x2(a, rs, min32(4, m - i), t + <usize>j * ts, ts, min32(2, n - j), kc, cRow + (<usize>j << 2), ldc, alpha, beta, p0 == 0);
      }
    }
  }
}

/**
 * Rows i..m (< 4 of them, at a: rows rs apart, steps as apart) times nc columns of op(B): from
 * the packed panels, or (direct) from B itself at bBlock, ldb apart.
 */
@inline function tailRows(
  i: i32, m: i32, a: usize, rs: usize, as: usize, direct: bool, bBlock: usize, ldb: i32,
  packed: usize, kc: i32, nc: i32, cRow: usize, ldc: i32, alpha: f32, beta: f32, first: bool,
): void {
  const bs = <usize>ldb << 2;
  for (; i < m; i += 2) {
    const rows = min32(2, m - i);
    let j = 0;
    if (!direct) {
      for (; j + 16 <= nc; j += 16) tile2x16(a, rs, as, rows, packed + (<usize>j * kc << 2), 32, <usize>kc << 5, kc, cRow + (<usize>j << 2), ldc, alpha, beta, first);
      for (; j < nc; j += 8) tile4x8(a, rs, as, rows, packed + (<usize>j * kc << 2), 32, kc, cRow + (<usize>j << 2), ldc, min32(8, nc - j), alpha, beta, first);
    } else {
      if ((ldb & 1023) == 0) {
        // Walking a column strip down B with a stride of a multiple of 4 KiB maps every row to
        // one L1 set, and the prefetches evict each other (18 instead of 43 GFLOPS at 1×1024×256).
        // Stream B by rows instead, accumulating in the workspace: same sums, same order.
        j = rows == 2 ? nc & ~15 : nc - nc % 24;
        for (let r = 0; r < rows; r++) {
          streamRow(a + <usize>r * rs, as, bBlock, bs, kc, j, packed, cRow + <usize>r * (<usize>ldc << 2), alpha, beta, first);
        }
      } else if (rows == 2) {
        for (; j + 16 <= nc; j += 16) tile2x16(a, rs, as, 2, bBlock + (<usize>j << 2), bs, 32, kc, cRow + (<usize>j << 2), ldc, alpha, beta, first);
      } else {
        for (; j + 24 <= nc; j += 24) row1x24(a, as, bBlock + (<usize>j << 2), bs, kc, cRow + (<usize>j << 2), alpha, beta, first);
      }
      for (let r = 0; r < rows; r++) {
        const ar = a + <usize>r * rs, cr = cRow + <usize>r * (<usize>ldc << 2);
        let jj = j;
        for (; jj + 8 <= nc; jj += 8) row1x8(ar, as, bBlock + (<usize>jj << 2), bs, kc, cr + (<usize>jj << 2), 8, alpha, beta, first);
        if (jj < nc) row1x8(ar, as, bBlock + (<usize>jj << 2), bs, kc, cr + (<usize>jj << 2), nc - jj, alpha, beta, first);
      }
    }
    a += 2 * rs;
    cRow += <usize>ldc << 3;
  }
}

/**
 * k = 1 with op(B) a contiguous row: C = alpha·(a ⊗ b) + beta·C, row by row, no packing (the
 * weight gradient of a single-sample minibatch). Each product a_i·b_j is formed once and
 * finished exactly as the tiles finish it, so the bits equal the general path's.
 */
function rank1(cPtr: usize, aPtr: usize, bPtr: usize, m: i32, n: i32, lda: i32, ldc: i32, transA: i32, alpha: f32, beta: f32): void {
  const as: usize = transA ? 4 : <usize>lda << 2;
  const n4 = n & ~3;
  for (let i = 0; i < m; i++) {
    const ai = load<f32>(aPtr + <usize>i * as);
    const va = f32x4.splat(ai);
    const row = cPtr + (<usize>i * <usize>ldc << 2);
    let j = 0;
    for (; j < n4; j += 4) finish4(row + (<usize>j << 2), f32x4.mul(va, v128.load(bPtr + (<usize>j << 2))), alpha, beta, true);
    for (; j < n; j++) finish(row + (<usize>j << 2), ai * load<f32>(bPtr + (<usize>j << 2)), alpha, beta, true);
  }
}

function gemmSimd(
  cPtr: usize, aPtr: usize, bPtr: usize, m: i32, n: i32, k: i32, lda: i32, ldb: i32, ldc: i32,
  transA: i32, transB: i32, alpha: f32, beta: f32, workPtr: usize,
): void {
  if (k == 1 && !transB) {
    rank1(cPtr, aPtr, bPtr, m, n, lda, ldc, transA, alpha, beta);
    return;
  }
  const work = (workPtr + 15) & ~15;
  // Dot products instead of panels where panels waste: for n ≤ 12 the last panel is mostly
  // zero padding (worth it once k amortises the lane sums), and under 4 rows of NT, packing B
  // costs more than the product.
  if (!transA && ((n <= 12 && n != 8 && k >= 48 && (m >= 4 || transB)) || (m < 4 && transB))) {
    gemmDot(cPtr, aPtr, bPtr, m, n, k, lda, ldb, ldc, transB, alpha, beta, work);
    return;
  }
  // B read in place rather than packed (same sums in the same order; only the traffic differs):
  // under 8 rows a packed panel would serve a single tile, and under 16 packing pays only once
  // the B block outgrows L2 (512 KiB). A row stride of a multiple of 4 KiB maps a whole column
  // strip of B to one L1 set, so there B is streamed by rows (under 8 rows) or packed.
  const direct = !transB && (m < 4 || ((ldb & 1023) != 0 && (m < 8 || (m < 16 && <usize>min32(k, KC) * <usize>min32(n, NC) <= 131072))));
  const streamed = !transB && m >= 4 && m < 8 && (ldb & 1023) == 0;
  // op(A)[i, p] lives at aPtr + i·rs + p·ps.
  const rs: usize = transA ? 4 : <usize>lda << 2;
  const ps: usize = transA ? <usize>lda << 2 : 4;
  // Stored k×m, a sliver's 4 rows share each step's cache line while steps sit lda·4 apart, and a
  // power-of-two lda maps all of them to one L1 set (31 vs 58 GFLOPS at 1024³). Packed once per
  // block they stream; that pays from three panels on.
  // The sweep that packs A in every layout (variant 4) packs it for plain A too, as m×k slivers.
  const aPacked = (transA || gemmPacksA()) && n > 16;
  const mFull = m & ~3;
  for (let j0 = 0; j0 < n; j0 += NC) {
    const nc = min32(NC, n - j0);
    for (let p0 = 0; p0 < k; p0 += KC) {
      const kc = min32(KC, k - p0);
      const first = p0 == 0;
      const packedB = work;
      const packedA = work + (<usize>kc * ((nc + 7) & ~7) << 2);
      const nFull = nc & ~7;
      if (!direct && !streamed) packB(packedB, bPtr, ldb, transB, p0, kc, j0, nc);
      else if (mFull > 0 && nFull < nc) packB(packedB + (<usize>nFull * kc << 2), bPtr, ldb, transB, p0, kc, j0 + nFull, nc - nFull);
      for (let i0 = 0; i0 < mFull; i0 += MC) {
        const mc = min32(MC, mFull - i0);
        if (aPacked) {
          if (transA) packA(packedA, aPtr, lda, p0, kc, i0, mc);
          else packAN(packedA, aPtr, lda, p0, kc, i0, mc);
        }
        if (streamed) {
          const acc = packedA + (<usize>kc * mc << 2);
          for (let ip = 0; ip < mc; ip += 4) {
            const a = aPacked ? packedA + (<usize>ip * kc << 2) : aPtr + <usize>p0 * ps + <usize>(i0 + ip) * rs;
            streamTile4(a, aPacked ? 4 : rs, aPacked ? 16 : ps, bPtr + ((<usize>p0 * ldb + j0) << 2), <usize>ldb << 2, kc, nFull, acc,
              cPtr + ((<usize>(i0 + ip) * ldc + j0) << 2), ldc, alpha, beta, first);
          }
        }
        sweepBlock(aPacked != 0, packedA, aPtr + <usize>p0 * ps + <usize>i0 * rs, rs, ps, mc, streamed ? nFull : 0, nc, nFull, direct,
          bPtr + ((<usize>p0 * ldb + j0) << 2), ldb, packedB, kc, cPtr + ((<usize>i0 * ldc + j0) << 2), ldc, alpha, beta, first);
      }
      if (mFull < m) {
        const a = aPtr + <usize>mFull * rs + <usize>p0 * ps;
        const bBlock = bPtr + ((<usize>p0 * ldb + j0) << 2);
        const cRow = cPtr + ((<usize>mFull * ldc + j0) << 2);
        tailRows(mFull, m, a, rs, ps, direct || streamed, bBlock, ldb, packedB, kc, nc, cRow, ldc, alpha, beta, first);
      }
    }
  }
}

/**
 * C = alpha·op(A)·op(B) + beta·C. transA: A stored k×m (A[p·lda + i]); transB: B stored n×k
 * (B[j·ldb + p]). beta = 0 never reads C. workPtr: 16-byte aligned scratch of
 * gemm_f32_work_bytes(m, n, k) bytes, whose contents never affect the result. C must not overlap
 * A or B; A and B may be the same buffer. The summation order depends on m, n, k and the flags
 * only (not on ld*, the workspace or which path ran), so the bytes of C are a pure function of
 * the values, in any engine (the relaxed binary's fused multiply-add aside).
 */
export function gemm_f32(
  cPtr: usize, aPtr: usize, bPtr: usize, m: i32, n: i32, k: i32, lda: i32, ldb: i32, ldc: i32,
  transA: i32, transB: i32, alpha: f32, beta: f32, workPtr: usize,
): void {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    // An empty sum: C = beta·C.
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) finish(cPtr + ((<usize>i * ldc + j) << 2), 0, alpha, beta, true);
    return;
  }
  if (ASC_FEATURE_SIMD) gemmSimd(cPtr, aPtr, bPtr, m, n, k, lda, ldb, ldc, transA, transB, alpha, beta, workPtr);
  else gemm_f32_scalar(cPtr, aPtr, bPtr, m, n, k, lda, ldb, ldc, transA, transB, alpha, beta, workPtr);
}
