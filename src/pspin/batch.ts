// One task: descend a group of restarts of one instance, 8 or 16 at a time in SIMD lanes (the
// width calibrated per worker and size, src/pspin/width.ts; it never changes bytes), then report
// each endpoint from an f64 evaluation (energy, Riemannian gradient norm) and optionally the
// exact index from the Riemannian Hessian's inertia.
import type { TaskContext, TaskSpec } from '../pool/protocol.js';
import { bindKernels, descentState } from '../kernels.js';
import { pspinWidth, type PSpinWidth } from './width.js';
import { anneal, type Lanes } from './anneal-lanes.js';
import { drawnCouplings, loadCouplings, tangentSpectrum, uploadCouplings } from './files.js';
import { semicircleFit, type SemicircleFit } from './semicircle.js';
import { COUPLINGS, buildCouplings, couplingCount, couplingStream, initSeed, restartStream, type PSpinSettings, type PSpinSpec } from './model.js';

export const METHODS = ['gd', 'sgd', 'anneal'] as const satisfies readonly PSpinSettings['method'][];
export type Method = PSpinSettings['method'];

/** One task's share of a run: the run's settings for one size, instance and block of restarts. */
export type PSpinBatchParams = Omit<PSpinSettings, 'ns' | 'restarts' | 'instances' | 'seed'> & PSpinSpec & {
  instance: number;
  firstRestart: number;
  count: number;
};

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
  /** with --spectrum-fit: the tangent spectrum against the semicircle at −p·u (absent otherwise, so older lines keep their bytes) */
  semicircle?: SemicircleFit;
}

/** Descent steps per driver call: lanes that converge are refilled with the next restart between calls. */
const CHUNK = 25;

/** A task's result when it also carries arrays to save; plain lines otherwise. */
export interface PSpinBatchOutput {
  lines: RestartResult[];
  /** The dense f64 couplings (first task of each instance, with saveCouplings). */
  couplings?: Float64Array;
  /** count × Λ endpoints, restart order (saveEndpoints). */
  endpoints?: Float64Array;
  /** Spectra (Λ − 1 each) of this task's restarts below saveSpectra. */
  spectra?: Float64Array;
}

export async function pspinBatch(ctx: TaskContext, task: TaskSpec<PSpinBatchParams>): Promise<RestartResult[] | PSpinBatchOutput> {
  const P = task.params;
  const { p, n } = P;
  const { heap, wasm } = ctx;
  const sorted = P.storage === 'packed' ? 1 : 0;
  const given = P.couplings ? await loadCouplings(P.couplings) : null;
  const key = `pspin|${task.seed}|${P.instance}|${p}|${n}|${P.storage}|${P.coupling}|${P.couplings ?? ''}`;
  const kPtr = ctx.resident(key, () => (given ? uploadCouplings(heap, P, given) : buildCouplings(heap, P, task.seed, P.instance)));
  const spectraCount = P.index ? Math.max(0, Math.min(P.count, (P.saveSpectra ?? 0) - P.firstRestart)) : 0;
  const endpoints = P.saveEndpoints ? new Float64Array(P.count * n) : undefined;
  const spectra = spectraCount ? new Float64Array(spectraCount * (n - 1)) : undefined;
  const k = bindKernels(wasm);
  const { rng_normal_f64: normal, pspin_eg_f64: eg64 } = k;
  // The batch width: the calibrated one while a batch is full, 8 once 8 lanes hold every restart
  // left (setWidth repacks the lanes), so a 16-wide pass never runs mostly on idle lanes.
  const WIDE: PSpinWidth = pspinWidth(wasm, heap, kPtr, n, p, sorted).width;
  let LANES: PSpinWidth = WIDE;
  let ST = descentState(LANES);
  const descend = (...a: Parameters<typeof k.pspin_descend_f32x8>) => (LANES === 16 ? k.pspin_descend_f32x16 : k.pspin_descend_f32x8)(...a);

  const wPtr = heap.allocF32(16 * n);
  const gPtr = heap.allocF32(16 * n);
  const state = heap.alloc(descentState(16).bytes);
  /** Moves old lanes keep[j] to new lanes j of width w (w, steps, converged, gradient norm); the rest are frozen copies of lane keep[0]. g is rewritten by every step. */
  const setWidth = (w: PSpinWidth, keep: number[]) => {
    const old = LANES, oldST = ST;
    const wOld = Float32Array.from(heap.f32(wPtr, old * n));
    const fields = [oldST.steps, oldST.converged, oldST.gradNorm].map((o) => Uint32Array.from(heap.u32(state + o, old)));
    LANES = w;
    ST = descentState(w);
    const wNew = heap.f32(wPtr, w * n);
    const src = (j: number) => keep[j] ?? keep[0] ?? 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < w; j++) wNew[i * w + j] = wOld[i * old + src(j)];
    [ST.steps, ST.converged, ST.gradNorm].forEach((o, f) => {
      const v = heap.u32(state + o, w);
      for (let j = 0; j < w; j++) v[j] = j < keep.length ? fields[f][keep[j]] : f === 1 ? 1 : 0;
    });
  };
  const x = heap.allocF64(n);
  const g = heap.allocF64(n);
  const steps = () => heap.u32(state + ST.steps, LANES);
  const conv = () => heap.u32(state + ST.converged, LANES);

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
    const slot = r - P.firstRestart;
    endpoints?.set(wv, slot * n);
    const spectrum = spectra && slot < spectraCount ? spectra.subarray(slot * (n - 1), (slot + 1) * (n - 1)) : P.index && P.spectrumFit ? new Float64Array(n - 1) : undefined;
    const line: RestartResult = {
      p, n, instance: P.instance, restart: r, method: P.method,
      energy: H / n, gradNorm: Math.sqrt(gn2), iterations: steps()[l], converged: reachedTol,
      index: P.index ? tangentIndex(ctx, kPtr, x, n, p, sorted, H, P.indexTol, spectrum) : null,
    };
    if (P.index && P.spectrumFit) line.semicircle = semicircleFit(spectrum!, p, H / n);
    return line;
  };

  const lines = P.method !== 'gd' ? lockstep(ctx, task, kPtr, { wide: WIDE, lanes: () => LANES, setWidth, wPtr, gPtr, state, x, load, report }) : descendAll();
  if (!P.saveCouplings && !endpoints && !spectra) return lines;
  const couplings = P.saveCouplings && P.firstRestart === 0 ? given ?? drawnCouplings(heap, P, COUPLINGS.indexOf(P.coupling), task.seed, couplingStream(p, n, P.instance)) : undefined;
  return { lines, ...(couplings ? { couplings } : {}), ...(endpoints ? { endpoints } : {}), ...(spectra ? { spectra } : {}) };

  function descendAll(): RestartResult[] {
  const results = new Map<number, RestartResult>();
  const laneRestart = new Array<number>(LANES).fill(-1);
  let next = P.firstRestart;
  const end = P.firstRestart + P.count;
  for (let l = 0; l < LANES; l++) {
    if (next < end) { load(l, next); laneRestart[l] = next++; }
    else { load(l, P.firstRestart); conv()[l] = 1; } // idle lane: frozen
  }
  while (results.size < P.count) {
    if (LANES === 16 && next >= end) {
      const live = laneRestart.flatMap((r, l) => (r >= 0 ? [l] : []));
      if (live.length <= 8) {
        setWidth(8, live);
        laneRestart.splice(0, laneRestart.length, ...Array.from({ length: 8 }, (_, j) => (j < live.length ? laneRestart[live[j]] : -1)));
      }
    }
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
}

/** Eigenvalues of P(∇²H − (pH/Λ)I)P below −tol, by an LDLᵀ inertia count (the radial 0 is not counted). */
function tangentIndex(ctx: TaskContext, kPtr: number, wPtr: number, n: number, p: number, sorted: number, H: number, tol: number, spectrum?: Float64Array): number {
  const { heap, wasm } = ctx;
  const k = bindKernels(wasm);
  const mark = heap.mark();
  const h = heap.allocF64(n * n);
  k.pspin_hess_f64(h, kPtr, wPtr, n, p, sorted);
  k.pspin_project_hess_f64(h, wPtr, n, (p * H) / n, heap.allocF64(n));
  if (spectrum) spectrum.set(tangentSpectrum(heap, h, heap.readF64(wPtr, n), n));
  const work = heap.alloc(k.sym_inertia_f64_work_bytes(n) >>> 0);
  const count = k.sym_inertia_f64(h, n, n, -tol, work);
  heap.release(mark);
  return count;
}

export const pspinTasks = { 'pspin-batch': pspinBatch };


/**
 * sgd and anneal move a batch of 8 or 16 restarts in lockstep (their schedules are global in the step count),
 * then polish with GD until each lane converges or --max-iter.
 */
function lockstep(ctx: TaskContext, task: TaskSpec<PSpinBatchParams>, kPtr: number, L: Lanes): RestartResult[] {
  const P = task.params;
  const { p, n } = P;
  const { heap, wasm } = ctx;
  const sorted = P.storage === 'packed' ? 1 : 0;
  const k = bindKernels(wasm);
  const splitPieces = k.pspin_split_pieces_f32;
  const out: RestartResult[] = [];
  let polishLr = P.lr;
  let polishDecay = 0;
  let pieces = 0;
  let piecesBytes = 0;
  if (P.method === 'sgd') {
    // SCIENCE.md §4: γ_t = 0.3/(1 + 0.0015t) for 500·P steps on piece t mod P, then full-J GD
    // polishing with γ_k = 0.2/(1 + 0.0015k).
    const count = couplingCount(p, n, P.storage);
    piecesBytes = 4 * count;
    pieces = heap.alloc(piecesBytes * P.pieces, 'sgd coupling pieces');
    splitPieces(pieces, kPtr, n, p, sorted, P.pieces, task.seed, splitStream(p, n, P.instance));
    polishLr = 0.2;
    polishDecay = 0.0015;
  }
  for (let r0 = P.firstRestart; r0 < P.firstRestart + P.count; r0 += L.lanes()) {
    // A full batch at the calibrated width; a last batch of at most 8 restarts at width 8.
    if (L.lanes() !== (P.firstRestart + P.count - r0 <= 8 ? 8 : L.wide)) L.setWidth(P.firstRestart + P.count - r0 <= 8 ? 8 : L.wide, []);
    const LANES = L.lanes(), ST = descentState(LANES);
    const descend = LANES === 16 ? k.pspin_descend_f32x16 : k.pspin_descend_f32x8;
    const lanes = Math.min(LANES, P.firstRestart + P.count - r0);
    for (let l = 0; l < LANES; l++) L.load(l, l < lanes ? r0 + l : r0);
    const conv = heap.u32(L.state + ST.converged, LANES);
    for (let l = lanes; l < LANES; l++) conv[l] = 1;
    if (P.method === 'sgd') {
      descend(pieces, piecesBytes, P.pieces, L.wPtr, L.gPtr, L.state, n, p, sorted, 0.3, 0.0015, 0, P.tol, 0, 500 * P.pieces);
    } else {
      anneal(ctx, task, kPtr, L, r0, lanes);
    }
    descend(kPtr, 0, 1, L.wPtr, L.gPtr, L.state, n, p, sorted, polishLr, polishDecay, 0, P.tol, 1, P.maxIter);
    // Copied out: report() allocates (Hessians), which can grow memory and detach any view.
    const reached = Array.from(heap.u32(L.state + ST.converged, LANES), (c) => c === 1);
    for (let l = 0; l < lanes; l++) out.push(L.report(l, r0 + l, reached[l]));
  }
  return out;
}

/** Stream of the SGD split noise: distinct from every coupling and restart stream. */
function splitStream(p: number, n: number, instance: number): number {
  return 2 ** 52 + couplingStream(p, n, instance);
}
