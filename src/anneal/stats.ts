// The paired statistics of `landscape anneal-nets`: each run gives SGD and annealing the same
// initial weights and the same training subset, so the comparison is of paired differences
// d_i = x_i − y_i. A Student-t confidence interval for the mean difference, and the Wilcoxon
// signed-rank test of "the differences are symmetric about 0" (exact null distribution for small
// untied samples, else the normal approximation with tie and continuity corrections).
// Platform-neutral, no dependencies beyond gammaln.
import { gammaln, mean, sampleStandardDeviation } from 'simple-statistics';

/** erfc by the Chebyshev fit of Numerical Recipes (erfcc): relative error below 1.2e-7 everywhere. */
export function erfc(x: number): number {
  const z = Math.abs(x), t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? r : 2 - r;
}

/** Standard normal CDF Φ(z). */
export const normalCdf = (z: number) => 0.5 * erfc(-z / Math.SQRT2);

/** Continued fraction of the incomplete beta function (modified Lentz, Numerical Recipes betacf). */
function betacf(a: number, b: number, x: number): number {
  const tiny = 1e-300, qab = a + b, qap = a + 1, qam = a - 1;
  let c = 1, d = 1 - (qab * x) / qap;
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d; if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c; if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d; h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d; if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c; if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return h;
}

/** The regularised incomplete beta function I_x(a, b). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(gammaln(a + b) - gammaln(a) - gammaln(b) + a * Math.log(x) + b * Math.log(1 - x));
  return x < (a + 1) / (a + b + 2) ? (front * betacf(a, b, x)) / a : 1 - (front * betacf(b, a, 1 - x)) / b;
}

/** Student-t CDF with df degrees of freedom. */
export function studentTCdf(t: number, df: number): number {
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** The p-quantile of Student's t with df degrees of freedom (p in (0, 1)), by bisection to 1e-12. */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1) || !(df > 0)) return NaN;
  if (p === 0.5) return 0;
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  let lo = 0, hi = 1;
  while (studentTCdf(hi, df) < p) hi *= 2;
  while (hi - lo > 1e-12 * Math.max(1, hi)) {
    const mid = (lo + hi) / 2;
    if (studentTCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

export interface MeanCI { n: number; mean: number; lo: number; hi: number }

/** Mean with a two-sided Student-t CI at `level` (NaN bounds for fewer than 2 values). */
export function tMeanCI(values: readonly number[], level = 0.95): MeanCI {
  const n = values.length;
  if (!n) return { n, mean: NaN, lo: NaN, hi: NaN };
  const m = mean(values as number[]);
  if (n < 2) return { n, mean: m, lo: NaN, hi: NaN };
  const half = (studentTQuantile(0.5 + level / 2, n - 1) * sampleStandardDeviation(values as number[])) / Math.sqrt(n);
  return { n, mean: m, lo: m - half, hi: m + half };
}

/** The CI times k (e.g. 100 for percentage points). */
export const scaleCI = (c: MeanCI, k: number): MeanCI => ({ n: c.n, mean: k * c.mean, lo: k * c.lo, hi: k * c.hi });

export interface SignedRank {
  /** Non-zero differences (zeros are dropped, Wilcoxon's convention). */
  n: number;
  /** Sum of the ranks of the positive differences. */
  wPlus: number;
  wMinus: number;
  /** Two-sided p-value. */
  p: number;
  method: 'exact' | 'normal';
}

/** Average ranks (1-based) of |d|, ties sharing their mean rank. */
function absRanks(d: readonly number[]): { ranks: number[]; tieGroups: number[] } {
  const order = d.map((v, i) => [Math.abs(v), i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const ranks = new Array<number>(d.length), tieGroups: number[] = [];
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
    const r = (i + j + 2) / 2;
    for (let k = i; k <= j; k++) ranks[order[k][1]] = r;
    if (j > i) tieGroups.push(j - i + 1);
    i = j + 1;
  }
  return { ranks, tieGroups };
}

/**
 * Exact two-sided p of the signed-rank statistic W+ = w for n untied ranks 1..n: the null puts
 * mass 2^−n on each sign pattern; p = min(1, 2·min(P(W+ ≤ w), P(W+ ≥ w))).
 */
export function signedRankExactP(n: number, w: number): number {
  const max = (n * (n + 1)) / 2;
  let counts = new Float64Array(max + 1);
  counts[0] = 1;
  for (let k = 1; k <= n; k++) {
    const next = Float64Array.from(counts);
    for (let s = k; s <= max; s++) next[s] += counts[s - k];
    counts = next;
  }
  const total = 2 ** n;
  let below = 0, above = 0;
  for (let s = 0; s <= max; s++) {
    if (s <= w) below += counts[s];
    if (s >= w) above += counts[s];
  }
  return Math.min(1, (2 * Math.min(below, above)) / total);
}

/**
 * The normal approximation: mean n(n+1)/4, variance n(n+1)(2n+1)/24 − Σ(t³ − t)/48 over the tie
 * groups, continuity correction 1/2 towards the mean; two-sided.
 */
export function signedRankNormalP(n: number, wPlus: number, tieGroups: readonly number[] = []): number {
  const mu = (n * (n + 1)) / 4;
  const v = (n * (n + 1) * (2 * n + 1)) / 24 - tieGroups.reduce((a, t) => a + t * t * t - t, 0) / 48;
  if (!(v > 0)) return 1;
  const diff = Math.abs(wPlus - mu);
  const z = Math.max(0, diff - 0.5) / Math.sqrt(v);
  return Math.min(1, 2 * (1 - normalCdf(z)));
}

/** Samples with at most this many non-zero untied differences get the exact p. */
export const EXACT_MAX_N = 30;

/** Wilcoxon signed-rank test of the paired differences d (two-sided). */
export function wilcoxonSignedRank(d: readonly number[]): SignedRank {
  const nz = d.filter((v) => v !== 0 && Number.isFinite(v));
  const n = nz.length;
  if (!n) return { n, wPlus: 0, wMinus: 0, p: 1, method: 'exact' };
  const { ranks, tieGroups } = absRanks(nz);
  let wPlus = 0, wMinus = 0;
  nz.forEach((v, i) => { if (v > 0) wPlus += ranks[i]; else wMinus += ranks[i]; });
  if (!tieGroups.length && n <= EXACT_MAX_N) return { n, wPlus, wMinus, p: signedRankExactP(n, wPlus), method: 'exact' };
  return { n, wPlus, wMinus, p: signedRankNormalP(n, wPlus, tieGroups), method: 'normal' };
}

export interface PairedComparison {
  /** Pairs with both values finite. */
  n: number;
  /** Mean of x − y with its paired-t 95% CI. */
  diff: MeanCI;
  wilcoxon: SignedRank;
}

/** x_i − y_i over the pairs where both are finite: paired t CI and Wilcoxon signed-rank p. */
export function pairedComparison(x: readonly number[], y: readonly number[], level = 0.95): PairedComparison {
  if (x.length !== y.length) throw new RangeError(`pairedComparison: ${x.length} values against ${y.length}`);
  const d: number[] = [];
  x.forEach((v, i) => { if (Number.isFinite(v) && Number.isFinite(y[i])) d.push(v - y[i]); });
  return { n: d.length, diff: tMeanCI(d, level), wilcoxon: wilcoxonSignedRank(d) };
}
