// Register-blocked f32x4 tiles for gemm.ts, each C_tile (+)= op(A)_rows·op(B)_cols over kc steps.
// Register tiles keep at most 8 accumulators plus the loads of one step in V8's 16 xmm registers
// (V8 issues a step's loads together; one more vector spills and halves the speed, measured);
// the stream kernels keep their sums in the workspace instead and read B row by row.

@inline export function min32(a: i32, b: i32): i32 { return a < b ? a : b; }

// A ragged tile's results pass through here: static and 16-byte aligned, never allocated.
const spill: usize = memory.data(32, 16);

@inline export function madd(a: v128, b: v128, c: v128): v128 {
  // Fused only in the relaxed binary: its last bits differ by engine, so it stays opt-in.
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

/** Elements ptr[0..min(w, 4)), zero past w: the load never leaves the w elements. */
@inline export function loadCols(ptr: usize, w: i32): v128 {
  if (w >= 4) return v128.load(ptr);
  if (w == 3) return v128.load32_lane(ptr + 8, v128.load64_zero(ptr), 2);
  if (w == 2) return v128.load64_zero(ptr);
  return v128.load32_zero(ptr);
}

/** Writes the transpose of rows x0..x3: its row c (c < w) goes to d + c·ds. */
@inline export function storeT4(d: usize, ds: usize, w: i32, x0: v128, x1: v128, x2: v128, x3: v128): void {
  const t0 = v128.shuffle<f32>(x0, x1, 0, 4, 1, 5), t1 = v128.shuffle<f32>(x0, x1, 2, 6, 3, 7);
  const t2 = v128.shuffle<f32>(x2, x3, 0, 4, 1, 5), t3 = v128.shuffle<f32>(x2, x3, 2, 6, 3, 7);
  v128.store(d, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
  if (w > 1) v128.store(d + ds, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7));
  if (w > 2) v128.store(d + 2 * ds, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5));
  if (w > 3) v128.store(d + 3 * ds, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7));
}

// C ← alpha·acc + beta·C on the first kc block, C ← C + alpha·acc on later ones. beta = 0 never
// reads C (BLAS convention), so NaN or garbage there cannot leak in.
@inline export function finish(cPtr: usize, acc: f32, alpha: f32, beta: f32, first: bool): void {
  if (!first) store<f32>(cPtr, load<f32>(cPtr) + alpha * acc);
  else if (beta == 0) store<f32>(cPtr, alpha * acc);
  else store<f32>(cPtr, beta * load<f32>(cPtr) + alpha * acc);
}

@inline export function finish4(cPtr: usize, acc: v128, alpha: f32, beta: f32, first: bool): void {
  const va = f32x4.splat(alpha);
  if (!first) v128.store(cPtr, f32x4.add(v128.load(cPtr), f32x4.mul(va, acc)));
  else if (beta == 0) v128.store(cPtr, f32x4.mul(va, acc));
  else v128.store(cPtr, f32x4.add(f32x4.mul(f32x4.splat(beta), v128.load(cPtr)), f32x4.mul(va, acc)));
}

/** Finishes the first `cols` (≤ 8) entries of a row of C from two accumulators. */
@inline export function finishRow8(cPtr: usize, lo: v128, hi: v128, cols: i32, alpha: f32, beta: f32, first: bool): void {
  if (cols == 8) {
    finish4(cPtr, lo, alpha, beta, first);
    finish4(cPtr + 16, hi, alpha, beta, first);
    return;
  }
  v128.store(spill, lo);
  v128.store(spill, hi, 16);
  for (let j = 0; j < cols; j++) finish(cPtr + (<usize>j << 2), load<f32>(spill + (<usize>j << 2)), alpha, beta, first);
}

/**
 * The main tile: 4 rows of op(A) broadcast against 8 columns of op(B). Row r, step p of op(A)
 * at a + r·rs + p·as; the 8 columns at b + p·bs (a packed panel: bs = 32). Rows past `rows`
 * repeat the last row and are not stored.
 */
@inline export function tile4x8(
  a: usize, rs: usize, as: usize, rows: i32, b: usize, bs: usize, kc: i32,
  cPtr: usize, ldc: i32, cols: i32, alpha: f32, beta: f32, first: bool,
): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let a1 = rows > 1 ? a + rs : a;
  let a2 = rows > 2 ? a1 + rs : a1;
  let a3 = rows > 3 ? a2 + rs : a2;
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(b), b1 = v128.load(b, 16);
    let s = v128.load32_splat(a); c00 = madd(s, b0, c00); c01 = madd(s, b1, c01);
    s = v128.load32_splat(a1); c10 = madd(s, b0, c10); c11 = madd(s, b1, c11);
    s = v128.load32_splat(a2); c20 = madd(s, b0, c20); c21 = madd(s, b1, c21);
    s = v128.load32_splat(a3); c30 = madd(s, b0, c30); c31 = madd(s, b1, c31);
    a += as; a1 += as; a2 += as; a3 += as;
    b += bs;
  }
  const ld = <usize>ldc << 2;
  finishRow8(cPtr, c00, c01, cols, alpha, beta, first);
  if (rows > 1) finishRow8(cPtr + ld, c10, c11, cols, alpha, beta, first);
  if (rows > 2) finishRow8(cPtr + 2 * ld, c20, c21, cols, alpha, beta, first);
  if (rows > 3) finishRow8(cPtr + 3 * ld, c30, c31, cols, alpha, beta, first);
}

/**
 * For the m mod 4 rows: 2 rows (rows = 1 repeats the row) against 16 columns, 8 at b and 8 at
 * b + gs, step bs. Six loads per 8 multiply-adds, as in tile4x8, so it runs as fast.
 */
@inline export function tile2x16(
  a: usize, rs: usize, as: usize, rows: i32, b: usize, bs: usize, gs: usize, kc: i32,
  cPtr: usize, ldc: i32, alpha: f32, beta: f32, first: bool,
): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c02 = f32x4.splat(0), c03 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0), c12 = f32x4.splat(0), c13 = f32x4.splat(0);
  let a1 = rows > 1 ? a + rs : a;
  let g = b + gs;
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(b), b1 = v128.load(b, 16), b2 = v128.load(g), b3 = v128.load(g, 16);
    let s = v128.load32_splat(a);
    c00 = madd(s, b0, c00); c01 = madd(s, b1, c01); c02 = madd(s, b2, c02); c03 = madd(s, b3, c03);
    s = v128.load32_splat(a1);
    c10 = madd(s, b0, c10); c11 = madd(s, b1, c11); c12 = madd(s, b2, c12); c13 = madd(s, b3, c13);
    a += as; a1 += as;
    b += bs; g += bs;
  }
  finishRow8(cPtr, c00, c01, 8, alpha, beta, first);
  finishRow8(cPtr + 32, c02, c03, 8, alpha, beta, first);
  if (rows > 1) {
    const c1 = cPtr + (<usize>ldc << 2);
    finishRow8(c1, c10, c11, 8, alpha, beta, first);
    finishRow8(c1 + 32, c12, c13, 8, alpha, beta, first);
  }
}

/**
 * One row against 24 contiguous columns of B read in place (step bs = ldb·4). Six accumulators:
 * with eight, the eight loads of a step spill (a 1×32 tile ran at half this speed).
 */
@inline export function row1x24(
  a: usize, as: usize, b: usize, bs: usize, kc: i32, cPtr: usize, alpha: f32, beta: f32, first: bool,
): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0);
  let c3 = f32x4.splat(0), c4 = f32x4.splat(0), c5 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const s = v128.load32_splat(a);
    c0 = madd(s, v128.load(b), c0); c1 = madd(s, v128.load(b, 16), c1);
    c2 = madd(s, v128.load(b, 32), c2); c3 = madd(s, v128.load(b, 48), c3);
    c4 = madd(s, v128.load(b, 64), c4); c5 = madd(s, v128.load(b, 80), c5);
    a += as;
    b += bs;
  }
  finishRow8(cPtr, c0, c1, 8, alpha, beta, first);
  finishRow8(cPtr + 32, c2, c3, 8, alpha, beta, first);
  finishRow8(cPtr + 64, c4, c5, 8, alpha, beta, first);
}

/** One row against `cols` ≤ 8 columns of B read in place, for what row1x24 and tile2x16 leave. */
@inline export function row1x8(
  a: usize, as: usize, b: usize, bs: usize, kc: i32, cPtr: usize, cols: i32, alpha: f32, beta: f32, first: bool,
): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0);
  const hi = cols - 4;
  for (let p = 0; p < kc; p++) {
    const s = v128.load32_splat(a);
    c0 = madd(s, loadCols(b, cols), c0);
    if (hi > 0) c1 = madd(s, loadCols(b + 16, hi), c1);
    a += as;
    b += bs;
  }
  finishRow8(cPtr, c0, c1, cols, alpha, beta, first);
}

/** [Σx, Σy, Σz, Σw] over the lanes of each argument. */
@inline function hsum4(x: v128, y: v128, z: v128, w: v128): v128 {
  const u = f32x4.add(v128.shuffle<f32>(x, y, 0, 4, 1, 5), v128.shuffle<f32>(x, y, 2, 6, 3, 7));
  const v = f32x4.add(v128.shuffle<f32>(z, w, 0, 4, 1, 5), v128.shuffle<f32>(z, w, 2, 6, 3, 7));
  return f32x4.add(v128.shuffle<f32>(u, v, 0, 1, 4, 5), v128.shuffle<f32>(u, v, 2, 3, 6, 7));
}

/**
 * Dot products for a 4×2 tile: rows of A (rs bytes apart) and rows of op(B)ᵀ (ts bytes apart),
 * both contiguous along p, four steps per vector; lanes are summed at the end. Rows past
 * `rows` and the column past `cols` repeat the last one and are not stored.
 */
@inline export function dot4x2(
  a: usize, rs: usize, rows: i32, t: usize, ts: usize, cols: i32, kc: i32,
  cPtr: usize, ldc: i32, alpha: f32, beta: f32, first: bool,
): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let a1 = rows > 1 ? a + rs : a;
  let a2 = rows > 2 ? a1 + rs : a1;
  let a3 = rows > 3 ? a2 + rs : a2;
  let t1 = cols > 1 ? t + ts : t;
  for (let q = kc >> 2; q > 0; q--) {
    const b0 = v128.load(t), b1 = v128.load(t1);
    let x = v128.load(a); c00 = madd(x, b0, c00); c01 = madd(x, b1, c01);
    x = v128.load(a1); c10 = madd(x, b0, c10); c11 = madd(x, b1, c11);
    x = v128.load(a2); c20 = madd(x, b0, c20); c21 = madd(x, b1, c21);
    x = v128.load(a3); c30 = madd(x, b0, c30); c31 = madd(x, b1, c31);
    a += 16; a1 += 16; a2 += 16; a3 += 16; t += 16; t1 += 16;
  }
  const r = kc & 3;
  if (r) {
    const b0 = loadCols(t, r), b1 = loadCols(t1, r);
    let x = loadCols(a, r); c00 = madd(x, b0, c00); c01 = madd(x, b1, c01);
    x = loadCols(a1, r); c10 = madd(x, b0, c10); c11 = madd(x, b1, c11);
    x = loadCols(a2, r); c20 = madd(x, b0, c20); c21 = madd(x, b1, c21);
    x = loadCols(a3, r); c30 = madd(x, b0, c30); c31 = madd(x, b1, c31);
  }
  v128.store(spill, hsum4(c00, c01, c10, c11));
  v128.store(spill, hsum4(c20, c21, c30, c31), 16);
  const ld = <usize>ldc << 2;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) finish(cPtr + <usize>i * ld + (<usize>j << 2), load<f32>(spill + (<usize>(2 * i + j) << 2)), alpha, beta, first);
  }
}

/**
 * Dot products of one row of A with four rows of op(B)ᵀ (ts bytes apart): the single-row case
 * of dot4x2 without its three idle rows. Each column's sum runs in the same lanes and is reduced
 * by the same hsum4 as there, so the bytes match. Columns past `cols` repeat the last one.
 */
@inline export function dot1x4(a: usize, t: usize, ts: usize, cols: i32, kc: i32, cPtr: usize, alpha: f32, beta: f32, first: bool): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
  let t1 = cols > 1 ? t + ts : t;
  let t2 = cols > 2 ? t1 + ts : t1;
  let t3 = cols > 3 ? t2 + ts : t2;
  for (let q = kc >> 2; q > 0; q--) {
    const x = v128.load(a);
    c0 = madd(x, v128.load(t), c0); c1 = madd(x, v128.load(t1), c1);
    c2 = madd(x, v128.load(t2), c2); c3 = madd(x, v128.load(t3), c3);
    a += 16; t += 16; t1 += 16; t2 += 16; t3 += 16;
  }
  const r = kc & 3;
  if (r) {
    const x = loadCols(a, r);
    c0 = madd(x, loadCols(t, r), c0); c1 = madd(x, loadCols(t1, r), c1);
    c2 = madd(x, loadCols(t2, r), c2); c3 = madd(x, loadCols(t3, r), c3);
  }
  const sums = hsum4(c0, c1, c2, c3);
  if (cols == 4) { finish4(cPtr, sums, alpha, beta, first); return; }
  v128.store(spill, sums);
  for (let j = 0; j < cols; j++) finish(cPtr + (<usize>j << 2), load<f32>(spill + (<usize>j << 2)), alpha, beta, first);
}

/**
 * One row of op(A) (at a, step as) times columns 0..jEnd (a multiple of 4) of B in place, eight
 * rows of B per pass over acc (jEnd floats of workspace). Each sum runs in p order from zero,
 * exactly as in the register tiles, so the bytes match theirs.
 */
@inline export function streamRow(
  a: usize, as: usize, b: usize, bs: usize, kc: i32, jEnd: i32, acc: usize, cRow: usize, alpha: f32, beta: f32, first: bool,
): void {
  const end = <usize>jEnd << 2;
  const zero = f32x4.splat(0);
  let p = 0;
  for (; p + 8 <= kc; p += 8) {
    const s0 = v128.load32_splat(a), s1 = v128.load32_splat(a + as), s2 = v128.load32_splat(a + 2 * as), s3 = v128.load32_splat(a + 3 * as);
    const s4 = v128.load32_splat(a + 4 * as), s5 = v128.load32_splat(a + 5 * as), s6 = v128.load32_splat(a + 6 * as), s7 = v128.load32_splat(a + 7 * as);
    const b4 = b + 4 * bs;
    for (let o: usize = 0; o < end; o += 16) {
      let v = p == 0 ? zero : v128.load(acc + o);
      v = madd(s0, v128.load(b + o), v);
      v = madd(s1, v128.load(b + bs + o), v);
      v = madd(s2, v128.load(b + 2 * bs + o), v);
      v = madd(s3, v128.load(b + 3 * bs + o), v);
      v = madd(s4, v128.load(b4 + o), v);
      v = madd(s5, v128.load(b4 + bs + o), v);
      v = madd(s6, v128.load(b4 + 2 * bs + o), v);
      v = madd(s7, v128.load(b4 + 3 * bs + o), v);
      v128.store(acc + o, v);
    }
    a += 8 * as;
    b += 8 * bs;
  }
  for (; p < kc; p++) {
    const s = v128.load32_splat(a);
    for (let o: usize = 0; o < end; o += 16) v128.store(acc + o, madd(s, v128.load(b + o), p == 0 ? zero : v128.load(acc + o)));
    a += as;
    b += bs;
  }
  for (let o: usize = 0; o < end; o += 16) finish4(cRow + o, v128.load(acc + o), alpha, beta, first);
}

/**
 * Four rows of op(A) (rs apart, step as) times columns 0..jEnd (a multiple of 4) of B in place,
 * two rows of B per pass over acc (4 rows of jEnd floats): B streams by rows. Each sum runs in
 * p order from zero, exactly as in tile4x8, so the bytes match.
 */
@inline export function streamTile4(
  a: usize, rs: usize, as: usize, b: usize, bs: usize, kc: i32, jEnd: i32, acc: usize,
  cPtr: usize, ldc: i32, alpha: f32, beta: f32, first: bool,
): void {
  const end = <usize>jEnd << 2;
  const acc1 = acc + end, acc2 = acc1 + end, acc3 = acc2 + end;
  const zero = f32x4.splat(0);
  for (let p = 0; p < kc; p += 2) {
    const two = p + 1 < kc;
    const s00 = v128.load32_splat(a), s10 = v128.load32_splat(a + rs), s20 = v128.load32_splat(a + 2 * rs), s30 = v128.load32_splat(a + 3 * rs);
    const a1 = two ? a + as : a;
    const s01 = v128.load32_splat(a1), s11 = v128.load32_splat(a1 + rs), s21 = v128.load32_splat(a1 + 2 * rs), s31 = v128.load32_splat(a1 + 3 * rs);
    for (let o: usize = 0; o < end; o += 16) {
      const x0 = v128.load(b + o), x1 = two ? v128.load(b + bs + o) : zero;
      let v = p == 0 ? zero : v128.load(acc + o);
      v = madd(s00, x0, v);
      v128.store(acc + o, two ? madd(s01, x1, v) : v);
      v = p == 0 ? zero : v128.load(acc1 + o);
      v = madd(s10, x0, v);
      v128.store(acc1 + o, two ? madd(s11, x1, v) : v);
      v = p == 0 ? zero : v128.load(acc2 + o);
      v = madd(s20, x0, v);
      v128.store(acc2 + o, two ? madd(s21, x1, v) : v);
      v = p == 0 ? zero : v128.load(acc3 + o);
      v = madd(s30, x0, v);
      v128.store(acc3 + o, two ? madd(s31, x1, v) : v);
    }
    a += 2 * as;
    b += 2 * bs;
  }
  const ld = <usize>ldc << 2;
  for (let o: usize = 0; o < end; o += 16) {
    finish4(cPtr + o, v128.load(acc + o), alpha, beta, first);
    finish4(cPtr + ld + o, v128.load(acc1 + o), alpha, beta, first);
    finish4(cPtr + 2 * ld + o, v128.load(acc2 + o), alpha, beta, first);
    finish4(cPtr + 3 * ld + o, v128.load(acc3 + o), alpha, beta, first);
  }
}
