// The worker task of `landscape anneal-nets` ([P2] supp. §12.2, Fig. 6; §5.1): one (width, run).
// The net's initial weights are drawn exactly as trainRun draws them (MlpNet.init on the run's
// init stream), before training; SGD then trains run r exactly as `landscape mlp` does, and the
// annealer starts from those very weights on the very same training subset (the ternary annealer
// from their snap to three levels). Every optimiser's end point is evaluated by the same f32
// kernels (MlpNet.evaluate, EVAL_CHUNK) on the training and the test set; with `index`, each end
// point also gets its exact f64 Hessian index over the training subset (./curvature.ts).
import type { TaskContext, TaskSpec } from '../pool/protocol.js';
import type { MlpRunParams } from '../mlp/experiment.js';
import { dataset, residentData } from '../mlp/task.js';
import { EVAL_CHUNK, lossLabels, trainRun } from '../mlp/train.js';
import { MlpNet } from '../mlp/net.js';
import { paramCount } from '../mlp/reference.js';
import { ANNEAL_DEFAULTS, annealNet, type AnnealResult } from './anneal.js';
import type { Schedule } from './schedule.js';
import { INDEX_MAX_PARAMS, endpointIndex, type EndpointIndex } from './curvature.js';

/** The annealing settings of a task (the descriptor's fields). */
export interface AnnealTaskSettings {
  /** Sweeps in all (P proposals each), over min(40, sweeps) stages of the schedule. */
  sweeps: number;
  schedule: Schedule;
  step: number;
  ternary: boolean;
  ternaryScale: 'unit' | 'fan-in';
  /** 'exact': the exact Hessian index of every end point (nets with P ≤ INDEX_MAX_PARAMS only); 'none'. */
  index: IndexMode;
}

export const INDEX_MODES = ['exact', 'none'] as const;
export type IndexMode = (typeof INDEX_MODES)[number];

export type AnnealNetParams = MlpRunParams & { anneal: AnnealTaskSettings };

/** One optimiser's end point, evaluated on the training subset and the test set. */
export interface EndPoint {
  /** Mean training loss at the starting weights (SGD: the f32 kernels; annealing: the annealer's f64 value). */
  initialLoss: number;
  trainLoss: number;
  testLoss: number;
  trainError: number;
  testError: number;
  /** With --index and P ≤ INDEX_MAX_PARAMS: the exact Hessian index over the training subset. */
  hessian?: EndpointIndex;
}

export interface AnnealEndPoint extends EndPoint {
  /** Acceptance rate of the last stage. */
  accept: number;
  /** Largest |incremental − full| of the mean loss over the annealer's recomputations. */
  drift: number;
}

/** One result line of `landscape anneal-nets`: no timings, so files are byte-identical across machines. */
export interface AnnealNetLine {
  hidden: number | number[];
  run: number;
  params: number;
  sgd: EndPoint;
  anneal: AnnealEndPoint;
  /** With --ternary: weights in {−c_l, 0, +c_l}. */
  ternary?: AnnealEndPoint & { zeroFraction: number };
}

/** The stages of a run of `sweeps` sweeps: at most ANNEAL_DEFAULTS.stages, each sweeps/stages sweeps. */
export function stagesOf(sweeps: number): { stages: number; sweepsPerStage: number } {
  const stages = Math.min(ANNEAL_DEFAULTS.stages, sweeps);
  return { stages, sweepsPerStage: sweeps / stages };
}

/**
 * The annealer's first Philox stream of run r: 2^44 + 8·key (key = initStream / 2 of runStreams),
 * four streams for the continuous run and the next four for the ternary one. The training streams
 * (2·key, 2·key + 1) stay below 2^43, so no stream is shared.
 */
export const annealStream = (initStream: number, ternary: boolean) => 2 ** 44 + 4 * initStream + (ternary ? 4 : 0);

/** The weights of a task's end points, beside its line (no index yet). */
export interface AnnealEndpoints {
  line: AnnealNetLine;
  sgd: Float32Array;
  anneal: Float64Array;
  ternary?: Float64Array;
}

/** Trains and anneals the task's net (progress 0 → `end`); the line without Hessian indices. */
export async function annealEndpoints(ctx: TaskContext, task: TaskSpec<AnnealNetParams>, end = 1): Promise<AnnealEndpoints> {
  const p = task.params, s = p.train, a = p.anneal;
  const data = await residentData(ctx, p.data, s.loss);
  const ds = await dataset(p.data, s.loss);
  const spec = { layers: s.layers, bias: s.bias, loss: s.loss };
  // The initial weights, drawn as trainRun draws them; the same net evaluates every end point.
  const net = new MlpNet(ctx.heap, s.layers, { bias: s.bias, loss: s.loss, maxBatch: Math.max(s.batch, EVAL_CHUNK) });
  net.init(s.init, s.initRange, task.seed, p.initStream);
  const init = net.params();
  const sgdInitial = net.evaluate(data.xTrain, data.yTrain, data.nTrain, EVAL_CHUNK).loss;
  const r = trainRun(ctx.heap, data, s, task.seed, p.initStream, p.shuffleStream, (f) => ctx.progress(0.2 * end * f), true);
  const sgd: EndPoint = { initialLoss: sgdInitial, trainLoss: r.trainLoss, testLoss: r.testLoss, trainError: r.trainError, testError: r.testError };

  const y = lossLabels(ds.yTrain, s.loss);
  const { stages, sweepsPerStage } = stagesOf(a.sweeps);
  const evaluate = (res: AnnealResult): AnnealEndPoint => {
    net.setParams(res.params);
    const train = net.evaluate(data.xTrain, data.yTrain, data.nTrain, EVAL_CHUNK);
    const test = net.evaluate(data.xTest, data.yTest, data.nTest, EVAL_CHUNK);
    return {
      initialLoss: res.initialLoss, trainLoss: train.loss, testLoss: test.loss, trainError: train.errorRate, testError: test.errorRate,
      accept: res.stages.at(-1)!.accept, drift: res.drift,
    };
  };
  const run = (ternary: boolean, from: number, to: number) => annealNet(ctx.heap, spec, init, ds.xTrain, y, ds.nTrain, {
    seed: task.seed, stream: annealStream(p.initStream, ternary), schedule: a.schedule, stages, sweepsPerStage, step: a.step,
    ...(ternary ? { ternary: true, ternaryScale: a.ternaryScale } : {}),
    onStage: (_st, k, n) => ctx.progress(end * (from + ((to - from) * (k + 1)) / n)),
  });
  const an = run(false, 0.2, a.ternary ? 0.6 : 1);
  const line: AnnealNetLine = { hidden: p.hidden, run: p.run, params: net.paramCount, sgd, anneal: evaluate(an) };
  const out: AnnealEndpoints = { line, sgd: r.params!, anneal: an.params };
  if (a.ternary) {
    const t = run(true, 0.6, 1);
    line.ternary = { ...evaluate(t), zeroFraction: t.zeroFraction };
    out.ternary = t.params;
  }
  return out;
}

/** Whether a net of P parameters gets the exact index under these settings. */
export const indexed = (a: Pick<AnnealTaskSettings, 'index'>, P: number) => a.index === 'exact' && P <= INDEX_MAX_PARAMS;

export async function annealNetTask(ctx: TaskContext, task: TaskSpec<AnnealNetParams>): Promise<AnnealNetLine> {
  const p = task.params, s = p.train;
  const P = paramCount(s.layers, s.bias);
  const withIndex = indexed(p.anneal, P);
  // The Hessian work against the annealing's, roughly, for the progress bar.
  const e = await annealEndpoints(ctx, task, withIndex ? 0.8 : 1);
  if (!withIndex) return e.line;
  const ds = await dataset(p.data, s.loss);
  const y = lossLabels(ds.yTrain, s.loss);
  const spec = { layers: s.layers, bias: s.bias, loss: s.loss };
  const points = [[e.line.sgd, e.sgd], [e.line.anneal, e.anneal], ...(e.line.ternary ? [[e.line.ternary, e.ternary!] as const] : [])] as const;
  points.forEach(([pt, w], k) => {
    pt.hessian = endpointIndex(ctx.heap, spec, w, ds.xTrain, y, ds.nTrain);
    ctx.progress(0.8 + (0.2 * (k + 1)) / points.length);
  });
  return e.line;
}

export const annealTasks = { 'anneal-net': annealNetTask };
