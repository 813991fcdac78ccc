// Polishing an SGD endpoint into the critical point nearby (SCIENCE.md §6): Levenberg–Marquardt
// steps on the residual ∇L with its Jacobian, the exact f64 Hessian: δ = −(H² + μI)⁻¹ H ∇L, solved
// by MINRES. Plain Newton (μ = 0) jumps to whatever critical point its quadratic model names, often
// far away; the damping μ (shrunk after a step that lowers ‖∇L‖, grown after one that does not)
// keeps the steps short, so the point reached is a nearby one. Its index is then well defined.
import type { Heap } from '../heap.js';
import type { MlpSpec } from '../mlp/reference.js';
import { exactHessian, lossGradient } from './hessian.js';
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
  minresIterations: number;
}

/** Newton steps from `start` until ‖∇L‖ ≤ target, at most `maxSteps`, or no step lowers ‖∇L‖. */
export function polish(heap: Heap, spec: MlpSpec, start: ArrayLike<number>, X: ArrayLike<number>, y: Int32Array, S: number, opts: { maxSteps: number; target?: number }): Polished {
  const target = opts.target ?? 1e-8;
  let theta: Float64Array<ArrayBufferLike> = Float64Array.from(start);
  let lg = lossGradient(heap, spec, theta, X, y, S);
  const gradNorms = [lg.gradNorm];
  let steps = 0, iterations = 0, mu = -1;
  while (steps < opts.maxSteps && lg.gradNorm > target) {
    const { H, P } = exactHessian(heap, spec, theta, X, y, S);
    const dense = denseMatvec(H, P);
    const Hv = (v: Float64Array) => dense(v, 1);
    if (mu < 0) { let f = 0; for (let i = 0; i < P * P; i++) f += H[i] * H[i]; mu = 1e-4 * f / P; }
    const rhs = Hv(lg.grad).map((v) => -v);
    let accepted = false;
    for (let tries = 0; tries < 12 && !accepted; tries++) {
      const m = mu;
      const sol = minres((v) => { const hv = Hv(Hv(v)); for (let i = 0; i < P; i++) hv[i] += m * v[i]; return hv; }, rhs, { tol: 1e-10, maxIter: Math.min(4 * P, 1000) });
      iterations += sol.iterations;
      const trial = theta.map((t, i) => t + sol.x[i]);
      const next = lossGradient(heap, spec, trial, X, y, S);
      if (next.gradNorm < lg.gradNorm) { theta = trial; lg = next; accepted = true; mu /= 3; }
      else mu *= 4;
    }
    if (!accepted) break;
    steps++;
    gradNorms.push(lg.gradNorm);
  }
  let moved = 0;
  for (let i = 0; i < theta.length; i++) moved += (theta[i] - start[i]) ** 2;
  return { params: theta, steps, gradNorms, gradNorm: lg.gradNorm, loss: lg.loss, moved: Math.sqrt(moved), minresIterations: iterations };
}
