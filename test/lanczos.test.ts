import { describe, it, expect, beforeAll } from 'vitest';
import { loadWasm } from '../src/wasm.js';
import { Heap } from '../src/heap.js';
import { RngStream } from '../src/rng.js';
import { denseMatvec, extremeEigenpairs, hvpMatvec, lanczos, tridiagonalEigen, type MatVec } from '../src/curvature/lanczos.js';
import { broaden, rademacherProbes, slqDensity, slqEstimates, truncateSlq } from '../src/curvature/slq.js';
import { calibrateSlq, discreteDistances, meanAbsOverSeeds, normalCdf } from '../src/curvature/calibration.js';
import { exactHessian } from '../src/curvature/hessian.js';
import { curvatureIndex } from '../src/curvature/spectrum.js';
import { paramCount, type MlpSpec } from '../src/mlp/reference.js';
import { mulberry32, uniformF64 } from './support/data.js';

let heap: Heap;
beforeAll(async () => { heap = new Heap(await loadWasm('debug')); });

/** A = Q diag(λ) Qᵀ, Q a product of 3 Householder reflectors from mulberry32 (dense, orthogonal to rounding). */
function withSpectrum(lambda: number[], seed: number): Float64Array {
  const P = lambda.length, A = new Float64Array(P * P);
  for (let i = 0; i < P; i++) A[i * P + i] = lambda[i];
  const r = mulberry32(seed);
  for (let h = 0; h < 3; h++) {
    const u = Float64Array.from({ length: P }, () => 2 * r() - 1);
    const n2 = u.reduce((a, v) => a + v * v, 0);
    // A ← (I − 2uuᵀ/n2) A (I − 2uuᵀ/n2)
    for (let side = 0; side < 2; side++) {
      for (let c = 0; c < P; c++) {
        let s = 0;
        for (let i = 0; i < P; i++) s += u[i] * A[i * P + c];
        const f = (2 * s) / n2;
        for (let i = 0; i < P; i++) A[i * P + c] -= f * u[i];
      }
      for (let i = 0; i < P; i++) for (let j = 0; j < i; j++) { const t = A[i * P + j]; A[i * P + j] = A[j * P + i]; A[j * P + i] = t; }
    }
  }
  return A;
}

// Well separated: three outliers on each side, a bulk of 54 in [−1, 1].
const P0 = 60;
const TOP = [10, 8.5, 7], BOTTOM = [-6, -4.5, -3];
const LAMBDA = [...BOTTOM, ...Array.from({ length: P0 - 6 }, (_, i) => -1 + (2 * i) / (P0 - 7)), ...TOP.slice().reverse()];

describe('tridiagonal QL', () => {
  it('gives the eigenvalues 2 − 2cos(kπ/(m+1)) of the 1-D Laplacian and orthonormal vectors', () => {
    const m = 25;
    const r = tridiagonalEigen(new Float64Array(m).fill(2), new Float64Array(m - 1).fill(-1), m, true);
    r.values.forEach((v, k) => expect(Math.abs(v - (2 - 2 * Math.cos(((k + 1) * Math.PI) / (m + 1))))).toBeLessThan(1e-14));
    let err = 0;
    for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) {
      let s = 0;
      for (let i = 0; i < m; i++) s += r.vectors![i * m + a] * r.vectors![i * m + b];
      err = Math.max(err, Math.abs(s - (a === b ? 1 : 0)));
    }
    expect(err).toBeLessThan(1e-14);
    // First and last rows tracked alone equal those of the full vectors.
    const s = tridiagonalEigen(new Float64Array(m).fill(2), new Float64Array(m - 1).fill(-1), m);
    s.first.forEach((v, i) => expect(v).toBe(r.vectors![i]));
    s.last.forEach((v, i) => expect(v).toBe(r.vectors![(m - 1) * m + i]));
  });
});

describe('Lanczos with full reorthogonalisation', () => {
  const A = withSpectrum(LAMBDA, 3);
  const mv = denseMatvec(A, P0);

  it('finds the 3 largest and 3 most negative eigenvalues to 1e-10 relative, with residuals', () => {
    const r = extremeEigenpairs(mv, P0, 3, { rng: new RngStream(heap, 11, 0) });
    expect(r.steps).toBe(52);
    r.largest.values.forEach((v, i) => expect(Math.abs(v - TOP[i]) / Math.abs(TOP[i])).toBeLessThan(1e-10));
    r.smallest.values.forEach((v, i) => expect(Math.abs(v - BOTTOM[i]) / Math.abs(BOTTOM[i])).toBeLessThan(1e-10));
    for (const side of [r.largest, r.smallest]) {
      side.residuals.forEach((v) => expect(v).toBeLessThan(1e-9));
      side.explicitResiduals!.forEach((v) => expect(v).toBeLessThan(1e-9));
    }
  });

  it('keeps the basis orthonormal: ‖QᵀQ − I‖_F < 1e-12 after 45 steps', () => {
    const start = uniformF64(P0, 5);
    const r = lanczos(mv, P0, 45, start);
    const Q = r.basis!, m = r.steps;
    expect(m).toBe(45);
    let f = 0;
    for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) {
      let s = 0;
      for (let i = 0; i < P0; i++) s += Q[a * P0 + i] * Q[b * P0 + i];
      f += (s - (a === b ? 1 : 0)) ** 2;
    }
    expect(Math.sqrt(f)).toBeLessThan(1e-12);
    // Weights of the start vector: Σ s_{0,i}² = 1.
    expect(Math.abs(r.first.reduce((a, s) => a + s * s, 0) - 1)).toBeLessThan(1e-13);
  });

  it('stops on an invariant subspace: a diagonal with 3 distinct values gives 3 nodes and the exact spectral measure', () => {
    const d = Array.from({ length: 30 }, (_, i) => [-2, 0.5, 3][i % 3] as number);
    const D = new Float64Array(900);
    d.forEach((v, i) => { D[i * 31] = v; });
    const s = slqDensity(heap, denseMatvec(D, 30), 30, { probes: 2, steps: 10, seed: 1 });
    for (const p of s.perProbe) {
      expect(p.steps).toBe(3);
      expect(p.breakdown).toBe(true);
      [-2, 0.5, 3].forEach((v, i) => { expect(Math.abs(p.nodes[i] - v)).toBeLessThan(1e-13); expect(Math.abs(p.weights[i] - 1 / 3)).toBeLessThan(1e-13); });
    }
    // W1 sees the nodes 1e-15 off as 1e-15; the raw KS would see them as a jump of 1/3 (why the table's KS is broadened).
    const { w1 } = discreteDistances(s.nodes, s.weights, d, new Float64Array(30).fill(1 / 30));
    expect(w1).toBeLessThan(1e-12);
  });
});

describe('stochastic Lanczos quadrature', () => {
  it('gets tr H and tr H² exactly per Rademacher probe on a diagonal (Gauss quadrature, m ≥ 2), to 1e-12 relative', () => {
    const P = 40, d = uniformF64(P, 8).map((v) => 3 * v);
    const D = new Float64Array(P * P);
    d.forEach((v, i) => { D[i * (P + 1)] = v; });
    const tr = d.reduce((a, v) => a + v, 0), tr2 = d.reduce((a, v) => a + v * v, 0);
    const s = slqDensity(heap, denseMatvec(D, P), P, { probes: 3, steps: 4, seed: 2 });
    expect(Math.abs(s.weights.reduce((a, w) => a + w, 0) - 1)).toBeLessThan(1e-14);
    const e = slqEstimates(s);
    expect(Math.abs(e.trace - tr) / Math.abs(tr)).toBeLessThan(1e-12);
    expect(Math.abs(e.moments[0] * P - tr) / Math.abs(tr)).toBeLessThan(1e-12);
    expect(Math.abs(e.moments[1] * P - tr2) / tr2).toBeLessThan(1e-12);
    expect(e.traceStdError).toBeLessThan(1e-12 * Math.abs(tr));
  });

  it('estimates tr H of a dense matrix within 4 standard errors, and the weights broaden to unit mass', () => {
    const A = withSpectrum(LAMBDA, 4);
    const s = slqDensity(heap, denseMatvec(A, P0), P0, { probes: 32, steps: 12, seed: 3, batch: 8 });
    const e = slqEstimates(s);
    const tr = LAMBDA.reduce((a, v) => a + v, 0);
    expect(Math.abs(e.trace - tr)).toBeLessThan(4 * e.traceStdError);
    const grid = Float64Array.from({ length: 4001 }, (_, i) => -8 + (20 * i) / 4000);
    const rho = broaden(s.nodes, s.weights, grid, 0.2);
    expect(Math.abs(rho.reduce((a, v) => a + v, 0) * (20 / 4000) - 1)).toBeLessThan(1e-6);
  });

  it('is deterministic (same seed, same bytes), nested (fewer steps or probes = a fresh run), and the seed matters', () => {
    const A = withSpectrum(LAMBDA, 6), mv = denseMatvec(A, P0);
    const bytes = (x: Float64Array) => Buffer.from(x.buffer, x.byteOffset, x.byteLength);
    const a = slqDensity(heap, mv, P0, { probes: 4, steps: 15, seed: 7 });
    const b = slqDensity(heap, mv, P0, { probes: 4, steps: 15, seed: 7, batch: 3 });
    expect(bytes(a.nodes).equals(bytes(b.nodes))).toBe(true);
    expect(bytes(a.weights).equals(bytes(b.weights))).toBe(true);
    const fresh = slqDensity(heap, mv, P0, { probes: 2, steps: 9, seed: 7 });
    const cut = truncateSlq(a, 9, 2);
    expect(bytes(cut.nodes).equals(bytes(fresh.nodes))).toBe(true);
    expect(bytes(cut.weights).equals(bytes(fresh.weights))).toBe(true);
    const c = slqDensity(heap, mv, P0, { probes: 4, steps: 15, seed: 8 });
    expect(bytes(c.nodes).equals(bytes(a.nodes))).toBe(false);
    const v = rademacherProbes(heap, P0, 2, 7);
    expect(v.every((x) => x === 1 || x === -1)).toBe(true);
  });
});

describe('calibration helpers', () => {
  it('Φ is accurate in the body and the tails; W1 and KS of shifted atoms are exact', () => {
    expect(Math.abs(normalCdf(0) - 0.5)).toBe(0);
    expect(Math.abs(normalCdf(1) - 0.8413447460685429)).toBeLessThan(1e-14);
    expect(Math.abs(normalCdf(-2.9) - 0.0018658133003840384)).toBeLessThan(1e-15);
    expect(Math.abs(normalCdf(-3.1) - 0.0009676032132183562) / 0.0009676032132183562).toBeLessThan(1e-12);
    expect(Math.abs(normalCdf(-6) - 9.865876450377012e-10) / 9.865876450377012e-10).toBeLessThan(1e-12);
    const d = discreteDistances([0, 1], [0.5, 0.5], [0.25, 1.25], [0.5, 0.5]);
    expect(d.w1).toBeCloseTo(0.25, 15);
    expect(d.ks).toBeCloseTo(0.5, 15);
  });
});

describe('on the exact Hessian of a small net', () => {
  it('the R-op HVP matvec equals the dense H; Lanczos finds its top eigenvalues; the calibration table is finite and improves with steps', () => {
    const spec: MlpSpec = { layers: [6, 5, 3], bias: true, loss: 'cross-entropy' };
    const P = paramCount(spec.layers, spec.bias), S = 24;
    const params = uniformF64(P, 21), X = uniformF64(S * 6, 22);
    const r = mulberry32(23), y = Int32Array.from({ length: S }, () => Math.floor(r() * 3));
    const H = exactHessian(heap, spec, params, X, y, S).H;
    const dense = denseMatvec(H, P), viaHvp: MatVec = hvpMatvec(heap, spec, params, X, y, S);
    const V = uniformF64(2 * P, 24), a = dense(V, 2), b = viaHvp(V, 2);
    const scale = a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThan(1e-12 * scale));
    const ev = curvatureIndex(heap, H, P, { inertia: false }).eigenvalues;
    const ext = extremeEigenpairs(viaHvp, P, 2, { rng: new RngStream(heap, 5, 0) });
    for (let i = 0; i < 2; i++) expect(Math.abs(ext.largest.values[i] - ev[P - 1 - i]) / ev[P - 1]).toBeLessThan(1e-8);
    const cal = calibrateSlq(heap, ev, dense, P, { stepsList: [4, 16], probesList: [1, 4], seed: 9, classes: 3 });
    expect(cal.rows.length).toBe(4);
    for (const row of cal.rows) for (const v of Object.values(row)) if (!Number.isNaN(v)) expect(Number.isFinite(v)).toBe(true);
    const at = (m: number, n: number) => cal.rows.find((q) => q.steps === m && q.probes === n)!;
    expect(at(16, 4).w1).toBeLessThan(at(4, 4).w1);
    expect(at(16, 4).lanczosTopError).toBeLessThanOrEqual(at(4, 4).lanczosTopError);
    expect(at(16, 4).lanczosTopError).toBeGreaterThanOrEqual(-1e-12);
    const cal2 = calibrateSlq(heap, ev, dense, P, { stepsList: [4, 16], probesList: [1, 4], seed: 10, classes: 3 });
    const avg = meanAbsOverSeeds([cal, cal2]);
    expect(avg[3].traceRelError).toBeCloseTo((Math.abs(cal.rows[3].traceRelError) + Math.abs(cal2.rows[3].traceRelError)) / 2, 15);
    expect(avg[3].steps).toBe(16);
  });
});
