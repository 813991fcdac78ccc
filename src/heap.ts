// JS-owned heap over the wasm bump allocator. Typed views are made fresh on every access:
// memory growth detaches every earlier view, so nothing here caches `memory.buffer`.
import type { WasmExports } from './wasm.js';

/** wasm32 addresses 65,536 pages of 64 KiB: 4 GiB in all. */
export const WASM32_LIMIT_BYTES = 2 ** 32;
const BLOCK_OVERHEAD = 16; // rounding up to 16-byte alignment, at most

/** A request that cannot fit in the 4 GiB wasm32 memory, refused before allocating. */
export class MemoryLimitError extends Error {
  override name = 'MemoryLimitError';
  constructor(readonly neededBytes: number, readonly what: string) {
    super(`${what} needs ${formatBytes(neededBytes)} of wasm memory, but wasm32 addresses at most ${formatBytes(WASM32_LIMIT_BYTES)}`);
  }
}

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${i === 0 ? v : v.toFixed(v >= 100 ? 0 : v >= 10 ? 1 : 2)} ${units[i]}`;
}

export class Heap {
  private top = 0;
  private base = -1;

  constructor(readonly wasm: WasmExports) {}

  get memory(): WebAssembly.Memory { return this.wasm.memory; }

  /** Bytes this heap has handed out since the last reset (an upper bound, headers included). */
  get used(): number { return this.base < 0 ? 0 : this.top - this.base; }

  /** Checks whether `bytes` more would fit under the wasm32 ceiling, without allocating. */
  fits(bytes: number): boolean {
    return this.top + bytes + BLOCK_OVERHEAD <= WASM32_LIMIT_BYTES;
  }

  /** Allocates `bytes` (16-byte aligned). Refuses with the size needed when it cannot fit. */
  alloc(bytes: number, what = 'allocation'): number {
    if (!Number.isFinite(bytes) || bytes < 0 || !Number.isInteger(bytes)) throw new RangeError(`${what}: bad byte count ${bytes}`);
    // Before the first alloc the start is unknown but small (the data segment); an engine that
    // then cannot grow traps in alloc, which is reported the same way.
    const start = this.top;
    if (start + bytes + BLOCK_OVERHEAD > WASM32_LIMIT_BYTES) throw new MemoryLimitError(start + bytes + BLOCK_OVERHEAD, what);
    let ptr: number;
    try {
      ptr = this.wasm.alloc(bytes) >>> 0;
    } catch {
      throw new MemoryLimitError(start + bytes + BLOCK_OVERHEAD, `${what} (the engine refused to grow memory)`);
    }
    if (this.base < 0) this.base = ptr - BLOCK_OVERHEAD;
    this.top = Math.max(this.top, ptr + bytes);
    return ptr;
  }

  /** Allocates room for `n` f32 values and optionally copies `data` in. */
  allocF32(n: number, data?: ArrayLike<number>, what = 'f32 buffer'): number {
    const ptr = this.alloc(n * 4, what);
    if (data) this.f32(ptr, n).set(data);
    return ptr;
  }

  allocF64(n: number, data?: ArrayLike<number>, what = 'f64 buffer'): number {
    const ptr = this.alloc(n * 8, what);
    if (data) this.f64(ptr, n).set(data);
    return ptr;
  }

  /** A position to release back to: everything allocated later is freed by release(mark). */
  mark(): number {
    return (this.wasm.heap_mark as () => number)() >>> 0;
  }

  release(mark: number): void {
    (this.wasm.heap_release as (m: number) => void)(mark);
    this.top = Math.min(this.top, mark);
  }

  /** Frees everything at once; the next alloc returns the same first address. */
  reset(): void {
    this.wasm.reset();
    this.top = 0;
    this.base = -1;
  }

  f32(ptr: number, n: number): Float32Array { return new Float32Array(this.memory.buffer, ptr, n); }
  f64(ptr: number, n: number): Float64Array { return new Float64Array(this.memory.buffer, ptr, n); }
  u32(ptr: number, n: number): Uint32Array { return new Uint32Array(this.memory.buffer, ptr, n); }

  /** Copies out of wasm memory, so the result survives later growth and resets. */
  readF32(ptr: number, n: number): Float32Array { return this.f32(ptr, n).slice(); }
  readF64(ptr: number, n: number): Float64Array { return this.f64(ptr, n).slice(); }
}
