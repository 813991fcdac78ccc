// Counter-based random streams from the wasm Philox4x32-10 (assembly/rng.ts). A stream is
// addressed by (seed, stream), so a task draws the same numbers on any worker and platform.
import type { Heap } from './heap.js';
import { kernel } from './kernels.js';

export const MAX_SEED = Number.MAX_SAFE_INTEGER;

export function checkSeed(name: string, v: number): void {
  if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`${name} must be an integer in [0, 2^53-1], got ${v}`);
}

/**
 * A position in one stream. Each draw allocates its output on the heap and copies it out; it
 * never resets the heap (callers may keep resident data there), so reset between jobs.
 */
export class RngStream {
  private pos: number;

  constructor(private readonly heap: Heap, readonly seed: number, readonly stream: number, offset = 0) {
    checkSeed('seed', seed);
    checkSeed('stream', stream);
    checkSeed('offset', offset);
    this.pos = offset;
  }

  /** Values drawn so far, in the unit of the last sampler (each sampler counts its own values). */
  get offset(): number { return this.pos; }

  private draw<T>(name: string, n: number, bytes: number, read: (ptr: number) => T): T {
    const ptr = this.heap.alloc(n * bytes, `rng ${name}`);
    kernel(this.heap.wasm, name)(ptr, n, this.seed, this.stream, this.pos);
    this.pos += n;
    return read(ptr);
  }

  u32(n: number): Uint32Array { return this.draw('rng_u32', n, 4, (p) => this.heap.u32(p, n).slice()); }
  uniform(n: number): Float64Array { return this.draw('rng_uniform_f64', n, 8, (p) => this.heap.readF64(p, n)); }
  uniformF32(n: number): Float32Array { return this.draw('rng_uniform_f32', n, 4, (p) => this.heap.readF32(p, n)); }
  normal(n: number): Float64Array { return this.draw('rng_normal_f64', n, 8, (p) => this.heap.readF64(p, n)); }
  normalF32(n: number): Float32Array { return this.draw('rng_normal_f32', n, 4, (p) => this.heap.readF32(p, n)); }
}
