import { describe, it, expect } from 'vitest';
import {
  meanCriticalPointsLog,
  meanCriticalPoints,
  meanCriticalPointsTotalLog,
  criticalPointDensityLog,
  criticalPointDensityTotalLog,
  figure1Series,
  goeScale,
} from '../src/theory/asymptotics.js';
import { eInf, e0, eK, rateI, thetaK, theta } from '../src/theory/complexity.js';

// ---- Oracles, independent of the module's asymptotic analysis -------------------------------------

/** ln Γ by upward recurrence to x ≥ 20 and the Stirling series (error < 1e-13 there). */
function lnGammaOracle(x: number): number {
  let shift = 0;
  while (x < 20) {
    shift -= Math.log(x);
    x += 1;
  }
  const x2 = x * x;
  return shift + (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x * x2) + 1 / (1260 * x * x2 * x2);
}

/**
 * ln R_1(t) for the N×N GOE with weight e^{−t²/2} (N even, t far left of −√(2N)):
 * R_1 = Σ_{j<N} φ_j² + √(N/2)·φ_{N−1}(t)·(εφ_N)(t), and (εφ_N)(t) = −½∫φ_N up to a term
 * exponentially smaller out here (Mehta's GOE density; φ_j are the Hermite functions).
 * φ_j come from their three-term recurrence, renormalised every step to dodge underflow.
 */
function goeR1Log(N: number, t: number): number {
  const mant: number[] = [1];
  const logs: number[] = [-t * t / 2 - 0.25 * Math.log(Math.PI)];
  for (let j = 0; j < N; j++) {
    const prev = j ? mant[j - 1] * Math.exp(logs[j - 1] - logs[j]) : 0;
    const next = Math.sqrt(2 / (j + 1)) * t * mant[j] - Math.sqrt(j / (j + 1)) * prev;
    mant.push(Math.sign(next));
    logs.push(logs[j] + Math.log(Math.abs(next)));
  }
  const sq = logs.slice(0, N).map((l) => 2 * l);
  const top = Math.max(...sq);
  const logK = top + Math.log(sq.reduce((acc, l) => acc + Math.exp(l - top), 0));
  // ∫φ_N = √(2π)·N!/(N/2)! / √(2^N N! √π) for N even.
  const logInt = 0.5 * Math.log(2 * Math.PI) + 0.5 * lnGammaOracle(N + 1) - lnGammaOracle(N / 2 + 1) - 0.5 * N * Math.LN2 - 0.25 * Math.log(Math.PI);
  expect(mant[N - 1]).toBe(-1); // φ_{N−1} < 0 on the far left for N even, so the product below is positive
  const logT = 0.5 * Math.log(N / 2) + logs[N - 1] + Math.log(0.5) + logInt;
  const m = Math.max(logK, logT);
  return m + Math.log(Math.exp(logK - m) + Math.exp(logT - m));
}

/** ln of the exact finite-N total count below N·u (u < −E∞) from the Kac–Rice/GOE identity, by quadrature. */
function exactTotalLog(p: number, N: number, u: number): number {
  const a = (p - 2) / (2 * p);
  const x = goeScale(p) * u;
  const width = 60 / (N * (2 * a * -x + Math.sqrt(x * x - 2))); // 60 e-folds of the integrand
  const n = 600;
  const h = width / n;
  const terms = Array.from({ length: n + 1 }, (_, i) => {
    const y = x - i * h;
    const w = i === 0 || i === n ? 0.5 : 1;
    return -N * a * y * y + goeR1Log(N, Math.sqrt(N) * y) - 0.5 * Math.log(N) + Math.log(w * h);
  });
  const top = Math.max(...terms);
  const logInt = top + Math.log(terms.reduce((acc, l) => acc + Math.exp(l - top), 0));
  return Math.log(2 * N * Math.sqrt(2 / p)) + (N / 2) * Math.log(p - 1) + logInt;
}

/** The same identity inside the bulk, with ρ_N replaced by its limit, the semicircle (composite Simpson). */
function semicircleTotalLog(p: number, N: number, u: number): number {
  const a = (p - 2) / (2 * p);
  const x = Math.min(goeScale(p) * u, Math.SQRT2);
  const n = 200000;
  const h = (x + Math.SQRT2) / n;
  const f = (y: number) => Math.exp(-N * a * (y * y - x * x)) * Math.sqrt(Math.max(0, 2 - y * y)) / Math.PI;
  let s = f(-Math.SQRT2) + f(x);
  for (let i = 1; i < n; i++) s += f(-Math.SQRT2 + i * h) * (i % 2 ? 4 : 2);
  return Math.log(2 * N * Math.sqrt(2 / p)) + (N / 2) * Math.log(p - 1) - N * a * x * x + Math.log((s * h) / 3);
}

// ---- Tests -------------------------------------------------------------------------------------

describe('sharp asymptotics of the mean number of critical points', () => {
  it.each([3, 4])('(1/N)·ln E Crt_{N,k} → Θ_{k,p}, the gap shrinking like (ln N)/N (p=%i)', (p) => {
    for (const k of [0, 1, 2]) {
      for (const u of [-eInf(p) - 0.05, -e0(p), -2.2]) {
        const gap = (N: number) => meanCriticalPointsLog(p, N, u, k) / N - thetaK(u, p, k);
        expect(Math.abs(gap(1e6))).toBeLessThan(Math.abs(gap(1e4)));
        // N·gap = −((k+1)²/2)·ln N + O(1): the slope against ln N is the prefactor's power of N.
        const slope = (1e6 * gap(1e6) - 1e4 * gap(1e4)) / Math.log(100);
        expect(slope).toBeCloseTo(-((k + 1) ** 2) / 2, 6);
      }
    }
  });

  it.each([3, 4])('the count below N·u increases with u below −E∞, for every N (p=%i)', (p) => {
    const E = eInf(p);
    for (const N of [100, 1e4]) {
      for (const k of [0, 1, 3]) {
        const us = Array.from({ length: 60 }, (_, i) => -2.4 + ((2.4 - E - 0.001) * i) / 59);
        const logs = us.map((u) => meanCriticalPointsLog(p, N, u, k));
        for (let i = 1; i < logs.length; i++) expect(logs[i]).toBeGreaterThan(logs[i - 1]);
      }
    }
  });

  it('layers: at N = 1e6 more than one index-k point on average just above −N·E_k, fewer than one below (p=3)', () => {
    const p = 3;
    for (const k of [0, 1, 2]) {
      const gap = eK(p, k) - eInf(p);
      expect(meanCriticalPointsLog(p, 1e6, -eK(p, k) + 0.3 * gap, k)).toBeGreaterThan(0);
      expect(meanCriticalPointsLog(p, 1e6, -eK(p, k) - 0.3 * gap, k)).toBeLessThan(0);
    }
  });

  it.each([3, 5])('corollary: minima outnumber index-1 saddles below −E∞, at the rate I(u) (p=%i)', (p) => {
    for (const u of [-eInf(p) - 0.03, -e0(p), -2]) {
      for (const N of [1e4, 1e6]) expect(meanCriticalPointsLog(p, N, u, 1)).toBeLessThan(meanCriticalPointsLog(p, N, u, 0));
      const rate = (meanCriticalPointsLog(p, 1e7, u, 1) - meanCriticalPointsLog(p, 1e7, u, 0)) / 1e7;
      expect(Math.abs(rate + rateI(u, p))).toBeLessThan(1e-5);
    }
  });

  it('special values derived by hand (p = 3, u = −√3, so x = −3/2, √(x²−2) = 1/2, Θ_{0,3} = ln2 − 3/4)', () => {
    // k = 0: E Crt_{N,0} ≈ √(2/(3π))·N^{−1/2}·(2e^{−3/4})^N.
    // k = 1: E Crt_{N,1} ≈ 16/(3√3·π)·N^{−2}·(2√2·e^{−9/8})^N   (J_1 = 1, |g_1'| = 3/2).
    const N = 100;
    const u = -Math.sqrt(3);
    expect(meanCriticalPointsLog(3, N, u, 0)).toBeCloseTo(N * (Math.LN2 - 0.75) - 0.5 * Math.log(N) + 0.5 * Math.log(2 / (3 * Math.PI)), 10);
    expect(meanCriticalPointsLog(3, N, u, 1)).toBeCloseTo(N * (1.5 * Math.LN2 - 9 / 8) - 2 * Math.log(N) + Math.log(16 / (3 * Math.sqrt(3) * Math.PI)), 10);
    // Bulk, u = −2/√3 (x = −1): 2√6/π·e^{N(½ln2 − 1/6)}. All of it (u > 0): 4√(2/π)·√N·2^{N/2}.
    expect(meanCriticalPointsTotalLog(3, N, -2 / Math.sqrt(3))).toBeCloseTo(N * (0.5 * Math.LN2 - 1 / 6) + Math.log((2 * Math.sqrt(6)) / Math.PI), 10);
    expect(meanCriticalPointsTotalLog(3, N, 0.5)).toBeCloseTo(0.5 * Math.log(N) + (N / 2) * Math.LN2 + Math.log(4 * Math.sqrt(2 / Math.PI)), 10);
  });

  it.each([
    [3, -Math.sqrt(3)],
    [3, -2],
    [4, -1.95],
  ])('matches the exact finite-N count (Hermite-function GOE density) to O(1/N) (p=%i, u=%f)', (p, u) => {
    const err = [100, 400, 1600].map((N) => Math.abs(exactTotalLog(p, N, u) - meanCriticalPointsTotalLog(p, N, u)));
    expect(err[1]).toBeLessThan(err[0] / 3);
    expect(err[2]).toBeLessThan(err[1] / 3);
    expect(err[2]).toBeLessThan(1e-2);
  });

  it.each([
    [3, -1.2],
    [3, -0.4],
    [4, -1],
    [3, 0.3],
  ])('bulk and whole-count formulas match the semicircle integral (p=%i, u=%f)', (p, u) => {
    const err = [1e3, 1e4].map((N) => Math.abs(semicircleTotalLog(p, N, u) - meanCriticalPointsTotalLog(p, N, u)));
    // O(1/N), with a coefficient that grows as u → 0 (the Laplace endpoint meets the peak of e^{−N·a·y²}).
    expect(err[1]).toBeLessThan(err[0] / 5);
    expect(err[1]).toBeLessThan(5e-3);
  });

  it('densities are the energy derivatives of the counts, to O(1/N)', () => {
    const p = 3;
    const h = 1e-6;
    const check = (N: number, logCount: (u: number) => number, logDensity: (u: number) => number, u: number) => {
      const fd = (logCount(u + h) - logCount(u - h)) / (2 * h * N); // d ln(count)/dH
      return Math.abs(Math.exp(logDensity(u) - logCount(u)) / fd - 1);
    };
    for (const k of [0, 2]) {
      const c = (N: number) => check(N, (u) => meanCriticalPointsLog(p, N, u, k), (u) => criticalPointDensityLog(p, N, u, k), -1.75);
      expect(c(1e5)).toBeLessThan(c(1e4));
      expect(c(1e5)).toBeLessThan(1e-3);
    }
    const t = (N: number) => check(N, (u) => meanCriticalPointsTotalLog(p, N, u), (u) => criticalPointDensityTotalLog(p, N, u), -1);
    expect(t(1e5)).toBeLessThan(t(1e4));
    expect(t(1e5)).toBeLessThan(1e-3);
  });

  it('below −E∞ the total is the minima count; in the bulk its rate is Θ_p', () => {
    expect(meanCriticalPointsTotalLog(3, 1000, -1.7)).toBe(meanCriticalPointsLog(3, 1000, -1.7, 0));
    for (const u of [-1.5, -0.8]) expect(meanCriticalPointsTotalLog(3, 1e8, u) / 1e8).toBeCloseTo(theta(u, 3), 7);
  });

  it('figure1Series: one series per index plus the total, energies N·u across the band', () => {
    const s = figure1Series();
    expect(s.map((x) => x.k)).toEqual([0, 1, 2, 3, 4, 5, 'all']);
    const pts = s[0].points;
    expect(pts[0].energy).toBeLessThan(-1000 * e0(3));
    expect(pts[pts.length - 1].energy).toBeLessThan(-1000 * eInf(3));
    expect(pts[10].energy).toBeCloseTo(1000 * pts[10].u, 9);
    for (const x of s) for (const q of x.points) expect(Number.isFinite(q.logCount) && Number.isFinite(q.logDensity)).toBe(true);
  });

  it('returns NaN outside the index-k formula and rejects bad arguments', () => {
    expect(meanCriticalPointsLog(3, 1000, -1, 0)).toBeNaN();
    expect(meanCriticalPoints(3, 1000, -eInf(3), 1)).toBeNaN();
    expect(() => meanCriticalPointsLog(3, 1000, -2, 1.5)).toThrow(RangeError);
    expect(() => meanCriticalPointsLog(3, 0, -2, 0)).toThrow(RangeError);
    expect(() => meanCriticalPointsTotalLog(2, 1000, -1)).toThrow(RangeError);
  });
});
