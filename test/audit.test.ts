import { describe, it, expect, beforeAll } from 'vitest';
import { loadWasm } from '../src/wasm.js';
import { Heap } from '../src/heap.js';
import { predict } from '../src/mlp/reference.js';
import { architecture } from '../src/audit/architecture.js';
import { pathSum, relativeError, scaledForQ } from '../src/audit/expansion.js';
import { type AuditNet, biasFreeCount, withResident } from '../src/audit/resident.js';
import { a1p, a6u } from '../src/audit/activity.js';
import { a5u, nullPermutations } from '../src/audit/dependence.js';
import { a2p } from '../src/audit/inputs.js';
import { miMillerMadow } from '../src/audit/stats.js';
import { a1pBrute, a5uBrute, overlapBrute, pathSumBrute, termSpectrumBrute } from '../src/audit/reference.js';
import { mulberry32, uniformF64 } from './support/data.js';

let heap: Heap;
beforeAll(async () => { heap = new Heap(await loadWasm('debug')); });

const netOf = (layers: number[], seed: number): AuditNet => ({ layers, params: uniformF64(biasFreeCount(layers), seed) });
const labelsOf = (S: number, nOut: number, seed: number) => { const r = mulberry32(seed); return Int32Array.from({ length: S }, () => (nOut === 1 ? (r() < 0.5 ? 1 : -1) : Math.floor(r() * nOut))); };
const forward = (net: AuditNet, X: Float64Array, S: number) => Float64Array.from(predict({ layers: net.layers, bias: false, loss: 'cross-entropy' }, net.params, X, S).flat());
// Ragged tiny nets of both depths; inputs in [−1, 1].
const NETS = [[5, 4, 3], [3, 17, 1], [16, 5, 2], [4, 3, 5, 2], [5, 4, 3, 1], [3, 5, 4, 3]].map((layers, i) => ({ layers, S: [1, 5, 17][i % 3], seed: 11 * i + 3 }));

describe('architecture', () => {
  it('Ψ, Λ, q and N of [784, 100, 10] and [784, 100, 100, 10]', () => {
    const a = architecture([784, 100, 10]), b = architecture([784, 100, 100, 10]);
    expect([a.psi, a.N, a.lambda, a.q]).toEqual([784000, 79400, Math.sqrt(784000), 784000 ** -0.25]);
    expect([b.psi, b.N, b.q]).toEqual([78400000, 89400, 78400000 ** (-1 / 3)]);
  });

  it.each([[3, 2, 2], [2, 3, 2, 2], [3, 2, 1]])('overlap shares equal pair counting for %j', (...layers) => {
    const a = architecture(layers), b = overlapBrute(layers);
    expect(Math.abs(a.shareCommonInput - b.shareCommonInput)).toBeLessThan(1e-15);
    expect(Math.abs(a.shareCommonNode - b.shareCommonNode)).toBeLessThan(1e-15);
  });
});

describe('the path expansion', () => {
  // Tolerance: relative 1e-12 of max|Y| (f64; sums of at most a few hundred terms).
  it.each(NETS)('Σ_π x_i A_π w_π equals the forward pass, enumerated and by DP: $layers S=$S', ({ layers, S, seed }) => {
    const net = netOf(layers, seed), X = uniformF64(S * layers[0], seed + 1), want = forward(net, X, S);
    expect(relativeError(pathSum(heap, net, { X, S }, { method: 'enumerate' }), want)).toBeLessThan(1e-12);
    expect(relativeError(pathSum(heap, net, { X, S }, { method: 'dp' }), want)).toBeLessThan(1e-12);
    expect(relativeError(pathSumBrute(net, X, S), want)).toBeLessThan(1e-12);
  });

  it.each(NETS)("q·Σ_π equals the forward pass of the net scaled by q^{1/H} per layer ([P2]'s form): $layers", ({ layers, S, seed }) => {
    const net = netOf(layers, seed), X = uniformF64(S * layers[0], seed + 1);
    expect(relativeError(pathSum(heap, net, { X, S }, { q: true, method: 'enumerate' }), forward(scaledForQ(net), X, S))).toBeLessThan(1e-12);
  });
});

describe('estimators against the brute-force oracle', () => {
  const TINY = [{ layers: [3, 4, 2], S: 37, seed: 5 }, { layers: [3, 3, 4, 2], S: 41, seed: 9 }, { layers: [4, 5, 1], S: 33, seed: 13 }, { layers: [2, 3, 2, 1], S: 29, seed: 17 }];

  it.each(TINY)('A1p: ρ summary and distances over all Ψ paths: $layers', ({ layers, S, seed }) => {
    const net = netOf(layers, seed), X = uniformF64(S * layers[0], seed + 1);
    const got = withResident(heap, net, { X, S }, (r) => a1p(r)), want = a1pBrute(net, X, S);
    expect({ ...got.rho, weight: 0 }).toEqual({ ...want.rho, mean: expect.closeTo(want.rho.mean, 14), sd: expect.closeTo(want.rho.sd, 14), weight: 0 });
    expect([got.distance.w1, got.distance.ks]).toEqual([expect.closeTo(want.w1, 14), want.ks]);
  });

  it.each(TINY)('A5u: I(A; x_i), its permutation null, corr(Z, A) and I(A; y) per path: $layers', ({ layers, S, seed }) => {
    const net = netOf(layers, seed), X = uniformF64(S * layers[0], seed + 1), y = labelsOf(S, layers.at(-1)!, seed + 2), H = layers.length - 1;
    const { got, perms } = withResident(heap, net, { X, S, y }, (r) => ({ got: a5u(r, { bins: 4, repeats: 5, keep: true }).byPair!, perms: nullPermutations(r, 5) }));
    const K = layers[H] === 1 ? 1 : layers[H], d = layers[0];
    for (const w of a5uBrute(net, X, S, y, 4, perms)) {
      const u = H === 2 ? w.path[1] : w.path[1] * layers[2] + w.path[2], t = u * d + w.path[0];
      expect([got.mi[t], got.nullMean[t], got.miLabel![u]]).toEqual([expect.closeTo(w.mi, 12), expect.closeTo(w.nullMean, 12), expect.closeTo(w.miLabel, 12)]);
      if (Number.isNaN(w.corr)) expect(got.corr![t * K + w.path[H]]).toBeNaN();
      else expect(got.corr![t * K + w.path[H]]).toBeCloseTo(w.corr, 12);
    }
  });

  it.each(TINY)('A6u: spectrum of the sampled path terms\' correlation: $layers', ({ layers, S, seed }) => {
    const net = netOf(layers, seed), X = uniformF64(S * layers[0], seed + 1);
    const got = withResident(heap, net, { X, S }, (r) => a6u(r, { paths: 12, seed }));
    const want = termSpectrumBrute(net, X, S, got.sampled);
    expect(got.kept).toBe(want.length);
    expect(relativeError(got.eigenvalues, want)).toBeLessThan(1e-10);
  });
});

describe('the MI estimator on synthetic pairs', () => {
  const S = 20000, B = 8;
  // x ~ U(−1, 1) in 8 quantile bins; A = 1[x > 0] flipped with probability ε: I = ln 2 − h(ε) nats.
  const channel = (eps: number, seed: number) => {
    const r = mulberry32(seed), n1 = new Array(B).fill(0), nb = new Array(B).fill(0);
    for (let s = 0; s < S; s++) { const b = Math.floor(r() * B), a = (b >= B / 2) !== (r() < eps) ? 1 : 0; nb[b]++; n1[b] += a; }
    return miMillerMadow(n1, nb, S);
  };
  const h = (p: number) => -p * Math.log(p) - (1 - p) * Math.log(1 - p);

  it.each([0.05, 0.2, 0.35])('recovers the known MI of a binary symmetric channel, ε = %f (±0.01 nats)', (eps) => {
    expect(Math.abs(channel(eps, 7) - (Math.log(2) - h(eps)))).toBeLessThan(0.01);
  });

  it('gives ≈ 0 for an independent pair and a dependent unit is significant against the null, through the wasm kernels', () => {
    // Net [2, 1, 1], W_1 = (1, 0): the unit is 1[x_0 > 0], so I(A; x_0) = ln 2 (x_0 symmetric, so the
    // median edge sits at 0) and I(A; x_1) = 0.
    const X0 = uniformF64(2 * 4000, 3);
    const X = uniformF64(2 * 4000, 3).map((v, t) => (t % 2 === 0 && t >= 4000 ? -X0[t - 4000] : v)), net: AuditNet = { layers: [2, 1, 1], params: [1, 0, 1] };
    const res = withResident(heap, net, { X, S: 4000 }, (r) => a5u(r, { bins: 8, repeats: 19, keep: true })).byPair!;
    expect(res.mi[0]).toBeCloseTo(Math.log(2), 3);
    expect([res.p[0], Math.abs(res.mi[1]) < 0.003, Math.abs(res.nullMean[1]) < 0.003, res.p[1] > 0.05]).toEqual([0.05, true, true, true]);
  });
});

describe('A2p', () => {
  it('standard normal inputs have moments 0, 1, 0, 0 and a small KS; uniform ones do not', () => {
    const r = mulberry32(1), n = 8000;
    const z = Float64Array.from({ length: n }, () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r()));
    const g = a2p(z, 1000, 8), u = a2p(uniformF64(n, 2), 1000, 8);
    expect([g.pooled.mean, g.pooled.sd - 1, g.pooled.skewness, g.pooled.excessKurtosis].every((v) => Math.abs(v) < 0.15)).toBe(true);
    expect([g.ksRaw < 0.02, u.ksRaw > 0.05, Math.abs(u.pooled.excessKurtosis + 1.2) < 0.05]).toEqual([true, true, true]);
  });
});
