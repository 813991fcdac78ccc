// C[m×n] = alpha·op(A)·op(B) + beta·C, row-major f32 (ld* in elements). Goto/BLIS scheme
// (Goto & van de Geijn, TOMS 2008): op(B) packed into 8-wide column panels per kc-block, then
// a 4×8 register-blocked f32x4 micro-kernel (8 accumulators; 4×16 spills V8's 16 xmm
// registers) that broadcasts op(A) straight from memory with load32_splat, so A is never
// packed: for the skinny network shapes packing A cost more than the product. beta = 0 never
// reads C. C must not alias A or B.

const KC: i32 = 256; // a kc×8 B panel (8 KiB) and a kc×4 A panel stay in L1
const MC: i32 = 128; // rows of A swept against one packed B block before moving on

@inline function min32(a: i32, b: i32): i32 { return a < b ? a : b; }

// A 4×8 tile spills here for ragged edges (static, 16-byte aligned, never allocated).
const tile: usize = memory.data(128, 16);

/** Scratch bytes gemm_f32 needs at workPtr for these dims (16-byte aligned). */
export function gemm_f32_work_bytes(m: i32, n: i32, k: i32): usize {
  const kc = min32(k, KC);
  const nr = (n + 7) & ~7;
  return <usize>(kc * nr) * 4 + 32;
}

@inline function elemA(aPtr: usize, lda: i32, transA: i32, i: i32, p: i32): f32 {
  return transA ? load<f32>(aPtr + ((<usize>p * lda + i) << 2)) : load<f32>(aPtr + ((<usize>i * lda + p) << 2));
}

@inline function elemB(bPtr: usize, ldb: i32, transB: i32, p: i32, j: i32): f32 {
  return transB ? load<f32>(bPtr + ((<usize>j * ldb + p) << 2)) : load<f32>(bPtr + ((<usize>p * ldb + j) << 2));
}

@inline function finish(cPtr: usize, acc: f32, alpha: f32, beta: f32, first: bool): void {
  if (!first) store<f32>(cPtr, load<f32>(cPtr) + alpha * acc);
  else if (beta == 0) store<f32>(cPtr, alpha * acc);
  else store<f32>(cPtr, beta * load<f32>(cPtr) + alpha * acc);
}

/** Plain loops, no SIMD: the twin every binary carries and the tests compare against. */
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

@inline function madd(a: v128, b: v128, c: v128): v128 {
  // Fused only in the relaxed binary: its last bits differ by engine, so it is opt-in (--fast).
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

@inline function finish4(cPtr: usize, acc: v128, alpha: v128, beta: f32, first: bool): void {
  if (!first) v128.store(cPtr, f32x4.add(v128.load(cPtr), f32x4.mul(alpha, acc)));
  else if (beta == 0) v128.store(cPtr, f32x4.mul(alpha, acc));
  else v128.store(cPtr, f32x4.add(f32x4.mul(f32x4.splat(beta), v128.load(cPtr)), f32x4.mul(alpha, acc)));
}

/** op(B)[p0..p0+kc, 0..n) → 8-wide panels, each kc rows of 8 floats, zero-padded past n. */
function packB(dst: usize, bPtr: usize, ldb: i32, transB: i32, p0: i32, kc: i32, n: i32): void {
  for (let jp = 0; jp < n; jp += 8) {
    const w = min32(8, n - jp);
    const panel = dst + (<usize>jp * kc << 2);
    if (!transB && w == 8) {
      for (let p = 0; p < kc; p++) {
        const src = bPtr + ((<usize>(p0 + p) * ldb + jp) << 2);
        v128.store(panel + (<usize>p << 5), v128.load(src));
        v128.store(panel + (<usize>p << 5), v128.load(src, 16), 16);
      }
    } else {
      for (let j = 0; j < 8; j++) {
        for (let p = 0; p < kc; p++) {
          store<f32>(panel + (<usize>p << 5) + (<usize>j << 2), j < w ? elemB(bPtr, ldb, transB, p0 + p, jp + j) : 0);
        }
      }
    }
  }
}

/**
 * 4×8 tile of C from four rows of op(A), read in place with load32_splat (one broadcast load
 * per row and step, so A needs no packing), and one packed B panel over kc. Row r of op(A) at
 * step p is at aRow_r + p·ps; rows past m repeat the last row and are never stored.
 */
@inline function microKernel(
  a0: usize, a1: usize, a2: usize, a3: usize, ps: usize, bP: usize, kc: i32,
  cPtr: usize, ldc: i32, rows: i32, cols: i32, alpha: f32, beta: f32, first: bool,
): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(bP);
    const b1 = v128.load(bP, 16);
    let s = v128.load32_splat(a0);
    c00 = madd(s, b0, c00);
    c01 = madd(s, b1, c01);
    s = v128.load32_splat(a1);
    c10 = madd(s, b0, c10);
    c11 = madd(s, b1, c11);
    s = v128.load32_splat(a2);
    c20 = madd(s, b0, c20);
    c21 = madd(s, b1, c21);
    s = v128.load32_splat(a3);
    c30 = madd(s, b0, c30);
    c31 = madd(s, b1, c31);
    a0 += ps;
    a1 += ps;
    a2 += ps;
    a3 += ps;
    bP += 32;
  }
  const va = f32x4.splat(alpha);
  const ld = <usize>ldc << 2;
  if (rows == 4 && cols == 8) {
    finish4(cPtr, c00, va, beta, first);
    finish4(cPtr + 16, c01, va, beta, first);
    finish4(cPtr + ld, c10, va, beta, first);
    finish4(cPtr + ld + 16, c11, va, beta, first);
    finish4(cPtr + 2 * ld, c20, va, beta, first);
    finish4(cPtr + 2 * ld + 16, c21, va, beta, first);
    finish4(cPtr + 3 * ld, c30, va, beta, first);
    finish4(cPtr + 3 * ld + 16, c31, va, beta, first);
    return;
  }
  v128.store(tile, c00); v128.store(tile, c01, 16);
  v128.store(tile, c10, 32); v128.store(tile, c11, 48);
  v128.store(tile, c20, 64); v128.store(tile, c21, 80);
  v128.store(tile, c30, 96); v128.store(tile, c31, 112);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < cols; j++) {
      finish(cPtr + <usize>r * ld + (<usize>j << 2), load<f32>(tile + (<usize>(r * 8 + j) << 2)), alpha, beta, first);
    }
  }
}

function gemmPacked(
  cPtr: usize, aPtr: usize, bPtr: usize, m: i32, n: i32, k: i32, lda: i32, ldb: i32, ldc: i32,
  transA: i32, transB: i32, alpha: f32, beta: f32, workPtr: usize,
): void {
  const packedB = (workPtr + 15) & ~15;
  // op(A)[i, p] lives at aPtr + i·rs + p·ps.
  const rs: usize = transA ? 4 : <usize>lda << 2;
  const ps: usize = transA ? <usize>lda << 2 : 4;
  for (let p0 = 0; p0 < k; p0 += KC) {
    const kc = min32(KC, k - p0);
    const first = p0 == 0;
    packB(packedB, bPtr, ldb, transB, p0, kc, n);
    const aBase = aPtr + <usize>p0 * ps;
    for (let i0 = 0; i0 < m; i0 += MC) {
      const mc = min32(MC, m - i0);
      for (let jp = 0; jp < n; jp += 8) {
        const cols = min32(8, n - jp);
        const bP = packedB + (<usize>jp * kc << 2);
        for (let ip = 0; ip < mc; ip += 4) {
          const i = i0 + ip;
          const rows = min32(4, m - i);
          const last = <usize>(m - 1);
          const r0 = aBase + <usize>i * rs;
          const r1 = aBase + (rows > 1 ? <usize>(i + 1) : last) * rs;
          const r2 = aBase + (rows > 2 ? <usize>(i + 2) : last) * rs;
          const r3 = aBase + (rows > 3 ? <usize>(i + 3) : last) * rs;
          const cTile = cPtr + ((<usize>i * ldc + jp) << 2);
          microKernel(r0, r1, r2, r3, ps, bP, kc, cTile, ldc, rows, cols, alpha, beta, first);
        }
      }
    }
  }
}

/** m < 4 (a row or three, as in batch-1 inference): packing would cost as much as the product. */
function gemmSkinny(
  cPtr: usize, aPtr: usize, bPtr: usize, m: i32, n: i32, k: i32, lda: i32, ldb: i32, ldc: i32,
  transA: i32, transB: i32, alpha: f32, beta: f32,
): void {
  const va = f32x4.splat(alpha);
  for (let i = 0; i < m; i++) {
    const cRow = cPtr + (<usize>i * ldc << 2);
    let j = 0;
    if (!transB) {
      // Row broadcast: C[i, j..j+32) += A[i,p]·B[p, j..j+32), B rows read in order. Eight
      // independent accumulators hide the add (or fused multiply-add) latency.
      for (; j + 32 <= n; j += 32) {
        let acc0 = f32x4.splat(0), acc1 = f32x4.splat(0), acc2 = f32x4.splat(0), acc3 = f32x4.splat(0);
        let acc4 = f32x4.splat(0), acc5 = f32x4.splat(0), acc6 = f32x4.splat(0), acc7 = f32x4.splat(0);
        for (let p = 0; p < k; p++) {
          const s = f32x4.splat(elemA(aPtr, lda, transA, i, p));
          const src = bPtr + ((<usize>p * ldb + j) << 2);
          acc0 = madd(s, v128.load(src), acc0);
          acc1 = madd(s, v128.load(src, 16), acc1);
          acc2 = madd(s, v128.load(src, 32), acc2);
          acc3 = madd(s, v128.load(src, 48), acc3);
          acc4 = madd(s, v128.load(src, 64), acc4);
          acc5 = madd(s, v128.load(src, 80), acc5);
          acc6 = madd(s, v128.load(src, 96), acc6);
          acc7 = madd(s, v128.load(src, 112), acc7);
        }
        const cj = cRow + (<usize>j << 2);
        finish4(cj, acc0, va, beta, true);
        finish4(cj + 16, acc1, va, beta, true);
        finish4(cj + 32, acc2, va, beta, true);
        finish4(cj + 48, acc3, va, beta, true);
        finish4(cj + 64, acc4, va, beta, true);
        finish4(cj + 80, acc5, va, beta, true);
        finish4(cj + 96, acc6, va, beta, true);
        finish4(cj + 112, acc7, va, beta, true);
      }
      for (; j + 8 <= n; j += 8) {
        let acc0 = f32x4.splat(0);
        let acc1 = f32x4.splat(0);
        for (let p = 0; p < k; p++) {
          const s = f32x4.splat(elemA(aPtr, lda, transA, i, p));
          const src = bPtr + ((<usize>p * ldb + j) << 2);
          acc0 = madd(s, v128.load(src), acc0);
          acc1 = madd(s, v128.load(src, 16), acc1);
        }
        finish4(cRow + (<usize>j << 2), acc0, va, beta, true);
        finish4(cRow + (<usize>j << 2) + 16, acc1, va, beta, true);
      }
    } else if (!transA) {
      // Dot products along k: A row and B row (of the stored n×k B) are both contiguous.
      for (; j < n; j++) {
        const aRow = aPtr + (<usize>i * lda << 2);
        const bRow = bPtr + (<usize>j * ldb << 2);
        let acc = f32x4.splat(0);
        let p = 0;
        for (; p + 4 <= k; p += 4) acc = madd(v128.load(aRow + (<usize>p << 2)), v128.load(bRow + (<usize>p << 2)), acc);
        let s: f32 = (f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1)) + (f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3));
        for (; p < k; p++) s += load<f32>(aRow + (<usize>p << 2)) * load<f32>(bRow + (<usize>p << 2));
        finish(cRow + (<usize>j << 2), s, alpha, beta, true);
      }
    }
    for (; j < n; j++) {
      let acc: f32 = 0;
      for (let p = 0; p < k; p++) acc += elemA(aPtr, lda, transA, i, p) * elemB(bPtr, ldb, transB, p, j);
      finish(cRow + (<usize>j << 2), acc, alpha, beta, true);
    }
  }
}

/**
 * C = alpha·op(A)·op(B) + beta·C. transA: A stored k×m; transB: B stored n×k. workPtr: 16-byte
 * aligned scratch of gemm_f32_work_bytes(m, n, k) bytes. C must not overlap A or B; A and B may
 * be the same buffer. The SIMD paths are picked from the dims only, so results are a pure function
 * of the inputs.
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
  if (ASC_FEATURE_SIMD) {
    if (m < 4) gemmSkinny(cPtr, aPtr, bPtr, m, n, k, lda, ldb, ldc, transA, transB, alpha, beta);
    else gemmPacked(cPtr, aPtr, bPtr, m, n, k, lda, ldb, ldc, transA, transB, alpha, beta, workPtr);
  } else {
    gemm_f32_scalar(cPtr, aPtr, bPtr, m, n, k, lda, ldb, ldc, transA, transB, alpha, beta, workPtr);
  }
}
