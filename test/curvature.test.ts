import { describe, it, expect, beforeAll } from 'vitest';
import { loadWasm } from '../src/wasm.js';
import { Heap } from '../src/heap.js';
import { exactHessian, hvp, lossGradient, asymmetryOf } from '../src/curvature/hessian.js';
import { curvatureIndex, countsFromSpectrum } from '../src/curvature/spectrum.js';
import { hessianByDifferences, hvpByDifferences } from '../src/curvature/reference.js';
import { MLP_LOSSES, type MlpLoss, type MlpSpec, gradient, isBinaryLoss, paramCount } from '../src/mlp/reference.js';
import { mulberry32, uniformF64 } from './support/data.js';

let heap: Heap;
beforeAll(async () => { heap = new Heap(await loadWasm('debug')); });

/** Seeded net and data: weights in [−1, 1], inputs in [−1, 1], labels for the loss. */
function problem(layers: number[], bias: boolean, loss: MlpLoss, S: number, seed: number) {
  const spec: MlpSpec = { layers, bias, loss };
  const P = paramCount(layers, bias);
  const params = uniformF64(P, seed);
  const X = uniformF64(S * layers[0], seed + 1);
  const r = mulberry32(seed + 2), c = layers.at(-1)!;
  const y = Int32Array.from({ length: S }, () => (isBinaryLoss(loss) ? (r() < 0.5 ? 1 : -1) : Math.floor(r() * c)));
  return { spec, P, params, X, y, S };
}

const maxAbs = (a: ArrayLike<number>) => Array.prototype.reduce.call(a, (m: number, v: number) => Math.max(m, Math.abs(v)), 0) as number;
const relErr = (a: Float64Array, b: Float64Array) => maxAbs(a.map((v, i) => v - b[i])) / Math.max(maxAbs(b), 1e-300);

// Ragged tiny nets: depth 2 and 3 weight layers, 1-3 hidden units, 1-5 samples, every loss, with and without bias.
const CASES = MLP_LOSSES.flatMap((loss, li) => [
  { layers: [3, 2, isBinaryLoss(loss) ? 1 : 3], bias: true, S: 5 },
  { layers: [2, 3, isBinaryLoss(loss) ? 1 : 2], bias: false, S: 1 },
  { layers: [3, 1, 2, isBinaryLoss(loss) ? 1 : 3], bias: true, S: 4 },
  { layers: [2, 3, 2, isBinaryLoss(loss) ? 1 : 2], bias: false, S: 3 },
].map((c, i) => ({ ...c, loss, seed: 100 * li + 7 * i + 1 })));

describe('f64 loss and gradient kernel', () => {
  it.each(CASES)('matches the f64 reference backprop: $loss $layers bias=$bias S=$S', ({ layers, bias, loss, S, seed }) => {
    const p = problem(layers, bias, loss, S, seed);
    const got = lossGradient(heap, p.spec, p.params, p.X, p.y, p.S);
    const want = gradient(p.spec, p.params, p.X, p.y, p.S);
    expect(Math.abs(got.loss - want.loss)).toBeLessThan(1e-14 * Math.max(1, want.loss));
    expect(maxAbs(got.grad.map((g, i) => g - want.grad[i]))).toBeLessThan(1e-14);
  });
});

describe('exact Hessian by the R-op', () => {
  // Tolerance: relative 1e-6 of max|H| (central differences at h = 1e-5 are good to ~1e-10).
  it.each(CASES)('equals central differences of the exact gradient: $loss $layers bias=$bias S=$S', ({ layers, bias, loss, S, seed }) => {
    // Tiny ReLU nets are often dead (H = 0 exactly): take the first seed of the case's sequence that is not.
    let p = problem(layers, bias, loss, S, seed), want = hessianByDifferences(p.spec, p.params, p.X, p.y, p.S);
    for (let s = seed + 1000; maxAbs(want) === 0; s += 1000) {
      p = problem(layers, bias, loss, S, s);
      want = hessianByDifferences(p.spec, p.params, p.X, p.y, p.S);
    }
    const got = exactHessian(heap, p.spec, p.params, p.X, p.y, p.S, { block: 3, method: 'rop' });
    expect(relErr(got.H, want)).toBeLessThan(1e-6);
    expect(got.asymmetry).toBeLessThan(1e-12);
  });

  it('HVP of random directions equals differences of the gradient, and H·I equals the assembled rows', () => {
    const p = problem([5, 4, 3, 3], true, 'cross-entropy', 17, 42);
    const k = 5;
    const V = uniformF64(k * p.P, 9);
    const HV = hvp(heap, p.spec, p.params, p.X, p.y, p.S, V, k, { block: 2 });
    for (let t = 0; t < k; t++) {
      const want = hvpByDifferences(p.spec, p.params, p.X, p.y, p.S, V.subarray(t * p.P, (t + 1) * p.P));
      expect(relErr(HV.subarray(t * p.P, (t + 1) * p.P), want)).toBeLessThan(1e-6);
    }
    const I = new Float64Array(p.P * p.P).map((_, i) => (i % (p.P + 1) === 0 ? 1 : 0));
    const H = exactHessian(heap, p.spec, p.params, p.X, p.y, p.S).H;
    expect(relErr(hvp(heap, p.spec, p.params, p.X, p.y, p.S, I, p.P), H)).toBeLessThan(1e-13);
  });

  it('scalar twins agree with the SIMD kernels, block size does not matter, and the heap is released', () => {
    const p = problem([7, 5, 4], false, 'multiclass-hinge', 33, 5);
    const mark = heap.mark();
    const a = exactHessian(heap, p.spec, p.params, p.X, p.y, p.S, { block: 16, method: 'rop' });
    const b = exactHessian(heap, p.spec, p.params, p.X, p.y, p.S, { block: 5, scalar: true, method: 'rop' });
    expect(heap.mark()).toBe(mark);
    expect(relErr(a.H, b.H)).toBeLessThan(1e-13);
    expect(a.gradNorm).toBeGreaterThan(0);
  });

  it('counts pre-activations at the kink and refuses bad input', () => {
    const p = problem([2, 3, 2], false, 'cross-entropy', 4, 3);
    const X = new Float64Array(p.X).fill(0, 0, 2); // sample 0 is x = 0: all three hidden z are 0
    expect(lossGradient(heap, p.spec, p.params, X, p.y, p.S)).toMatchObject({ kinks: 3, fractionNearKink: 3 / 12 });
    expect(() => exactHessian(heap, p.spec, p.params.subarray(1), p.X, p.y, p.S)).toThrow(/params has/);
    expect(() => exactHessian(heap, p.spec, p.params, p.X, Int32Array.of(0, 1, 2, 0), p.S)).toThrow(/label 2/);
  });

  it.each([
    { layers: [4, 3], bias: true, loss: 'cross-entropy' as const },
    { layers: [3, 2, 3, 2, 1], bias: true, loss: 'binary-hinge' as const },
    { layers: [3, 3, 2, 2, 3], bias: false, loss: 'cross-entropy' as const },
  ])('any depth: $layers $loss', ({ layers, bias, loss }) => {
    const p = problem(layers, bias, loss, 6, 21);
    const got = exactHessian(heap, p.spec, p.params, p.X, p.y, p.S, { block: 4, method: 'rop' });
    const want = hessianByDifferences(p.spec, p.params, p.X, p.y, p.S);
    expect(maxAbs(want)).toBeGreaterThan(0);
    expect(relErr(got.H, want)).toBeLessThan(1e-6);
  });

  it('takes f32 weights and inputs (converted exactly to f64)', () => {
    const p = problem([4, 3, 3], true, 'cross-entropy', 5, 8);
    const w32 = Float32Array.from(p.params), x32 = Float32Array.from(p.X);
    const got = exactHessian(heap, p.spec, w32, x32, p.y, p.S);
    expect(relErr(got.H, hessianByDifferences(p.spec, w32, x32, p.y, p.S))).toBeLessThan(1e-6);
  });

  it('asymmetry of a constructed matrix', () => {
    expect(asymmetryOf(Float64Array.of(1, 2, 0, 1), 2).asymmetry).toBeCloseTo(Math.sqrt(8 / 6), 12);
  });
});

/** Q·diag(λ)·Qᵀ with Q a product of seeded Householder reflections: known eigenvalues, dense entries. */
function withEigenvalues(lambda: number[], seed: number): Float64Array {
  const n = lambda.length;
  const A = new Float64Array(n * n);
  lambda.forEach((l, i) => { A[i * n + i] = l; });
  for (let r = 0; r < 3; r++) {
    const v = uniformF64(n, seed + r);
    const vv = v.reduce((s, x) => s + x * x, 0);
    const Av = new Float64Array(n), vA = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) { Av[i] += A[i * n + j] * v[j]; vA[j] += v[i] * A[i * n + j]; }
    const vAv = v.reduce((s, x, i) => s + x * Av[i], 0);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      A[i * n + j] += (-2 * v[i] * vA[j] - 2 * Av[i] * v[j] + (4 * vAv * v[i] * v[j]) / vv) / vv;
    }
  }
  return A;
}

describe('index and spectrum', () => {
  const lambda = [-2, -0.5, -5e-4, -2e-7, 0, 3e-10, 4e-7, 8e-4, 0.3, 1, 7];
  const A = withEigenvalues(lambda, 11);

  it('the spectrum of a constructed matrix, and [P2]s normalised index (|λ| < 1e-3 zeroed)', () => {
    const r = curvatureIndex(heap, A, lambda.length, { taus: [1e-3, 1e-6, 1e-9] });
    expect(maxAbs(r.eigenvalues.map((v, i) => v - lambda[i]))).toBeLessThan(1e-13);
    expect(r.normalisedIndex).toBe(2 / 11);
  });

  it('inertia counts equal the counts read off the spectrum at every τ', () => {
    const r = curvatureIndex(heap, A, lambda.length, { taus: [1e-3, 1e-6, 1e-9, 0.4] });
    expect(r.counts).toEqual(r.spectrumCounts);
    expect(r.counts.map((c) => [c.negative, c.nearZero, c.positive])).toEqual([[2, 6, 3], [3, 4, 4], [4, 2, 5], [2, 7, 2]]);
  });

  it('agrees with the spectrum on a network Hessian too, and counts without the spectrum', () => {
    const p = problem([6, 5, 3], false, 'cross-entropy', 20, 77);
    const { H, P } = exactHessian(heap, p.spec, p.params, p.X, p.y, p.S);
    const r = curvatureIndex(heap, H, P);
    expect(r.counts).toEqual(r.spectrumCounts);
    expect(curvatureIndex(heap, H, P, { spectrum: false }).counts).toEqual(r.counts);
    expect(curvatureIndex(heap, H, P, { inertia: false })).toMatchObject({ counts: [], spectrumCounts: r.spectrumCounts, normalisedIndex: r.normalisedIndex });
    expect(r.normalisedIndex).toBe(countsFromSpectrum(r.eigenvalues, 1e-3).negative / P);
  });
});
