// Stochastic Lanczos quadrature (SCIENCE.md §6): Rademacher probes v (E[vvᵀ] = I) from the
// project's seeded Philox stream, m Lanczos steps from each (full reorthogonalisation, f64), the
// quadrature measure (1/n_v) Σ_probes Σ_i τ_i δ(λ − θ_i) with τ_i the squared first components of
// T's eigenvectors, and its Gaussian broadening at a width the caller states. Estimators of the
// normalised traces (1/P) tr f(H) are Σ τ f(θ); Gauss quadrature with m nodes is exact for
// polynomials of degree ≤ 2m − 1, so the first 2m − 1 moments carry probe noise only.
import type { Heap } from '../heap.js';
import { RngStream } from '../rng.js';
import { lanczosBatch, ritzPairs, type MatVec, type Tridiagonal } from './lanczos.js';

export interface SlqOptions {
  /** Number of Rademacher probes n_v (≥ 1). */
  probes: number;
  /** Lanczos steps m per probe (≥ 1; capped at P). */
  steps: number;
  /** Philox seed and stream of the probes: probe t takes u32 words [tP, (t+1)P) of the stream, sign from bit 31. */
  seed: number;
  stream?: number;
  /** Probes per matvec call (lockstep runs; default all). */
  batch?: number;
  /** Lanczos breakdown threshold (lanczos.ts). */
  breakdown?: number;
}

export interface SlqProbe extends Tridiagonal {
  nodes: Float64Array;
  /** τ_i = s_{0,i}², Σ = 1 up to rounding. */
  weights: Float64Array;
}

export interface SlqDensity {
  P: number;
  probes: number;
  steps: number;
  /** All probes' nodes, probe by probe, each probe's ascending. */
  nodes: Float64Array;
  /** τ_i / n_v: Σ weights = 1. */
  weights: Float64Array;
  /** Per-probe quadratures (their α, β too, so fewer steps can be read off without rerunning). */
  perProbe: SlqProbe[];
}

/** n Rademacher probes (n × P, entries ±1) from Philox (seed, stream), deterministic and prefix-stable in n. */
export function rademacherProbes(heap: Heap, P: number, n: number, seed: number, stream = 0): Float64Array {
  const u = new RngStream(heap, seed, stream).u32(n * P);
  return Float64Array.from(u, (w) => (w >>> 31 ? -1 : 1));
}

function quadrature(t: Tridiagonal, steps: number): SlqProbe {
  const r = ritzPairs(t, steps);
  const m = r.values.length;
  return { steps: m, alpha: t.alpha.slice(0, m), beta: t.beta.slice(0, m), breakdown: t.breakdown && m === t.steps, nodes: r.values, weights: r.first.map((s) => s * s) };
}

function assemble(P: number, steps: number, perProbe: SlqProbe[]): SlqDensity {
  const n = perProbe.length, total = perProbe.reduce((a, p) => a + p.nodes.length, 0);
  const nodes = new Float64Array(total), weights = new Float64Array(total);
  let o = 0;
  for (const p of perProbe) {
    nodes.set(p.nodes, o);
    for (let i = 0; i < p.weights.length; i++) weights[o + i] = p.weights[i] / n;
    o += p.nodes.length;
  }
  return { P, probes: n, steps, nodes, weights, perProbe };
}

/**
 * The SLQ measure of the symmetric operator: nodes θ and weights (Σ = 1), from `probes` Rademacher
 * probes of `steps` Lanczos steps each. Deterministic: same seed and stream, same bytes.
 */
export function slqDensity(heap: Heap, matvec: MatVec, P: number, opts: SlqOptions): SlqDensity {
  const { probes, steps, seed, stream = 0, batch = probes, breakdown } = opts;
  if (!Number.isInteger(probes) || probes < 1) throw new RangeError(`slqDensity: probes must be an integer ≥ 1, got ${probes}`);
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`slqDensity: steps must be an integer ≥ 1, got ${steps}`);
  if (!Number.isInteger(batch) || batch < 1) throw new RangeError(`slqDensity: batch must be an integer ≥ 1, got ${batch}`);
  const V = rademacherProbes(heap, P, probes, seed, stream);
  const perProbe: SlqProbe[] = [];
  for (let t0 = 0; t0 < probes; t0 += batch) {
    const b = Math.min(batch, probes - t0);
    const runs = lanczosBatch(matvec, P, steps, V.subarray(t0 * P, (t0 + b) * P), b, { breakdown, keepBasis: false });
    for (const r of runs) perProbe.push(quadrature(r, r.steps));
  }
  return assemble(P, Math.min(steps, P), perProbe);
}

/** The SLQ measure of the first `probes` probes truncated to `steps` steps (the same numbers a fresh run with those settings gives). */
export function truncateSlq(d: SlqDensity, steps: number, probes = d.probes): SlqDensity {
  if (!Number.isInteger(probes) || probes < 1 || probes > d.probes) throw new RangeError(`truncateSlq: probes must be an integer in [1, ${d.probes}], got ${probes}`);
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`truncateSlq: steps must be an integer ≥ 1, got ${steps}`);
  return assemble(d.P, Math.min(steps, d.P), d.perProbe.slice(0, probes).map((p) => quadrature(p, steps)));
}

/**
 * ρ(x) = Σ_i w_i N(x; θ_i, σ²) on the grid: the density broadened by a Gaussian of standard
 * deviation sigma (state it with the plot). Integrates to Σ w = 1 over the line.
 */
export function broaden(nodes: ArrayLike<number>, weights: ArrayLike<number>, grid: ArrayLike<number>, sigma: number): Float64Array {
  if (!(sigma > 0 && Number.isFinite(sigma))) throw new RangeError(`broaden: sigma must be finite and > 0, got ${sigma}`);
  if (nodes.length !== weights.length) throw new RangeError(`broaden: ${nodes.length} nodes but ${weights.length} weights`);
  const c = 1 / (sigma * Math.sqrt(2 * Math.PI));
  return Float64Array.from(grid, (x) => {
    let s = 0;
    for (let i = 0; i < nodes.length; i++) {
      const z = (x - nodes[i]) / sigma;
      if (z > -40 && z < 40) s += weights[i] * Math.exp(-0.5 * z * z);
    }
    return c * s;
  });
}

/** Σ w f(θ): the normalised trace (1/P) tr f(H) estimate. */
export function quadratureSum(nodes: ArrayLike<number>, weights: ArrayLike<number>, f: (x: number) => number): number {
  let s = 0;
  for (let i = 0; i < nodes.length; i++) s += weights[i] * f(nodes[i]);
  return s;
}

export interface SlqEstimates {
  /** P · Σ τθ ≈ tr H, and its standard error over probes (NaN for one probe). */
  trace: number;
  traceStdError: number;
  /** Σ_{θ < −tau} τ ≈ (1/P) #{λ < −tau}. */
  negativeMass: number;
  /** Moments (1/P) tr H^k ≈ Σ τ θ^k for k = 1 … moments.length. */
  moments: number[];
}

/** x^k by repeated multiplication (the same bits on every engine, unlike Math.pow). */
export function powInt(x: number, k: number): number {
  let r = 1;
  for (let i = 0; i < k; i++) r *= x;
  return r;
}

/** Estimators from an SLQ measure: trace, negative mass below −tau (default 0: θ < 0), moments 1..maxMoment (default 4). */
export function slqEstimates(d: SlqDensity, tau = 0, maxMoment = 4): SlqEstimates {
  const perTrace = d.perProbe.map((p) => d.P * quadratureSum(p.nodes, p.weights, (x) => x));
  const n = perTrace.length, trace = perTrace.reduce((a, b) => a + b, 0) / n;
  const v = n > 1 ? perTrace.reduce((a, b) => a + (b - trace) ** 2, 0) / (n - 1) : NaN;
  const moments: number[] = [];
  for (let k = 1; k <= maxMoment; k++) moments.push(quadratureSum(d.nodes, d.weights, (x) => powInt(x, k)));
  return { trace, traceStdError: Math.sqrt(v / n), negativeMass: quadratureSum(d.nodes, d.weights, (x) => (x < -tau ? 1 : 0)), moments };
}
