// One task: descend a group of restarts of one instance, 8 at a time in SIMD lanes, then report
// each endpoint from an f64 evaluation (energy, Riemannian gradient norm) and optionally the
// exact index from the Riemannian Hessian's inertia.
import type { TaskContext, TaskSpec } from '../pool/protocol.js';
import { kernel } from '../kernels.js';
import { buildCouplings, initSeed, restartStream, type PSpinSpec } from './model.js';

export const METHODS = ['gd'] as const;
export type Method = (typeof METHODS)[number];

export interface PSpinBatchParams extends PSpinSpec {
  instance: number;
  firstRestart: number;
  count: number;
  method: Method;
  lr: number;
  tol: number;
  maxIter: number;
  index: boolean;
  indexTol: number;
}

export interface RestartResult {
  p: number;
  n: number;
  instance: number;
  restart: number;
  method: Method;
  /** H/Λ from an f64 evaluation */
  energy: number;
  /** Euclidean norm of the Riemannian gradient of H, re-evaluated in f64 at the endpoint */
  gradNorm: number;
  iterations: number;
  /** the descent's own stopping test (‖g_R‖ < tol, run in f32) passed before --max-iter */
  converged: boolean;
  /** negative eigenvalues of the tangent Hessian below −indexTol, or null when not asked */
  index: number | null;
}

const LANES = 8;

/** Descent steps per driver call: lanes that converge are refilled with the next restart between calls. */
const CHUNK = 25;

export function pspinBatch(ctx: TaskContext, task: TaskSpec<PSpinBatchParams>): RestartResult[] {
  const P = task.params;
  const { p, n } = P;
  const { heap, wasm } = ctx;
  const sorted = P.storage === 'packed' ? 1 : 0;
  const key = `pspin|${task.seed}|${P.instance}|${p}|${n}|${P.storage}|${P.coupling}`;
  const kPtr = ctx.resident(key, () => buildCouplings(heap, P, task.seed, P.instance));
  const normal = kernel(wasm, 'rng_normal_f64');
  const descend = kernel(wasm, 'pspin_descend_f32x8');
  const eg64 = kernel(wasm, 'pspin_eg_f64');

  const wPtr = heap.allocF32(LANES * n);
  const gPtr = heap.allocF32(LANES * n);
  const state = heap.alloc(128);
  const x = heap.allocF64(n);
  const g = heap.allocF64(n);
  const steps = () => heap.u32(state, 8);
  const conv = () => heap.u32(state + 32, 8);

  /** Puts restart r's initial point (Gaussian, rescaled to |w|² = Λ, from its own stream) in lane l. */
  const load = (l: number, r: number) => {
    normal(x, n, initSeed(task.seed), restartStream(p, n, P.instance, r), 0);
    const xs = heap.f64(x, n);
    let norm = 0;
    for (let i = 0; i < n; i++) norm += xs[i] * xs[i];
    const s = Math.sqrt(n / norm);
    const w = heap.f32(wPtr, LANES * n);
    for (let i = 0; i < n; i++) w[i * LANES + l] = xs[i] * s;
    steps()[l] = 0;
    conv()[l] = 0;
  };

  /** Reports lane l's endpoint from an f64 evaluation. */
  const report = (l: number, r: number, reachedTol: boolean): RestartResult => {
    const w32 = heap.f32(wPtr, LANES * n);
    const w64 = heap.f64(x, n);
    for (let i = 0; i < n; i++) w64[i] = w32[i * LANES + l];
    const H = eg64(g, kPtr, x, n, p, sorted);
    const gv = heap.f64(g, n);
    const wv = heap.f64(x, n);
    let dot = 0;
    for (let i = 0; i < n; i++) dot += gv[i] * wv[i];
    let gn2 = 0;
    for (let i = 0; i < n; i++) gn2 += (gv[i] - (dot / n) * wv[i]) ** 2;
    return {
      p, n, instance: P.instance, restart: r, method: P.method,
      energy: H / n, gradNorm: Math.sqrt(gn2), iterations: steps()[l], converged: reachedTol,
      index: P.index ? tangentIndex(ctx, kPtr, x, n, p, sorted, H, P.indexTol) : null,
    };
  };

  const results = new Map<number, RestartResult>();
  const laneRestart = new Array<number>(LANES).fill(-1);
  let next = P.firstRestart;
  const end = P.firstRestart + P.count;
  for (let l = 0; l < LANES; l++) {
    if (next < end) { load(l, next); laneRestart[l] = next++; }
    else { load(l, P.firstRestart); conv()[l] = 1; } // idle lane: frozen
  }
  while (results.size < P.count) {
    descend(kPtr, 0, 1, wPtr, gPtr, state, n, p, sorted, P.lr, 0, 0, P.tol, 1, CHUNK);
    for (let l = 0; l < LANES; l++) {
      const r = laneRestart[l];
      if (r < 0) continue;
      const reached = conv()[l] === 1;
      if (!reached && steps()[l] < P.maxIter) continue;
      results.set(r, report(l, r, reached));
      if (next < end) { load(l, next); laneRestart[l] = next++; }
      else { laneRestart[l] = -1; conv()[l] = 1; }
    }
  }
  return [...results.keys()].sort((a, b) => a - b).map((r) => results.get(r)!);
}

/** Eigenvalues of P(∇²H − (pH/Λ)I)P below −tol, by an LDLᵀ inertia count (the radial 0 is not counted). */
function tangentIndex(ctx: TaskContext, kPtr: number, wPtr: number, n: number, p: number, sorted: number, H: number, tol: number): number {
  const { heap, wasm } = ctx;
  const mark = heap.mark();
  const h = heap.allocF64(n * n);
  kernel(wasm, 'pspin_hess_f64')(h, kPtr, wPtr, n, p, sorted);
  kernel(wasm, 'pspin_project_hess_f64')(h, wPtr, n, (p * H) / n, heap.allocF64(n));
  const work = heap.alloc(kernel(wasm, 'sym_inertia_f64_work_bytes')(n) >>> 0);
  const count = kernel(wasm, 'sym_inertia_f64')(h, n, n, -tol, work);
  heap.release(mark);
  return count;
}

export const pspinTasks = { 'pspin-batch': pspinBatch };
