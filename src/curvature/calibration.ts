// SLQ measured against the exact spectrum of the same operator (SCIENCE.md §6: "its errors are
// measured against the exact spectrum, never assumed"): for each number of Lanczos steps and of
// probes, the Wasserstein-1 and Kolmogorov–Smirnov distances between the SLQ measure and the
// empirical spectral measure (1/P) Σ δ(λ − λ_i), and the errors of the negative-mass fraction, the
// outlier count, the trace, the second moment and the extreme Ritz values. One SLQ run at the
// largest steps and probes serves every row: a run of fewer steps (or the first few probes) gives
// exactly the leading α, β of the longer one, so the rows are nested, as a fresh run would give.
import type { Heap } from '../heap.js';
import type { MatVec } from './lanczos.js';
import { quadratureSum, slqDensity, slqEstimates, truncateSlq, type SlqDensity } from './slq.js';
import { spectrumSummary } from './summary.js';

export interface CalibrationOptions {
  stepsList?: readonly number[];
  probesList?: readonly number[];
  /** Philox seed and stream of the probes (slq.ts rademacherProbes). */
  seed: number;
  stream?: number;
  /** Width of the Gaussian broadening for the broadened KS (default 10⁻²·max|λ|). */
  sigma?: number;
  /** Classes C for spectrumSummary's outlier rule (largest ratio gap among the top 2C + 4). */
  classes?: number;
  /** Or an explicit threshold: outliers are λ > outlierThreshold. */
  outlierThreshold?: number;
  /** Negative mass is the fraction below −negativeTau (default 0: λ < 0). */
  negativeTau?: number;
  /** Probes per matvec call. */
  batch?: number;
}

export interface CalibrationRow {
  steps: number;
  probes: number;
  /** Matvecs spent (Σ over probes of the steps taken). */
  matvecs: number;
  /** W1 between the SLQ measure (nodes, weights) and (1/P) Σ δ(λ − λ_i), in eigenvalue units. */
  w1: number;
  /** KS (sup |F_slq − F_exact|) of the two measures broadened by the same Gaussian of width sigma. */
  ks: number;
  /** KS of the unbroadened measures (a few atoms against P: large wherever the bulk is a dense cloud). */
  ksRaw: number;
  /** Σ_{θ < −τ} w − #{λ < −τ}/P (signed), τ = negativeTau. */
  negativeMassError: number;
  /** The same at τ = 10⁻³ ([P2]'s zeroing threshold). */
  negativeMassErrorZeroed: number;
  /** P · Σ_{θ > t} w − #{λ > t} (signed), t the outlier threshold. */
  outlierCountError: number;
  /** Mean over probes of the number of Ritz values > t, minus #{λ > t}. */
  outlierRitzCountError: number;
  /** (P · Σ wθ − tr H) / |tr H| (signed). */
  traceRelError: number;
  /** Standard error of the trace estimate over probes, relative to |tr H| (NaN for one probe). */
  traceRelStdError: number;
  /** (Σ wθ² − tr H²/P) / (tr H²/P) (signed). */
  moment2RelError: number;
  /** (λ_max − max θ) / |λ_max| over all probes' Ritz values (≥ 0 up to rounding: Ritz values are interior). */
  lanczosTopError: number;
  /** (min θ − λ_min) / |λ_min|, the same at the bottom (denominator max|λ| when λ_min = 0). */
  lanczosBottomError: number;
}

export interface SlqCalibration {
  P: number;
  sigma: number;
  negativeTau: number;
  exact: { trace: number; moment2: number; lambdaMin: number; lambdaMax: number; negativeMass: number; negativeMassZeroed: number; outliers: number; outlierThreshold: number };
  rows: CalibrationRow[];
}

/** Φ(z), the standard normal CDF, to ~1e-14 absolute: erf series for |z| < 3, continued fraction of erfc beyond. */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) return NaN;
  const x = Math.abs(z) / Math.SQRT2;
  let tail: number; // P(Z > |z|)
  if (Math.abs(z) < 3) {
    let term = x, sum = x;
    const x2 = x * x;
    for (let n = 1; n < 80; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    tail = 0.5 - sum / Math.sqrt(Math.PI);
  } else {
    if (x > 27) return z > 0 ? 1 : 0;
    let t = x;
    for (let n = 60; n >= 1; n--) t = x + n / 2 / t;
    tail = 0.5 * Math.exp(-x * x) / (Math.sqrt(Math.PI) * t);
  }
  return z >= 0 ? 1 - tail : tail;
}

/** W1 = ∫|F − G| and KS = sup|F − G| of two discrete measures on the line (weights each summing to 1). */
export function discreteDistances(xa: ArrayLike<number>, wa: ArrayLike<number>, xb: ArrayLike<number>, wb: ArrayLike<number>): { w1: number; ks: number } {
  const atoms: [number, number][] = [];
  for (let i = 0; i < xa.length; i++) atoms.push([xa[i], wa[i]]);
  for (let i = 0; i < xb.length; i++) atoms.push([xb[i], -wb[i]]);
  atoms.sort((p, q) => p[0] - q[0] || p[1] - q[1]);
  let D = 0, w1 = 0, ks = 0;
  for (let i = 0; i < atoms.length; i++) {
    D += atoms[i][1];
    if (i + 1 < atoms.length && atoms[i + 1][0] === atoms[i][0]) continue; // ties: all atoms at x first
    ks = Math.max(ks, Math.abs(D));
    if (i + 1 < atoms.length) w1 += Math.abs(D) * (atoms[i + 1][0] - atoms[i][0]);
  }
  return { w1, ks };
}

/** CDF of Σ w δ(θ) ∗ N(0, σ²) on an ascending grid. */
function broadenedCdf(nodes: ArrayLike<number>, weights: ArrayLike<number>, grid: Float64Array, sigma: number): Float64Array {
  const out = new Float64Array(grid.length);
  for (let i = 0; i < nodes.length; i++) {
    const th = nodes[i], w = weights[i];
    for (let g = 0; g < grid.length; g++) {
      const z = (grid[g] - th) / sigma;
      if (z > 9) out[g] += w;
      else if (z > -9) out[g] += w * normalCdf(z);
    }
  }
  return out;
}

function ksOnGrid(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/**
 * The calibration table of SLQ against the exact ascending spectrum of the operator `matvec`
 * applies (P × P): one row per (steps, probes), steps-major. Probes are rademacherProbes(heap, P,
 * max probes, seed, stream), so the rows are reproducible and nested.
 */
export function calibrateSlq(heap: Heap, exactEigenvalues: Float64Array, matvec: MatVec, P: number, opts: CalibrationOptions): SlqCalibration {
  const { stepsList = [10, 20, 40, 80], probesList = [1, 4, 16], seed, stream = 0, negativeTau = 0, batch } = opts;
  if (exactEigenvalues.length !== P) throw new RangeError(`calibrateSlq: ${exactEigenvalues.length} eigenvalues for P = ${P}`);
  for (let i = 1; i < P; i++) if (!(exactEigenvalues[i] >= exactEigenvalues[i - 1])) throw new RangeError('calibrateSlq: exactEigenvalues must be ascending');
  const ev = exactEigenvalues, lambdaMin = ev[0], lambdaMax = ev[P - 1];
  const scale = Math.max(Math.abs(lambdaMin), Math.abs(lambdaMax));
  const sigma = opts.sigma ?? 1e-2 * scale;
  if (!(sigma > 0)) throw new RangeError(`calibrateSlq: sigma must be > 0, got ${sigma}`);
  let outlierThreshold: number, outliers: number;
  if (opts.outlierThreshold !== undefined) {
    outlierThreshold = opts.outlierThreshold;
    outliers = ev.reduce((a, v) => a + (v > outlierThreshold ? 1 : 0), 0);
  } else {
    if (opts.classes === undefined) throw new RangeError('calibrateSlq: give classes (for the outlier rule) or outlierThreshold');
    outliers = spectrumSummary(ev, opts.classes).outliers;
    // Geometric mean across the gap the rule picked (both sides positive by the rule).
    outlierThreshold = outliers > 0 ? Math.sqrt(ev[P - outliers] * ev[P - outliers - 1]) : lambdaMax;
  }
  const uniform = new Float64Array(P).fill(1 / P);
  const exactTrace = ev.reduce((a, v) => a + v, 0);
  const moment2 = quadratureSum(ev, uniform, (x) => x * x);
  const fracBelow = (t: number) => ev.reduce((a, v) => a + (v < -t ? 1 : 0), 0) / P;
  const negativeMass = fracBelow(negativeTau), negativeMassZeroed = fracBelow(1e-3);

  const steps = [...stepsList].sort((a, b) => a - b), probes = [...probesList].sort((a, b) => a - b);
  if (!steps.length || !probes.length) throw new RangeError('calibrateSlq: empty stepsList or probesList');
  const full = slqDensity(heap, matvec, P, { probes: probes.at(-1)!, steps: steps.at(-1)!, seed, stream, batch });
  const nGrid = Math.min(20001, Math.max(2001, Math.ceil((lambdaMax - lambdaMin) / sigma) * 10 + 1));
  const lo = lambdaMin - 6 * sigma, hi = lambdaMax + 6 * sigma;
  const grid = Float64Array.from({ length: nGrid }, (_, i) => lo + ((hi - lo) * i) / (nGrid - 1));
  const exactCdf = broadenedCdf(ev, uniform, grid, sigma);

  const rows: CalibrationRow[] = [];
  for (const m of steps) {
    for (const n of probes) {
      const d: SlqDensity = truncateSlq(full, m, n);
      const est = slqEstimates(d, negativeTau, 2);
      const { w1, ks: ksRaw } = discreteDistances(d.nodes, d.weights, ev, uniform);
      const ks = ksOnGrid(broadenedCdf(d.nodes, d.weights, grid, sigma), exactCdf);
      let maxTheta = -Infinity, minTheta = Infinity, ritzAbove = 0, matvecs = 0;
      for (const p of d.perProbe) {
        matvecs += p.steps;
        for (const th of p.nodes) {
          maxTheta = Math.max(maxTheta, th);
          minTheta = Math.min(minTheta, th);
          if (th > outlierThreshold) ritzAbove++;
        }
      }
      rows.push({
        steps: m, probes: n, matvecs, w1, ks, ksRaw,
        negativeMassError: est.negativeMass - negativeMass,
        negativeMassErrorZeroed: quadratureSum(d.nodes, d.weights, (x) => (x < -1e-3 ? 1 : 0)) - negativeMassZeroed,
        outlierCountError: P * quadratureSum(d.nodes, d.weights, (x) => (x > outlierThreshold ? 1 : 0)) - outliers,
        outlierRitzCountError: ritzAbove / n - outliers,
        traceRelError: (est.trace - exactTrace) / Math.abs(exactTrace),
        traceRelStdError: est.traceStdError / Math.abs(exactTrace),
        moment2RelError: (est.moments[1] - moment2) / moment2,
        lanczosTopError: (lambdaMax - maxTheta) / Math.max(Math.abs(lambdaMax), 1e-300),
        lanczosBottomError: (minTheta - lambdaMin) / (lambdaMin !== 0 ? Math.abs(lambdaMin) : Math.max(scale, 1e-300)),
      });
    }
  }
  return { P, sigma, negativeTau, exact: { trace: exactTrace, moment2, lambdaMin, lambdaMax, negativeMass, negativeMassZeroed, outliers, outlierThreshold }, rows };
}

/** The table as Markdown (fixed columns, 3 significant digits), for the report. */
export function calibrationMarkdown(c: Pick<SlqCalibration, 'rows'>): string {
  const f = (v: number) => (Number.isNaN(v) ? '–' : Math.abs(v) >= 1e-3 && Math.abs(v) < 1e4 ? v.toPrecision(3) : v.toExponential(2));
  const head = '| steps | probes | matvecs | W1 | KS (σ) | KS raw | neg. mass err | neg. mass err (τ=1e-3) | outlier err (mass) | outlier err (Ritz) | trace rel err | trace rel SE | m2 rel err | top rel err | bottom rel err |';
  const sep = '|' + '---|'.repeat(15);
  const lines = c.rows.map((r) => `| ${r.steps} | ${r.probes} | ${r.matvecs} | ${[r.w1, r.ks, r.ksRaw, r.negativeMassError, r.negativeMassErrorZeroed, r.outlierCountError, r.outlierRitzCountError, r.traceRelError, r.traceRelStdError, r.moment2RelError, r.lanczosTopError, r.lanczosBottomError].map(f).join(' | ')} |`);
  return [head, sep, ...lines].join('\n');
}

/**
 * Calibrations of the same operator under several probe seeds, reduced row by row to the mean
 * over seeds of |field| (signed errors lose their sign; W1 and KS are ≥ 0 already): one seed's
 * table mixes the steps' effect with one draw of probe noise. steps, probes and matvecs are kept.
 */
export function meanAbsOverSeeds(cals: readonly SlqCalibration[]): CalibrationRow[] {
  if (!cals.length) throw new RangeError('meanAbsOverSeeds: no calibrations');
  return cals[0].rows.map((row, i) => {
    const out = { ...row } as Record<string, number>;
    for (const key of Object.keys(row) as (keyof CalibrationRow)[]) {
      if (key === 'steps' || key === 'probes' || key === 'matvecs') continue;
      out[key] = cals.reduce((a, c) => a + Math.abs(c.rows[i][key]), 0) / cals.length;
    }
    return out as unknown as CalibrationRow;
  });
}
