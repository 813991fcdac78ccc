// The semicircle law of the p-spin tangent Hessian (SCIENCE.md §1) and one endpoint's fit to it.
//
// Normalisation, derived and checked. With H(w) = Λ^{-(p-1)/2} Σ J w…w on |w|² = Λ, the covariance
// is E[H(w)H(w')] = Λ^{1-p}(w·w')^p, so for i ≠ j in tangent directions
//   Var[∂i∂j H] = Λ^{1-p} · p(p−1) · (w·w)^{p-2} = p(p−1)/Λ   (diagonal: twice that),
// and E[ΔH | H = Λu] = Cov(ΔH, H)/Var(H) · Λu = p(p−1)u, which is exactly the radial curvature
// wᵀ∇²H w/Λ = p(p−1)u. So P∇²H P on the Λ−1 tangent directions is a GOE matrix with off-diagonal
// variance σ²/Λ, σ² = p(p−1) (mean 0, given H), and the Riemannian Hessian used by the code,
// P(∇²H − (pH/Λ)I)P, is that matrix shifted by −p·u with u = H/Λ (the lines' `energy`). Its bulk is
// the semicircle centred at −p·u with radius R = 2σ = 2√(p(p−1)) and second central moment
// R²/4 = p(p−1): no rescaling of the code's spectra is needed. Checked before this file was
// written on GD endpoints at Λ = 100 and 200 (p = 3): mean(λ) + p·u = 0.00…0.07 and
// var(λ)/p(p−1) = 0.96…1.02 (test/pspin-spectra.test.ts keeps that check).
//
// Only IEEE +, −, ×, ÷ and √ (exactly rounded on every engine) reach anything stored in a line:
// asin below is argument halving plus a short Taylor series, never Math.asin.

/** Radius of the semicircle of the p-spin tangent Hessian: 2√(p(p−1)). */
export const semicircleRadius = (p: number): number => 2 * Math.sqrt(p * (p - 1));

/** Density of the semicircle of radius 1 at 0: (2/π)√(1 − x²) on [−1, 1]. */
export function semicircleDensity(x: number): number {
  return x <= -1 || x >= 1 ? 0 : (2 / Math.PI) * Math.sqrt((1 - x) * (1 + x));
}

/**
 * asin on [−1, 1] from +, −, ×, ÷ and √ only: asin x = 2·asin(x / √(2(1 + √(1 − x²)))) halves the
 * angle (π/2 → below 10⁻³ in 11 steps), then asin y = y + y³/6 + 3y⁵/40 + 5y⁷/112 (next term
 * 35y⁹/1152 < 10⁻²⁸). About 10⁻¹⁵ absolute error; the same bits on every engine.
 */
export function detAsin(x: number): number {
  if (!(x >= -1 && x <= 1)) return NaN;
  let y = x, scale = 1;
  while (Math.abs(y) > 1e-3) {
    y = y / Math.sqrt(2 * (1 + Math.sqrt((1 - y) * (1 + y))));
    scale *= 2;
  }
  const y2 = y * y;
  return scale * (y + y * y2 * (1 / 6 + y2 * (3 / 40 + y2 * (5 / 112))));
}

/** CDF of the unit semicircle: ½ + (x√(1 − x²) + asin x)/π. */
export function semicircleCdf(x: number): number {
  if (x <= -1) return 0;
  if (x >= 1) return 1;
  return 0.5 + (x * Math.sqrt((1 - x) * (1 + x)) + detAsin(x)) / Math.PI;
}

/** G(x) = ∫_{−∞}^x F = x·F(x) − ∫_{−1}^x y f(y) dy, with ∫ y f = −(2/3π)(1 − x²)^{3/2}. */
function cdfIntegral(x: number): number {
  if (x <= -1) return 0;
  if (x >= 1) return x;
  const s = (1 - x) * (1 + x);
  return x * semicircleCdf(x) + (2 / (3 * Math.PI)) * s * Math.sqrt(s);
}

/** ∫_a^b |c − F(x)| dx for a ≤ b, F the unit semicircle CDF (increasing), split where F = c. */
function absArea(a: number, b: number, c: number): number {
  const below = (lo: number, hi: number) => c * (hi - lo) - (cdfIntegral(hi) - cdfIntegral(lo)); // F ≤ c
  if (semicircleCdf(b) <= c) return below(a, b);
  if (semicircleCdf(a) >= c) return -below(a, b);
  let lo = Math.max(a, -1), hi = Math.min(b, 1); // F(lo) < c < F(hi): bisect for F = c
  for (let i = 0; i < 60 && hi - lo > 1e-15; i++) {
    const mid = 0.5 * (lo + hi);
    if (semicircleCdf(mid) < c) lo = mid; else hi = mid;
  }
  const m = 0.5 * (lo + hi);
  return below(a, m) - below(m, b);
}

/**
 * Wasserstein-1 distance ∫|F_N − F| between the empirical law of `x` (ascending) and the unit
 * semicircle, exact up to rounding: F_N is constant between samples, and ∫F is closed-form.
 */
export function w1ToSemicircle(x: ArrayLike<number>): number {
  const N = x.length;
  let w = 0;
  const lo = Math.min(-1, x[0]), hi = Math.max(1, x[N - 1]);
  let prev = lo;
  for (let k = 0; k <= N; k++) {
    const next = k < N ? x[k] : hi;
    if (next > prev) w += absArea(prev, next, k / N);
    prev = Math.max(prev, next);
  }
  return w;
}

/** Fixed histogram bins of the scaled eigenvalue x = (λ + p·u)/R: 50 bins of 0.05 on [−1.25, 1.25]. */
export const FIT_BINS = { lo: -1.25, width: 0.05, count: 50 } as const;

/** One endpoint's tangent spectrum against its own semicircle (stored in its result line). */
export interface SemicircleFit {
  /** counts of x = (λ + p·u)/R in FIT_BINS, then those below and above the range */
  counts: number[];
  below: number;
  above: number;
  /** mean(λ) + p·u: 0 for the law */
  shift: number;
  /** var(λ)/(p(p−1)) over the Λ−1 eigenvalues (divisor Λ−1): 1 for the law */
  variance: number;
  /** Wasserstein-1 distance between the x and the unit semicircle (in units of the radius R) */
  w1: number;
}

/** The fit of one ascending tangent spectrum at energy density u = H/Λ. */
export function semicircleFit(spectrum: ArrayLike<number>, p: number, u: number): SemicircleFit {
  const N = spectrum.length;
  const R = semicircleRadius(p);
  const x = new Float64Array(N);
  for (let i = 0; i < N; i++) x[i] = (spectrum[i] + p * u) / R;
  const counts = new Array<number>(FIT_BINS.count).fill(0);
  let below = 0, above = 0, sum = 0;
  for (let i = 0; i < N; i++) {
    const b = Math.floor((x[i] - FIT_BINS.lo) / FIT_BINS.width);
    if (b < 0) below++;
    else if (b >= FIT_BINS.count) above++;
    else counts[b]++;
    sum += spectrum[i];
  }
  const mean = sum / N;
  let ss = 0;
  for (let i = 0; i < N; i++) { const d = spectrum[i] - mean; ss += d * d; }
  return { counts, below, above, shift: mean + p * u, variance: ss / N / (p * (p - 1)), w1: w1ToSemicircle(x) };
}
