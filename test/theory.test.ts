import { describe, it, expect } from 'vitest';
import { eInf, rateI, theta, thetaK, e0, eK, thresholds } from '../src/theory/complexity.js';
import { theoryTable } from '../src/theory/table.js';

const PS = [2, 3, 4, 5, 8];

/** Composite Simpson rule: the oracle for I(u) = (2/E²)∫_u^{−E} √(z²−E²) dz. */
function simpson(f: (z: number) => number, a: number, b: number, n = 20000): number {
  const h = (b - a) / n;
  let s = f(a) + f(b);
  for (let i = 1; i < n; i++) s += f(a + i * h) * (i % 2 ? 4 : 2);
  return (s * h) / 3;
}

describe('theory: I, Θ_p, Θ_{k,p} and the thresholds', () => {
  it.each(PS)('I(u) equals its integral form (p=%i)', (p) => {
    const E = eInf(p);
    for (const u of [-E, -E - 0.01, -E - 0.3, -2.5, -4]) {
      const integral = (2 / (E * E)) * simpson((z) => Math.sqrt(Math.max(0, z * z - E * E)), u, -E);
      expect(Math.abs(rateI(u, p) - integral)).toBeLessThan(1e-6);
    }
  });

  it.each(PS)('Θ_p and Θ_{k,p} are continuous at −E∞ (the erratum) (p=%i)', (p) => {
    const E = eInf(p);
    for (const k of [0, 1, 5]) expect(Math.abs(thetaK(-E - 1e-12, p, k) - thetaK(-E + 1e-12, p, k))).toBeLessThan(1e-9);
    expect(Math.abs(theta(-E - 1e-12, p) - theta(-E + 1e-12, p))).toBeLessThan(1e-9);
  });

  it.each(PS)('Θ_p(−E_0) = 0 and Θ_{k,p}(−E_k) = 0 to 1e-12 (p=%i)', (p) => {
    if (p > 2) expect(Math.abs(theta(-e0(p), p))).toBeLessThan(1e-12);
    for (let k = 0; k <= 6; k++) {
      if (p > 2) expect(Math.abs(thetaK(-eK(p, k), p, k))).toBeLessThan(1e-12);
      expect(eK(p, k)).toBeGreaterThanOrEqual(eInf(p));
    }
  });

  it.each(PS.filter((p) => p > 2))('E_0 > E_1 > … strictly, tending to E∞ (p=%i)', (p) => {
    const E = thresholds(p, 40);
    for (let k = 1; k < E.length; k++) expect(E[k]).toBeLessThan(E[k - 1]);
    // I(u) grows like (−u−E∞)^{3/2}, so E_k − E∞ shrinks like (k+1)^{-2/3}: 41^{-2/3} ≈ 0.084.
    expect(E[40] - eInf(p)).toBeLessThan(0.2 * (E[0] - eInf(p)));
    expect(E[0]).toBeCloseTo(e0(p), 12);
  });

  it('p = 2 is a quadratic form: no band, E_0 = E∞ = √2', () => {
    expect(e0(2)).toBe(eInf(2));
    expect(eInf(2)).toBeCloseTo(Math.SQRT2, 15);
  });

  it.each(PS.filter((p) => p > 2))('corollary: Θ_{k,p} < Θ_{0,p} for k ≥ 1 below −E∞ (p=%i)', (p) => {
    const E = eInf(p);
    for (const u of [-E - 1e-6, -E - 0.01, -e0(p), -3]) for (const k of [1, 2, 7]) expect(thetaK(u, p, k)).toBeLessThan(thetaK(u, p, 0));
  });

  it('rejects p < 2, k < 0 and I above −E∞', () => {
    expect(() => eInf(1)).toThrow(RangeError);
    expect(() => thetaK(-2, 3, -1)).toThrow(RangeError);
    expect(() => rateI(0, 3)).toThrow(RangeError);
  });

  it('theoryTable has the documented JSON shape', () => {
    const t = theoryTable(3, 7, -1.7, -1.68, 3);
    expect(Object.keys(t)).toEqual(['p', 'Einf', 'E', 'theta']);
    expect(t.E).toHaveLength(8);
    expect(t.theta[2].u).toBeCloseTo(-1.68, 14);
    expect(t.theta[0].thetaK).toHaveLength(8);
  });
});
