import { describe, it, expect } from 'vitest';
import { energy, gradient, hessian, riemannianGradient, riemannianHessian, projectToSphere, dot } from '../src/pspin/reference.js';

// Independent seeded data for the oracle's own checks (Box–Muller over mulberry32).
function mulberry32(a: number) {
  return () => {
    a |= 0; a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function normals(n: number, seed: number): Float64Array {
  const r = mulberry32(seed);
  return Float64Array.from({ length: n }, () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r()));
}
const model = (p: number, n: number, seed: number) => ({ p, n, J: normals(n ** p, seed) });
const point = (n: number, seed: number) => { const w = normals(n, seed); projectToSphere(w); return w; };

describe('p-spin f64 reference', () => {
  it.each([2, 3, 4, 5])('Euler: ⟨w, ∇H(w)⟩ = p·H(w) (p=%i)', (p) => {
    const m = model(p, 5, p);
    const w = point(5, 100 + p);
    expect(Math.abs(dot(w, gradient(m, w)) - p * energy(m, w))).toBeLessThan(1e-10 * (1 + Math.abs(energy(m, w))));
  });

  it.each([2, 3, 4, 5])('gradient and Hessian match central differences (p=%i)', (p) => {
    const n = 4;
    const m = model(p, n, 7 * p);
    const w = normals(n, 3 * p);
    const g = gradient(m, w);
    const h = hessian(m, w);
    const eps = 1e-5;
    let gErr = 0;
    let hErr = 0;
    for (let i = 0; i < n; i++) {
      const wp = Float64Array.from(w); wp[i] += eps;
      const wm = Float64Array.from(w); wm[i] -= eps;
      gErr = Math.max(gErr, Math.abs((energy(m, wp) - energy(m, wm)) / (2 * eps) - g[i]));
      const gp = gradient(m, wp);
      const gm = gradient(m, wm);
      for (let k = 0; k < n; k++) hErr = Math.max(hErr, Math.abs((gp[k] - gm[k]) / (2 * eps) - h[k * n + i]));
    }
    expect(gErr).toBeLessThan(1e-6);
    expect(hErr).toBeLessThan(1e-6);
  });

  it('the Riemannian gradient is tangent and the Riemannian Hessian kills the radial direction', () => {
    const m = model(3, 6, 11);
    const w = point(6, 12);
    expect(Math.abs(dot(riemannianGradient(m, w), w))).toBeLessThan(1e-10);
    const rh = riemannianHessian(m, w);
    for (let i = 0; i < 6; i++) {
      let s = 0;
      for (let k = 0; k < 6; k++) s += rh[i * 6 + k] * w[k];
      expect(Math.abs(s)).toBeLessThan(1e-10);
    }
  });
});
