import { describe, it, expect } from 'vitest';
import { loadWasm, type Binary } from '../src/wasm.js';
import { Heap } from '../src/heap.js';
import { dot, dotPtr, axpyPtr, gemv, gemvPtr, symv, symvPtr } from '../src/linalg/blas64.js';
import { uniformF64, RAGGED } from './support/data.js';

const BINS: Binary[] = ['scalar', 'simd', 'relaxed', 'debug'];
// f64 sums of n products: |error| ≤ (n+2)·u·Σ|terms|, u = 2^-53.
const bound = (n: number, mag: number) => (n + 2) * 2 ** -53 * mag + 1e-300;

describe.each(BINS)('f64 BLAS on the %s binary', (bin) => {
  it.each([false, true])('dot, gemv (both forms) and symv match the f64 oracle on ragged sizes (scalar twin: %s)', async (scalar) => {
    const heap = new Heap(await loadWasm(bin));
    let worst = 0;
    let seed = 100;
    for (const m of RAGGED) for (const n of RAGGED) {
      const x = uniformF64(n, seed++), y = uniformF64(n, seed++);
      let s = 0, g = 0;
      for (let i = 0; i < n; i++) { s += x[i] * y[i]; g += Math.abs(x[i] * y[i]); }
      worst = Math.max(worst, Math.abs(dot(heap, x, y, scalar) - s) / bound(n, g));

      const a = uniformF64(m * n, seed++), xm = uniformF64(m, seed++), y0 = uniformF64(Math.max(m, n), seed++);
      for (const trans of [false, true]) {
        const rows = trans ? n : m, cols = trans ? m : n, xv = trans ? xm : x;
        const yIn = y0.subarray(0, rows);
        const got = gemv(heap, a, xv, m, n, { trans, alpha: 1.5, beta: -0.5, y: yIn, scalar });
        for (let i = 0; i < rows; i++) {
          let t = 0, tg = 0;
          for (let j = 0; j < cols; j++) { const v = (trans ? a[j * n + i] : a[i * n + j]) * xv[j]; t += v; tg += Math.abs(v); }
          worst = Math.max(worst, Math.abs(got[i] - (1.5 * t - 0.5 * yIn[i])) / bound(cols, 1.5 * tg + 0.5 * Math.abs(yIn[i])));
        }
      }
    }
    for (const n of RAGGED) {
      // Symmetric matrix with NaN above the diagonal: symv must read only the lower triangle.
      const full = uniformF64(n * n, seed++);
      const a = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = j <= i ? full[i * n + j] : NaN;
      const x = uniformF64(n, seed++), y0 = uniformF64(n, seed++);
      const got = symv(heap, a, x, n, { alpha: 2, beta: 0.25, y: y0, scalar });
      for (let i = 0; i < n; i++) {
        let t = 0, tg = 0;
        for (let j = 0; j < n; j++) { const v = (j <= i ? a[i * n + j] : a[j * n + i]) * x[j]; t += v; tg += Math.abs(v); }
        worst = Math.max(worst, Math.abs(got[i] - (2 * t + 0.25 * y0[i])) / bound(n, 2 * tg + 0.25 * Math.abs(y0[i])));
      }
    }
    expect(worst).toBeLessThan(1);
  });

  it('axpy: y ← αx + y, and y = x is allowed', async () => {
    const heap = new Heap(await loadWasm(bin));
    for (const n of RAGGED) {
      const x = uniformF64(n, n), y = uniformF64(n, n + 1);
      const xPtr = heap.allocF64(n, x), yPtr = heap.allocF64(n, y);
      axpyPtr(heap, yPtr, xPtr, n, -0.5);
      expect(Array.from(heap.f64(yPtr, n))).toEqual(Array.from(y, (v, i) => v + -0.5 * x[i]));
      axpyPtr(heap, xPtr, xPtr, n, 1);
      expect(Array.from(heap.f64(xPtr, n))).toEqual(Array.from(x, (v) => 2 * v));
      heap.reset();
    }
  });

  it('beta = 0 ignores NaN in y', async () => {
    const heap = new Heap(await loadWasm(bin));
    const got = gemv(heap, uniformF64(17 * 5, 1), uniformF64(5, 2), 17, 5, { y: new Float64Array(17).fill(NaN) });
    const got2 = symv(heap, uniformF64(33 * 33, 3), uniformF64(33, 4), 33, { y: new Float64Array(33).fill(NaN) });
    expect([...got, ...got2].every(Number.isFinite)).toBe(true);
  });
});

describe('f64 BLAS aliasing', () => {
  it('refuses y overlapping A or x in gemv and symv, and partial overlap in axpy', async () => {
    const heap = new Heap(await loadWasm('simd'));
    const a = heap.allocF64(16), x = heap.allocF64(4), y = heap.allocF64(8);
    expect(() => gemvPtr(heap, a, a, x, 4, 4)).toThrow(/y and A overlap/);
    expect(() => gemvPtr(heap, x, a, x, 4, 4)).toThrow(/y and x overlap/);
    expect(() => symvPtr(heap, a + 8, a, x, 4)).toThrow(/y and A overlap/);
    expect(() => axpyPtr(heap, y + 8, y, 4, 1)).toThrow(/overlap/);
    expect(dotPtr(heap, x, x, 4)).toBe(0);
  });
});
