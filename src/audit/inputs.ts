// A2p: the inputs as the net sees them against N(0, 1) (SCIENCE.md §8): moments of all S·d values
// pooled, the per-coordinate moments summarised over coordinates, and two KS distances from Φ:
// of the raw pooled values (A2p literally) and of each coordinate standardised by its own mean and
// sd, then pooled (the shape, not the scale). Constant coordinates (MNIST's border pixels) have no
// standardised form and are counted, not pooled. O(S·d log(S·d)) in TS.
import { ksNormal, type Summary, weightedSummary } from './stats.js';

export interface Moments { mean: number; sd: number; skewness: number; excessKurtosis: number }

export interface A2pResult {
  pooled: Moments;
  perCoordinate: { mean: Summary; sd: Summary; skewness: Summary; excessKurtosis: Summary };
  ksRaw: number;
  ksStandardised: number;
  constantCoordinates: number;
}

function moments(get: (t: number) => number, n: number): Moments {
  let m = 0;
  for (let t = 0; t < n; t++) m += get(t);
  m /= n;
  let m2 = 0, m3 = 0, m4 = 0;
  for (let t = 0; t < n; t++) { const e = get(t) - m, e2 = e * e; m2 += e2; m3 += e2 * e; m4 += e2 * e2; }
  m2 /= n; m3 /= n; m4 /= n;
  return { mean: m, sd: Math.sqrt(m2), skewness: m2 > 0 ? m3 / m2 ** 1.5 : NaN, excessKurtosis: m2 > 0 ? m4 / (m2 * m2) - 3 : NaN };
}

export function a2p(X: ArrayLike<number>, S: number, d: number): A2pResult {
  if (X.length < S * d) throw new RangeError(`audit: X holds ${X.length} values, fewer than S·d = ${S * d}`);
  const pooled = moments((t) => X[t], S * d);
  const per = Array.from({ length: d }, (_, i) => moments((s) => X[s * d + i], S));
  const varying = per.map((m, i) => [m, i] as const).filter(([m]) => m.sd > 0);
  const std = new Float64Array(varying.length * S);
  let o = 0;
  for (const [m, i] of varying) for (let s = 0; s < S; s++) std[o++] = (X[s * d + i] - m.mean) / m.sd;
  const raw = Float64Array.from({ length: S * d }, (_, t) => X[t]);
  const over = (f: (m: Moments) => number) => weightedSummary(varying.map(([m]) => f(m)));
  return {
    pooled,
    perCoordinate: { mean: weightedSummary(per.map((m) => m.mean)), sd: weightedSummary(per.map((m) => m.sd)), skewness: over((m) => m.skewness), excessKurtosis: over((m) => m.excessKurtosis) },
    ksRaw: ksNormal(raw),
    ksStandardised: std.length ? ksNormal(std) : NaN,
    constantCoordinates: d - varying.length,
  };
}
