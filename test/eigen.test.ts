import { describe, it, expect } from 'vitest';
import { loadWasm, type Binary } from '../src/wasm.js';
import { Heap } from '../src/heap.js';
import { symEigvals, symEigvalsPtr, symInertia, symInertiaPtr, symEigvalsWorkBytes, symInertiaWorkBytes } from '../src/linalg/eigen.js';
import { uniformF64, mulberry32, RAGGED } from './support/data.js';

const BINS: Binary[] = ['scalar', 'simd', 'relaxed', 'debug'];
const U = 2 ** -53;
// Backward-stable reduction + QL, and the Jacobi oracle, each move eigenvalues by O(n·u·‖A‖)
// (Weyl). Stated bound: |λ_i − μ_i| ≤ 16·n·u·‖A‖_F (about 1.8e-13·‖A‖_F at n = 100).
const tol = (n: number, frob: number) => 16 * n * U * frob + 1e-300;

const frobenius = (a: Float64Array) => Math.sqrt(a.reduce((s, v) => s + v * v, 0));

/** Plain cyclic Jacobi: rotate each off-diagonal pair to zero until the off-diagonal mass vanishes. */
function jacobiEigvals(a: Float64Array, n: number): Float64Array {
  const m = Float64Array.from(a.subarray(0, n * n));
  const stop = (1e-17 * frobenius(m)) ** 2;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += m[p * n + q] ** 2;
    if (off <= stop) break;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) {
      const apq = m[p * n + q];
      if (apq === 0) continue;
      const theta = (m[q * n + q] - m[p * n + p]) / (2 * apq);
      const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.hypot(theta, 1));
      const c = 1 / Math.hypot(t, 1), s = t * c;
      for (let k = 0; k < n; k++) { const x = m[k * n + p], y = m[k * n + q]; m[k * n + p] = c * x - s * y; m[k * n + q] = s * x + c * y; }
      for (let k = 0; k < n; k++) { const x = m[p * n + k], y = m[q * n + k]; m[p * n + k] = c * x - s * y; m[q * n + k] = s * x + c * y; }
    }
  }
  return Float64Array.from({ length: n }, (_, i) => m[i * n + i]).sort();
}

/** Symmetric matrix from the lower triangle of uniform(−1, 1) data; zeroDiag forces 2×2 pivots. */
function randomSym(n: number, seed: number, zeroDiag = false): Float64Array {
  const u = uniformF64(n * n, seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = zeroDiag && i === j ? 0 : u[i * n + j];
  return a;
}

/** GOE(n): off-diagonal N(0, 1/n), diagonal N(0, 2/n); the spectrum fills [−2, 2] symmetrically. */
function goe(n: number, seed: number): Float64Array {
  const r = mulberry32(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = normal() * Math.sqrt((i === j ? 2 : 1) / n);
  return a;
}

/** Q·diag(λ)·Qᵀ with Q a product of n random Householder reflections (A ← HAH, kept symmetric). */
function withSpectrum(lambda: number[], seed: number): Float64Array {
  const n = lambda.length;
  const a = new Float64Array(n * n);
  lambda.forEach((l, i) => (a[i * n + i] = l));
  for (let r = 0; r < n; r++) {
    const v = uniformF64(n, seed + r);
    const beta = 2 / v.reduce((s, x) => s + x * x, 0);
    const p = Float64Array.from({ length: n }, (_, i) => beta * v.reduce((s, x, j) => s + a[i * n + j] * x, 0));
    const k = (beta / 2) * p.reduce((s, x, i) => s + x * v[i], 0);
    const q = p.map((x, i) => x - k * v[i]);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] -= v[i] * q[j] + q[i] * v[j];
  }
  return a;
}

const below = (eig: Float64Array | number[], shift: number) => eig.filter((l) => l < shift).length;
/** Shifts at every gap midpoint of a sorted spectrum (at most `max` of them), plus both outsides. */
function midpoints(eig: Float64Array, max = 12): number[] {
  const n = eig.length, step = Math.max(1, Math.floor((n - 1) / max));
  const out = [eig[0] - 1, eig[n - 1] + 1];
  for (let i = 0; i + 1 < n; i += step) out.push((eig[i] + eig[i + 1]) / 2);
  return out;
}

// Oracle spectra, computed once for every binary.
const CASES = RAGGED.flatMap((n) => [false, true].map((zeroDiag) => {
  const a = randomSym(n, 1000 + n + (zeroDiag ? 7 : 0), zeroDiag);
  return { n, zeroDiag, a, eig: jacobiEigvals(a, n), frob: frobenius(a) };
}));
const GOE_N = 200;
const GOE_A = goe(GOE_N, 42);
const GOE_EIG = jacobiEigvals(GOE_A, GOE_N);

describe.each(BINS)('symmetric eigenvalues and inertia on the %s binary', (bin) => {
  const heapOf = async () => new Heap(await loadWasm(bin));

  it('2×2 eigenvalues match the closed form m ∓ hypot((a−c)/2, b)', async () => {
    const heap = await heapOf();
    for (const [a, b, c] of [[0, 1, 0], [2, 0, -3], [1, 1e-20, 1], [1e8, 1, -1e-8], [0.3, -0.7, 0.9]]) {
      const m = (a + c) / 2, r = Math.hypot((a - c) / 2, b);
      const got = symEigvals(heap, Float64Array.of(a, b, b, c), 2);
      expect(Math.max(Math.abs(got[0] - (m - r)), Math.abs(got[1] - (m + r)))).toBeLessThanOrEqual(4 * U * (Math.abs(m) + r));
    }
  });

  it('diagonal matrices give back their diagonal, sorted, exactly', async () => {
    const heap = await heapOf();
    for (const n of RAGGED) {
      const d = uniformF64(n, n), a = new Float64Array(n * n);
      d.forEach((v, i) => (a[i * n + i] = v));
      expect(Array.from(symEigvals(heap, a, n))).toEqual(Array.from(d).sort((x, y) => x - y));
    }
  });

  it.each([false, true])('random symmetric matrices (ragged n, zero diagonals too) match the Jacobi oracle (scalar twin: %s)', async (scalar) => {
    const heap = await heapOf();
    let worst = 0;
    for (const { n, a, eig, frob } of CASES) {
      const got = symEigvals(heap, a, n, { scalar });
      for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(got[i] - eig[i]) / tol(n, frob));
    }
    expect(worst).toBeLessThan(1);
  });

  it('trace = Σλ and ‖A‖_F² = Σλ²', async () => {
    const heap = await heapOf();
    for (const { n, a, frob } of CASES) {
      const got = symEigvals(heap, a, n);
      let trace = 0;
      for (let i = 0; i < n; i++) trace += a[i * n + i];
      expect(Math.abs(got.reduce((s, l) => s + l, 0) - trace)).toBeLessThanOrEqual(n * tol(n, frob));
      expect(Math.abs(got.reduce((s, l) => s + l * l, 0) - frob ** 2)).toBeLessThanOrEqual(2 * n * tol(n, frob) * frob);
    }
  });

  it.each([false, true])('inertia counts the oracle eigenvalues below each shift (scalar twin: %s)', async (scalar) => {
    const heap = await heapOf();
    for (const { a, n, eig } of CASES) {
      const shifts = midpoints(eig);
      expect(shifts.map((s) => symInertia(heap, a, n, s, { scalar }))).toEqual(shifts.map((s) => below(eig, s)));
    }
  });

  it('2×2 pivots and exact zero pivots: [[0,1],[1,0]], diag(1,0,−1), the zero matrix', async () => {
    const heap = await heapOf();
    const swap = Float64Array.of(0, 1, 1, 0);
    // Shifts ±1 make A − σI singular; the exact zero pivot counts as non-negative.
    expect([-2, -1, 0, 1, 2].map((s) => symInertia(heap, swap, 2, s))).toEqual([0, 0, 1, 1, 2]);
    expect(symInertia(heap, Float64Array.of(1, 0, 0, 0, 0, 0, 0, 0, -1), 3, 0)).toBe(1);
    expect(symInertia(heap, new Float64Array(16), 4, 0)).toBe(0);
  });

  it('GOE n = 200: about n/2 eigenvalues below 0, and the count matches the oracle at every gap', async () => {
    const heap = await heapOf();
    const atZero = symInertia(heap, GOE_A, GOE_N, 0);
    expect(atZero).toBe(below(GOE_EIG, 0));
    expect(Math.abs(atZero - GOE_N / 2)).toBeLessThanOrEqual(10);
    const shifts = midpoints(GOE_EIG, 40);
    expect(shifts.map((s) => symInertia(heap, GOE_A, GOE_N, s))).toEqual(shifts.map((s) => below(GOE_EIG, s)));
  });

  it('a known spectrum Q·diag(λ)·Qᵀ, with triple eigenvalues, is recovered, and counted at each midpoint', async () => {
    const heap = await heapOf();
    for (const n of [5, 17, 33]) {
      const lambda = Array.from({ length: n }, (_, i) => Math.round((i - n / 2) / 3) * 0.75).sort((x, y) => x - y);
      const a = withSpectrum(lambda, 7 * n);
      const got = symEigvals(heap, a, n);
      expect(Math.max(...lambda.map((l, i) => Math.abs(got[i] - l)))).toBeLessThan(tol(n, frobenius(a)));
      const mids = [...new Set(lambda)].slice(1).map((l) => l - 0.375);
      expect(mids.map((s) => symInertia(heap, a, n, s))).toEqual(mids.map((s) => below(lambda, s)));
    }
  });

  it('pointer forms with caller workspace: the upper triangle is neither read nor written, and the heap does not leak', async () => {
    const heap = await heapOf();
    const { n, a, eig, frob } = CASES.find((c) => c.n === 17 && !c.zeroDiag)!;
    const first = heap.alloc(16);
    heap.reset();
    const lower = a.map((v, k) => (k % n > Math.floor(k / n) ? NaN : v));
    const aPtr = heap.allocF64(n * n, lower), outPtr = heap.allocF64(n), work = heap.alloc(symEigvalsWorkBytes(heap, n));
    symEigvalsPtr(heap, outPtr, aPtr, n, work);
    expect(Math.max(...heap.readF64(outPtr, n).map((l, i) => Math.abs(l - eig[i])))).toBeLessThan(tol(n, frob));
    expect(heap.readF64(aPtr, n * n).every((v, k) => (k % n > Math.floor(k / n) ? Number.isNaN(v) : Number.isFinite(v)))).toBe(true);
    expect(symInertiaPtr(heap, heap.allocF64(n * n, lower), n, 0, heap.alloc(symInertiaWorkBytes(heap, n)))).toBe(below(eig, 0));
    heap.reset();
    expect(heap.alloc(16)).toBe(first);
  });
});

describe('symmetric eigen input validation', () => {
  it('rejects bad n, short arrays, short lda, non-finite entries or shift, and overlap', async () => {
    const heap = new Heap(await loadWasm('simd'));
    const a = randomSym(3, 1);
    expect(() => symEigvals(heap, a, 0)).toThrow(/n must be an integer ≥ 1/);
    expect(() => symInertia(heap, a, 2.5, 0)).toThrow(/n must be an integer ≥ 1/);
    expect(() => symEigvals(heap, a, 4)).toThrow(/fewer than n·n = 16/);
    expect(() => symEigvals(heap, Float64Array.of(1, 0, NaN, 2), 2)).toThrow(/NaN or ±Infinity/);
    expect(() => symInertia(heap, Float64Array.of(Infinity, 0, 0, 1), 2, 0)).toThrow(/NaN or ±Infinity/);
    expect(() => symInertia(heap, a, 3, NaN)).toThrow(/shift must be finite/);
    const aPtr = heap.allocF64(9, a);
    expect(() => symEigvalsPtr(heap, aPtr + 8, aPtr, 3)).toThrow(/out and A overlap/);
    expect(() => symInertiaPtr(heap, aPtr, 3, 0, undefined, { lda: 2 })).toThrow(/lda 2 is shorter/);
  });

  it('turns a QL failure (code −1) into an Error that says so', async () => {
    const wasm = await loadWasm('simd');
    const heap = new Heap({ ...wasm, sym_eigvals_f64: () => -1 });
    expect(() => symEigvals(heap, randomSym(5, 2), 5)).toThrow(/did not converge within 30·n = 150 iterations/);
    expect(heap.used).toBe(0);
  });
});
