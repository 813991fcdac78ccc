// Lanczos in float64 with full reorthogonalisation (SCIENCE.md §6) on any symmetric operator given
// as a batched matvec (k directions, one per row), e.g. the exact R-op HVP of src/curvature/hessian.ts.
// Each step orthogonalises A·q_j against the whole basis by two passes of classical Gram–Schmidt
// ("twice is enough"), so the basis stays orthonormal to working precision and no ghost Ritz values
// appear. The tridiagonal T is solved by the implicit QL method (EISPACK tql2) in TS, in a fixed
// order of operations: same inputs, same bytes. The algorithm touches no heap; hvpMatvec adapts
// hessian.ts hvp, denseMatvec a dense H.
import type { Heap } from '../heap.js';
import type { RngStream } from '../rng.js';
import { hvp, type HessianOptions, type MlpSpec } from './hessian.js';
import { ritzPairs, tridiagonalEigen, type RitzPairs, type Tridiagonal } from './tridiagonal.js';

export { ritzPairs, tridiagonalEigen, type RitzPairs, type Tridiagonal } from './tridiagonal.js';

/** V is k × P row-major (one direction per row); returns A·V in the same layout. */
export type MatVec = (V: Float64Array, k: number) => Float64Array;

export interface LanczosOptions {
  /**
   * β_j ≤ breakdown · ‖T‖ (running estimate max_j |α_j| + β_j + β_{j−1}) ends the run: the Krylov
   * space is invariant, the Ritz values are eigenvalues and the quadrature is exact. Default 1e-12.
   */
  breakdown?: number;
  /** Also return the eigenvectors S of T (m × m row-major, column i the i-th Ritz pair's). Default false. */
  ritzVectors?: boolean;
  /** Keep the basis Q (m × P row-major, row j = q_j) in the result. Default true. */
  keepBasis?: boolean;
}

export interface LanczosResult extends Tridiagonal, RitzPairs {
  /** ‖start‖ (the run starts from start/‖start‖). */
  startNorm: number;
  /** m × P row-major, row j = q_j (absent with keepBasis: false). */
  basis?: Float64Array;
}


function dot(a: Float64Array, ao: number, b: Float64Array, bo: number, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[ao + i] * b[bo + i];
  return s;
}

interface Run { Q: Float64Array; alpha: Float64Array; beta: Float64Array; m: number; done: boolean; breakdown: boolean; tnorm: number; startNorm: number }

/**
 * b independent Lanczos runs in lockstep, one matvec call per step on all runs still going
 * (so a block HVP amortises its passes over the data). starts is b × P row-major.
 */
export function lanczosBatch(matvec: MatVec, P: number, steps: number, starts: Float64Array, b: number, opts: LanczosOptions = {}): LanczosResult[] {
  if (!Number.isInteger(P) || P < 1) throw new RangeError(`lanczos: P must be an integer ≥ 1, got ${P}`);
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`lanczos: steps must be an integer ≥ 1, got ${steps}`);
  if (!Number.isInteger(b) || b < 1) throw new RangeError(`lanczos: b must be an integer ≥ 1, got ${b}`);
  if (starts.length !== b * P) throw new RangeError(`lanczos: starts has ${starts.length} entries, want b·P = ${b * P}`);
  const { breakdown: tol = 1e-12, ritzVectors = false, keepBasis = true } = opts;
  const m = Math.min(steps, P);
  const runs: Run[] = [];
  for (let r = 0; r < b; r++) {
    const Q = new Float64Array(m * P);
    const nrm = Math.sqrt(dot(starts, r * P, starts, r * P, P));
    if (!(nrm > 0) || !Number.isFinite(nrm)) throw new RangeError(`lanczos: start vector ${r} has norm ${nrm}`);
    for (let i = 0; i < P; i++) Q[i] = starts[r * P + i] / nrm;
    runs.push({ Q, alpha: new Float64Array(m), beta: new Float64Array(m), m: 0, done: false, breakdown: false, tnorm: 0, startNorm: nrm });
  }
  const h = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    const active = runs.filter((r) => !r.done);
    if (active.length === 0) break;
    const V = new Float64Array(active.length * P);
    active.forEach((r, t) => V.set(r.Q.subarray(j * P, (j + 1) * P), t * P));
    const W = matvec(V, active.length);
    if (W.length !== active.length * P) throw new RangeError(`lanczos: matvec returned ${W.length} entries, want ${active.length * P}`);
    active.forEach((r, t) => {
      const w = W.slice(t * P, (t + 1) * P);
      let a = 0;
      // Two passes of classical Gram–Schmidt against q_0 … q_j (the three-term recurrence is the
      // first pass's dominant part: h_j = α_j, h_{j−1} = β_{j−1}).
      for (let pass = 0; pass < 2; pass++) {
        for (let i = 0; i <= j; i++) h[i] = dot(r.Q, i * P, w, 0, P);
        for (let i = 0; i <= j; i++) {
          const c = h[i], o = i * P;
          for (let x = 0; x < P; x++) w[x] -= c * r.Q[o + x];
        }
        a += h[j];
      }
      const beta = Math.sqrt(dot(w, 0, w, 0, P));
      r.alpha[j] = a;
      r.m = j + 1;
      r.tnorm = Math.max(r.tnorm, Math.abs(a) + beta + (j > 0 ? r.beta[j - 1] : 0));
      if (!(beta > tol * r.tnorm)) {
        r.beta[j] = 0;
        r.done = true;
        r.breakdown = true;
        return;
      }
      r.beta[j] = beta;
      if (j + 1 < m) {
        const o = (j + 1) * P;
        for (let x = 0; x < P; x++) r.Q[o + x] = w[x] / beta;
      } else {
        r.done = true;
        // A Krylov space of dimension P is the whole space: β_{P−1} is rounding.
        if (m === P) { r.beta[j] = 0; r.breakdown = true; }
      }
    });
  }
  return runs.map((r) => {
    const t: Tridiagonal = { steps: r.m, alpha: r.alpha.slice(0, r.m), beta: r.beta.slice(0, r.m), breakdown: r.breakdown };
    const res: LanczosResult = { ...t, ...ritzPairs(t, r.m, ritzVectors), startNorm: r.startNorm };
    if (keepBasis) res.basis = r.Q.slice(0, r.m * P);
    return res;
  });
}

/** One Lanczos run of up to `steps` steps from `start` (length P). */
export function lanczos(matvec: MatVec, P: number, steps: number, start: Float64Array, opts: LanczosOptions = {}): LanczosResult {
  if (start.length !== P) throw new RangeError(`lanczos: start has ${start.length} entries, want P = ${P}`);
  return lanczosBatch(matvec, P, steps, start, 1, opts)[0];
}

/** Ritz vectors y_i = Q s_i (rows of the k × P result) for the given indices into values. */
export function ritzVectorsOf(res: LanczosResult, P: number, indices: readonly number[]): Float64Array {
  if (!res.basis || !res.vectors) throw new RangeError('ritzVectorsOf: run lanczos with ritzVectors: true and keepBasis: true');
  const m = res.steps, Y = new Float64Array(indices.length * P);
  indices.forEach((c, t) => {
    for (let j = 0; j < m; j++) {
      const s = res.vectors![j * m + c], o = j * P;
      for (let x = 0; x < P; x++) Y[t * P + x] += s * res.basis![o + x];
    }
  });
  return Y;
}

export interface ExtremeOptions extends Pick<LanczosOptions, 'breakdown'> {
  /** Lanczos steps; default min(P, 4k + 40). */
  steps?: number;
  /** Start vector (length P); or draw one from `rng` (standard normals). One of the two is required. */
  start?: Float64Array;
  rng?: RngStream;
  /** Also compute ‖A y − θ y‖ explicitly (one more matvec on 2k directions). Default true. */
  explicitResiduals?: boolean;
  /** Return the Ritz vectors (k × P each side). Default false. */
  vectors?: boolean;
}

export interface ExtremeSide {
  /** Largest side: descending (λ_max first); smallest side: ascending (most negative first). */
  values: Float64Array;
  /** Lanczos estimates |β_m s_{m,i}|. */
  residuals: Float64Array;
  /** ‖A y_i − θ_i y_i‖ computed with one matvec (absent with explicitResiduals: false). */
  explicitResiduals?: Float64Array;
  vectors?: Float64Array;
}

export interface ExtremeEigenpairs {
  largest: ExtremeSide;
  /** The k smallest Ritz values: the most negative eigenvalues if there are k of them, else the smallest ones whatever their sign. */
  smallest: ExtremeSide;
  steps: number;
  breakdown: boolean;
}

/**
 * The k largest and k smallest (most negative) eigenvalues of the symmetric operator, restart-free:
 * one Lanczos run of m = min(P, 4k + 40) steps with full reorthogonalisation. Accuracy is stated by
 * the residuals, not assumed: |θ − λ| ≤ residual for some eigenvalue λ, and ≤ residual²/gap.
 */
export function extremeEigenpairs(matvec: MatVec, P: number, k: number, opts: ExtremeOptions = {}): ExtremeEigenpairs {
  if (!Number.isInteger(k) || k < 1 || 2 * k > P) throw new RangeError(`extremeEigenpairs: k must be an integer in [1, P/2], got ${k} (P = ${P})`);
  const steps = opts.steps ?? Math.min(P, 4 * k + 40);
  let start = opts.start;
  if (!start) {
    if (!opts.rng) throw new RangeError('extremeEigenpairs: give a start vector or an rng');
    start = opts.rng.normal(P);
  }
  const wantVectors = opts.vectors ?? false, explicit = opts.explicitResiduals ?? true;
  const res = lanczos(matvec, P, steps, start, { breakdown: opts.breakdown, ritzVectors: wantVectors || explicit, keepBasis: wantVectors || explicit });
  const m = res.steps, kk = Math.min(k, m);
  const top = Array.from({ length: kk }, (_, i) => m - 1 - i), bottom = Array.from({ length: kk }, (_, i) => i);
  const side = (idx: number[]): ExtremeSide => ({ values: Float64Array.from(idx, (i) => res.values[i]), residuals: Float64Array.from(idx, (i) => res.residuals[i]) });
  const largest = side(top), smallest = side(bottom);
  if (wantVectors || explicit) {
    const Y = ritzVectorsOf(res, P, [...top, ...bottom]);
    if (explicit) {
      const AY = matvec(Y, 2 * kk);
      const r = Float64Array.from({ length: 2 * kk }, (_, t) => {
        const th = t < kk ? largest.values[t] : smallest.values[t - kk];
        let s = 0;
        for (let x = 0; x < P; x++) { const d = AY[t * P + x] - th * Y[t * P + x]; s += d * d; }
        return Math.sqrt(s);
      });
      largest.explicitResiduals = r.slice(0, kk);
      smallest.explicitResiduals = r.slice(kk);
    }
    if (wantVectors) { largest.vectors = Y.slice(0, kk * P); smallest.vectors = Y.slice(kk * P); }
  }
  return { largest, smallest, steps: m, breakdown: res.breakdown };
}

/** A·V for a dense symmetric P × P row-major matrix (e.g. exactHessian's H): the fast matvec for calibration. */
export function denseMatvec(A: Float64Array, P: number): MatVec {
  if (A.length < P * P) throw new RangeError(`denseMatvec: A has ${A.length} entries, fewer than P·P = ${P * P}`);
  return (V, k) => {
    const out = new Float64Array(k * P);
    for (let t = 0; t < k; t++) {
      for (let i = 0; i < P; i++) out[t * P + i] = dot(A, i * P, V, t * P, P);
    }
    return out;
  };
}

/** The exact f64 R-op HVP over the whole training set as a MatVec (hessian.ts hvp; uses the heap above its mark and releases it). */
export function hvpMatvec(heap: Heap, spec: MlpSpec, params: ArrayLike<number>, X: ArrayLike<number>, y: Int32Array, S: number, opts: HessianOptions = {}): MatVec {
  return (V, k) => hvp(heap, spec, params, X, y, S, V, k, opts);
}
