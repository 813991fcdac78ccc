// Uncertainty across coupling draws ([P2] §5 uses one draw per Λ; a reviewer found that at Λ = 25
// and 50 the instance-to-instance spread of the mean is a third to a half of the step between
// sizes). Per Λ: the mean final energy across instances with a Student-t CI over the instances'
// means, the within-instance spread (mean sd and its CI over instances) and the between-instance
// sd of the means, kept apart. Across Λ: does the spread fall, and does the mean approach −E∞?
// Each as an OLS slope on log2 Λ over every (Λ, instance) point with a t CI, and Spearman's ρ with
// a permutation p (src/stats/trend.ts). Platform-neutral, deterministic.
import { sampleStandardDeviation } from 'simple-statistics';
import { tMeanCI, type MeanCI } from '../anneal/stats.js';
import { olsSlope, rankTrend, type Slope } from '../stats/trend.js';

export interface PSpinSizeSummary {
  n: number;
  instances: number;
  /** Mean over instances of each instance's mean H/Λ, with a t CI over instances (NaN bounds for one instance). */
  mean: MeanCI;
  /** Mean over instances of each instance's sd of H/Λ (the within-instance spread), with its t CI. */
  withinSd: MeanCI;
  /** sd of the instances' means (0 for one instance): the coupling draw's share of the uncertainty. */
  betweenSd: number;
}

export interface SizeTrend {
  /** OLS slope per doubling of Λ over all (Λ, instance) points, t CI; null with < 3 points. */
  slope: Slope | null;
  rho: number;
  /** Permutation p of Spearman's ρ over the points' assignment to sizes. */
  p: number;
  scale: string;
}

export interface PSpinTrends {
  /** ln(within-instance sd) against Λ: [P2] says it falls. */
  spread: SizeTrend;
  /** ln|mean − (−E∞)| against Λ: [P2] says the minima approach −E∞. */
  gap: SizeTrend;
}

interface InstanceGroup { n: number; instance: number; mean: number; sd: number; count: number }

export function sizeSummaries(groups: InstanceGroup[]): PSpinSizeSummary[] {
  const ns = [...new Set(groups.map((g) => g.n))];
  return ns.map((n) => {
    const gs = groups.filter((g) => g.n === n);
    const means = gs.map((g) => g.mean);
    return { n, instances: gs.length, mean: tMeanCI(means), withinSd: tMeanCI(gs.map((g) => g.sd)), betweenSd: gs.length > 1 ? sampleStandardDeviation(means) : 0 };
  });
}

function sizeTrend(points: { n: number; v: number }[], scale: string, seed: number): SizeTrend {
  const ok = points.filter((q) => Number.isFinite(q.v));
  const sizes = ok.map((q) => q.n), v = ok.map((q) => q.v);
  const rank = new Set(sizes).size >= 3 ? rankTrend(sizes, v, seed) : { rho: NaN, p: NaN };
  return { slope: olsSlope(sizes, v), rho: rank.rho, p: rank.p, scale };
}

export function pspinTrends(groups: InstanceGroup[], Einf: number, seed = 1): PSpinTrends {
  const usable = groups.filter((g) => g.count > 1);
  return {
    spread: sizeTrend(usable.map((g) => ({ n: g.n, v: Math.log(g.sd) })), 'ln sd per doubling of Λ', seed),
    gap: sizeTrend(usable.map((g) => ({ n: g.n, v: Math.log(Math.abs(g.mean + Einf)) })), 'ln |mean + E∞| per doubling of Λ', seed + 1),
  };
}

/** "falls by 0.21 [0.18, 0.25] ln sd per doubling of Λ (Spearman ρ = −0.93, p = 1e-4)". */
export function sizeTrendWords(t: SizeTrend, what: string): string {
  if (!t.slope) return `${what}: no trend test (needs three or more sizes)`;
  // The slope's t-test decides (it uses every draw's scatter); the rank test is reported beside it,
  // since with k points its p cannot go below 2/k! (0.083 for four sizes of one draw each).
  const sig = t.slope.p < 0.05;
  const verb = !sig ? 'shows no significant trend' : t.slope.value < 0 ? 'falls' : 'rises';
  const f = (x: number) => x.toFixed(3);
  return `${what} ${verb}: slope ${f(t.slope.value)} [${f(t.slope.lo)}, ${f(t.slope.hi)}] ${t.scale} (t-test p = ${fmt(t.slope.p)}; Spearman ρ = ${t.rho.toFixed(2)}, permutation p = ${fmt(t.p)})`;
}

const fmt = (p: number) => (!Number.isFinite(p) ? '–' : p < 1e-3 ? p.toExponential(1) : p.toFixed(3));

/** "8 coupling draws" or "2–8 coupling draws": how many draws the sizes have, as a phrase. */
export function drawsPhrase(sizes: readonly { instances: number }[]): string {
  const lo = Math.min(...sizes.map((z) => z.instances)), hi = Math.max(...sizes.map((z) => z.instances));
  return `${lo === hi ? lo : `${lo}–${hi}`} coupling draws`;
}
