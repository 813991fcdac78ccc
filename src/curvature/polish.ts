// Polishing an SGD endpoint towards the critical point nearby (SCIENCE.md §6): damped
// Levenberg–Marquardt steps on the residual ∇L with its Jacobian, the exact f64 Hessian H. Each step
// takes the dense eigendecomposition H = V Λ Vᵀ (eigvecs.ts), so the damped system
// (H² + μI) δ = −H ∇L is solved exactly for every μ: δ_j = −λ_j c_j / (λ_j² + μ), c = Vᵀ∇L; above
// P = EIGEN_MAX_P (cost) it is MINRES, as before (relative residuals ≤ 1e-6 measured). μ shrinks
// (÷3) after a step that lowers ‖∇L‖ and grows (×4) on a trial that does not; rejected trials reuse
// the Hessian (and its eigendecomposition). The ratio ρ of the actual to the predicted fall of ½‖∇L‖² is recorded.
// Diagnostics per step: the Newton distance ‖H⁺∇L‖ (the model's distance to its critical point) and
// the ReLU pre-activations whose sign flips over the step (the loss is only piecewise smooth).
import type { Heap } from '../heap.js';
import type { MlpSpec } from '../mlp/reference.js';
import { exactHessian, lossGradient } from './hessian.js';
import { symEig } from './eigvecs.js';
import { denseMatvec } from './lanczos.js';

const norm = (v: Float64Array) => Math.sqrt(v.reduce((a, x) => a + x * x, 0));

/** MINRES (Paige & Saunders 1975, as SciPy's minres without preconditioning) for A x = b, A symmetric. */
export function minres(matvec: (v: Float64Array) => Float64Array, b: Float64Array, opts: { tol?: number; maxIter?: number } = {}): { x: Float64Array; iterations: number; relResidual: number } {
  const n = b.length, { tol = 1e-12, maxIter = 5 * n } = opts;
  const x = new Float64Array(n);
  const beta1 = norm(b);
  if (beta1 === 0) return { x, iterations: 0, relResidual: 0 };
  type V = Float64Array<ArrayBufferLike>;
  let r1: V = Float64Array.from(b), r2: V = Float64Array.from(b), y: V = Float64Array.from(b);
  let w: V = new Float64Array(n), w2: V = new Float64Array(n);
  let oldb = 0, beta = beta1, dbar = 0, epsln = 0, phibar = beta1, cs = -1, sn = 0, itn = 0;
  while (itn < maxIter) {
    itn++;
    const v = y.map((e) => e / beta);
    y = matvec(v);
    if (itn >= 2) for (let i = 0; i < n; i++) y[i] -= (beta / oldb) * r1[i];
    let alfa = 0;
    for (let i = 0; i < n; i++) alfa += v[i] * y[i];
    for (let i = 0; i < n; i++) y[i] -= (alfa / beta) * r2[i];
    r1 = r2;
    r2 = y;
    y = Float64Array.from(r2);
    oldb = beta;
    beta = norm(r2);
    const oldeps = epsln;
    const delta = cs * dbar + sn * alfa;
    const gbar = sn * dbar - cs * alfa;
    epsln = sn * beta;
    dbar = -cs * beta;
    const gamma = Math.max(Math.hypot(gbar, beta), Number.EPSILON);
    cs = gbar / gamma;
    sn = beta / gamma;
    const phi = cs * phibar;
    phibar *= sn;
    const w1 = w2;
    w2 = w;
    w = new Float64Array(n);
    for (let i = 0; i < n; i++) { w[i] = (v[i] - oldeps * w1[i] - delta * w2[i]) / gamma; x[i] += phi * w[i]; }
    if (phibar / beta1 <= tol || beta === 0) break;
  }
  return { x, iterations: itn, relResidual: phibar / beta1 };
}

export interface PolishStep {
  /** ‖∇L‖ after the step (at the start for entry 0 of `trace`, whose other fields are 0). */
  gradNorm: number;
  loss: number;
  /** ‖δ‖ of the accepted step and its damping μ. */
  stepNorm: number;
  mu: number;
  /** Actual over predicted fall of ½‖∇L‖² (ρ). */
  ratio: number;
  /** ‖∇L + Hδ‖: the model's residual after the step. */
  predicted: number;
  /** ‖H⁺∇L‖ at the step's start (|λ| ≤ 1e-12·λ_max left out): the undamped Newton step's length (NaN with MINRES). */
  newtonDistance: number;
  /** Rejected trials (μ × 4 each) before this step. */
  rejected: number;
  /** Hidden pre-activations (all S samples, first hidden layer) whose sign differs after the step. */
  flips: number;
}

export interface Polished {
  params: Float64Array;
  /** Newton steps taken. */
  steps: number;
  /** ‖∇L‖ after each step (the first entry is the start's). */
  gradNorms: number[];
  gradNorm: number;
  loss: number;
  /** ‖θ_polished − θ_start‖. */
  moved: number;
  /**
   * Why it stopped: 'reached' (‖∇L‖ ≤ target), 'steps' (maxSteps), 'stalled' (12 dampings, none
   * lowering ‖∇L‖, or an accepted step shorter than 1e-8·(1 + ‖θ‖): measured, this is the iterate
   * creeping onto a ReLU kink, across which ∇L jumps to a larger norm).
   */
  stop: 'reached' | 'steps' | 'stalled';
  /** Per step, entry 0 the start. */
  trace: PolishStep[];
  /** min |z| over the first hidden layer's pre-activations at the end (0 without hidden layers). */
  nearestKink: number;
}

function kinkDistance(spec: MlpSpec, theta: ArrayLike<number>, X: ArrayLike<number>, S: number): number {
  const n0 = spec.layers[0], n1 = spec.layers[1], bOff = spec.bias ? n0 * n1 : -1;
  let m = Infinity;
  for (let s = 0; s < S; s++) {
    for (let j = 0; j < n1; j++) {
      let z = bOff >= 0 ? theta[bOff + j] : 0;
      for (let k = 0; k < n0; k++) z += theta[j * n0 + k] * X[s * n0 + k];
      m = Math.min(m, Math.abs(z));
    }
  }
  return m;
}

/** Signs (z > 0) of the first hidden layer's pre-activations W_1 x_s (+ b_1) over S samples. */
function firstLayerSigns(spec: MlpSpec, theta: ArrayLike<number>, X: ArrayLike<number>, S: number): Uint8Array {
  const n0 = spec.layers[0], n1 = spec.layers[1], bOff = spec.bias ? n0 * n1 : -1;
  const out = new Uint8Array(S * n1);
  for (let s = 0; s < S; s++) {
    for (let j = 0; j < n1; j++) {
      let z = bOff >= 0 ? theta[bOff + j] : 0;
      for (let k = 0; k < n0; k++) z += theta[j * n0 + k] * X[s * n0 + k];
      out[s * n1 + j] = z > 0 ? 1 : 0;
    }
  }
  return out;
}

/** δ(μ) = −Σ_j λ_j c_j/(λ_j² + μ) v_j in the eigenbasis (coefficients), and its norm. */
function dampedCoefficients(lam: Float64Array, c: Float64Array, mu: number, cut: number): { d: Float64Array; norm: number } {
  const d = new Float64Array(lam.length);
  let n2 = 0;
  for (let j = 0; j < lam.length; j++) {
    const l = lam[j];
    d[j] = mu === 0 ? (Math.abs(l) > cut ? -c[j] / l : 0) : -l * c[j] / (l * l + mu);
    n2 += d[j] * d[j];
  }
  return { d, norm: Math.sqrt(n2) };
}

/** Above this P the dense eigendecomposition (O(P³) in TS: ~7 s at 1100, ~5 min at 2750) gives way to MINRES by default. */
export const EIGEN_MAX_P = 1500;

interface DampedSolver {
  /** ‖H⁺∇L‖ (NaN when the solver does not give it). */
  newtonDistance: number;
  /** The first step's μ: 1e-4·‖H‖_F²/P. */
  muStart: number;
  /** δ solving (H² + μI) δ = −H∇L, its norm, and ‖∇L + Hδ‖². */
  step: (mu: number) => { delta: Float64Array; stepNorm: number; r2: number };
}

function eigenSolver(H: Float64Array, P: number, grad: Float64Array): DampedSolver {
  const { values: lam, vectors: V } = symEig(H, P);
  const c = new Float64Array(P);
  for (let k = 0; k < P; k++) { const g = grad[k]; for (let j = 0; j < P; j++) c[j] += V[k * P + j] * g; }
  const cut = 1e-12 * Math.max(Math.abs(lam[0]), Math.abs(lam[P - 1]));
  return {
    newtonDistance: dampedCoefficients(lam, c, 0, cut).norm,
    muStart: 1e-4 * lam.reduce((a, l) => a + l * l, 0) / P,
    step(mu) {
      const { d, norm: stepNorm } = dampedCoefficients(lam, c, mu, cut);
      let r2 = 0; // ‖∇L + Hδ‖² = Σ (c_j + λ_j d_j)²
      for (let j = 0; j < P; j++) r2 += (c[j] + lam[j] * d[j]) ** 2;
      const delta = new Float64Array(P);
      for (let k = 0; k < P; k++) { let a = 0; for (let j = 0; j < P; j++) a += V[k * P + j] * d[j]; delta[k] = a; }
      return { delta, stepNorm, r2 };
    },
  };
}

/** The former route: MINRES on (H² + μI) δ = −H∇L, at most min(4P, 1000) iterations (relative residuals up to 1e-6 measured at small μ). */
function minresSolver(H: Float64Array, P: number, grad: Float64Array): DampedSolver {
  const dense = denseMatvec(H, P), Hv = (v: Float64Array) => dense(v, 1);
  let f = 0;
  for (let i = 0; i < P * P; i++) f += H[i] * H[i];
  const rhs = Hv(grad).map((v) => -v);
  return {
    newtonDistance: NaN,
    muStart: 1e-4 * f / P,
    step(mu) {
      const { x } = minres((v) => { const hv = Hv(Hv(v)); for (let i = 0; i < P; i++) hv[i] += mu * v[i]; return hv; }, rhs, { tol: 1e-10, maxIter: Math.min(4 * P, 1000) });
      const hx = Hv(x);
      let r2 = 0;
      for (let i = 0; i < P; i++) r2 += (grad[i] + hx[i]) ** 2;
      return { delta: x, stepNorm: norm(x), r2 };
    },
  };
}

/**
 * Levenberg–Marquardt steps from `start` until ‖∇L‖ ≤ target, at most `maxSteps`, or no damping
 * (12 tries, μ × 4 each) lowers ‖∇L‖. A step is accepted when ‖∇L‖ falls, whatever the ratio ρ: the
 * loss is only piecewise smooth, and a step across ReLU kinks with a poor ratio can still land in a
 * piece whose critical point is interior (a ratio test alone stalls there, measured: see the doc).
 */
export function polish(heap: Heap, spec: MlpSpec, start: ArrayLike<number>, X: ArrayLike<number>, y: Int32Array, S: number, opts: { maxSteps: number; target?: number; solver?: 'eigen' | 'minres'; onStep?: (s: PolishStep, index: number) => void }): Polished {
  const target = opts.target ?? 1e-8;
  let theta: Float64Array<ArrayBufferLike> = Float64Array.from(start);
  let lg = lossGradient(heap, spec, theta, X, y, S);
  const trace: PolishStep[] = [{ gradNorm: lg.gradNorm, loss: lg.loss, stepNorm: 0, mu: 0, ratio: 0, predicted: 0, newtonDistance: 0, rejected: 0, flips: 0 }];
  opts.onStep?.(trace[0], 0);
  const oneHidden = spec.layers.length >= 3;
  let mu = -1;
  let stop: Polished['stop'] = 'steps';
  while (trace.length - 1 < opts.maxSteps) {
    if (lg.gradNorm <= target) { stop = 'reached'; break; }
    const { H, P } = exactHessian(heap, spec, theta, X, y, S);
    for (let i = 0; i < P; i++) for (let j = 0; j < i; j++) { const a = 0.5 * (H[i * P + j] + H[j * P + i]); H[i * P + j] = a; H[j * P + i] = a; }
    const solver = (opts.solver ?? (P <= EIGEN_MAX_P ? 'eigen' : 'minres')) === 'eigen' ? eigenSolver(H, P, lg.grad) : minresSolver(H, P, lg.grad);
    if (mu < 0) mu = solver.muStart;
    const newtonDistance = solver.newtonDistance;
    const g2 = lg.gradNorm * lg.gradNorm;
    let accepted = false;
    for (let tries = 0; tries < 12 && !accepted; tries++) {
      const { delta, stepNorm, r2 } = solver.step(mu);
      const trial = theta.map((t, i) => t + delta[i]);
      const next = lossGradient(heap, spec, trial, X, y, S);
      if (next.gradNorm < lg.gradNorm) {
        const flips = oneHidden ? countFlips(firstLayerSigns(spec, theta, X, S), firstLayerSigns(spec, trial, X, S)) : 0;
        const ratio = (g2 - next.gradNorm * next.gradNorm) / Math.max(g2 - r2, Number.MIN_VALUE);
        trace.push({ gradNorm: next.gradNorm, loss: next.loss, stepNorm, mu, ratio, predicted: Math.sqrt(r2), newtonDistance, rejected: tries, flips });
        opts.onStep?.(trace.at(-1)!, trace.length - 1);
        theta = trial; lg = next; accepted = true; mu /= 3;
        if (stepNorm < 1e-8 * (1 + norm(theta)) && lg.gradNorm > target) stop = 'stalled';
      } else mu *= 4;
    }
    if (!accepted) stop = 'stalled';
    if (stop === 'stalled') break;
  }
  if (lg.gradNorm <= target) stop = 'reached';
  let moved = 0;
  for (let i = 0; i < theta.length; i++) moved += (theta[i] - start[i]) ** 2;
  const nearestKink = oneHidden ? kinkDistance(spec, theta, X, S) : 0;
  return { params: theta, steps: trace.length - 1, gradNorms: trace.map((t) => t.gradNorm), gradNorm: lg.gradNorm, loss: lg.loss, moved: Math.sqrt(moved), stop, trace, nearestKink };
}

function countFlips(a: Uint8Array, b: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) n += a[i] !== b[i] ? 1 : 0;
  return n;
}
