// assembly/rng.ts: Philox4x32-10 streams. seed, stream and offset are f64 integers in [0, 2^53).
export const rngKernels = {
  rng_u32: (outPtr: number, n: number, seed: number, stream: number, offset: number): void => {},
  rng_uniform_f32: (outPtr: number, n: number, seed: number, stream: number, offset: number): void => {},
  rng_uniform_f64: (outPtr: number, n: number, seed: number, stream: number, offset: number): void => {},
  rng_normal_f64: (outPtr: number, n: number, seed: number, stream: number, offset: number): void => {},
  rng_normal_f32: (outPtr: number, n: number, seed: number, stream: number, offset: number): void => {},
  // Probes of the core, exported so that test/rng.test.ts can check known answers in every binary.
  /** One block of counter (c0..c3) under key (k0, k1); read it with philoxWord(0..3). */
  philox4x32: (c0: number, c1: number, c2: number, c3: number, k0: number, k1: number): void => {},
  philoxWord: (lane: number): number => 0,
  unitF64: (hi: number, lo: number): number => 0,
  unitF32: (w: number): number => 0,
};
