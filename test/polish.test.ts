// Polishing: MINRES solves symmetric indefinite systems; Levenberg–Marquardt steps on ∇L with the
// exact Hessian reach a critical point (‖∇L‖ ≤ 10⁻⁸) near a small net's start.
import { describe, it, expect } from 'vitest';
import { loadWasm } from '../src/wasm.js';
import { Heap } from '../src/heap.js';
import { minres, polish } from '../src/curvature/polish.js';
import { lossGradient } from '../src/curvature/hessian.js';
import { mulberry32 } from './support/data.js';

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
});
