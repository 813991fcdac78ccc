// Interchangeable sweeps of one packed block of gemm.ts: C[mc×nc] (+)= op(A)[mc×kc]·op(B)[kc×nc],
// mc a multiple of 4, by 4×8, 2×16 or 8×4 register tiles. Tiling in m and n never touches the
// order of the k sum (each entry: madd from zero in p order, then the same finish), so every
// variant writes the same bytes and the choice (calibrated at load, src/gemm-tile.ts) is speed only.
import { min32, madd, finish4, finishRow8, tile4x8, tile2x16 } from './gemm_tiles';

/**
 * 0: 4×8 panel by panel (the default); 1: 2×16 over panel pairs; 2: 8×4 half panels; 3: 4×8
 * row-block by row-block; 4: 4×8 on A packed into 4-row slivers for every layout (not only
 * transposed A), read at constant offsets: one pointer add per step instead of four
 * (docs/gemm-loop-2026-12-02.txt: the integer µops that share ports with the vector units on
 * Intel cores), for the price of packing A once per block.
 */
export const GEMM_F32_VARIANTS: i32 = ASC_FEATURE_SIMD ? 5 : 1; // the scalar binary has no tiles
let variant: i32 = 0;

/** Selects the tile sweep for every later gemm_f32 in this instance; returns v, or −1 (unchanged) if out of range. */
export function gemm_f32_set_variant(v: i32): i32 {
  if (v < 0 || v >= GEMM_F32_VARIANTS) return -1;
  variant = v;
  return v;
}

/** Whether the current sweep packs A in every layout (gemm.ts packs it for transposed A anyway). */
export function gemmPacksA(): bool {
  return variant == 4;
}

/**
 * 4×8 on one packed sliver (4 rows 4 bytes apart, steps 16 bytes): the rows are constant offsets
 * of one pointer. Same madds in the same order as tile4x8, so the same bytes.
 */
@inline function tile4x8k(a: usize, b: usize, bs: usize, kc: i32, cPtr: usize, ldc: i32, cols: i32, alpha: f32, beta: f32, first: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(b), b1 = v128.load(b, 16);
    let s = v128.load32_splat(a); c00 = madd(s, b0, c00); c01 = madd(s, b1, c01);
    s = v128.load32_splat(a, 4); c10 = madd(s, b0, c10); c11 = madd(s, b1, c11);
    s = v128.load32_splat(a, 8); c20 = madd(s, b0, c20); c21 = madd(s, b1, c21);
    s = v128.load32_splat(a, 12); c30 = madd(s, b0, c30); c31 = madd(s, b1, c31);
    a += 16;
    b += bs;
  }
  const ld = <usize>ldc << 2;
  finishRow8(cPtr, c00, c01, cols, alpha, beta, first);
  finishRow8(cPtr + ld, c10, c11, cols, alpha, beta, first);
  finishRow8(cPtr + 2 * ld, c20, c21, cols, alpha, beta, first);
  finishRow8(cPtr + 3 * ld, c30, c31, cols, alpha, beta, first);
}

/** The current tile sweep and, above bit 8, how many exist. */
export function gemm_f32_variant(): i32 {
  return variant | (GEMM_F32_VARIANTS << 8);
}

/**
 * 8 rows (0..3 from a0, 4..7 from a4, rs apart, step as) against 4 columns at b (step bs).
 * Eight accumulators, one B load and the splats of a step: as many madds per step as tile4x8.
 */
@inline function tile8x4(
  a0: usize, a4: usize, rs: usize, as: usize, b: usize, bs: usize, kc: i32,
  cPtr: usize, ldc: i32, alpha: f32, beta: f32, first: bool,
): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
  let c4 = f32x4.splat(0), c5 = f32x4.splat(0), c6 = f32x4.splat(0), c7 = f32x4.splat(0);
  const r2 = rs + rs, r3 = r2 + rs;
  for (let p = 0; p < kc; p++) {
    const x = v128.load(b);
    c0 = madd(v128.load32_splat(a0), x, c0);
    c1 = madd(v128.load32_splat(a0 + rs), x, c1);
    c2 = madd(v128.load32_splat(a0 + r2), x, c2);
    c3 = madd(v128.load32_splat(a0 + r3), x, c3);
    c4 = madd(v128.load32_splat(a4), x, c4);
    c5 = madd(v128.load32_splat(a4 + rs), x, c5);
    c6 = madd(v128.load32_splat(a4 + r2), x, c6);
    c7 = madd(v128.load32_splat(a4 + r3), x, c7);
    a0 += as; a4 += as;
    b += bs;
  }
  const ld = <usize>ldc << 2;
  finish4(cPtr, c0, alpha, beta, first);
  finish4(cPtr + ld, c1, alpha, beta, first);
  finish4(cPtr + 2 * ld, c2, alpha, beta, first);
  finish4(cPtr + 3 * ld, c3, alpha, beta, first);
  const c4p = cPtr + 4 * ld;
  finish4(c4p, c4, alpha, beta, first);
  finish4(c4p + ld, c5, alpha, beta, first);
  finish4(c4p + 2 * ld, c6, alpha, beta, first);
  finish4(c4p + 3 * ld, c7, alpha, beta, first);
}

/**
 * One mc×nc block, columns jStart..nc (a multiple of 8 from jStart). op(A) row i: packed (aPacked:
 * slivers of 4 rows at packedA, rows 4 bytes apart, steps 16) or at aBase + i·rs, steps ps. op(B)
 * panel jp: in place at bIn + jp·4 (step ldb·4) when direct and jp < nFull, else packed at
 * packedB + jp·kc·4 (step 32). C entry (i, j) at cBlock + (i·ldc + j)·4.
 */
export function sweepBlock(
  aPacked: bool, packedA: usize, aBase: usize, rs: usize, ps: usize, mc: i32,
  jStart: i32, nc: i32, nFull: i32, direct: bool, bIn: usize, ldb: i32, packedB: usize, kc: i32,
  cBlock: usize, ldc: i32, alpha: f32, beta: f32, first: bool,
): void {
  const ars: usize = aPacked ? 4 : rs, aps: usize = aPacked ? 16 : ps;
  const sliver = <usize>kc << 4; // bytes of one packed 4-row sliver
  const ldcB = <usize>ldc << 2;
  const v = variant;
  let jp = jStart;
  if (v == 1) {
    // Pairs of full panels by 2×16; what is left (an odd or ragged panel) by 4×8 below.
    const inPlace = direct;
    const bs: usize = inPlace ? <usize>ldb << 2 : 32;
    const gs: usize = inPlace ? 32 : <usize>kc << 5;
    for (; jp + 16 <= nFull; jp += 16) {
      const bP = inPlace ? bIn + (<usize>jp << 2) : packedB + (<usize>jp * kc << 2);
      const cCol = cBlock + (<usize>jp << 2);
      for (let ip = 0; ip < mc; ip += 2) {
        const a = aPacked ? packedA + <usize>(ip >> 2) * sliver + (<usize>(ip & 3) << 2) : aBase + <usize>ip * rs;
        tile2x16(a, ars, aps, 2, bP, bs, gs, kc, cCol + <usize>ip * ldcB, ldc, alpha, beta, first);
      }
    }
  }
  if (v == 3) {
    for (let ip = 0; ip < mc; ip += 4) {
      const a = aPacked ? packedA + <usize>(ip >> 2) * sliver : aBase + <usize>ip * rs;
      const cRow = cBlock + <usize>ip * ldcB;
      for (let j = jp; j < nc; j += 8) {
        const inPlace = direct && j < nFull;
        const bP = inPlace ? bIn + (<usize>j << 2) : packedB + (<usize>j * kc << 2);
        tile4x8(a, ars, aps, 4, bP, inPlace ? <usize>ldb << 2 : 32, kc, cRow + (<usize>j << 2), ldc, min32(8, nc - j), alpha, beta, first);
      }
    }
    return;
  }
  for (; jp < nc; jp += 8) {
    const cols = min32(8, nc - jp);
    const inPlace = direct && jp < nFull;
    const bP = inPlace ? bIn + (<usize>jp << 2) : packedB + (<usize>jp * kc << 2);
    const bs: usize = inPlace ? <usize>ldb << 2 : 32;
    const cCol = cBlock + (<usize>jp << 2);
    let ip = 0;
    if (v == 2 && cols == 8) {
      for (; ip + 8 <= mc; ip += 8) {
        const a0 = aPacked ? packedA + <usize>(ip >> 2) * sliver : aBase + <usize>ip * rs;
        const a4 = aPacked ? a0 + sliver : a0 + 4 * rs;
        const cTile = cCol + <usize>ip * ldcB;
        tile8x4(a0, a4, ars, aps, bP, bs, kc, cTile, ldc, alpha, beta, first);
        tile8x4(a0, a4, ars, aps, bP + 16, bs, kc, cTile + 16, ldc, alpha, beta, first);
      }
    }
    if (v == 4 && aPacked) {
      for (; ip < mc; ip += 4) tile4x8k(packedA + <usize>(ip >> 2) * sliver, bP, bs, kc, cCol + <usize>ip * ldcB, ldc, cols, alpha, beta, first);
    }
    for (; ip < mc; ip += 4) {
      const a = aPacked ? packedA + <usize>(ip >> 2) * sliver : aBase + <usize>ip * rs;
      tile4x8(a, ars, aps, 4, bP, bs, kc, cCol + <usize>ip * ldcB, ldc, cols, alpha, beta, first);
    }
  }
}
