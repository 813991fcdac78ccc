// Counter-based random streams from the wasm Philox4x32-10 (layout in assembly/rng.ts). A stream
// is addressed by (seed, stream) and a position, so a task draws the same numbers on any worker
// and platform, and can continue a stream by position alone.
import type { Heap } from './heap.js';
import { bindKernels, checkDim, type KernelName } from './kernels.js';

/** Seeds, streams and positions are integers in [0, MAX_SEED] = [0, 2^53 − 1]. */
export const MAX_SEED = Number.MAX_SAFE_INTEGER;

/** Throws a RangeError naming `name` unless v is an integer in [0, 2^53 − 1]. */
export function checkSeed(name: string, v: number): void {
  if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`${name} must be an integer in [0, 2^53-1], got ${v}`);
}

export type RngSampler = 'u32' | 'uniform' | 'uniformF32' | 'normal' | 'normalF32';

/** The raw kernel behind each sampler, its output bytes per value and stream words per value. */
const SAMPLERS: Record<RngSampler, { kernel: KernelName & `rng_${string}`; bytes: number; words: 1 | 2 }> = {
  u32: { kernel: 'rng_u32', bytes: 4, words: 1 },
  uniformF32: { kernel: 'rng_uniform_f32', bytes: 4, words: 1 },
  uniform: { kernel: 'rng_uniform_f64', bytes: 8, words: 2 },
  normal: { kernel: 'rng_normal_f64', bytes: 8, words: 2 },
  normalF32: { kernel: 'rng_normal_f32', bytes: 4, words: 2 },
};

/**
 * A cursor in one stream, counted in u32 words so that samplers can be mixed without reusing
 * words: u32 and uniformF32 take one word per value, uniform, normal and normalF32 take two and
 * start at the next even word. So `normal(n)` from word 2k draws Z[k..k+n) of rng_normal_f64.
 *
 * Heap policy: the array draws take scratch above the heap's current mark and release back to
 * it after copying out, so they never reset the heap, never disturb resident data, and leave it
 * as they found it. `into` writes to memory the caller owns and allocates nothing.
 */
export class RngStream {
  private word: number;

  constructor(private readonly heap: Heap, readonly seed: number, readonly stream: number, offset = 0) {
    checkSeed('seed', seed);
    checkSeed('stream', stream);
    checkSeed('offset', offset);
    this.word = offset;
  }

  /** The next word this stream will use. */
  get offset(): number { return this.word; }

  /** Draws n values of `sampler` into wasm memory at outPtr and advances the cursor. */
  into(sampler: RngSampler, outPtr: number, n: number): void {
    const { kernel: name, words } = SAMPLERS[sampler];
    checkDim(name, 'n', n, 0);
    if (!Number.isSafeInteger(outPtr) || outPtr < 0) throw new RangeError(`${name}: outPtr must be a byte address, got ${outPtr}`);
    const start = words === 2 ? this.word + (this.word % 2) : this.word;
    const end = start + words * n;
    if (end > MAX_SEED) throw new RangeError(`${name}: stream position ${end} would pass 2^53-1`);
    bindKernels(this.heap.wasm)[name](outPtr, n, this.seed, this.stream, start / words);
    this.word = end;
  }

  private draw<T>(sampler: RngSampler, n: number, read: (ptr: number) => T): T {
    checkDim(SAMPLERS[sampler].kernel, 'n', n, 0);
    const mark = this.heap.mark();
    try {
      const ptr = this.heap.alloc(n * SAMPLERS[sampler].bytes, `rng ${sampler}`);
      this.into(sampler, ptr, n);
      return read(ptr);
    } finally {
      this.heap.release(mark);
    }
  }

  u32(n: number): Uint32Array { return this.draw('u32', n, (p) => this.heap.u32(p, n).slice()); }
  /** f64 in (0, 1), 52 random bits. */
  uniform(n: number): Float64Array { return this.draw('uniform', n, (p) => this.heap.readF64(p, n)); }
  /** f32 in (0, 1), 23 random bits. */
  uniformF32(n: number): Float32Array { return this.draw('uniformF32', n, (p) => this.heap.readF32(p, n)); }
  /** Standard normals (Box–Muller). */
  normal(n: number): Float64Array { return this.draw('normal', n, (p) => this.heap.readF64(p, n)); }
  /** The f64 normals rounded to f32. */
  normalF32(n: number): Float32Array { return this.draw('normalF32', n, (p) => this.heap.readF32(p, n)); }
}
