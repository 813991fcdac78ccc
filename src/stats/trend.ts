// Trend tests across sizes (hidden widths, spin-glass Λ): does a per-size statistic (a train–test
// correlation, a spread) move with size, beyond what its sampling noise allows? Two views, both
// computed from the numbers:
// - the least-squares slope of the statistic on a transformed scale (Fisher's atanh for a
//   correlation, ln for a spread) per doubling of size, with a 95% CI, and a permutation test of
//   it: the runs themselves are permuted across sizes, after removing what the null allows to
//   differ (each width's location and scale for a correlation, its location for a spread), so the
//   test uses every net, not just one number per width;
// - the Spearman rank correlation between size and statistic, with its exact permutation p over
//   the orderings of the per-size values. With k sizes that p cannot go below 2/k! (0.017 for five
//   widths), whatever the evidence: it says "monotone", the slope's test says "how sure".
// Deterministic: every permutation comes from a seeded integer generator. Platform-neutral.
import { sampleCorrelation, sampleRankCorrelation, sampleVariance } from 'simple-statistics';
import { normalCdf, studentTCdf, studentTQuantile } from '../anneal/stats.js';
import { seededUniform } from './random.js';

export interface Slope {
  /** Change of the transformed statistic per doubling of size. */
  value: number;
  lo: number;
  hi: number;
  /** Two-sided p of "slope = 0". */
  p: number;
}

export interface TrendTest {
  /** Spearman rank correlation between size and the per-size statistic. */
  rho: number;
  /** Its two-sided p over the orderings of the per-size values (exact up to 8 sizes). */
  rhoP: number;
  /** Two-sided permutation p of the slope, runs permuted across sizes ((hits + 1)/(R + 1)). */
  p: number;
  permutations: number;
  /** Slope of the transformed statistic on log2(size), its CI from the statistic's sampling variance. */
  slope: Slope;
  /** The scale of the slope, for the reader. */
  scale: string;
}

const log2 = (x: number) => Math.log(x) / Math.LN2;
const fisher = (r: number) => Math.atanh(Math.max(-1 + 1e-12, Math.min(1 - 1e-12, r)));

/** Fisher–Yates on a copy of the indices 0..n−1, from `next` (uniform in [0, 1)). */
function shuffled(n: number, next: () => number): Int32Array {
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    const t = idx[i]; idx[i] = idx[j]; idx[j] = t;
  }
  return idx;
}

/** Weighted least squares of y on log2(size): slope with a normal (known-variance weights) CI. */
function weightedSlope(sizes: number[], y: number[], w: number[]): Slope | null {
  if (sizes.length < 2 || new Set(sizes).size < 2) return null;
  const x = sizes.map(log2);
  const W = w.reduce((a, b) => a + b, 0);
  const mx = x.reduce((a, v, i) => a + w[i] * v, 0) / W, my = y.reduce((a, v, i) => a + w[i] * v, 0) / W;
  let sxx = 0, sxy = 0;
  for (let i = 0; i < x.length; i++) { sxx += w[i] * (x[i] - mx) ** 2; sxy += w[i] * (x[i] - mx) * (y[i] - my); }
  const value = sxy / sxx, se = Math.sqrt(1 / sxx);
  return { value, lo: value - 1.959963984540054 * se, hi: value + 1.959963984540054 * se, p: 2 * normalCdf(-Math.abs(value / se)) };
}

/** Ordinary least squares of y on log2(size) with a Student-t CI from the residuals (≥ 3 points). */
export function olsSlope(sizes: number[], y: number[]): Slope | null {
  const n = sizes.length;
  if (n < 3 || new Set(sizes).size < 2) return null;
  const x = sizes.map(log2);
  const mx = x.reduce((a, b) => a + b, 0) / n, my = y.reduce((a, b) => a + b, 0) / n;
  let sxx = 0, sxy = 0;
  for (let i = 0; i < n; i++) { sxx += (x[i] - mx) ** 2; sxy += (x[i] - mx) * (y[i] - my); }
  const value = sxy / sxx;
  let rss = 0;
  for (let i = 0; i < n; i++) rss += (y[i] - my - value * (x[i] - mx)) ** 2;
  const se = Math.sqrt(rss / (n - 2) / sxx);
  if (!(se > 0)) return { value, lo: value, hi: value, p: value === 0 ? 1 : 0 };
  const t = studentTQuantile(0.975, n - 2);
  return { value, lo: value - t * se, hi: value + t * se, p: 2 * (1 - studentTCdf(Math.abs(value / se), n - 2)) };
}

function permutations(n: number): number[][] {
  if (n <= 1) return [[0]];
  const out: number[][] = [];
  for (const p of permutations(n - 1)) for (let i = 0; i <= p.length; i++) out.push([...p.slice(0, i), n - 1, ...p.slice(i)]);
  return out;
}

/**
 * Spearman's rho between sizes and one value each, with a two-sided permutation p over the
 * values' assignment to sizes: every ordering for up to 8 points, else `resamples` random ones.
 */
export function rankTrend(sizes: number[], values: number[], seed = 1, resamples = 10000): { rho: number; p: number; permutations: number; method: 'exact' | 'labels' } {
  const n = sizes.length;
  const rho = n >= 3 ? sampleRankCorrelation(sizes, values) : NaN;
  if (!Number.isFinite(rho)) return { rho, p: NaN, permutations: 0, method: 'exact' };
  const extreme = (v: number[]) => Math.abs(sampleRankCorrelation(sizes, v)) >= Math.abs(rho) - 1e-12;
  if (n <= 8) {
    const all = permutations(n);
    const hits = all.filter((perm) => extreme(perm.map((i) => values[i]))).length;
    return { rho, p: hits / all.length, permutations: all.length, method: 'exact' };
  }
  const next = seededUniform(seed);
  let hits = 0;
  for (let r = 0; r < resamples; r++) {
    const idx = shuffled(n, next);
    if (extreme(Array.from(idx, (i) => values[i]))) hits++;
  }
  return { rho, p: (hits + 1) / (resamples + 1), permutations: resamples, method: 'labels' };
}

/** Per-size statistics of size-labelled runs after the runs are reassigned to sizes by `idx`. */
function regroup<T>(counts: number[], pooled: T[], idx: Int32Array): T[][] {
  const out: T[][] = [];
  let k = 0;
  for (const c of counts) { const g: T[] = []; for (let i = 0; i < c; i++) g.push(pooled[idx[k++]]); out.push(g); }
  return out;
}

/** Two-sided permutation p of the weighted slope of stat(group) on log2(size), runs shuffled across sizes. */
function runsPermutation<T>(sizes: number[], groups: T[][], stat: (g: T[]) => number, weights: number[], observed: number, seed: number, resamples: number): number {
  const counts = groups.map((g) => g.length), pooled = groups.flat();
  const next = seededUniform(seed);
  let hits = 0;
  for (let r = 0; r < resamples; r++) {
    const v = regroup(counts, pooled, shuffled(pooled.length, next)).map(stat);
    const b = weightedSlope(sizes, v, weights);
    if (b && Math.abs(b.value) >= Math.abs(observed) * (1 - 1e-12)) hits++;
  }
  return (hits + 1) / (resamples + 1);
}

const standardised = (v: number[]) => {
  const m = v.reduce((a, b) => a + b, 0) / v.length, sd = Math.sqrt(sampleVariance(v));
  return v.map((x) => (sd > 0 ? (x - m) / sd : 0));
};

/**
 * [P2] Table 1's question: does the train–test correlation move with width? Null: every width has
 * the same correlation; each width's pairs are standardised (so location and scale, which differ
 * between widths, do not count) and pairs are permuted across widths. Slope: atanh r per doubling,
 * weights n − 3 (Fisher's variance).
 */
export function correlationTrend(groups: { size: number; x: number[]; y: number[] }[], seed = 1, resamples = 2000): TrendTest | null {
  const gs = groups.filter((g) => g.x.length >= 4);
  if (gs.length < 3) return null;
  const sizes = gs.map((g) => g.size), r = gs.map((g) => sampleCorrelation(g.x, g.y));
  if (!r.every(Number.isFinite)) return null;
  const w = gs.map((g) => g.x.length - 3);
  const slope = weightedSlope(sizes, r.map(fisher), w)!;
  const pairs = gs.map((g) => { const a = standardised(g.x), b = standardised(g.y); return a.map((v, i) => [v, b[i]] as const); });
  const p = runsPermutation(sizes, pairs, (g) => fisher(sampleCorrelation(g.map((q) => q[0]), g.map((q) => q[1]))), w, slope.value, seed, resamples);
  const rank = rankTrend(sizes, r);
  return { rho: rank.rho, rhoP: rank.p, p, permutations: resamples, slope, scale: 'atanh(r) per doubling of width' };
}

/**
 * Does the spread of a per-run quantity move with size? Null: one variance at every size; each
 * size's values are centred (locations may differ) and permuted across sizes. Slope: ln variance
 * per doubling, weights (n − 1)/2 (the variance of ln s² for normal data).
 */
export function varianceTrend(groups: { size: number; values: number[] }[], seed = 1, resamples = 2000): TrendTest | null {
  const gs = groups.filter((g) => g.values.length >= 3);
  if (gs.length < 3) return null;
  const sizes = gs.map((g) => g.size), v = gs.map((g) => sampleVariance(g.values));
  if (!v.every((x) => x > 0)) return null;
  const w = gs.map((g) => (g.values.length - 1) / 2);
  const slope = weightedSlope(sizes, v.map(Math.log), w)!;
  const centred = gs.map((g) => { const m = g.values.reduce((a, b) => a + b, 0) / g.values.length; return g.values.map((x) => x - m); });
  const p = runsPermutation(sizes, centred, (g) => Math.log(sampleVariance(g)), w, slope.value, seed, resamples);
  const rank = rankTrend(sizes, v);
  return { rho: rank.rho, rhoP: rank.p, p, permutations: resamples, slope, scale: 'ln variance per doubling of width' };
}

/** One sentence for a report: "falls (Spearman ρ = −0.90, permutation p = 0.003; …)". */
export function trendWords(t: TrendTest | null): string {
  if (!t) return 'no trend test (needs three or more sizes with enough runs)';
  const dir = t.p < 0.05 ? (t.slope.value < 0 ? 'falls' : 'rises') : 'shows no significant trend';
  // (hits + 1)/(R + 1) with no hit is the resolution of R shuffles, not a p-value estimate
  const perm = t.p <= 1 / (t.permutations + 1) + 1e-15 ? `permutation p ≤ ${fmtP(t.p)} (none of ${t.permutations} shuffles of the runs as extreme)` : `permutation p = ${fmtP(t.p)} over ${t.permutations} shuffles of the runs`;
  return `${dir} (slope ${t.slope.value.toFixed(3)} [${t.slope.lo.toFixed(3)}, ${t.slope.hi.toFixed(3)}] ${t.scale}, ${perm}; Spearman ρ = ${t.rho.toFixed(2)}, exact p = ${fmtP(t.rhoP)})`;
}

export const fmtP = (p: number) => (!Number.isFinite(p) ? '–' : p < 1e-3 ? p.toExponential(1) : p.toFixed(3));
