// Roofline probes (Williams, Waterman & Patterson, CACM 2009): peak rate = independent chains v ← v·m + a; bandwidth = v128 Σx over x[n] f32 and the STREAM triad a = b + s·c (McCalpin 1995), f32, flat arrays.
// Compute probes: NACC accumulators per call, so latency × throughput stays covered (Zen 5: mul 3 +
// add 2 cycles at 2 + 2 per cycle needs 10 chains; FMA 4 cycles at 2 per cycle needs 8). 12
// accumulators + 2 constants = 14 of V8's 15 allocatable xmm: no spills (checked in the
// TurboFan code). m = 1 − 1e-6, a = 1e-6 pull every lane to 1, far from overflow and denormals.
// Each returns the sum of its accumulators (so nothing is dead), or −1 when this binary was built
// without the feature (no SIMD; no relaxed SIMD for the FMA probes).

const M: f64 = 1 - 1e-6;
const A: f64 = 1e-6;
// m and a are read from memory: as immediates, V8 rebuilt both splats on every iteration (two
// shuffles in the FP pipes per 24 mul/add); loaded once, they stay in xmm registers.
const C32: usize = memory.data<f32>([<f32>M, <f32>M, <f32>M, <f32>M, <f32>A, <f32>A, <f32>A, <f32>A], 16);
const C64: usize = memory.data<f64>([M, M, A, A], 16);

/** 12 × f32x4 chains, `iterations` mul+add steps each: 96·iterations flops. Returns Σ lanes, or −1 without SIMD. */
export function roofline_madd_f32x4(iterations: i32): f64 {
  if (!ASC_FEATURE_SIMD) return -1;
  const vm = v128.load(C32), va = v128.load(C32, 16);
  let v0 = f32x4.splat(1.00), v1 = f32x4.splat(1.01), v2 = f32x4.splat(1.02), v3 = f32x4.splat(1.03);
  let v4 = f32x4.splat(1.04), v5 = f32x4.splat(1.05), v6 = f32x4.splat(1.06), v7 = f32x4.splat(1.07);
  let v8 = f32x4.splat(1.08), v9 = f32x4.splat(1.09), v10 = f32x4.splat(1.10), v11 = f32x4.splat(1.11);
  for (let i = 0; i < iterations; i++) {
    v0 = f32x4.add(f32x4.mul(v0, vm), va); v1 = f32x4.add(f32x4.mul(v1, vm), va);
    v2 = f32x4.add(f32x4.mul(v2, vm), va); v3 = f32x4.add(f32x4.mul(v3, vm), va);
    v4 = f32x4.add(f32x4.mul(v4, vm), va); v5 = f32x4.add(f32x4.mul(v5, vm), va);
    v6 = f32x4.add(f32x4.mul(v6, vm), va); v7 = f32x4.add(f32x4.mul(v7, vm), va);
    v8 = f32x4.add(f32x4.mul(v8, vm), va); v9 = f32x4.add(f32x4.mul(v9, vm), va);
    v10 = f32x4.add(f32x4.mul(v10, vm), va); v11 = f32x4.add(f32x4.mul(v11, vm), va);
  }
  const s = f32x4.add(f32x4.add(f32x4.add(v0, v1), f32x4.add(v2, v3)), f32x4.add(f32x4.add(v4, v5), f32x4.add(v6, v7)));
  return sumF32(f32x4.add(s, f32x4.add(f32x4.add(v8, v9), f32x4.add(v10, v11))));
}

/** The same chains fused (f32x4.relaxed_madd): 96·iterations flops. −1 in a binary built without relaxed SIMD. */
export function roofline_fma_f32x4(iterations: i32): f64 {
  if (!ASC_FEATURE_RELAXED_SIMD) return -1;
  const vm = v128.load(C32), va = v128.load(C32, 16);
  let v0 = f32x4.splat(1.00), v1 = f32x4.splat(1.01), v2 = f32x4.splat(1.02), v3 = f32x4.splat(1.03);
  let v4 = f32x4.splat(1.04), v5 = f32x4.splat(1.05), v6 = f32x4.splat(1.06), v7 = f32x4.splat(1.07);
  let v8 = f32x4.splat(1.08), v9 = f32x4.splat(1.09), v10 = f32x4.splat(1.10), v11 = f32x4.splat(1.11);
  for (let i = 0; i < iterations; i++) {
    v0 = f32x4.relaxed_madd(v0, vm, va); v1 = f32x4.relaxed_madd(v1, vm, va);
    v2 = f32x4.relaxed_madd(v2, vm, va); v3 = f32x4.relaxed_madd(v3, vm, va);
    v4 = f32x4.relaxed_madd(v4, vm, va); v5 = f32x4.relaxed_madd(v5, vm, va);
    v6 = f32x4.relaxed_madd(v6, vm, va); v7 = f32x4.relaxed_madd(v7, vm, va);
    v8 = f32x4.relaxed_madd(v8, vm, va); v9 = f32x4.relaxed_madd(v9, vm, va);
    v10 = f32x4.relaxed_madd(v10, vm, va); v11 = f32x4.relaxed_madd(v11, vm, va);
  }
  const s = f32x4.add(f32x4.add(f32x4.add(v0, v1), f32x4.add(v2, v3)), f32x4.add(f32x4.add(v4, v5), f32x4.add(v6, v7)));
  return sumF32(f32x4.add(s, f32x4.add(f32x4.add(v8, v9), f32x4.add(v10, v11))));
}

/** 12 × f64x2 chains, mul+add: 48·iterations flops. −1 without SIMD. */
export function roofline_madd_f64x2(iterations: i32): f64 {
  if (!ASC_FEATURE_SIMD) return -1;
  const vm = v128.load(C64), va = v128.load(C64, 16);
  let v0 = f64x2.splat(1.00), v1 = f64x2.splat(1.01), v2 = f64x2.splat(1.02), v3 = f64x2.splat(1.03);
  let v4 = f64x2.splat(1.04), v5 = f64x2.splat(1.05), v6 = f64x2.splat(1.06), v7 = f64x2.splat(1.07);
  let v8 = f64x2.splat(1.08), v9 = f64x2.splat(1.09), v10 = f64x2.splat(1.10), v11 = f64x2.splat(1.11);
  for (let i = 0; i < iterations; i++) {
    v0 = f64x2.add(f64x2.mul(v0, vm), va); v1 = f64x2.add(f64x2.mul(v1, vm), va);
    v2 = f64x2.add(f64x2.mul(v2, vm), va); v3 = f64x2.add(f64x2.mul(v3, vm), va);
    v4 = f64x2.add(f64x2.mul(v4, vm), va); v5 = f64x2.add(f64x2.mul(v5, vm), va);
    v6 = f64x2.add(f64x2.mul(v6, vm), va); v7 = f64x2.add(f64x2.mul(v7, vm), va);
    v8 = f64x2.add(f64x2.mul(v8, vm), va); v9 = f64x2.add(f64x2.mul(v9, vm), va);
    v10 = f64x2.add(f64x2.mul(v10, vm), va); v11 = f64x2.add(f64x2.mul(v11, vm), va);
  }
  const s = f64x2.add(f64x2.add(f64x2.add(v0, v1), f64x2.add(v2, v3)), f64x2.add(f64x2.add(v4, v5), f64x2.add(v6, v7)));
  return sumF64(f64x2.add(s, f64x2.add(f64x2.add(v8, v9), f64x2.add(v10, v11))));
}

/** The f64x2 chains fused (f64x2.relaxed_madd): 48·iterations flops. −1 without relaxed SIMD. */
export function roofline_fma_f64x2(iterations: i32): f64 {
  if (!ASC_FEATURE_RELAXED_SIMD) return -1;
  const vm = v128.load(C64), va = v128.load(C64, 16);
  let v0 = f64x2.splat(1.00), v1 = f64x2.splat(1.01), v2 = f64x2.splat(1.02), v3 = f64x2.splat(1.03);
  let v4 = f64x2.splat(1.04), v5 = f64x2.splat(1.05), v6 = f64x2.splat(1.06), v7 = f64x2.splat(1.07);
  let v8 = f64x2.splat(1.08), v9 = f64x2.splat(1.09), v10 = f64x2.splat(1.10), v11 = f64x2.splat(1.11);
  for (let i = 0; i < iterations; i++) {
    v0 = f64x2.relaxed_madd(v0, vm, va); v1 = f64x2.relaxed_madd(v1, vm, va);
    v2 = f64x2.relaxed_madd(v2, vm, va); v3 = f64x2.relaxed_madd(v3, vm, va);
    v4 = f64x2.relaxed_madd(v4, vm, va); v5 = f64x2.relaxed_madd(v5, vm, va);
    v6 = f64x2.relaxed_madd(v6, vm, va); v7 = f64x2.relaxed_madd(v7, vm, va);
    v8 = f64x2.relaxed_madd(v8, vm, va); v9 = f64x2.relaxed_madd(v9, vm, va);
    v10 = f64x2.relaxed_madd(v10, vm, va); v11 = f64x2.relaxed_madd(v11, vm, va);
  }
  const s = f64x2.add(f64x2.add(f64x2.add(v0, v1), f64x2.add(v2, v3)), f64x2.add(f64x2.add(v4, v5), f64x2.add(v6, v7)));
  return sumF64(f64x2.add(s, f64x2.add(f64x2.add(v8, v9), f64x2.add(v10, v11))));
}

/**
 * Σ x[0..n) f32: 4n bytes read. xPtr 16-byte aligned, n a multiple of 32. The four quarters are
 * read side by side (four streams, as the triad has three): one stream alone ran ~10% slower here.
 * Eight v128 sums keep the adds off the critical path, so only the loads set the pace.
 */
export function roofline_read_f32(xPtr: usize, n: i32): f64 {
  const q = <usize>n; // bytes in a quarter: 4 · n/4
  const end = xPtr + q;
  if (!ASC_FEATURE_SIMD) {
    let s0: f32 = 0, s1: f32 = 0, s2: f32 = 0, s3: f32 = 0;
    for (let p = xPtr; p < end; p += 4) {
      s0 += load<f32>(p); s1 += load<f32>(p + q); s2 += load<f32>(p + 2 * q); s3 += load<f32>(p + 3 * q);
    }
    return <f64>s0 + <f64>s1 + <f64>s2 + <f64>s3;
  }
  let v0 = f32x4.splat(0), v1 = v0, v2 = v0, v3 = v0, v4 = v0, v5 = v0, v6 = v0, v7 = v0;
  for (let p = xPtr; p < end; p += 32) {
    v0 = f32x4.add(v0, v128.load(p)); v1 = f32x4.add(v1, v128.load(p, 16));
    v2 = f32x4.add(v2, v128.load(p + q)); v3 = f32x4.add(v3, v128.load(p + q, 16));
    v4 = f32x4.add(v4, v128.load(p + 2 * q)); v5 = f32x4.add(v5, v128.load(p + 2 * q, 16));
    v6 = f32x4.add(v6, v128.load(p + 3 * q)); v7 = f32x4.add(v7, v128.load(p + 3 * q, 16));
  }
  return sumF32(f32x4.add(f32x4.add(f32x4.add(v0, v1), f32x4.add(v2, v3)), f32x4.add(f32x4.add(v4, v5), f32x4.add(v6, v7))));
}

/**
 * a[i] = b[i] + s·c[i], f32: 12n bytes by STREAM's count (the write-allocate read of a is not
 * counted; wasm has no non-temporal store). Pointers 16-byte aligned, n a multiple of 16; a may
 * not overlap b or c. Returns a[0] + a[n−1].
 */
export function roofline_triad_f32(aPtr: usize, bPtr: usize, cPtr: usize, n: i32, s: f32): f64 {
  const bytes = <usize>n << 2;
  if (!ASC_FEATURE_SIMD) {
    for (let i: usize = 0; i < bytes; i += 4) store<f32>(aPtr + i, load<f32>(bPtr + i) + s * load<f32>(cPtr + i));
  } else {
    const vs = f32x4.splat(s);
    for (let i: usize = 0; i < bytes; i += 64) {
      const a = aPtr + i, b = bPtr + i, c = cPtr + i;
      v128.store(a, f32x4.add(v128.load(b), f32x4.mul(vs, v128.load(c))));
      v128.store(a, f32x4.add(v128.load(b, 16), f32x4.mul(vs, v128.load(c, 16))), 16);
      v128.store(a, f32x4.add(v128.load(b, 32), f32x4.mul(vs, v128.load(c, 32))), 32);
      v128.store(a, f32x4.add(v128.load(b, 48), f32x4.mul(vs, v128.load(c, 48))), 48);
    }
  }
  return n > 0 ? <f64>load<f32>(aPtr) + <f64>load<f32>(aPtr + bytes - 4) : 0;
}

@inline function sumF32(v: v128): f64 {
  return <f64>f32x4.extract_lane(v, 0) + <f64>f32x4.extract_lane(v, 1) + <f64>f32x4.extract_lane(v, 2) + <f64>f32x4.extract_lane(v, 3);
}

@inline function sumF64(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}
