// What a result line keeps of a spectrum (the full one goes to .npy with --save-spectra), and the
// per-width summary of `landscape hessian`. Platform-neutral, deterministic.
import { mean, quantileSorted, sampleStandardDeviation } from 'simple-statistics';

/** Edges of the signed-log spectrum histogram: sign(λ)·log10|λ| in half decades, |λ| < 10⁻⁸ as zero. */
export const LOG_FLOOR = -8;
export const LOG_CEIL = 3;
export const BIN = 0.5;

export interface SpectrumSummary {
  min: number;
  max: number;
  /** The largest eigenvalues, descending (up to 2C + 4). */
  top: number[];
  /**
   * Outliers above the bulk: the eigenvalues above the largest ratio gap λ_i/λ_{i+1} among the top
   * ones (Sagun et al. report about C − 1 for C classes).
   */
  outliers: number;
  /** Counts per bin: negative side (−10^ceil … −10^floor), then |λ| < 10^floor, then the positive side. */
  bins: number[];
}

export function binCount(): number {
  return 2 * Math.round((LOG_CEIL - LOG_FLOOR) / BIN) + 1;
}

/** The bin of an eigenvalue (see SpectrumSummary.bins); values past 10^ceil fall in the end bins. */
export function binOf(v: number): number {
  const side = Math.round((LOG_CEIL - LOG_FLOOR) / BIN);
  const a = Math.abs(v);
  if (a < 10 ** LOG_FLOOR) return side;
  const k = Math.min(side - 1, Math.floor((Math.log10(a) - LOG_FLOOR) / BIN));
  return v > 0 ? side + 1 + k : side - 1 - k;
}

/** The centre of bin i as a signed decade, for plotting (0 for the zero bin). */
export function binCentre(i: number): number {
  const side = Math.round((LOG_CEIL - LOG_FLOOR) / BIN);
  if (i === side) return 0;
  const k = i > side ? i - side - 1 : side - 1 - i;
  const decade = LOG_FLOOR + (k + 0.5) * BIN;
  return i > side ? decade : -decade;
}

export function spectrumSummary(ascending: Float64Array, classes: number): SpectrumSummary {
  const n = ascending.length;
  const bins = new Array<number>(binCount()).fill(0);
  for (const v of ascending) bins[binOf(v)]++;
  const top = Array.from(ascending.slice(Math.max(0, n - (2 * classes + 4)))).reverse();
  let outliers = 0, best = 1;
  for (let i = 0; i + 1 < top.length && top[i + 1] > 0; i++) {
    const r = top[i] / top[i + 1];
    if (r > best) { best = r; outliers = i + 1; }
  }
  return { min: n ? ascending[0] : NaN, max: n ? ascending[n - 1] : NaN, top, outliers, bins };
}

/** Mean with a normal-approximation 95% CI (t would differ little at the run counts used). */
export function meanCI(values: number[]): { mean: number; lo: number; hi: number } {
  if (!values.length) return { mean: NaN, lo: NaN, hi: NaN };
  const m = mean(values);
  const half = values.length > 1 ? (1.96 * sampleStandardDeviation(values)) / Math.sqrt(values.length) : NaN;
  return { mean: m, lo: m - half, hi: m + half };
}

export const median = (values: number[]) => (values.length ? quantileSorted([...values].sort((a, b) => a - b), 0.5) : NaN);
