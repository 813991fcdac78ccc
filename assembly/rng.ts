// Philox4x32-10 counter-based RNG (Salmon, Moraes, Dror & Shaw, "Parallel random numbers: as
// easy as 1, 2, 3", SC 2011; Random123): 10 rounds of two 32×32→64 multiplies on a 128-bit counter.
//
// Stream layout, the contract every stored result depends on (test/rng.test.ts freezes it):
//   key     = (seed mod 2^32, floor(seed / 2^32))                      seed, stream ∈ [0, 2^53)
//   counter = (b mod 2^32, floor(b / 2^32), stream mod 2^32, floor(stream / 2^32))
//   The stream (seed, stream) is the flat u32 sequence W[w] = word (w mod 4) of block b = floor(w/4).
// Value v = offset + i of each sampler (offsets count that sampler's values):
//   rng_u32          W[v]                                                          1 word per value
//   rng_uniform_f32  ((W[v] >>> 8) | 1)·2^-24                                      1 word per value
//   rng_uniform_f64  U[v] = (((W[2v] >>> 5)·2^26 + (W[2v+1] >>> 6)) | 1)·2^-53     2 words per value
//   rng_normal_f64   Z[v], Box–Muller on pair j = floor(v/2), i.e. on U[2j], U[2j+1] (block j)  2 words per value
//                      Z[2j] = √(−2 ln U[2j])·cos(2π·U[2j+1]),  Z[2j+1] = √(−2 ln U[2j])·sin(2π·U[2j+1])
//   rng_normal_f32   f32(Z[v]), the f64 draw rounded, so the f32 and f64 streams agree          2 words per value
// Both uniforms are odd multiples of 2^-24 / 2^-53 (23 / 52 random bits), so every value is exact,
// strictly inside (0, 1) and symmetric about 1/2: log(u) and log(1−u) are finite. Keeping all 24
// (53) bits as (k + ½)·2^-24 cannot work: k = 2^24−1 rounds to exactly 1.0, p = 2^-24 per f32 draw.
// Seeds, streams and offsets cross the boundary as f64 integers below 2^53 (no BigInt in JS).
// log, sin and cos are AssemblyScript's NativeMath (musl ports) compiled into this module, never
// the engine's Math, and sqrt is the correctly rounded f64.sqrt instruction, so the bits are
// identical in every engine and every binary; no path here uses SIMD or fused multiply-add.

const M0: u64 = 0xD2511F53;
const M1: u64 = 0xCD9E8D57;
const W0: u32 = 0x9E3779B9;
const W1: u32 = 0xBB67AE85;
const TWO_PI: f64 = 6.283185307179586;

// One Philox4x32-10 block lands in these globals (no allocation, no multi-value returns).
let r0: u32 = 0;
let r1: u32 = 0;
let r2: u32 = 0;
let r3: u32 = 0;

/** Philox4x32-10 of counter (c0..c3) under key (k0, k1); read the block with philoxWord(0..3). */
export function philox4x32(c0: u32, c1: u32, c2: u32, c3: u32, k0: u32, k1: u32): void {
  for (let round = 0; round < 10; round++) {
    const p0 = M0 * <u64>c0;
    const p1 = M1 * <u64>c2;
    const n0 = <u32>(p1 >> 32) ^ c1 ^ k0;
    const n2 = <u32>(p0 >> 32) ^ c3 ^ k1;
    c1 = <u32>p1;
    c3 = <u32>p0;
    c0 = n0;
    c2 = n2;
    k0 += W0;
    k1 += W1;
  }
  r0 = c0;
  r1 = c1;
  r2 = c2;
  r3 = c3;
}

/** Word `lane` (0..3) of the last block computed. */
export function philoxWord(lane: i32): u32 {
  return lane == 0 ? r0 : lane == 1 ? r1 : lane == 2 ? r2 : r3;
}

@inline function block(s: u64, t: u64, b: u64): void {
  philox4x32(<u32>b, <u32>(b >> 32), <u32>t, <u32>(t >> 32), <u32>s, <u32>(s >> 32));
}

@inline function unit53(hi: u32, lo: u32): f64 {
  return (<f64>(hi >>> 5) * 67108864.0 + <f64>((lo >>> 6) | 1)) * 1.1102230246251565e-16;
}

@inline function unit24(w: u32): f32 {
  return <f32>((w >>> 8) | 1) * <f32>5.9604644775390625e-8;
}

/** The f64 uniform of the word pair (hi, lo): in [2^-53, 1 − 2^-53]. */
export function unitF64(hi: u32, lo: u32): f64 { return unit53(hi, lo); }

/** The f32 uniform of word w: in [2^-24, 1 − 2^-24]. */
export function unitF32(w: u32): f32 { return unit24(w); }

// ---- In-wasm API for other kernel files (p-spin couplings, weight init): u64 seed s, stream t.

/** Word w of stream (s, t). */
export function wordAt(s: u64, t: u64, w: u64): u32 {
  block(s, t, w >> 2);
  return philoxWord(<i32>(w & 3));
}

/** U[v] of stream (s, t), as rng_uniform_f64 draws it. */
export function uniformAt(s: u64, t: u64, v: u64): f64 {
  block(s, t, v >> 1);
  return (v & 1) == 0 ? unit53(r0, r1) : unit53(r2, r3);
}

// Both values of the last Box–Muller pair, kept so consecutive values share one block.
let zCos: f64 = 0;
let zSin: f64 = 0;

@inline function boxMuller(s: u64, t: u64, j: u64): void {
  block(s, t, j);
  const radius = NativeMath.sqrt(-2.0 * NativeMath.log(unit53(r0, r1)));
  NativeMath.sincos(TWO_PI * unit53(r2, r3)); // the same musl kernels as sin and cos, one reduction
  zCos = radius * NativeMath.sincos_cos;
  zSin = radius * NativeMath.sincos_sin;
}

/**
 * Z[v] of stream (s, t). `fresh` = false reuses the pair computed last, which is right only
 * when the previous call was Z[v − 1] with v odd; pass true when in doubt.
 */
export function normalAt(s: u64, t: u64, v: u64, fresh: bool): f64 {
  if (fresh) boxMuller(s, t, v >> 1);
  return (v & 1) == 0 ? zCos : zSin;
}

/** W[w .. w+n) into ptr. */
export function fillU32(ptr: usize, n: i32, s: u64, t: u64, w: u64): void {
  for (let i = 0; i < n; i++, w++) {
    if (i == 0 || (w & 3) == 0) block(s, t, w >> 2);
    store<u32>(ptr + (<usize>i << 2), philoxWord(<i32>(w & 3)));
  }
}

/** f32 uniforms of words w .. w+n into ptr. */
export function fillUniformF32(ptr: usize, n: i32, s: u64, t: u64, w: u64): void {
  for (let i = 0; i < n; i++, w++) {
    if (i == 0 || (w & 3) == 0) block(s, t, w >> 2);
    store<f32>(ptr + (<usize>i << 2), unit24(philoxWord(<i32>(w & 3))));
  }
}

/** U[v .. v+n) into ptr. */
export function fillUniformF64(ptr: usize, n: i32, s: u64, t: u64, v: u64): void {
  for (let i = 0; i < n; i++, v++) {
    if (i == 0 || (v & 1) == 0) block(s, t, v >> 1);
    store<f64>(ptr + (<usize>i << 3), (v & 1) == 0 ? unit53(r0, r1) : unit53(r2, r3));
  }
}

/** Z[v .. v+n) into ptr. */
export function fillNormalF64(ptr: usize, n: i32, s: u64, t: u64, v: u64): void {
  for (let i = 0; i < n; i++, v++) store<f64>(ptr + (<usize>i << 3), normalAt(s, t, v, i == 0 || (v & 1) == 0));
}

/** f32(Z[v .. v+n)) into ptr. */
export function fillNormalF32(ptr: usize, n: i32, s: u64, t: u64, v: u64): void {
  for (let i = 0; i < n; i++, v++) store<f32>(ptr + (<usize>i << 2), <f32>normalAt(s, t, v, i == 0 || (v & 1) == 0));
}

// ---- Raw exports for JS: seed, stream and offset are f64 integers in [0, 2^53).

/** Words offset .. offset+n−1 of stream (seed, stream). */
export function rng_u32(outPtr: usize, n: i32, seed: f64, stream: f64, offset: f64): void {
  fillU32(outPtr, n, <u64>seed, <u64>stream, <u64>offset);
}

/** f32 uniforms in (0, 1); value i uses word offset+i. */
export function rng_uniform_f32(outPtr: usize, n: i32, seed: f64, stream: f64, offset: f64): void {
  fillUniformF32(outPtr, n, <u64>seed, <u64>stream, <u64>offset);
}

/** f64 uniforms in (0, 1); value i uses words 2(offset+i) and 2(offset+i)+1. */
export function rng_uniform_f64(outPtr: usize, n: i32, seed: f64, stream: f64, offset: f64): void {
  fillUniformF64(outPtr, n, <u64>seed, <u64>stream, <u64>offset);
}

/** Standard normals Z[offset .. offset+n) (Box–Muller, one block per pair). */
export function rng_normal_f64(outPtr: usize, n: i32, seed: f64, stream: f64, offset: f64): void {
  fillNormalF64(outPtr, n, <u64>seed, <u64>stream, <u64>offset);
}

/** f32(Z[offset .. offset+n)). */
export function rng_normal_f32(outPtr: usize, n: i32, seed: f64, stream: f64, offset: f64): void {
  fillNormalF32(outPtr, n, <u64>seed, <u64>stream, <u64>offset);
}
