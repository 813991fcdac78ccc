// The trend tests of src/stats/trend.ts against what they must say: exact permutation p-values
// by counting orderings, power on a strong synthetic trend, calibration under the null (location
// and scale differing between sizes must not count), and an exact line's slope.
import { describe, expect, it } from 'vitest';
import { correlationTrend, olsSlope, rankTrend, varianceTrend } from '../src/stats/trend.js';
import { seededUniform } from '../src/stats/random.js';

function normals(seed: number): () => number {
  const u = seededUniform(seed);
  return () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

/** Pairs with correlation r, then shifted and scaled (which the correlation ignores). */
function pairs(n: number, r: number, seed: number, shift = 0, scale = 1) {
  const g = normals(seed);
  const x: number[] = [], y: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = g(), b = g();
    x.push(shift + scale * a);
    y.push(2 * shift + scale * 3 * (r * a + Math.sqrt(1 - r * r) * b));
  }
  return { x, y };
}

const WIDTHS = [25, 50, 100, 250, 500];

describe('rankTrend', () => {
  it('a strictly monotone sequence of five has exact two-sided p = 2/120', () => {
    const t = rankTrend(WIDTHS, [0.9, 0.8, 0.6, 0.5, 0.4]);
    expect(t.rho).toBeCloseTo(-1, 12);
    expect(t.method).toBe('exact');
    expect(t.permutations).toBe(120);
    expect(t.p).toBeCloseTo(2 / 120, 12);
  });
  it('counts orderings at least as extreme: a brute-force count agrees on six points', () => {
    const v = [0.3, 0.9, 0.1, 0.5, 0.45, 0.2], s = [1, 2, 3, 4, 5, 6];
    const t = rankTrend(s, v);
    // brute force: Spearman without ties is 1 − 6Σd²/(n(n²−1)) on ranks
    const rank = (a: number[]) => a.map((x) => [...a].sort((p, q) => p - q).indexOf(x) + 1);
    const rho = (a: number[]) => { const r = rank(a); return 1 - (6 * r.reduce((m, x, i) => m + (x - (i + 1)) ** 2, 0)) / (6 * 35); };
    const perms: number[][] = [];
    const go = (left: number[], acc: number[]) => (left.length ? left.forEach((x, i) => go([...left.slice(0, i), ...left.slice(i + 1)], [...acc, x])) : perms.push(acc));
    go(v, []);
    const hits = perms.filter((p) => Math.abs(rho(p)) >= Math.abs(rho(v)) - 1e-12).length;
    expect(t.rho).toBeCloseTo(rho(v), 12);
    expect(t.p).toBeCloseTo(hits / 720, 12);
  });
});

describe('correlationTrend', () => {
  it('finds a falling correlation across widths, whatever each width\'s location and scale', () => {
    const rs = [0.85, 0.7, 0.55, 0.4, 0.25];
    const t = correlationTrend(WIDTHS.map((size, i) => ({ size, ...pairs(120, rs[i], 10 + i, 0.1 * i, 1 / (i + 1)) })), 3, 500)!;
    expect(t.rho).toBeCloseTo(-1, 12);
    expect(t.rhoP).toBeCloseTo(2 / 120, 12);
    expect(t.p).toBeLessThan(0.01);
    expect(t.slope.hi).toBeLessThan(0);
  });
  it('under the null (one correlation, different locations and scales) rejects at about its level', () => {
    let rejects = 0;
    const trials = 40;
    for (let k = 0; k < trials; k++) {
      const t = correlationTrend(WIDTHS.map((size, i) => ({ size, ...pairs(40, 0.5, 1000 * k + i, i, 1 + i) })), k + 1, 200)!;
      if (t.p < 0.05) rejects++;
    }
    expect(rejects / trials).toBeLessThanOrEqual(0.15);
  });
  it('is deterministic in its seed', () => {
    const gs = WIDTHS.map((size, i) => ({ size, ...pairs(30, 0.5, i) }));
    expect(correlationTrend(gs, 7, 300)).toEqual(correlationTrend(gs, 7, 300));
  });
  it('needs three widths with at least four nets', () => {
    expect(correlationTrend([{ size: 25, ...pairs(10, 0.5, 1) }, { size: 50, ...pairs(10, 0.5, 2) }])).toBeNull();
  });
});

describe('varianceTrend', () => {
  it('finds a falling spread; ignores different means under the null', () => {
    const g = normals(99);
    const falling = WIDTHS.map((size, i) => ({ size, values: Array.from({ length: 80 }, () => 5 * i + g() / (i + 1)) }));
    const t = varianceTrend(falling, 1, 500)!;
    expect(t.rho).toBeCloseTo(-1, 12);
    expect(t.p).toBeLessThan(0.01);
    expect(t.slope.value).toBeLessThan(0);
    let rejects = 0;
    for (let k = 0; k < 40; k++) {
      const h = normals(500 + k);
      const flat = WIDTHS.map((size, i) => ({ size, values: Array.from({ length: 30 }, () => 10 * i + h()) }));
      if (varianceTrend(flat, k + 1, 200)!.p < 0.05) rejects++;
    }
    expect(rejects / 40).toBeLessThanOrEqual(0.15);
  });
});

describe('olsSlope', () => {
  it('recovers an exact line in log2(size) with a zero-width CI; a noisy one covers the truth', () => {
    const exact = olsSlope(WIDTHS, WIDTHS.map((w) => 3 - 0.5 * Math.log2(w)))!;
    expect(exact.value).toBeCloseTo(-0.5, 12);
    expect(exact.hi - exact.lo).toBeLessThan(1e-9);
    const g = normals(5);
    const noisy = olsSlope([...WIDTHS, ...WIDTHS], [...WIDTHS, ...WIDTHS].map((w) => 1 + 0.2 * Math.log2(w) + 0.01 * g()))!;
    expect(noisy.lo).toBeLessThan(0.2);
    expect(noisy.hi).toBeGreaterThan(0.2);
    expect(noisy.p).toBeLessThan(1e-6);
  });
});

describe('summarizeMlp trends', () => {
  it('carries Table 1\'s trend test and the variance trend, computed from the lines', async () => {
    const { summarizeMlp, MLP_DEFAULTS } = await import('../src/mlp/experiment.js');
    const rs = [0.8, 0.65, 0.5, 0.35, 0.2];
    const lines = WIDTHS.flatMap((hidden, i) => {
      const { x, y } = pairs(60, rs[i], 40 + i, 0.3, 0.02 / (i + 1));
      return x.map((trainLoss, run) => ({ hidden, run, trainLoss: 0.1 + trainLoss, testLoss: 0.2 + y[run], trainError: 0.1, testError: 0.1, epochs: 1 }));
    });
    const sum = summarizeMlp({ ...MLP_DEFAULTS, hidden: WIDTHS, runs: 60 }, lines);
    expect(sum.trends.pearson!.slope.value).toBeLessThan(0);
    expect(sum.trends.pearson!.p).toBeLessThan(0.01);
    expect(sum.trends.variance!.slope.value).toBeLessThan(0);
    expect(sum.trends.variance!.p).toBeLessThan(0.01);
    const g = sum.groups[0] as { testMean: { lo: number; hi: number; mean: number }; testVariance: { lo: number; hi: number; value: number } };
    expect(g.testMean.lo).toBeLessThan(g.testMean.mean);
    expect(g.testVariance.lo).toBeLessThan(g.testVariance.value);
    expect(g.testVariance.hi).toBeGreaterThan(g.testVariance.value);
  });
});

describe('runsToSeparate', () => {
  it('is the smallest n at which two Fisher CIs (and two mean CIs) part', async () => {
    const { runsToSeparate } = await import('../src/mlp/power.js');
    const [d] = runsToSeparate([{ hidden: 50, r: 0.6861, mean: 0.3, sd: 0.02 }, { hidden: 25, r: 0.7616, mean: 0.31, sd: 0.03 }]);
    expect([d.from, d.to]).toEqual([25, 50]);
    const half = (n: number) => 1.959963984540054 / Math.sqrt(n - 3);
    const dz = Math.atanh(0.7616) - Math.atanh(0.6861);
    expect(2 * half(d.pearson)).toBeLessThan(dz);
    expect(2 * half(d.pearson - 1)).toBeGreaterThanOrEqual(dz);
    const apart = (n: number) => 1.959963984540054 * (0.02 + 0.03) / Math.sqrt(n) < 0.01;
    expect(apart(d.mean)).toBe(true);
    expect(apart(d.mean - 1)).toBe(false);
  });
});
