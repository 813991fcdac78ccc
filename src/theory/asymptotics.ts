// Sharp (prefactor-exact) large-N asymptotics of the MEAN number of critical points of the spherical
// pure p-spin glass, after Auffinger, Ben Arous & Černý [ABC] (CPAM 2013, arXiv 1003.1129). Natural
// logs. u is the energy density H/N (N = Λ in [P2]); counts are of critical points with H ≤ N·u.
//
// Starting point: [ABC]'s Kac–Rice identity, which trades the (N−1)-dim Hessian for an N×N GOE
// (entries of variance (1+δ_ij)/(2N), semicircle on [−√2, √2]), with a := (p−2)/(2p) and
// x := √(p/(2(p−1)))·u (so −E∞ ↦ −√2):
//   E Crt_{N,k}(u) = 2√(2/p)·(p−1)^{N/2} · E[ e^{−N·a·λ_k²} 1{λ_k ≤ x} ]       λ_k: (k+1)-th smallest
//   E Crt_N(u)     = 2N√(2/p)·(p−1)^{N/2} · ∫_{−∞}^{x} e^{−N·a·y²} ρ_N(y) dy    ρ_N: mean eigenvalue density
// (p = 2 check: exactly 2N critical points, 2 of each index.) [ABC] get their exponential rates
// (Θ_p, Θ_{k,p}; see complexity.ts) and their exact asymptotics from this identity.
//
// Provenance of the prefactors. The full text of [ABC] could not be consulted for this file, so the
// constants below were DERIVED here from the identity, not copied, and each step was checked
// numerically (test/asymptotics.test.ts repeats the decisive checks):
//  - λ_k density for y < −√2 (k+1 outliers of the GOE): exact Mehta-integral ratio, a Laguerre
//    Selberg integral J_k for the k outliers below λ_k, and the GOE (β = 1) linear-statistics CLT
//    for E|det(y − M_{N−k−1})|^{k+1} (mean correction and variance both included):
//      f_k(y) ≈ N^{(1−2k−k²)/2} · e^{C_k(y)} · e^{−(k+1)·N·I_1(y)}
//      C_k(y) = −q(q+5)/4·ln2 − (q/2)lnπ − ln k! + ln J_k − ((3q²−2)/2)·ln s − (q/2)·ln((w+s)/2)
//    with q = k+1, w = −y, s = √(w²−2), I_1(y) = ∫_y^{−√2} √(z²−2) dz (= I(u) of complexity.ts at y = x),
//    J_k = Π_{j<k} Γ(2+j/2)Γ(1+(j+1)/2)/Γ(3/2). For k = 0 this is the one-point GOE tail
//    N·ρ_N(y) ≈ √N·e^{−N·I_1(y)} / (2√(π·s·(w+s))), checked against the exact Hermite-function GOE
//    density (error O(1/N)); the k-dependence of the determinant moment was checked by Monte Carlo.
//  - Endpoint Laplace integral in y ≤ x with g_k(y) = a·y² + q·I_1(y), |g_k'(x)| = 2a·w + q·s:
//      E Crt_{N,k}(u) ≈ 2√(2/p) · e^{C_k(x)} / |g_k'(x)| · N^{−(k+1)²/2} · e^{N·Θ_{k,p}(u)}   u < −E∞
//    so the N-power is N^{−1/2} for minima, N^{−2} for index 1, N^{−9/2} for index 2, ...
//  - Total (any index): below −E∞ it equals the k = 0 formula (higher indices are exponentially
//    rarer there); inside the bulk the GOE density is the semicircle ρ_sc(x) = √(2−x²)/π:
//      −E∞ < u < 0:  E Crt_N(u) ≈ 2√2·√(4(p−1) − p·u²) / (π·(p−2)·|u|) · e^{N·Θ_p(u)}
//      u > 0:        E Crt_N(u) ≈ 4·√(2/(π(p−2))) · N^{1/2} · (p−1)^{N/2}       (half of it at u = 0)
//
// Validity. These are fixed-u limits: the error is O(1/N) for fixed u, but not uniform at u = −E∞,
// where the λ_k density crosses over to Tracy–Widom on the scale N^{−2/3}. The index-k prefactor
// grows like s^{−(3q²−2)/2} there, so trust it only when N^{2/3}·(−x − √2) ≫ 1. For k = 0 it is mild:
// at p = 3, N = 1000 the sharp count exceeds the exact finite-N one (Hermite-function GOE density)
// by about 4%, 6%, 12%, 21% at 0.03, 0.02, 0.01, 0.005 below −E∞ (−E_0 is 0.024 below). For fixed
// k and u ≥ −E∞ no closed form exists (the count saturates at the band edge): NaN is returned.
//
// [P2] Fig. 1. [P2] (p = 3, Λ = 1000) plots "mean number of critical points" of low index against
// Λu from these sharp asymptotics. Whether its curves are the cumulative counts E Crt_{Λ,k}(u)
// (below Λu, the quantity [ABC]'s theorems state) or their density per unit of Λu could not be
// settled from the sources available here, so figure1Series returns both: `logCount` (cumulative)
// and `logDensity` (= d/d(Λu) of the count; to leading order the count times Θ'_{k,p}(u)).

import { e0, eInf, theta, thetaK } from './complexity.js';
import { detLog } from './detmath.js';

const LN2 = Math.LN2;
const LNPI = detLog(Math.PI);
const SQRT2 = Math.SQRT2;

/** Lanczos ln Γ(x) for x > 0 (g = 7, n = 9; relative error about 1e-15). */
function lnGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return detLog(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lnGamma(1 - x);
  const z = x - 1;
  let s = c[0];
  for (let i = 1; i < 9; i++) s += c[i] / (z + i);
  const t = z + 7.5;
  return 0.5 * detLog(2 * Math.PI) + (z + 0.5) * detLog(t) - t + detLog(s);
}

function checkN(N: number): void {
  if (!(N > 0) || !Number.isFinite(N)) throw new RangeError(`N must be a positive finite number, got ${N}`);
}

function checkK(k: number): void {
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`k must be an integer ≥ 0, got ${k}`);
}

/** √(p/(2(p−1))): multiplies an energy density u to give the GOE variable x (−E∞ ↦ −√2). */
export function goeScale(p: number): number {
  eInf(p); // validates p
  return Math.sqrt(p / (2 * (p - 1)));
}

/** I_1(y) = ∫_y^{−√2} √(z²−2) dz for y ≤ −√2: the GOE cost of one eigenvalue at y (= I(u) of complexity.ts). */
export function goeRateI1(y: number): number {
  if (y > -SQRT2) throw new RangeError(`I_1(y) is defined for y ≤ −√2, got ${y}`);
  const w = -y;
  const s = Math.sqrt(Math.max(0, w * w - 2));
  return 0.5 * (w * s - 2 * detLog(w + s)) + 0.5 * LN2;
}

/** ln J_k, J_k = ∫_{ℝ₊^k} Π s_i Π_{i<j}|s_i − s_j| e^{−Σ s_i} ds (Laguerre Selberg integral, β = 1). */
export function lnSelbergJ(k: number): number {
  checkK(k);
  let r = 0;
  for (let j = 0; j < k; j++) r += lnGamma(2 + j / 2) + lnGamma(1 + (j + 1) / 2) - lnGamma(1.5);
  return r;
}

/** C_k(y): the N-free part of ln f_k(y) (see the header). */
function prefactorC(y: number, k: number): number {
  const q = k + 1;
  const w = -y;
  const s = Math.sqrt(w * w - 2);
  return (
    -((q * (q + 5)) / 4) * LN2 -
    (q / 2) * LNPI -
    lnGamma(k + 1) +
    lnSelbergJ(k) -
    ((3 * q * q - 2) / 2) * detLog(s) -
    (q / 2) * detLog((w + s) / 2)
  );
}

/**
 * ln of the sharp large-N density of λ_k, the (k+1)-th smallest eigenvalue of the N×N GOE
 * (variance (1+δ_ij)/(2N)), at y < −√2:
 *   ln f_k(y) ≈ −(k+1)·N·I_1(y) + ((1−2k−k²)/2)·ln N + C_k(y).
 * For k = 0 this is N times the mean eigenvalue density ρ_N(y) to leading order. NaN for y ≥ −√2.
 */
export function goeEigenvalueDensityLog(N: number, y: number, k: number): number {
  checkN(N);
  checkK(k);
  if (!(y < -SQRT2)) return NaN;
  return -(k + 1) * N * goeRateI1(y) + ((1 - 2 * k - k * k) / 2) * detLog(N) + prefactorC(y, k);
}

/**
 * ln E Crt_{N,k}(u): the natural log of the sharp asymptotic mean number of critical points of index
 * k with H ≤ N·u, valid for u < −E∞ (NaN otherwise):
 *   N·Θ_{k,p}(u) − ((k+1)²/2)·ln N + ln(2√(2/p)) + C_k(x) − ln(2a·|x| + (k+1)·√(x²−2)),  x = √(p/(2(p−1)))·u.
 * Derived from [ABC]'s Kac–Rice/GOE identity (see the header); p ≥ 2.
 */
export function meanCriticalPointsLog(p: number, N: number, u: number, k: number): number {
  const E = eInf(p);
  checkN(N);
  checkK(k);
  if (!(u < -E)) return NaN;
  const x = goeScale(p) * u;
  const w = -x;
  const s = Math.sqrt(w * w - 2);
  const slope = ((p - 2) / p) * w + (k + 1) * s; // |g_k'(x)|
  return (
    N * thetaK(u, p, k) -
    ((k + 1) ** 2 / 2) * detLog(N) +
    detLog(2 * Math.sqrt(2 / p)) +
    prefactorC(x, k) -
    detLog(slope)
  );
}

/** E Crt_{N,k}(u) = exp(meanCriticalPointsLog): Infinity on overflow, NaN where the formula does not apply. */
export function meanCriticalPoints(p: number, N: number, u: number, k: number): number {
  return Math.exp(meanCriticalPointsLog(p, N, u, k));
}

function checkTotalP(p: number, u: number): void {
  if (p < 3 && u >= -eInf(p)) throw new RangeError(`the total count above −E∞ needs p ≥ 3 (p = 2 has exactly 2N), got p = ${p}`);
}

/**
 * ln E Crt_N(u): all indices, H ≤ N·u. Below −E∞ it is the k = 0 formula; for −E∞ < u < 0 the
 * semicircle endpoint term; for u > 0 the whole count 4√(2/(π(p−2)))·√N·(p−1)^{N/2} (half at u = 0).
 * NaN at u = −E∞ exactly (the crossover).
 */
export function meanCriticalPointsTotalLog(p: number, N: number, u: number): number {
  const E = eInf(p);
  checkN(N);
  checkTotalP(p, u);
  if (u < -E) return meanCriticalPointsLog(p, N, u, 0);
  if (u === -E) return NaN;
  const whole = 0.5 * detLog(N) + (N / 2) * detLog(p - 1) + detLog(4 * Math.sqrt(2 / (Math.PI * (p - 2))));
  if (u > 0) return whole;
  if (u === 0) return whole - LN2;
  const c = (2 * SQRT2 * Math.sqrt(4 * (p - 1) - p * u * u)) / (Math.PI * (p - 2) * -u);
  return N * theta(u, p) + detLog(c);
}

/** E Crt_N(u) = exp(meanCriticalPointsTotalLog). */
export function meanCriticalPointsTotal(p: number, N: number, u: number): number {
  return Math.exp(meanCriticalPointsTotalLog(p, N, u));
}

/**
 * ln of the mean number of index-k critical points per unit of energy H at H = N·u, i.e.
 * ln[(1/N)·d/du E Crt_{N,k}(u)] = ln[2√(2/p)·√(p/(2(p−1)))·(p−1)^{N/2}·e^{−N·a·x²}·f_k(x)] for u < −E∞;
 * to leading order the count times Θ'_{k,p}(u). NaN for u ≥ −E∞.
 */
export function criticalPointDensityLog(p: number, N: number, u: number, k: number): number {
  const E = eInf(p);
  checkN(N);
  checkK(k);
  if (!(u < -E)) return NaN;
  const x = goeScale(p) * u;
  return (
    N * thetaK(u, p, k) +
    detLog(2 / Math.sqrt(p - 1)) - // 2√(2/p)·√(p/(2(p−1)))
    detLog(N) +
    ((1 - 2 * k - k * k) / 2) * detLog(N) +
    prefactorC(x, k)
  );
}

/**
 * ln of the mean number of critical points of any index per unit of H at H = N·u:
 * (2/√(p−1))·(p−1)^{N/2}·e^{−N·a·x²}·ρ_N(x), with ρ_N the semicircle inside [−√2, √2] and the
 * one-outlier tail outside (maxima mirror minima). NaN at |x| = √2 exactly.
 */
export function criticalPointDensityTotalLog(p: number, N: number, u: number): number {
  eInf(p);
  checkN(N);
  const x = goeScale(p) * u;
  if (Math.abs(x) === SQRT2) return NaN;
  const base = detLog(2 / Math.sqrt(p - 1)) + (N / 2) * detLog(p - 1) - N * ((p - 2) / (2 * p)) * x * x;
  if (Math.abs(x) < SQRT2) return base + detLog(Math.sqrt(2 - x * x) / Math.PI);
  return base + goeEigenvalueDensityLog(N, -Math.abs(x), 0) - detLog(N);
}

export interface Figure1Point {
  /** N·u: the value of H, the x-axis of [P2] Fig. 1. */
  energy: number;
  u: number;
  /** ln E[# critical points of this index with H ≤ energy] (NaN where the formula does not apply). */
  logCount: number;
  /** ln of the same per unit of H at H = energy. */
  logDensity: number;
}

export interface Figure1Series {
  /** The index, or 'all' for the total over indices. */
  k: number | 'all';
  points: Figure1Point[];
}

/**
 * The data behind [P2] Fig. 1 (p = 3, Λ = N = 1000): one series per index in `ks`, then the total.
 * The default grid runs from 0.05 below −E_0 to 0.002 below −E∞ (the index-k formulas stop at −E∞;
 * see the header for how far below −E∞ they can be trusted at this N).
 */
export function figure1Series(
  p = 3,
  N = 1000,
  ks: number[] = [0, 1, 2, 3, 4, 5],
  uGrid?: number[],
): Figure1Series[] {
  const E = eInf(p);
  const grid = uGrid ?? defaultGrid(p, E);
  const series: Figure1Series[] = ks.map((k) => ({
    k,
    points: grid.map((u) => ({
      energy: N * u,
      u,
      logCount: meanCriticalPointsLog(p, N, u, k),
      logDensity: criticalPointDensityLog(p, N, u, k),
    })),
  }));
  const totalOk = (u: number) => p >= 3 || u < -E;
  series.push({
    k: 'all',
    points: grid.map((u) => ({
      energy: N * u,
      u,
      logCount: totalOk(u) ? meanCriticalPointsTotalLog(p, N, u) : NaN,
      logDensity: criticalPointDensityTotalLog(p, N, u),
    })),
  });
  return series;
}

function defaultGrid(p: number, E: number, points = 241): number[] {
  const a = -e0(p) - 0.05;
  const b = -E - 0.002;
  return Array.from({ length: points }, (_, i) => a + ((b - a) * i) / (points - 1));
}
