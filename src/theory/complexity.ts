// Complexity of the spherical pure p-spin glass: [P2] §4 restating Auffinger, Ben Arous & Černý
// (CPAM 2013). Natural logs; u is the energy density H/Λ. Includes the continuity erratum for
// the constant branch of Θ_{k,p} (SCIENCE.md §2): (p−2)/p, not (p−2)/(4(p−1)).
import { detLog } from './detmath.js';

function checkP(p: number): void {
  if (!Number.isInteger(p) || p < 2) throw new RangeError(`p must be an integer ≥ 2, got ${p}`);
}

function checkK(k: number): void {
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`k must be an integer ≥ 0, got ${k}`);
}

/** E∞(p) = 2·√((p−1)/p): below −E∞ the Hessian spectrum at a critical point leaves 0. */
export function eInf(p: number): number {
  checkP(p);
  return 2 * Math.sqrt((p - 1) / p);
}

/** I(u) = (2/E²)∫_u^{−E} √(z²−E²) dz for u ≤ −E (0 at −E); the large-deviation cost of the lowest eigenvalue. */
export function rateI(u: number, p: number): number {
  const E = eInf(p);
  if (u > -E) throw new RangeError(`I(u) is defined for u ≤ −E∞ = ${-E}, got ${u}`);
  const r = Math.sqrt(Math.max(0, u * u - E * E));
  return -(u / (E * E)) * r - detLog(-u + r) + detLog(E);
}

/** Θ_p(u): (1/Λ)·ln E[#critical values below Λu] → Θ_p(u). */
export function theta(u: number, p: number): number {
  const E = eInf(p);
  const base = 0.5 * detLog(p - 1);
  if (u >= 0) return base;
  const quad = ((p - 2) * u * u) / (4 * (p - 1));
  return u <= -E ? base - quad - rateI(u, p) : base - quad;
}

/** Θ_{k,p}(u): the same for critical points of index k; constant (p−2)/p branch per the erratum. */
export function thetaK(u: number, p: number, k: number): number {
  checkK(k);
  const E = eInf(p);
  const base = 0.5 * detLog(p - 1);
  if (u >= -E) return base - (p - 2) / p;
  return base - ((p - 2) * u * u) / (4 * (p - 1)) - (k + 1) * rateI(u, p);
}

/**
 * The unique zero of a function decreasing in x on [a, ∞) with f(a) ≥ 0, by bracketing then
 * bisection to an absolute width of `tol` (the functions are smooth but have a √ singularity
 * at a, which Newton steps handle badly).
 */
function zeroRightOf(f: (x: number) => number, a: number, tol = 1e-13): number {
  if (f(a) <= 0) return a;
  let lo = a;
  let hi = a + 1;
  while (f(hi) > 0) {
    lo = hi;
    hi = a + 2 * (hi - a);
    if (hi > 1e6) throw new Error('no sign change found while bracketing the threshold');
  }
  while (hi - lo > tol) {
    const mid = 0.5 * (lo + hi);
    if (mid === lo || mid === hi) break;
    if (f(mid) > 0) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/** E_0(p): the ground-state threshold, −E_0 the unique zero of Θ_p below −E∞ (E_0 = E∞ for p = 2). */
export function e0(p: number): number {
  const E = eInf(p);
  return zeroRightOf((x) => theta(-x, p), E);
}

/** E_k(p): the unique x > E∞ with Θ_{k,p}(−x) = 0; E_0 > E_1 > … → E∞. */
export function eK(p: number, k: number): number {
  checkK(k);
  const E = eInf(p);
  return zeroRightOf((x) => thetaK(-x, p, k), E);
}

/** [E_0, …, E_k]. */
export function thresholds(p: number, kMax: number): number[] {
  return Array.from({ length: kMax + 1 }, (_, k) => eK(p, k));
}
