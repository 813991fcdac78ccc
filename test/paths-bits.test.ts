// assembly/paths_bits.ts against the u8 kernels it replaces in A5u (paths_mi_counts_u8) and the JS
// quantileBins: integer counts and bins must agree exactly, label sums bit for bit (same order).
import { describe, it, expect, beforeAll } from 'vitest';
import { loadWasm } from '../src/wasm.js';
import { Heap } from '../src/heap.js';
import { biasFreeCount, Resident } from '../src/audit/resident.js';
import { nullPermutations, quantileBins, wasmQuantileBins } from '../src/audit/dependence.js';
import { mulberry32, uniformF64 } from './support/data.js';

let heap: Heap;
beforeAll(async () => { heap = new Heap(await loadWasm('debug')); });

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => { let m = a.length === b.length ? 0 : Infinity; for (let i = 0; i < a.length; i++) m = Math.max(m, Object.is(a[i], b[i]) ? 0 : Math.abs(a[i] - b[i]) || Infinity); return m; };

// Ragged: S around the 64-bit word edges, unit counts that leave 2 × 4 tile tails.
const CASES = [[[5, 4, 3], 1], [[3, 17, 1], 63], [[16, 5, 2], 64], [[4, 3, 5, 2], 65], [[5, 4, 3, 1], 130], [[7, 9, 6, 3], 200]].map(([layers, S], t) => ({ layers: layers as number[], S: S as number, seed: 7 * t + 1 }));

describe('popcount GEMM counts and label sums', () => {
  it.each(CASES)('equal paths_mi_counts_u8 (observed and permuted): $layers S=$S', ({ layers, S, seed }) => {
    const d = layers[0], B = 5, nOut = layers.at(-1)!, C = Math.max(nOut, 2), X = uniformF64(S * d, seed).map((v) => 2 * v - 1);
    const rnd = mulberry32(seed + 1), y = Int32Array.from({ length: S }, () => Math.floor(rnd() * C));
    const r = new Resident(heap, { layers, params: uniformF64(biasFreeCount(layers), seed + 2).map((v) => v - 0.5) }, { X, S });
    try {
      const [perm] = nullPermutations(r, 1, seed);
      const n1 = layers[1], nb = r.L === 3 ? layers[2] : 0, U = n1 * Math.max(nb, 1), W = Math.ceil(S / 64);
      const got = r.scratch(() => {
        const k = r.k, bins = heap.alloc(S * d), yPtr = heap.alloc(4 * S), pp = heap.alloc(4 * S);
        new Uint8Array(heap.memory.buffer, bins, S * d).set(quantileBins(X, S, d, B));
        new Int32Array(heap.memory.buffer, yPtr, S).set(y);
        heap.u32(pp, S).set(perm);
        const old = { cnt: heap.alloc(4 * U * d * B), cls: heap.allocF64(U * C, new Float64Array(U * C)), sum: heap.allocF64(U * C * d, new Float64Array(U * C * d)) };
        const oldNull = heap.alloc(4 * U * d * B), list = heap.alloc(4 * S);
        heap.u32(old.cnt, U * d * B).fill(0); heap.u32(oldNull, U * d * B).fill(0);
        k.paths_mi_counts_u8(old.cnt, old.cls, old.sum, r.maskPtr, r.h, 0, n1, n1, nb, bins, r.xPtr, yPtr, 0, S, d, B, C, list);
        k.paths_mi_counts_u8(oldNull, 0, 0, r.maskPtr, r.h, 0, n1, n1, nb, bins, r.xPtr, yPtr, pp, S, d, B, C, list);
        const mask = heap.alloc(8 * W * r.h), binBits = heap.alloc(8 * W * d * B), units = heap.alloc(8 * W * U);
        k.paths_bits_u8(mask, r.maskPtr, r.h, r.h, 1, 0, S);
        if (nb) k.paths_bits_and(units, mask, 0, n1, mask + 8 * W * n1, nb, W); else new Uint8Array(heap.memory.buffer, units, 8 * W * U).set(new Uint8Array(heap.memory.buffer, mask, 8 * W * U));
        const cnt = heap.alloc(4 * U * d * B), cntNull = heap.alloc(4 * U * d * B);
        k.paths_bits_u8(binBits, bins, d, d, B, 0, S);
        k.paths_popcount_u32(cnt, units, U, binBits, d * B, W);
        k.paths_bits_u8(binBits, bins, d, d, B, pp, S);
        k.paths_popcount_u32(cntNull, units, U, binBits, d * B, W);
        const cls = heap.allocF64(U * C, new Float64Array(U * C)), sum = heap.allocF64(U * C * d, new Float64Array(U * C * d));
        k.paths_label_sums_f64(cls, sum, units, U, W, r.xPtr, yPtr, 0, d, C);
        const rd = (p: number, n: number) => heap.u32(p, n).slice();
        return { oldCnt: rd(old.cnt, U * d * B), oldNull: rd(oldNull, U * d * B), oldCls: heap.readF64(old.cls, U * C), oldSum: heap.readF64(old.sum, U * C * d),
          cnt: rd(cnt, U * d * B), cntNull: rd(cntNull, U * d * B), cls: heap.readF64(cls, U * C), sum: heap.readF64(sum, U * C * d) };
      });
      expect([maxDiff(got.cnt, got.oldCnt), maxDiff(got.cntNull, got.oldNull), maxDiff(got.cls, got.oldCls), maxDiff(got.sum, got.oldSum)]).toEqual([0, 0, 0, 0]);
    } finally { r.release(); }
  });
});

describe('quantile bins in wasm', () => {
  it.each([[1, 3, 8], [63, 5, 2], [64, 4, 255], [130, 7, 16]])('equal quantileBins with ties, ±0, ±∞ and NaN: S=%i d=%i B=%i', (S, d, B) => {
    const X = uniformF64(S * d, S + d).map((v, t) => (t % 3 === 0 ? Math.floor(v * 4) - 2 : [-0, 0, NaN, -Infinity, Infinity, 5e-324, v - 0.5][t % 7]));
    const r = new Resident(heap, { layers: [d, 1], params: new Float64Array(d) }, { X, S });
    try { expect(maxDiff(wasmQuantileBins(r, B), quantileBins(X, S, d, B))).toBe(0); } finally { r.release(); }
  });
});
