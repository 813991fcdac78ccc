import { describe, it, expect } from 'vitest';
import { loadWasm, BINARIES, type Binary } from '../src/wasm.js';
import { Heap } from '../src/heap.js';
import { dot, dotPtr, axpy, axpyPtr, gemv, gemvPtr, symv, symvPtr } from '../src/linalg/blas64.js';
import { uniformF64, RAGGED } from './support/data.js';

// Tolerance: a sum of n products in f64, in any order, is within (n+2)·u·Σ|terms| of the exact
// value (u = 2^-53); the alpha/beta update adds two roundings, covered by the +2. `worst` is the
// largest error in units of that bound, so < 1 passes.
const bound = (n: number, mag: number) => (n + 2) * 2 ** -53 * mag + 1e-300;

/** Plain f64 reference of y ← alpha·op(A)·x + beta·y on a row-major A with stride lda; returns [value, Σ|terms|]. */
function gemvRef(a: Float64Array, lda: number, x: Float64Array, y: Float64Array, m: number, n: number, trans: boolean, alpha: number, beta: number) {
  const rows = trans ? n : m, cols = trans ? m : n;
  return Array.from({ length: rows }, (_, i) => {
    let t = 0, g = 0;
    for (let j = 0; j < cols; j++) { const v = (trans ? a[j * lda + i] : a[i * lda + j]) * x[j]; t += v; g += Math.abs(v); }
    return [alpha * t + (beta === 0 ? 0 : beta * y[i]), Math.abs(alpha) * g + Math.abs(beta * y[i])];
  });
}

/** A with row stride lda = cols + 3, the padding NaN so that a stride bug shows. */
function padded(rows: number, cols: number, seed: number): [Float64Array, number] {
  const lda = cols + 3, src = uniformF64(rows * cols, seed), a = new Float64Array(rows * lda).fill(NaN);
  for (let i = 0; i < rows; i++) a.set(src.subarray(i * cols, (i + 1) * cols), i * lda);
  return [a, lda];
}

const heaps = new Map<Binary, Promise<Heap>>();
const heap = (bin: Binary) => {
  if (!heaps.has(bin)) heaps.set(bin, loadWasm(bin).then((w) => new Heap(w)));
  return heaps.get(bin)!;
};
const CASES = BINARIES.flatMap((bin) => [false, true].map((scalar) => [bin, scalar] as const));

describe.each(CASES)('f64 BLAS, %s binary (scalar twin: %s)', (bin, scalar) => {
  it('dot matches the f64 oracle on ragged sizes', async () => {
    const h = await heap(bin);
    let worst = 0;
    for (const n of [0, ...RAGGED, 1000]) {
      const x = uniformF64(n, n), y = uniformF64(n, n + 7);
      let s = 0, g = 0;
      for (let i = 0; i < n; i++) { s += x[i] * y[i]; g += Math.abs(x[i] * y[i]); }
      worst = Math.max(worst, Math.abs(dot(h, x, y, scalar) - s) / bound(n, g));
    }
    expect(worst).toBeLessThan(1);
  });

  it('gemv (A and Aᵀ, row stride lda > n) matches the oracle on ragged m × n', async () => {
    const h = await heap(bin);
    let worst = 0, seed = 100;
    for (const m of RAGGED) for (const n of RAGGED) for (const trans of [false, true]) {
      const [a, lda] = padded(m, n, seed++), x = uniformF64(trans ? m : n, seed++), y = uniformF64(trans ? n : m, seed++);
      const yPtr = h.allocF64(y.length, y), aPtr = h.allocF64(a.length, a), xPtr = h.allocF64(x.length, x);
      gemvPtr(h, yPtr, aPtr, xPtr, m, n, { lda, trans, alpha: 1.5, beta: -0.5, scalar });
      const got = h.readF64(yPtr, y.length);
      gemvRef(a, lda, x, y, m, n, trans, 1.5, -0.5).forEach(([want, mag], i) => { worst = Math.max(worst, Math.abs(got[i] - want) / bound(trans ? m : n, mag)); });
      h.reset();
    }
    expect(worst).toBeLessThan(1);
  });

  it('symv reads only the lower triangle (NaN above it and in the stride padding)', async () => {
    const h = await heap(bin);
    let worst = 0;
    for (const n of RAGGED) {
      const [a, lda] = padded(n, n, n);
      for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) { a[j * lda + i] = NaN; }
      const full = a.map((v, k) => { const i = Math.floor(k / lda), j = k % lda; return j < n && j > i ? a[j * lda + i] : v; });
      const x = uniformF64(n, n + 1), y = uniformF64(n, n + 2);
      const yPtr = h.allocF64(n, y);
      symvPtr(h, yPtr, h.allocF64(a.length, a), h.allocF64(n, x), n, { lda, alpha: 2, beta: 0.25, scalar });
      const got = h.readF64(yPtr, n);
      gemvRef(full, lda, x, y, n, n, false, 2, 0.25).forEach(([want, mag], i) => { worst = Math.max(worst, Math.abs(got[i] - want) / bound(n, mag)); });
      h.reset();
    }
    expect(worst).toBeLessThan(1);
  });

  it('axpy: y ← αx + y exactly, and y = x is allowed', async () => {
    const h = await heap(bin);
    for (const n of RAGGED) {
      const x = uniformF64(n, n), y = uniformF64(n, n + 1);
      expect(axpy(h, y, x, -0.5, scalar)).toEqual(y.map((v, i) => v + -0.5 * x[i]));
      const xPtr = h.allocF64(n, x);
      axpyPtr(h, xPtr, xPtr, n, 1, scalar);
      expect(h.readF64(xPtr, n)).toEqual(x.map((v) => 2 * v));
      h.reset();
    }
  });

  it('beta = 0 ignores NaN in y; alpha = 0 ignores NaN in A and x', async () => {
    const h = await heap(bin);
    const nan = (k: number) => new Float64Array(k).fill(NaN);
    const y = uniformF64(17, 9);
    const got = [
      ...gemv(h, uniformF64(17 * 5, 1), uniformF64(5, 2), 17, 5, { y: nan(17), scalar }),
      ...gemv(h, uniformF64(17 * 5, 1), uniformF64(17, 2), 17, 5, { trans: true, y: nan(5), scalar }),
      ...symv(h, uniformF64(33 * 33, 3), uniformF64(33, 4), 33, { y: nan(33), scalar }),
    ];
    expect(got.every(Number.isFinite)).toBe(true);
    expect(gemv(h, nan(17 * 5), nan(5), 17, 5, { alpha: 0, beta: 2, y, scalar })).toEqual(y.map((v) => 2 * v));
    expect(symv(h, nan(17 * 17), nan(17), 17, { alpha: 0, beta: 2, y, scalar })).toEqual(y.map((v) => 2 * v));
  });

  it('empty dimensions: m = 0 or n = 0 leaves beta·y', async () => {
    const h = await heap(bin);
    const y = uniformF64(4, 5);
    expect(gemv(h, new Float64Array(0), new Float64Array(0), 0, 4, { trans: true, beta: 3, y, scalar })).toEqual(y.map((v) => 3 * v));
    expect(gemv(h, new Float64Array(0), new Float64Array(0), 4, 0, { beta: 3, y, scalar })).toEqual(y.map((v) => 3 * v));
    expect(dot(h, new Float64Array(0), new Float64Array(0), scalar)).toBe(0);
  });
});

describe('f64 BLAS twins and boundary', () => {
  it('in SIMD binaries, axpy and gemv with Aᵀ equal their scalar twins bit for bit (no reduction)', async () => {
    const h = await heap('simd');
    const a = uniformF64(33 * 17, 1), x = uniformF64(33, 2), y = uniformF64(17, 3);
    expect(gemv(h, a, x, 33, 17, { trans: true, alpha: 0.7, beta: 1.3, y })).toEqual(gemv(h, a, x, 33, 17, { trans: true, alpha: 0.7, beta: 1.3, y, scalar: true }));
    expect(axpy(h, y, y.map((v) => v * 3), 0.3)).toEqual(axpy(h, y, y.map((v) => v * 3), 0.3, true));
  });

  it('refuses y overlapping A or x in gemv and symv, and partial overlap in axpy', async () => {
    const h = await heap('simd');
    const a = h.allocF64(16), x = h.allocF64(4), y = h.allocF64(8);
    expect(() => gemvPtr(h, a + 64, a, x, 4, 4)).toThrow(/gemv_f64: y and A overlap/);
    expect(() => gemvPtr(h, x + 8, a, x, 4, 4)).toThrow(/gemv_f64: y and x overlap/);
    expect(() => gemvPtr(h, y, a, y + 24, 4, 4, { trans: true })).toThrow(/gemv_f64: y and x overlap/);
    expect(() => symvPtr(h, a + 8, a, x, 4)).toThrow(/symv_f64: y and A overlap/);
    expect(() => symvPtr(h, x, a, x, 4)).toThrow(/symv_f64: y and x overlap/);
    expect(() => axpyPtr(h, y + 8, y, 4, 1)).toThrow(/axpy_f64: y and x \(partially\) overlap/);
    h.reset();
  });

  it('refuses bad dims, strides, pointers and array lengths with a RangeError naming them', async () => {
    const h = await heap('simd');
    expect(() => gemvPtr(h, 0, 64, 128, 2, 4, { lda: 3 })).toThrow(/gemv_f64: lda must be an integer ≥ 4/);
    expect(() => symvPtr(h, -8, 64, 128, 2)).toThrow(/symv_f64: yPtr must be a byte address/);
    expect(() => dotPtr(h, 0, 0, 1.5)).toThrow(/dot_f64: n must be an integer/);
    expect(() => gemv(h, new Float64Array(6), new Float64Array(3), 2, 3, { trans: true })).toThrow(/gemv_f64: x has 3 entries, expected 2/);
    expect(() => symv(h, new Float64Array(8), new Float64Array(3), 3)).toThrow(/symv_f64: A has 8 entries, expected 9/);
    expect(() => dot(h, new Float64Array(2), new Float64Array(3))).toThrow(RangeError);
  });

  it('the array versions reset the heap: the next alloc returns the first address again', async () => {
    const h = await heap('simd');
    h.reset();
    const first = h.alloc(8);
    symv(h, uniformF64(16, 1), uniformF64(4, 2), 4);
    expect(h.alloc(8)).toBe(first);
    h.reset();
  });
});
