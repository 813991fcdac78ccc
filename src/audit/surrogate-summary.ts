// The decoupled surrogate per architecture (issue #14 item 3): the losses at the trained weights, the
// distributions of GD minima (real net, surrogate, p-spin at p = H), their distances with CIs and a
// permutation p, the index of the endpoints, and the headline verdict: W1 between the real net's and the
// surrogate's minima, against width. Platform-neutral, seeded, deterministic.
import { bootstrapMean, verdict, type Est, type Point, type Rule, type Verdict } from './verdicts.js';
import type { SurrogateLine } from './surrogate.js';
import { e0, eInf } from '../theory/complexity.js';
import { seededUniform } from '../stats/random.js';

/**
 * The headline: the surrogate stands for the net when W1 between the two sets of GD minima (same data,
 * starts, optimiser, sphere) is at most 0.05 nats, a tenth of the gap between a trained net and chance
 * at these sizes (ln 10 ≈ 2.3 at chance).
 */
export const SURROGATE_RULE: Rule = {
  id: 'surrogate', says: 'the decoupled surrogate (A5u and A6u imposed, ρ the net\'s own) has the real net\'s minima',
  statistic: 'W1 between the real net\'s and the surrogate\'s GD minima losses, nats', threshold: 0.05, failBy: 'difference', digits: 3,
};

/** 1-D Wasserstein-1 distance of two empirical distributions: ∫ |F_a − F_b|. */
export function wasserstein1(a: readonly number[], b: readonly number[]): number {
  if (!a.length || !b.length) return NaN;
  const x = [...a].sort((p, q) => p - q), y = [...b].sort((p, q) => p - q);
  const all = [...x, ...y].sort((p, q) => p - q);
  let i = 0, j = 0, d = 0;
  for (let t = 0; t + 1 < all.length; t++) {
    while (i < x.length && x[i] <= all[t]) i++;
    while (j < y.length && y[j] <= all[t]) j++;
    d += Math.abs(i / x.length - j / y.length) * (all[t + 1] - all[t]);
  }
  return d;
}

const meanOf = (v: readonly number[]) => (v.length ? v.reduce((s, x) => s + x, 0) / v.length : NaN);
const sdOf = (v: readonly number[]) => { const m = meanOf(v); return v.length > 1 ? Math.sqrt(v.reduce((s, x) => s + (x - m) ** 2, 0) / (v.length - 1)) : NaN; };
/** (v − mean)/sd: the shape only, for distributions in different units. */
export const standardised = (v: readonly number[]) => { const m = meanOf(v), s = sdOf(v); return s > 0 ? v.map((x) => (x - m) / s) : v.map(() => 0); };

/** The project's seeded resampling generator (src/stats/random.ts): reproducible from its seed. */
const uniforms = seededUniform;

/** Permutation p of W1(a, b): the pooled values relabelled `repeats` times, (1 + #{W1* ≥ W1})/(1 + repeats). */
export function permutationP(a: readonly number[], b: readonly number[], seed: number, repeats = 999): number {
  const obs = wasserstein1(a, b), pool = [...a, ...b], next = uniforms(seed);
  if (!Number.isFinite(obs)) return NaN;
  let hits = 0;
  for (let r = 0; r < repeats; r++) {
    for (let i = pool.length - 1; i > 0; i--) { const j = Math.floor(next() * (i + 1)); [pool[i], pool[j]] = [pool[j], pool[i]]; }
    if (wasserstein1(pool.slice(0, a.length), pool.slice(a.length)) >= obs - 1e-15) hits++;
  }
  return (1 + hits) / (1 + repeats);
}

/** W1 of the pooled per-net samples, and its 95% percentile bootstrap over nets (each net's starts kept together). */
export function w1OverNets(a: number[][], b: number[][], seed: number, resamples = 500): Est {
  const value = wasserstein1(a.flat(), b.flat()), n = a.length;
  if (n < 2 || !Number.isFinite(value)) return { value, lo: NaN, hi: NaN };
  const next = uniforms(seed), w = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    const pick = Array.from({ length: n }, () => Math.floor(next() * n));
    w[r] = wasserstein1(pick.flatMap((i) => a[i]), pick.flatMap((i) => b[i]));
  }
  w.sort();
  const q = (p: number) => w[Math.round(p * (resamples - 1))];
  return { value, lo: Math.min(q(0.025), value), hi: Math.max(q(0.975), value) };
}

export interface Moments { mean: number; sd: number; n: number }
const moments = (v: number[]): Moments => ({ mean: meanOf(v), sd: sdOf(v), n: v.length });

export interface SurrogateGroup {
  nets: number;
  rho: Est;
  samples: number;
  starts: number;
  /** Losses on the S' samples at the trained weights, and surrogate − real. */
  atTrained: { real: Est; sur: Est; gap: Est };
  /** GD minima from the same starts: moments, W1 (bootstrap CI over nets) with a permutation p. */
  minima: { real: Moments; sur: Moments; w1: Est; relative: number; p: number; realGrad: number; surGrad: number };
  /** The p-spin at p = H, Λ: energies H/Λ, and shape distances (W1 of standardised samples) to the nets'. */
  pspin: { lambda: number; energy: Moments; E0: number; Einf: number; shapeSur: number; shapeReal: number; shapeRealSur: number };
  /** Normalised index (share of negative tangent eigenvalues) of the measured endpoints, or null. */
  index: { nets: number; N: number; real: number; sur: number } | null;
}

export function summarizeSurrogate(ls: readonly SurrogateLine[], seed: number, H: number): SurrogateGroup | null {
  if (!ls.length) return null;
  let k = 0;
  const est = (f: (l: SurrogateLine) => number) => bootstrapMean(ls.map(f), (seed ^ (0x5eed + k++)) >>> 0);
  const real = ls.map((l) => l.real), sur = ls.map((l) => l.sur), pspin = ls.flatMap((l) => l.pspin);
  const zr = standardised(real.flat()), zs = standardised(sur.flat()), zp = standardised(pspin);
  const ix = ls.filter((l) => l.index), w1 = w1OverNets(real, sur, (seed ^ 0xa11) >>> 0);
  return {
    nets: ls.length, rho: est((l) => l.rho), samples: ls[0].samples, starts: ls[0].real.length,
    atTrained: { real: est((l) => l.realAtTrained), sur: est((l) => l.surAtTrained), gap: est((l) => l.surAtTrained - l.realAtTrained) },
    minima: {
      real: moments(real.flat()), sur: moments(sur.flat()), w1, relative: w1.value / meanOf(real.flat()), p: permutationP(real.flat(), sur.flat(), (seed ^ 0xb22) >>> 0),
      realGrad: meanOf(ls.flatMap((l) => l.realGrad)), surGrad: meanOf(ls.flatMap((l) => l.surGrad)),
    },
    pspin: { lambda: ls[0].lambda, energy: moments(pspin), E0: e0(H), Einf: eInf(H), shapeSur: wasserstein1(zs, zp), shapeReal: wasserstein1(zr, zp), shapeRealSur: wasserstein1(zr, zs) },
    index: ix.length ? { nets: ix.length, N: ix[0].index!.N, real: meanOf(ix.map((l) => l.index!.real)), sur: meanOf(ix.map((l) => l.index!.sur)) } : null,
  };
}

export type SurrogateVerdict = Verdict & { says: string; statistic: string; threshold: number; points: Point[] };

/** The headline verdict over the architectures that carry a surrogate, with the trend with width per depth. */
export function surrogateVerdict(groups: readonly { label: string; H: number; width: number; surrogate?: SurrogateGroup | null }[]): SurrogateVerdict {
  const points = groups.filter((g) => g.surrogate).map((g) => ({ label: g.label, H: g.H, width: g.width, est: g.surrogate!.minima.w1 }));
  return { ...verdict(SURROGATE_RULE, points), says: SURROGATE_RULE.says, statistic: SURROGATE_RULE.statistic, threshold: SURROGATE_RULE.threshold, points };
}
