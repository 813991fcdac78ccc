// The worker task of `landscape hessian`: train one net exactly as `landscape mlp` trains run r
// (same settings, same streams, so the same net), then its exact f64 Hessian over the whole
// training set, the full spectrum, and the index by inertia at τ = 10⁻³ as a check.
import type { TaskContext, TaskSpec } from '../pool/protocol.js';
import type { MlpRunParams } from '../mlp/experiment.js';
import { dataset, residentData } from '../mlp/task.js';
import { trainRun, lossLabels } from '../mlp/train.js';
import { exactHessian } from './hessian.js';
import { countsFromSpectrum, curvatureIndex } from './spectrum.js';
import { spectrumSummary, type SpectrumSummary } from './summary.js';
import { blockSummary, type BlockSummary } from './blocks.js';
import { calibrateSlq, type CalibrationRow } from './calibration.js';
import { denseMatvec } from './lanczos.js';
import { polish } from './polish.js';

export type HessianNetParams = MlpRunParams & { keepSpectrum?: boolean; calibrate?: boolean; polish?: number };

/** The SLQ calibration settings of the report's table (steps × probes, one seed). */
export const SLQ_STEPS = [10, 20, 40];
export const SLQ_PROBES = [1, 4, 16];

/** One result line of `landscape hessian`: no timings, so files are byte-identical across machines. */
export interface HessianLine {
  hidden: number | number[];
  run: number;
  params: number;
  trainLoss: number;
  testLoss: number;
  /** ‖∇L‖ over the training set, f64: an SGD endpoint is not a critical point. */
  gradNorm: number;
  /** [P2]'s normalised index: |λ| < 10⁻³ set to 0, the fraction negative. */
  normalisedIndex: number;
  /** λ < −τ from the spectrum at τ = 10⁻³, 10⁻⁶ and 10⁻⁹·‖H‖_F. */
  negative: [number, number, number];
  /** |λ| < 10⁻⁶ from the spectrum. */
  nearZero: number;
  /**
   * Exact zeros the structure predicts: one per hidden unit of a bias-free net (the ReLU rescaling
   * symmetry, at a critical point), plus n1 per input that is 0 on every training sample (its
   * first-layer weights move neither the loss nor its gradient; 10×10 MNIST has dead border pixels).
   */
  expectedZeros: number;
  /** Inputs that are 0 on every training sample. */
  deadInputs: number;
  /** λ < −10⁻³ by LDLᵀ inertia (checks the spectrum's count). */
  negativeByInertia: number;
  /** Hidden pre-activations within 10⁻⁶ of the ReLU kink, as a fraction of all. */
  fractionNearKink: number;
  /** ‖H − Hᵀ‖_F / ‖H‖_F of the assembled matrix. */
  asymmetry: number;
  normH: number;
  spectrum: SpectrumSummary;
  /** Each layer's own block (W_l-W_l) spectrum, and the share of ‖H‖_F² in the cross-layer blocks. */
  blocks: BlockSummary;
  /** With --polish: LM steps towards ‖∇L‖ ≤ 10⁻⁸, the exact index where they end, why they stopped, and the ReLU sign flips over all steps. */
  polished?: { steps: number; reached: boolean; gradNorm: number; trainLoss: number; moved: number; normalisedIndex: number; negative: number; nearZero: number; stop: 'reached' | 'steps' | 'stalled'; flips: number; nearestKink: number };
  /** Run 0 of each width: SLQ (Rademacher probes, full reorthogonalisation) against this exact spectrum. */
  slq?: { sigma: number; rows: CalibrationRow[] };
}

export interface HessianNetResult { line: HessianLine; eigenvalues?: Float64Array }

export async function hessianNet(ctx: TaskContext, task: TaskSpec<HessianNetParams>): Promise<HessianNetResult> {
  const p = task.params;
  const data = await residentData(ctx, p.data, p.train.loss);
  const r = trainRun(ctx.heap, data, p.train, task.seed, p.initStream, p.shuffleStream, (f) => ctx.progress(0.3 * f), true);
  const ds = await dataset(p.data, p.train.loss);
  const spec = { layers: p.train.layers, bias: p.train.bias, loss: p.train.loss };
  const y = lossLabels(ds.yTrain, p.train.loss);
  const h = exactHessian(ctx.heap, spec, r.params!, ds.xTrain, y, ds.nTrain);
  ctx.progress(0.6);
  const idx = curvatureIndex(ctx.heap, h.H, h.P, { taus: [1e-3], inertia: true, spectrum: true });
  const ev = idx.eigenvalues;
  const hiddenUnits = p.train.layers.slice(1, -1).reduce((a, b) => a + b, 0);
  const d = p.train.layers[0];
  let deadInputs = 0;
  for (let i = 0; i < d; i++) {
    let zero = true;
    for (let s = 0; s < ds.nTrain && zero; s++) zero = ds.xTrain[s * d + i] === 0;
    if (zero) deadInputs++;
  }
  const line: HessianLine = {
    hidden: p.hidden, run: p.run, params: h.P, trainLoss: h.loss, testLoss: r.testLoss, gradNorm: h.gradNorm,
    normalisedIndex: idx.normalisedIndex,
    negative: [1e-3, 1e-6, 1e-9 * idx.norm].map((t) => countsFromSpectrum(ev, t).negative) as [number, number, number],
    nearZero: countsFromSpectrum(ev, 1e-6).nearZero, expectedZeros: (p.train.bias ? 0 : hiddenUnits) + deadInputs * p.train.layers[1], deadInputs,
    negativeByInertia: idx.counts[0].negative, fractionNearKink: h.fractionNearKink, asymmetry: h.asymmetry, normH: idx.norm,
    spectrum: spectrumSummary(ev, p.train.layers.at(-1)!),
    blocks: blockSummary(ctx.heap, h.H, h.P, p.train.layers, p.train.bias),
  };
  if (p.polish) {
    const pol = polish(ctx.heap, spec, r.params!, ds.xTrain, y, ds.nTrain, { maxSteps: p.polish });
    const hp = exactHessian(ctx.heap, spec, pol.params, ds.xTrain, y, ds.nTrain);
    const ip = curvatureIndex(ctx.heap, hp.H, hp.P, { taus: [1e-3], inertia: false, spectrum: true });
    line.polished = {
      steps: pol.steps, reached: pol.gradNorm <= 1e-8, gradNorm: pol.gradNorm, trainLoss: pol.loss, moved: pol.moved,
      normalisedIndex: ip.normalisedIndex, negative: countsFromSpectrum(ip.eigenvalues, 1e-3).negative, nearZero: countsFromSpectrum(ip.eigenvalues, 1e-6).nearZero, stop: pol.stop, flips: pol.trace.reduce((a, t) => a + t.flips, 0), nearestKink: pol.nearestKink,
    };
  }
  if (p.calibrate) {
    const c = calibrateSlq(ctx.heap, ev, denseMatvec(h.H, h.P), h.P, { seed: task.seed, stream: task.stream, classes: p.train.layers.at(-1)!, stepsList: SLQ_STEPS, probesList: SLQ_PROBES });
    line.slq = { sigma: c.sigma, rows: c.rows };
  }
  return { line, ...(p.keepSpectrum ? { eigenvalues: ev } : {}) };
}

export const hessianTasks = { 'hessian-net': hessianNet };
