// Simulated annealing of a ReLU MLP's weights on a training subset (SCIENCE.md §7, [P2] supp.
// §12.2 and §5.1), over the kernels of assembly/anneal.ts: stages of sweeps (a sweep is P proposals,
// one per parameter on average) at the temperatures of a schedule whose ends are calibrated on the
// loss changes of probed proposals at the start. Platform-neutral.
//
// Streams: a run of (seed, stream) draws proposals from Philox streams stream and stream + 1, and
// its calibration probes from stream + 2 and stream + 3 (assembly/anneal.ts fixes the counters).
import type { Heap } from '../heap.js';
import { bindKernels } from '../kernels.js';
import { checkSeed } from '../rng.js';
import { type MlpSpec, MAX_WEIGHT_LAYERS, MLP_LOSSES, isBinaryLoss, layerSlices, lossCode, paramCount, predict } from '../mlp/reference.js';
import { type Schedule, calibrateTemperature, temperatures } from './schedule.js';

export interface AnnealSettings {
  seed: number;
  /** First of the four Philox streams the run uses; default 0. */
  stream?: number;
  /** Default 'geometric'. */
  schedule?: Schedule;
  /** Default 40. */
  stages?: number;
  /** Sweeps (P proposals each) per stage; default 5. */
  sweepsPerStage?: number;
  /** Continuous proposals: the step s of w ← w + s·ξ, one for all layers or one per layer; default 0.1. */
  step?: number | readonly number[];
  /** Weights restricted to {−c_l, 0, +c_l}; proposals move one weight to one of its two other levels. */
  ternary?: boolean;
  /** Ternary level spacing c_l: 'unit' (default, {−1, 0, +1}), 'fan-in' (c_l = 1/√n_{l−1}) or one per layer. */
  ternaryScale?: 'unit' | 'fan-in' | readonly number[];
  /** Start and end temperatures; default calibrated so the probed uphill moves are accepted with mean probability chi0 and chiEnd. */
  T0?: number;
  Tend?: number;
  /** Default 0.5. */
  chi0?: number;
  /** Default 1e-3. */
  chiEnd?: number;
  /** Proposals probed at the start for the calibration; default min(2000, 4P). */
  probes?: number;
  /** Full recomputation after this many accepted moves (bounds the drift of the incremental state); default 4096, 0 never. */
  recomputeEvery?: number;
  /** Compute every ΔL by a full forward pass (the baseline of bench/anneal.mjs); default false. */
  full?: boolean;
  /** Called after every stage. */
  onStage?: (stage: AnnealStage, k: number, stages: number) => void;
}

export interface AnnealStage {
  T: number;
  /** Accepted / proposed in this stage. */
  accept: number;
  /** Mean training loss at the end of the stage (the incremental value). */
  loss: number;
}

export interface AnnealResult {
  params: Float64Array;
  /** Mean training loss at the final weights, fully recomputed (f64). */
  trainLoss: number;
  /** Fraction of the S samples misclassified at the final weights. */
  trainError: number;
  /** Mean loss at the start (ternary: after snapping to the levels). */
  initialLoss: number;
  stages: AnnealStage[];
  T0: number;
  Tend: number;
  /** Largest |incremental − full| of the mean loss over the full recomputations. */
  drift: number;
  recomputations: number;
  proposals: number;
  accepted: number;
  /** Ternary: fraction of the parameters (weights and biases) at 0 at the end (NaN for continuous runs). */
  zeroFraction: number;
  /** Ternary level spacing per layer (the continuous step per layer otherwise). */
  scale: number[];
}

// Tuned on the 1000-image MNIST subset (seed 1, 10×10), [100, 5, 10] bias-free cross-entropy from
// uniform ±0.2 weights, 200 sweeps: final train loss 0.384 / 0.215 / 0.200 / 0.216 for step 0.02 /
// 0.05 / 0.1 / 0.2; geometric 0.215 beat linear 0.231 (step 0.05); χ0 = 0.5 beat 0.2 (0.229);
// χ_end = 1e-3 and 1e-2 tied (0.215, 0.220). At step 0.1 per-stage acceptance fell 0.75 → 0.34 and
// the loss was still falling (600 sweeps: 0.117, train error 2.6%): raise sweepsPerStage for real runs.
export const ANNEAL_DEFAULTS = {
  stream: 0, schedule: 'geometric' as Schedule, stages: 40, sweepsPerStage: 5, step: 0.1,
  ternaryScale: 'unit' as const, chi0: 0.5, chiEnd: 1e-3, recomputeEvery: 4096,
};

function perLayer(v: number | readonly number[], L: number, what: string): number[] {
  const a = typeof v === 'number' ? Array.from({ length: L }, () => v) : Array.from(v);
  if (a.length !== L || a.some((x) => !(x > 0) || !Number.isFinite(x))) throw new RangeError(`anneal: ${what} must be one positive number or ${L} of them, got ${JSON.stringify(v)}`);
  return a;
}

/** The level spacing c_l of each weight layer. */
export function ternaryScales(layers: readonly number[], scale: AnnealSettings['ternaryScale'] = 'unit'): number[] {
  const L = layers.length - 1;
  if (scale === 'unit') return Array.from({ length: L }, () => 1);
  if (scale === 'fan-in') return layers.slice(0, -1).map((n) => 1 / Math.sqrt(n));
  return perLayer(scale as readonly number[], L, 'ternaryScale');
}

/**
 * The ternary start: per layer, each weight takes the level of its third of [−m, m], m = max |w| of
 * that layer's initial weights (and biases), so a uniform init gives the three levels equally often.
 */
export function snapTernary(spec: MlpSpec, params: ArrayLike<number>, scales: readonly number[]): Float64Array {
  const out = Float64Array.from(params);
  layerSlices(spec.layers, spec.bias).forEach(({ nIn, nOut, w, b }, l) => {
    const end = b >= 0 ? b + nOut : w + nIn * nOut;
    let m = 0;
    for (let i = w; i < end; i++) m = Math.max(m, Math.abs(out[i]));
    for (let i = w; i < end; i++) out[i] = m > 0 ? Math.max(-1, Math.min(1, Math.round((1.5 * out[i]) / m))) * scales[l] : 0;
  });
  return out;
}

function checkInputs(spec: MlpSpec, params: ArrayLike<number>, X: ArrayLike<number>, y: ArrayLike<number>, S: number): number {
  const { layers, loss } = spec;
  if (!Array.isArray(layers) || layers.length < 2 || layers.length > MAX_WEIGHT_LAYERS + 1 || layers.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new RangeError(`anneal: layers must list 2 to ${MAX_WEIGHT_LAYERS + 1} integer widths ≥ 1, got ${JSON.stringify(layers)}`);
  }
  if (!MLP_LOSSES.includes(loss)) throw new RangeError(`anneal: unknown loss ${loss}; one of ${MLP_LOSSES.join(', ')}`);
  const c = layers.at(-1)!, binary = isBinaryLoss(loss);
  if (binary ? c !== 1 : c < 2) throw new RangeError(`anneal: the ${loss} loss cannot take ${c} outputs`);
  const P = paramCount(layers, spec.bias);
  if (params.length !== P) throw new RangeError(`anneal: params has ${params.length} entries, the net has ${P}`);
  if (!Number.isInteger(S) || S < 1) throw new RangeError(`anneal: S must be an integer ≥ 1, got ${S}`);
  if (X.length < S * layers[0]) throw new RangeError(`anneal: X has ${X.length} entries, fewer than S·n_0 = ${S * layers[0]}`);
  if (y.length < S) throw new RangeError(`anneal: y has ${y.length} labels, fewer than S = ${S}`);
  for (let s = 0; s < S; s++) {
    const v = y[s];
    if (binary ? v !== 1 && v !== -1 : !(Number.isInteger(v) && v >= 0 && v < c)) throw new RangeError(`anneal: label ${s} is ${v}, the ${loss} loss takes ${binary ? '±1' : `0..${c - 1}`}`);
  }
  return P;
}

/** Fraction of the S samples that the net misclassifies (first max; binary: y·f ≤ 0). */
export function trainingError(spec: MlpSpec, params: ArrayLike<number>, X: ArrayLike<number>, y: ArrayLike<number>, S: number): number {
  const z = predict(spec, params, X, S);
  let wrong = 0;
  z.forEach((row, s) => {
    if (isBinaryLoss(spec.loss)) wrong += y[s] * row[0] <= 0 ? 1 : 0;
    else wrong += row.indexOf(Math.max(...row)) !== y[s] ? 1 : 0;
  });
  return wrong / S;
}

/** The chain resident in wasm memory: the net, the data and the kernel workspace, uploaded once. */
export class AnnealChain {
  readonly P: number;
  private readonly k: ReturnType<typeof bindKernels>;
  private readonly paramsPtr: number;
  private readonly scalePtr: number;
  private readonly statsPtr: number;
  private readonly common: [number, number, number, number, number, number, number, number, number];

  constructor(private readonly heap: Heap, readonly spec: MlpSpec, params: ArrayLike<number>, X: ArrayLike<number>, y: ArrayLike<number>, readonly S: number, scale: readonly number[], readonly ternary: boolean) {
    this.P = checkInputs(spec, params, X, y, S);
    const L = spec.layers.length - 1, n0 = spec.layers[0];
    this.k = bindKernels(heap.wasm);
    const layersPtr = heap.alloc(4 * (L + 1), 'anneal: widths');
    new Int32Array(heap.memory.buffer, layersPtr, L + 1).set(spec.layers);
    this.paramsPtr = heap.allocF64(this.P, params, 'anneal: f64 params');
    const xPtr = heap.allocF64(S * n0, X.length === S * n0 ? X : Array.prototype.slice.call(X, 0, S * n0), 'anneal: f64 inputs');
    const yPtr = heap.alloc(4 * S, 'anneal: labels');
    new Int32Array(heap.memory.buffer, yPtr, S).set(Array.prototype.slice.call(y, 0, S));
    this.scalePtr = heap.allocF64(L, scale, 'anneal: scales');
    this.statsPtr = heap.allocF64(4, undefined, 'anneal: stats');
    const work = heap.alloc(this.k.anneal_work_bytes(layersPtr, L, S), 'anneal: resident state');
    this.common = [this.paramsPtr, layersPtr, L, spec.bias ? 1 : 0, xPtr, yPtr, S, lossCode(spec.loss), work];
  }

  /** (Re)starts from the params now resident; returns the mean loss. */
  init(): number { return this.k.anneal_init_f64(...this.common); }

  /** A full recomputation (drift recorded); returns the mean loss. */
  refresh(): number { return this.k.anneal_refresh_f64(...this.common); }

  /** ΔL of n proposals from counter t0 of (seed, stream), none accepted. */
  probe(n: number, seed: number, stream: number, t0 = 0): Float64Array {
    const out = this.heap.allocF64(n, undefined, 'anneal: probes');
    this.k.anneal_probe_f64(out, n, seed, stream, t0, this.scalePtr, this.ternary ? 1 : 0, ...this.common);
    return this.heap.readF64(out, n);
  }

  /** n proposals at temperature T from counter t0; returns the number accepted. */
  run(n: number, T: number, seed: number, stream: number, t0: number, every: number, full = false): number {
    return this.k.anneal_run_f64(n, T, seed, stream, t0, this.scalePtr, this.ternary ? 1 : 0, every, full ? 1 : 0, ...this.common);
  }

  stats(): { loss: number; drift: number; recomputations: number; sinceRecompute: number } {
    const [, layersPtr, L, , , , S, , work] = this.common;
    this.k.anneal_stats_f64(this.statsPtr, layersPtr, L, S, work);
    const [loss, drift, recomputations, sinceRecompute] = this.heap.readF64(this.statsPtr, 4);
    return { loss, drift, recomputations, sinceRecompute };
  }

  params(): Float64Array { return this.heap.readF64(this.paramsPtr, this.P); }
}

/**
 * Anneals the net from initParams on the S samples (X: S × n_0, y: classes or ±1). The mean loss
 * is the training objective; the heap is released afterwards.
 */
export function annealNet(heap: Heap, spec: MlpSpec, initParams: ArrayLike<number>, X: ArrayLike<number>, y: ArrayLike<number>, S: number, settings: AnnealSettings): AnnealResult {
  const s = { ...ANNEAL_DEFAULTS, ...settings };
  checkSeed('seed', s.seed);
  checkSeed('stream', s.stream + 3);
  for (const [name, v] of [['sweepsPerStage', s.sweepsPerStage], ['recomputeEvery', s.recomputeEvery]] as const) {
    if (!(Number.isFinite(v) && v >= 0)) throw new RangeError(`anneal: ${name} must be ≥ 0, got ${v}`);
  }
  const L = spec.layers.length - 1;
  const ternary = !!s.ternary;
  const scale = ternary ? ternaryScales(spec.layers, s.ternaryScale) : perLayer(s.step, L, 'step');
  const start = ternary ? snapTernary(spec, initParams, scale) : initParams;
  const mark = heap.mark();
  try {
    const chain = new AnnealChain(heap, spec, start, X, y, S, scale, ternary);
    const initialLoss = chain.init();
    const needProbes = s.T0 === undefined || s.Tend === undefined;
    const deltas = needProbes ? chain.probe(s.probes ?? Math.min(2000, 4 * chain.P), s.seed, s.stream + 2) : new Float64Array();
    const T0 = s.T0 ?? calibrateTemperature(deltas, s.chi0);
    const Tend = s.Tend ?? calibrateTemperature(deltas, s.chiEnd);
    const perStage = Math.max(1, Math.round(s.sweepsPerStage * chain.P));
    const stages: AnnealStage[] = [];
    let t = 0, accepted = 0;
    temperatures(s.schedule, T0, Tend, s.stages).forEach((T, k, all) => {
      const a = chain.run(perStage, T, s.seed, s.stream, t, s.recomputeEvery, s.full);
      t += perStage;
      accepted += a;
      const stage = { T, accept: a / perStage, loss: chain.stats().loss };
      stages.push(stage);
      s.onStage?.(stage, k, all.length);
    });
    const trainLoss = chain.refresh();
    const { drift, recomputations } = chain.stats();
    const params = chain.params();
    let zeros = 0;
    if (ternary) params.forEach((v) => { zeros += v === 0 ? 1 : 0; });
    return {
      params, trainLoss, trainError: trainingError(spec, params, X, y, S), initialLoss, stages, T0, Tend, drift, recomputations,
      proposals: t, accepted, zeroFraction: ternary ? zeros / params.length : NaN, scale,
    };
  } finally {
    heap.release(mark);
  }
}
