// Philox4x32-10 counter-based RNG (Salmon, Moraes, Dror & Shaw, SC 2011; Random123).
// key = (seed low 32, seed high 21 bits); counter = (block low, block high, stream low, stream high).
// A stream (seed, stream) is a flat sequence of u32 words: word w is lane (w & 3) of block w >> 2.
//   rng_u32          value i ← word offset+i
//   rng_uniform_f32  value i ← word offset+i, 24 bits, strictly inside (0, 1)
//   rng_uniform_f64  value i ← words 2(offset+i), 2(offset+i)+1, 53 bits, strictly inside (0, 1)
//   rng_normal_f64   value i ← block offset+i ... pairs: values 2j, 2j+1 (of absolute index
//                    offset+i) share block j via Box–Muller (cos for even, sin for odd)
//   rng_normal_f32   = f32(rng_normal_f64), the same draws rounded
// Seeds, streams and offsets cross the boundary as f64 integers below 2^53 (no BigInt in JS).
// log/sqrt/sin/cos are AssemblyScript's own Math compiled into this module, so the bits are the
// same in every engine (JS Math.* is not specified to the last bit).

const M0: u64 = 0xD2511F53;
const M1: u64 = 0xCD9E8D57;
const W0: u32 = 0x9E3779B9;
const W1: u32 = 0xBB67AE85;

// One Philox4x32-10 block lands in these globals (no allocation, no multi-value returns).
let r0: u32 = 0;
let r1: u32 = 0;
let r2: u32 = 0;
let r3: u32 = 0;

/** Philox4x32-10 of counter (c0..c3) under key (k0, k1); the result is read from r0..r3. */
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

/** The last block's words, for kernels in other files that call philox4x32 directly. */
export function philoxWord(lane: i32): u32 {
  return lane == 0 ? r0 : lane == 1 ? r1 : lane == 2 ? r2 : r3;
}

@inline function block(seed: u64, stream: u64, b: u64): void {
  philox4x32(<u32>b, <u32>(b >> 32), <u32>stream, <u32>(stream >> 32), <u32>seed, <u32>(seed >> 32));
}

@inline function toUnit53(hi: u32, lo: u32): f64 {
  // 53 random bits, then +0.5 ulp so the value is never exactly 0 (log-safe) nor 1.
  return (<f64>(hi >>> 5) * 67108864.0 + <f64>(lo >>> 6) + 0.5) * 1.1102230246251565e-16;
}

@inline function toUnit24(w: u32): f32 {
  return (<f32>(w >>> 8) + 0.5) * <f32>5.9604644775390625e-8;
}

/** Fills n u32 words of stream (seed, stream) starting at word `offset`. */
export function rng_u32(outPtr: usize, n: i32, seed: f64, stream: f64, offset: f64): void {
  const s = <u64>seed;
  const t = <u64>stream;
  let w = <u64>offset;
  for (let i = 0; i < n; i++, w++) {
    if (i == 0 || (w & 3) == 0) block(s, t, w >> 2);
    store<u32>(outPtr + (<usize>i << 2), philoxWord(<i32>(w & 3)));
  }
}

export function rng_uniform_f32(outPtr: usize, n: i32, seed: f64, stream: f64, offset: f64): void {
  const s = <u64>seed;
  const t = <u64>stream;
  let w = <u64>offset;
  for (let i = 0; i < n; i++, w++) {
    if (i == 0 || (w & 3) == 0) block(s, t, w >> 2);
    store<f32>(outPtr + (<usize>i << 2), toUnit24(philoxWord(<i32>(w & 3))));
  }
}

export function rng_uniform_f64(outPtr: usize, n: i32, seed: f64, stream: f64, offset: f64): void {
  const s = <u64>seed;
  const t = <u64>stream;
  let v = <u64>offset;
  for (let i = 0; i < n; i++, v++) {
    if (i == 0 || (v & 1) == 0) block(s, t, v >> 1);
    const x = (v & 1) == 0 ? toUnit53(r0, r1) : toUnit53(r2, r3);
    store<f64>(outPtr + (<usize>i << 3), x);
  }
}

/** Box–Muller radius and angle of block j, kept between the two values that share it. */
let bmRadius: f64 = 0;
let bmAngle: f64 = 0;

@inline function boxMuller(s: u64, t: u64, j: u64): void {
  block(s, t, j);
  bmRadius = Math.sqrt(-2.0 * Math.log(toUnit53(r0, r1)));
  bmAngle = 6.283185307179586 * toUnit53(r2, r3);
}

/** Standard normal value with absolute index v of stream (seed, stream). */
export function normalAt(s: u64, t: u64, v: u64, fresh: bool): f64 {
  if (fresh) boxMuller(s, t, v >> 1);
  return (v & 1) == 0 ? bmRadius * Math.cos(bmAngle) : bmRadius * Math.sin(bmAngle);
}

export function rng_normal_f64(outPtr: usize, n: i32, seed: f64, stream: f64, offset: f64): void {
  const s = <u64>seed;
  const t = <u64>stream;
  let v = <u64>offset;
  for (let i = 0; i < n; i++, v++) store<f64>(outPtr + (<usize>i << 3), normalAt(s, t, v, i == 0 || (v & 1) == 0));
}

export function rng_normal_f32(outPtr: usize, n: i32, seed: f64, stream: f64, offset: f64): void {
  const s = <u64>seed;
  const t = <u64>stream;
  let v = <u64>offset;
  for (let i = 0; i < n; i++, v++) store<f32>(outPtr + (<usize>i << 2), <f32>normalAt(s, t, v, i == 0 || (v & 1) == 0));
}

/** Uniform value with absolute index v of stream (seed, stream), as rng_uniform_f64 draws it. */
export function uniformAt(s: u64, t: u64, v: u64): f64 {
  block(s, t, v >> 1);
  return (v & 1) == 0 ? toUnit53(r0, r1) : toUnit53(r2, r3);
}
