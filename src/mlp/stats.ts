// The statistics of [P2] §5 over an ensemble of trained networks, per hidden width: loss
// moments and quantiles, Pearson and Spearman correlation between train and test loss across
// runs ([P2] Table 1) with percentile-bootstrap confidence intervals, and the fit of
// E[L] ∝ exp(α·n1^β) used to scale the histograms. Platform-neutral, deterministic.
import { mean, sampleVariance, quantileSorted, sampleCorrelation, sampleRankCorrelation } from 'simple-statistics';
import { seededUniform } from '../stats/random.js';

export interface CorrelationCI {
  value: number;
  lo: number;
  hi: number;
}

/** Correlation with a 95% percentile-bootstrap interval over `resamples` resamples of the runs. */
export function bootstrapCorrelation(x: number[], y: number[], kind: 'pearson' | 'spearman', seed = 1, resamples = 1000): CorrelationCI {
  const f = kind === 'pearson' ? sampleCorrelation : sampleRankCorrelation;
  const n = x.length;
  if (n < 3) return { value: NaN, lo: NaN, hi: NaN };
  const value = f(x, y);
  const next = seededUniform(seed);
  const stats: number[] = [];
  const bx = new Array<number>(n);
  const by = new Array<number>(n);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < n; i++) {
      const j = Math.floor(next() * n);
      bx[i] = x[j];
      by[i] = y[j];
    }
    const v = f(bx, by);
    if (Number.isFinite(v)) stats.push(v);
  }
  stats.sort((a, b) => a - b);
  return { value, lo: stats.length ? quantileSorted(stats, 0.025) : NaN, hi: stats.length ? quantileSorted(stats, 0.975) : NaN };
}

/** Sample variance with a 95% percentile-bootstrap interval over `resamples` resamples of the runs. */
export function bootstrapVariance(x: number[], seed = 1, resamples = 1000): CorrelationCI {
  const n = x.length;
  if (n < 2) return { value: NaN, lo: NaN, hi: NaN };
  const next = seededUniform(seed ^ 0x5f3759df);
  const stats: number[] = [];
  const b = new Array<number>(n);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < n; i++) b[i] = x[Math.floor(next() * n)];
    stats.push(sampleVariance(b));
  }
  stats.sort((a, c) => a - c);
  return { value: sampleVariance(x), lo: quantileSorted(stats, 0.025), hi: quantileSorted(stats, 0.975) };
}

export interface LossStats {
  mean: number;
  variance: number;
  q05: number;
  q25: number;
  q50: number;
  q75: number;
  q95: number;
  min: number;
  max: number;
}

export function lossStats(values: number[]): LossStats {
  const s = [...values].sort((a, b) => a - b);
  return {
    mean: mean(s), variance: s.length > 1 ? sampleVariance(s) : 0,
    q05: quantileSorted(s, 0.05), q25: quantileSorted(s, 0.25), q50: quantileSorted(s, 0.5),
    q75: quantileSorted(s, 0.75), q95: quantileSorted(s, 0.95), min: s[0], max: s[s.length - 1],
  };
}

/**
 * Least-squares fit of ln E[L] = c + α·n^β over the widths: for each β on a fine grid the
 * best (c, α) is linear least squares; the β with the smallest residual wins. Needs ≥ 3 widths.
 */
export function fitExpPower(widths: number[], meanLoss: number[]): { alpha: number; beta: number; c: number; rss: number } | null {
  if (widths.length < 3 || meanLoss.some((m) => !(m > 0))) return null;
  const y = meanLoss.map(Math.log);
  let best: { alpha: number; beta: number; c: number; rss: number } | null = null;
  for (let b = -2; b <= 2.0000001; b += 0.001) {
    if (Math.abs(b) < 1e-9) continue;
    const x = widths.map((n) => n ** b);
    const mx = mean(x), my = mean(y);
    let sxy = 0, sxx = 0;
    for (let i = 0; i < x.length; i++) { sxy += (x[i] - mx) * (y[i] - my); sxx += (x[i] - mx) ** 2; }
    if (sxx === 0) continue;
    const alpha = sxy / sxx;
    const c = my - alpha * mx;
    let rss = 0;
    for (let i = 0; i < x.length; i++) rss += (y[i] - c - alpha * x[i]) ** 2;
    if (!best || rss < best.rss) best = { alpha, beta: b, c, rss };
  }
  return best;
}
