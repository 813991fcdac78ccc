import { describe, it, expect } from 'vitest';
import { loadWasm } from '../src/wasm.js';
import { Heap, MemoryLimitError } from '../src/heap.js';

describe('Heap', () => {
  it('alloc, reset, alloc returns the same address (no leak)', async () => {
    const heap = new Heap(await loadWasm('simd'));
    const first = heap.alloc(1000);
    heap.alloc(5000);
    heap.reset();
    expect(heap.alloc(1000)).toBe(first);
  });

  it('allocations are 16-byte aligned for v128 loads', async () => {
    const heap = new Heap(await loadWasm('simd'));
    const ptrs = [1, 3, 17, 100, 4096].map((n) => heap.alloc(n));
    expect(ptrs.every((p) => p % 16 === 0)).toBe(true);
  });

  it('views made after memory growth still see the data written before it', async () => {
    const heap = new Heap(await loadWasm('simd'));
    const data = Float32Array.from({ length: 33 }, (_, i) => i * 0.5 - 3);
    const ptr = heap.allocF32(data.length, data);
    const stale = heap.f32(ptr, data.length);
    const pagesBefore = heap.memory.buffer.byteLength;
    heap.alloc(64 << 20); // forces memory.grow, which detaches `stale`
    expect(heap.memory.buffer.byteLength).toBeGreaterThan(pagesBefore);
    expect(stale.length).toBe(0);
    expect(Array.from(heap.f32(ptr, data.length))).toEqual(Array.from(data));
  });

  it('refuses a request past the 4 GiB wasm32 ceiling with the size needed', async () => {
    const heap = new Heap(await loadWasm('simd'));
    expect(() => heap.alloc(5 * 2 ** 30, 'p=3 dense couplings')).toThrow(MemoryLimitError);
    expect(() => heap.alloc(5 * 2 ** 30, 'p=3 dense couplings')).toThrow(/p=3 dense couplings needs 5\.00 GiB/);
  });

  it('refuses non-integer and negative sizes', async () => {
    const heap = new Heap(await loadWasm('simd'));
    expect(() => heap.alloc(-1)).toThrow(RangeError);
    expect(() => heap.alloc(1.5)).toThrow(RangeError);
  });
});
