// assembly/roofline.ts: the machine's own limits. Compute probes run 12 independent v128 chains and
// return Σ accumulators, or −1 where the binary lacks the feature (FMA: relaxed binary only).
export const rooflineKernels = {
  /** 96·iterations f32 flops (mul then add). */
  roofline_madd_f32x4: (iterations: number): number => 0,
  /** 96·iterations f32 flops, fused (relaxed_madd); −1 outside the relaxed binary. */
  roofline_fma_f32x4: (iterations: number): number => 0,
  /** 48·iterations f64 flops (mul then add). */
  roofline_madd_f64x2: (iterations: number): number => 0,
  /** 48·iterations f64 flops, fused; −1 outside the relaxed binary. */
  roofline_fma_f64x2: (iterations: number): number => 0,
  /** Σ x, 4n bytes read; xPtr 16-byte aligned, n a multiple of 32. */
  roofline_read_f32: (xPtr: number, n: number): number => 0,
  /** a = b + s·c, 12n bytes (STREAM count); 16-byte aligned, n a multiple of 16; a overlaps neither. Returns a[0] + a[n−1]. */
  roofline_triad_f32: (aPtr: number, bPtr: number, cPtr: number, n: number, s: number): number => 0,
};
