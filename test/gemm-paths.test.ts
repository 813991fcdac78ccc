// The GEMM's special paths against its general ones, bit for bit: k = 1 (rank-1 updates) and
// one-row products (m = 1, NT), on the SIMD binaries.
import { describe, it, expect } from 'vitest';
import { loadWasm, type Binary } from '../src/wasm.js';
import { Heap } from '../src/heap.js';
import { makeCase, run, type Case } from './support/gemm-cases.js';

let seed = 7001;

describe('the k = 1 (rank-1) path', () => {
  // The weight gradient of a one-sample minibatch: each product is formed once and finished as the
  // tiles finish it, so simd, relaxed and the scalar twin must agree bit for bit.
  it.each([false, true])('equals the scalar twin bit for bit, strided, beta 0 (NaN in C), 1 and −1.5 (transA: %s)', async (tA) => {
    const heaps = await Promise.all((['simd', 'relaxed'] as Binary[]).map(async (b) => new Heap(await loadWasm(b))));
    for (const [m, n] of [[1, 1], [3, 5], [17, 33], [500, 100], [10, 500]]) {
      for (const beta of [0, 1, -1.5]) {
        const t = makeCase(m, n, 1, tA, false, (seed += 3), 2, -0.1, beta);
        if (beta === 0) t.c.fill(NaN);
        const results = [run(heaps[0], t, true), ...heaps.map((h) => run(h, t, false))];
        for (const r of results.slice(1)) expect(Array.from(r)).toEqual(Array.from(results[0]));
        for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) expect(Number.isNaN(results[0][i * t.ldc + j])).toBe(false); // C's NaN never read
      }
    }
  });
});

describe('the one-row dot path (m = 1, NT)', () => {
  // Row 0 of a two-row product goes through dot4x2; the same row alone through dot1x4. The sums
  // run in the same lanes and reductions, so the bits must agree.
  it.each(['simd', 'relaxed'] as Binary[])('gives row 0 of the two-row product bit for bit (%s)', async (bin) => {
    const heap = new Heap(await loadWasm(bin));
    for (const [n, k] of [[1, 48], [3, 50], [10, 100], [13, 257], [500, 100], [10, 500]]) {
      for (const beta of [0, 1, -1.5]) {
        const two = makeCase(2, n, k, false, true, (seed += 3), 0, 0.75, beta);
        const one: Case = { ...two, m: 1, a: two.a.slice(0, k), c: two.c.slice(0, n) };
        const r2 = run(heap, two, false), r1 = run(heap, one, false);
        expect(Array.from(r1)).toEqual(Array.from(r2.slice(0, n)));
      }
    }
  });
});
