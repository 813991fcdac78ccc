// The verdicts of the assumption audit (SCIENCE.md §8): per assumption, one statistic per
// architecture as a mean over nets with a 95% percentile-bootstrap CI over the nets, a stated
// threshold, the trend with width at each depth, and a one-line verdict computed from the numbers.
// Platform-neutral, deterministic (the bootstrap is seeded).
import { seededUniform } from '../stats/random.js';

/** A mean over nets and its 95% percentile-bootstrap interval (NaN, stored as null, with < 2 nets). */
export interface Est { value: number; lo: number; hi: number }

export interface Rule {
  id: string;
  /** What the assumption says, one sentence. */
  says: string;
  /** The statistic, as the table names it. */
  statistic: string;
  /** Largest value at which the assumption counts as holding. */
  threshold: number;
  /** How a failure is stated: by the difference beyond the threshold, or as a multiple of it. */
  failBy: 'difference' | 'ratio';
  digits: number;
  /** False for a check whose values carry no CI (the trend would be read off noise). */
  trend?: false;
}

/**
 * The thresholds, stated once. A1p: the paths' activation rates may differ from one common ρ by
 * 0.05 on average (W1 = E|ρ_π − median ρ|). A2p: a KS distance of 0.05 from N(0, 1) (the 5% test's
 * critical value for n independent values, 1.36/√n, is far smaller at the sizes audited: this is
 * "normal enough", not a test). A5u: 0.005 nats of information between A_π and X_π beyond the
 * permutation null (under 1% of ln 2, the most a binary A_π can share). A6u: the top eigenvalue of
 * the sampled path terms' correlation at most 1.2 times the Marchenko–Pastur edge of independent
 * terms. The path expansion: exact to 1e-9 relative (f64 sums of f32 weights). A3p: the ternary net's
 * signs correlate with the net's at 0.95 or more ([P2]'s ternary case; Thm 3.2's bound at ε ≈ 0.013).
 * A4p: every occurring product within a factor c = 2 of the uniform multiplicity Ψ/s^H at s = 3.
 * A7p: every layer's mean square within 10% of its initial value at the end of training.
 */
export const RULES = {
  expansion: { id: 'expansion', says: 'Y_k(x) = Σ_π x_i A_π(x) w_π exactly (bias-free ReLU net; a check, not an assumption)', statistic: 'max |ΔY| / max |Y|, worst net', threshold: 1e-9, failBy: 'ratio', digits: 1, trend: false },
  A1p: { id: 'A1p', says: 'every path is active with the same probability ρ', statistic: 'W1 of ρ_π to one common ρ (E|ρ_π − median|)', threshold: 0.05, failBy: 'difference', digits: 3 },
  A2p: { id: 'A2p', says: 'the inputs are N(0, 1)', statistic: 'KS distance of the pooled inputs from N(0, 1)', threshold: 0.05, failBy: 'difference', digits: 3 },
  A5u: { id: 'A5u', says: "a path's activation A_π is independent of its input X_π", statistic: 'I(A_π; X_π) − permutation null, nats, mean over paths', threshold: 0.005, failBy: 'difference', digits: 4 },
  A6u: { id: 'A6u', says: 'the path terms Z_π are mutually independent', statistic: 'top eigenvalue of the path terms\' correlation / Marchenko–Pastur edge', threshold: 1.2, failBy: 'ratio', digits: 2 },
  A3p: { id: 'A3p', says: 'at most Λ distinct weight values matter: the net quantised to s levels per layer keeps sign(Y) ([P2] Thm 3.2)', statistic: '1 − corr(sign Y_s, sign Y) at s = 3 (ternary)', threshold: 0.05, failBy: 'difference', digits: 3 },
  A4p: { id: 'A4p', says: 'every product of unique weights appears about equally often, Ψ/(c·s^H) ≤ t ≤ c·Ψ/s^H ([P2] Eq. 6)', statistic: 'smallest c holding for every occurring level tuple, s = 3', threshold: 2, failBy: 'ratio', digits: 2 },
  A7p: { id: 'A7p', says: 'the weights stay on a sphere, (1/Λ) Σ w² = const', statistic: 'max over layers of |‖W_l‖² at the end / at init − 1|', threshold: 0.1, failBy: 'difference', digits: 3 },
} satisfies Record<string, Rule>;

/** One architecture's value of a statistic. */
export interface Point { label: string; H: number; width: number; est: Est }

export interface Verdict {
  id: string;
  /** True: holds at every architecture; false: fails at one or more; null: undecided or not measured. */
  holds: boolean | null;
  /** Per depth: 'growing with width', 'shrinking with width', 'flat within CIs', or 'one width'. */
  trend: string;
  text: string;
}

const finite = (x: unknown): number => (typeof x === 'number' && Number.isFinite(x) ? x : NaN);

/** The project's seeded resampling generator (src/stats/random.ts): reproducible from its seed. */
const rng = seededUniform;

/** The mean of the finite values and its 95% percentile bootstrap over `resamples` resamples. */
export function bootstrapMean(values: readonly unknown[], seed = 1, resamples = 1000): Est {
  const x = values.map(finite).filter((v) => !Number.isNaN(v));
  const n = x.length;
  if (!n) return { value: NaN, lo: NaN, hi: NaN };
  const value = x.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { value, lo: NaN, hi: NaN };
  const next = rng(seed), means = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += x[Math.floor(next() * n)];
    means[r] = s / n;
  }
  means.sort();
  const q = (p: number) => means[Math.min(resamples - 1, Math.max(0, Math.round(p * (resamples - 1))))];
  // The CI of a constant is the constant (rounding of the resampled sums aside).
  return { value, lo: Math.min(q(0.025), value), hi: Math.max(q(0.975), value) };
}

const upper = (e: Est) => (Number.isNaN(finite(e.hi)) ? finite(e.value) : finite(e.hi));
const lower = (e: Est) => (Number.isNaN(finite(e.lo)) ? finite(e.value) : finite(e.lo));

/** A number in the rule's digits (exponent form for the check's tiny errors). */
export function fmtValue(rule: Rule, x: number): string {
  if (!Number.isFinite(x)) return '–';
  return Math.abs(x) !== 0 && (Math.abs(x) < 10 ** -rule.digits || rule.id === 'expansion') ? x.toExponential(1) : x.toFixed(rule.digits);
}

export function fmtEst(rule: Rule, e: Est): string {
  const ci = Number.isFinite(finite(e.lo)) && Number.isFinite(finite(e.hi)) ? ` [${fmtValue(rule, e.lo)}, ${fmtValue(rule, e.hi)}]` : '';
  return `${fmtValue(rule, finite(e.value))}${ci}`;
}

/**
 * The trend with width at one depth: the widest architecture against the narrowest, by their CIs
 * (by the values when a CI is missing): growing when the widest's interval lies wholly above the
 * narrowest's, shrinking when wholly below, else flat.
 */
export function trendOf(points: readonly Point[]): string {
  const ps = points.filter((p) => !Number.isNaN(finite(p.est.value))).sort((a, b) => a.width - b.width);
  if (ps.length < 2) return ps.length ? 'one width' : 'not measured';
  const a = ps[0], b = ps[ps.length - 1];
  if (lower(b.est) > upper(a.est)) return 'growing with width';
  if (upper(b.est) < lower(a.est)) return 'shrinking with width';
  return 'flat within CIs';
}

/**
 * Holds when every architecture's upper CI bound (its value, without a CI) is within the
 * threshold; fails when some architecture's lower bound is beyond it (by the worst value, and the
 * trend at that depth when it grows); undecided otherwise.
 */
export function verdict(rule: Rule, points: readonly Point[]): Verdict {
  const depths = [...new Set(points.map((p) => p.H))].sort((a, b) => a - b);
  const trends = depths.map((H) => ({ H, t: trendOf(points.filter((p) => p.H === H)) }));
  const trend = rule.trend === false ? '–' : trends.map(({ H, t }) => (depths.length > 1 ? `H = ${H}: ${t}` : t)).join('; ');
  const measured = points.filter((p) => !Number.isNaN(finite(p.est.value)));
  const f = (x: number) => fmtValue(rule, x), thr = f(rule.threshold);
  if (!measured.length) return { id: rule.id, holds: null, trend, text: 'not measured' };
  const worst = measured.reduce((w, p) => (finite(p.est.value) > finite(w.est.value) ? p : w));
  const failing = measured.filter((p) => lower(p.est) > rule.threshold);
  if (failing.length) {
    const w = failing.reduce((m, p) => (finite(p.est.value) > finite(m.est.value) ? p : m));
    const v = finite(w.est.value);
    const by = rule.failBy === 'ratio' ? `${(v / rule.threshold).toFixed(1)}× the allowed ${thr}` : `${f(v - rule.threshold)} beyond the allowed ${thr}`;
    const t = rule.trend === false ? '' : trends.find((x) => x.H === w.H)!.t;
    const growth = t === 'growing with width' || t === 'shrinking with width' ? `, ${t}${depths.length > 1 ? ` at H = ${w.H}` : ''}` : '';
    return { id: rule.id, holds: false, trend, text: `fails by ${by} (${f(v)} at ${w.label}; ${failing.length} of ${measured.length} architectures fail)${growth}` };
  }
  const open = measured.filter((p) => upper(p.est) > rule.threshold);
  if (open.length) {
    const o = open[0];
    return { id: rule.id, holds: null, trend, text: `undecided: at ${o.label} the CI [${f(lower(o.est))}, ${f(upper(o.est))}] straddles ${thr}; more runs would decide` };
  }
  return { id: rule.id, holds: true, trend, text: `holds within ${thr} at every width and depth (largest ${f(finite(worst.est.value))} at ${worst.label})` };
}
