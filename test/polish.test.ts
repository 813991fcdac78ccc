// Polishing: MINRES solves symmetric indefinite systems; Levenberg–Marquardt steps on ∇L with the
// exact Hessian reach a critical point (‖∇L‖ ≤ 10⁻⁸) near a small net's start, checked against the
// plain-f64 TS backprop of src/mlp/reference.ts (not the wasm gradient the polish itself reads).
import { describe, it, expect } from 'vitest';
import { loadWasm } from '../src/wasm.js';
import { Heap } from '../src/heap.js';
import { minres, polish } from '../src/curvature/polish.js';
import { lossGradient } from '../src/curvature/hessian.js';
import { mulberry32 } from './support/data.js';
import { gradient } from '../src/mlp/reference.js';
import { symEig } from '../src/curvature/eigvecs.js';

describe('polish', () => {
  it('MINRES: residual below 1e-12 on a random symmetric indefinite 50 × 50 system', () => {
    const n = 50, r = mulberry32(3), A = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) { const v = r() - 0.5; A[i * n + j] = v; A[j * n + i] = v; }
    const b = Float64Array.from({ length: n }, () => r() - 0.5);
    const mv = (v: Float64Array) => Float64Array.from({ length: n }, (_, i) => { let a = 0; for (let j = 0; j < n; j++) a += A[i * n + j] * v[j]; return a; });
    const { x } = minres(mv, b, { tol: 1e-14 });
    const res = mv(x).map((v, i) => v - b[i]);
    expect(Math.hypot(...res) / Math.hypot(...b)).toBeLessThan(1e-12);
  });

  it('reaches ‖∇L‖ ≤ 1e-8 from a random start of a [6, 4, 3] net, and says so', async () => {
    const heap = new Heap(await loadWasm('debug'));
    const r = mulberry32(1), S = 40, spec = { layers: [6, 4, 3], bias: false, loss: 'cross-entropy' as const };
    const X = Float64Array.from({ length: S * 6 }, () => r() - 0.5), y = Int32Array.from({ length: S }, (_, i) => i % 3);
    const start = Float64Array.from({ length: 36 }, () => r() - 0.5);
    const p = polish(heap, spec, start, X, y, S, { maxSteps: 30 });
    expect(p.gradNorm).toBeLessThanOrEqual(1e-8);
    expect(lossGradient(heap, spec, p.params, X, y, S).gradNorm).toBe(p.gradNorm);
    expect(p.gradNorms.every((g, i) => i === 0 || g < p.gradNorms[i - 1])).toBe(true);
  });

  it('symEig: V Λ Vᵀ = A and VᵀV = I to 1e-12 on a random symmetric 40 × 40 matrix', () => {
    const n = 40, r = mulberry32(5), A = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) { const v = r() - 0.5; A[i * n + j] = v; A[j * n + i] = v; }
    const { values, vectors: V } = symEig(A, n);
    let err = 0, orth = 0;
    for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) {
      let a = 0, o = 0;
      for (let j = 0; j < n; j++) { a += V[i * n + j] * values[j] * V[k * n + j]; o += V[j * n + i] * V[j * n + k]; }
      err = Math.max(err, Math.abs(a - A[i * n + k])); orth = Math.max(orth, Math.abs(o - (i === k ? 1 : 0)));
    }
    expect(err).toBeLessThan(1e-12);
    expect(orth).toBeLessThan(1e-12);
    expect(values.every((v, i) => i === 0 || v >= values[i - 1])).toBe(true);
  });

  const smallNet = (gdSteps: number) => {
    const r = mulberry32(1), S = 60, spec = { layers: [8, 5, 3], bias: false, loss: 'cross-entropy' as const };
    const X = Float64Array.from({ length: S * 8 }, () => r() - 0.5), y = Int32Array.from({ length: S }, () => Math.floor(3 * r()));
    let theta = Float64Array.from({ length: 55 }, () => 0.8 * (r() - 0.5));
    for (let t = 0; t < gdSteps; t++) { const g = gradient(spec, theta, X, y, S).grad; theta = theta.map((w, i) => w - 0.5 * g[i]); }
    return { S, spec, X, y, theta };
  };

  it('a [8, 5, 3] net after 30 full-batch GD steps is polished to ‖∇L‖ ≤ 1e-8, by the reference backprop', async () => {
    const heap = new Heap(await loadWasm('debug'));
    const { S, spec, X, y, theta } = smallNet(30);
    expect(Math.hypot(...gradient(spec, theta, X, y, S).grad)).toBeGreaterThan(1e-2); // not a critical point yet
    const p = polish(heap, spec, theta, X, y, S, { maxSteps: 40 });
    expect(p.stop).toBe('reached');
    // The oracle: plain-f64 TS backprop at the polished point, not the wasm gradient polish reads.
    expect(Math.hypot(...gradient(spec, p.params, X, y, S).grad)).toBeLessThanOrEqual(1e-8);
    expect(p.trace.length).toBe(p.steps + 1);
    expect(p.trace.at(-1)!.gradNorm).toBe(p.gradNorm);
  });

  it('the same net after 100 GD steps: polish creeps onto a ReLU kink, stays above 1e-3 (∇L jumps there) and says stalled', async () => {
    // ∇L jumps across a kink (sample s's term δ_j·x_s switches on), so the piecewise-smooth loss can
    // have no point with ‖∇L‖ ≤ 1e-8 near a kink that the Newton model keeps pointing across.
    const heap = new Heap(await loadWasm('debug'));
    const { S, spec, X, y, theta } = smallNet(100);
    const p = polish(heap, spec, theta, X, y, S, { maxSteps: 40 });
    expect(p.gradNorm).toBeGreaterThan(1e-3);
    expect(p.stop).toBe('stalled');
    expect(p.nearestKink).toBeLessThan(1e-7);
    let zMin = Infinity, at = [0, 0];
    for (let s = 0; s < S; s++) for (let j = 0; j < 5; j++) {
      let z = 0;
      for (let k = 0; k < 8; k++) z += p.params[j * 8 + k] * X[s * 8 + k];
      if (Math.abs(z) < zMin) { zMin = Math.abs(z); at = [s, j]; }
    }
    expect(zMin).toBe(p.nearestKink);
    // Just across that kink (by the reference backprop) ‖∇L‖ is larger than at the polished point.
    const [s, j] = at, xs = X.subarray(s * 8, s * 8 + 8), xx = xs.reduce((a, v) => a + v * v, 0);
    let z = 0;
    for (let k = 0; k < 8; k++) z += p.params[j * 8 + k] * xs[k];
    const across = Float64Array.from(p.params);
    for (let k = 0; k < 8; k++) across[j * 8 + k] -= (z + Math.sign(z || 1) * 1e-9) * xs[k] / xx;
    expect(Math.hypot(...gradient(spec, across, X, y, S).grad)).toBeGreaterThan(p.gradNorm);
  });

  it('the MINRES route (used above EIGEN_MAX_P) takes the same steps as the eigen route on the random-start net, to rounding', async () => {
    const heap = new Heap(await loadWasm('debug'));
    const r = mulberry32(1), S = 40, spec = { layers: [6, 4, 3], bias: false, loss: 'cross-entropy' as const };
    const X = Float64Array.from({ length: S * 6 }, () => r() - 0.5), y = Int32Array.from({ length: S }, (_, i) => i % 3);
    const start = Float64Array.from({ length: 36 }, () => r() - 0.5);
    const a = polish(heap, spec, start, X, y, S, { maxSteps: 3, solver: 'eigen' }), b = polish(heap, spec, start, X, y, S, { maxSteps: 3, solver: 'minres' });
    expect(b.steps).toBe(3);
    a.trace.forEach((t, i) => expect(Math.abs(b.trace[i].gradNorm - t.gradNorm)).toBeLessThan(1e-6 * t.gradNorm));
    expect(Number.isNaN(b.trace[1].newtonDistance)).toBe(true);
  });
});
