// Per (Λ, instance): the endpoints' tangent Hessian spectra against the semicircle, pooled from the
// result lines' `semicircle` fits (--spectrum-fit). Sums of integer counts and means in line order,
// so the summary is the same for any worker count or shard split.
import { FIT_BINS, type SemicircleFit } from './semicircle.js';
import type { RestartResult } from './batch.js';

export interface SpectrumGroupSummary {
  /** the fixed bins of x = (λ + p·u)/(2√(p(p−1))), each endpoint shifted by its own u */
  bins: { lo: number; width: number; count: number };
  /** pooled counts over the endpoints, then those below and above the bins */
  counts: number[];
  below: number;
  above: number;
  endpoints: number;
  /** eigenvalues pooled: endpoints × (Λ − 1) */
  eigenvalues: number;
  /** ū, the mean endpoint energy density H/Λ of these endpoints */
  meanEnergy: number;
  /** means over endpoints of mean(λ) + p·u (law: 0) and of var(λ)/(p(p−1)) (law: 1) */
  shift: { mean: number; sd: number };
  variance: { mean: number; sd: number };
  /** Wasserstein-1 distance of each endpoint's x to the unit semicircle (radius units) */
  w1: { mean: number; sd: number; min: number; max: number };
}

const meanSd = (xs: number[]) => {
  let s = 0;
  for (const x of xs) s += x;
  const mean = s / xs.length;
  let ss = 0;
  for (const x of xs) { const d = x - mean; ss += d * d; }
  return { mean, sd: xs.length > 1 ? Math.sqrt(ss / (xs.length - 1)) : 0 };
};

/** The pooled spectral summary of one group's lines, or null when none carries a fit. */
export function spectrumSummary(lines: RestartResult[]): SpectrumGroupSummary | null {
  const fits = lines.filter((l): l is RestartResult & { semicircle: SemicircleFit } => l.semicircle !== undefined);
  if (!fits.length) return null;
  const counts = new Array<number>(FIT_BINS.count).fill(0);
  let below = 0, above = 0, energy = 0;
  for (const l of fits) {
    l.semicircle.counts.forEach((c, i) => { counts[i] += c; });
    below += l.semicircle.below;
    above += l.semicircle.above;
    energy += l.energy;
  }
  const w1 = fits.map((l) => l.semicircle.w1);
  return {
    bins: { ...FIT_BINS },
    counts, below, above,
    endpoints: fits.length,
    eigenvalues: fits.length * (fits[0].n - 1),
    meanEnergy: energy / fits.length,
    shift: meanSd(fits.map((l) => l.semicircle.shift)),
    variance: meanSd(fits.map((l) => l.semicircle.variance)),
    w1: { ...meanSd(w1), min: Math.min(...w1), max: Math.max(...w1) },
  };
}

/** A line's `semicircle` field as read back from disk: why it does not fit, or null. */
export function semicircleProblem(v: unknown, n: number): string | null {
  const f = v as SemicircleFit;
  if (typeof v !== 'object' || v === null) return `"semicircle" is ${JSON.stringify(v)}, expected the fit object of --spectrum-fit`;
  const ints = Array.isArray(f.counts) && f.counts.length === FIT_BINS.count && [...f.counts, f.below, f.above].every((c) => Number.isSafeInteger(c) && c >= 0);
  if (!ints) return `"semicircle" counts are not ${FIT_BINS.count} bins plus below/above of non-negative integers`;
  if (f.counts.reduce((a, c) => a + c, f.below + f.above) !== n - 1) return `"semicircle" counts do not add up to Λ − 1 = ${n - 1} eigenvalues`;
  if (![f.shift, f.variance, f.w1].every(Number.isFinite)) return '"semicircle" shift, variance or w1 is not a finite number';
  return null;
}
