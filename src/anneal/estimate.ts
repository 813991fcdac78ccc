// The time estimate of `landscape anneal-nets`: SGD as the network lab estimates it (its calibration
// in the workers), plus the annealing calibrated the same way — in every worker at once, on the real
// resident subset, per architecture: the real calibration probes, then Metropolis proposals at four
// temperatures of the real schedule (stages 0, K/3, 2K/3, K−1: the costly commits are frequent only
// while the acceptance is high), each for a quarter of the budget — then extrapolated to sweeps·P
// proposals per run (twice with --ternary), plus the end points' evaluations. The exact index is
// R-op Hessian (∝ S·P², plus a part ∝ P²) + one LDLᵀ (∝ P³), the constants timed in the workers at
// the largest indexed width: the Hessian over the first 50 and 100 samples, the LDLᵀ of its leading
// ≤ 1000 rows.
import type { TaskContext, TaskSpec, TaskInput } from '../pool/protocol.js';
import type { DataSpec } from '../mlp/experiment.js';
import type { MlpInit } from '../mlp/net.js';
import type { MlpLoss } from '../mlp/reference.js';
import { paramCount } from '../mlp/reference.js';
import { dataset, residentData } from '../mlp/task.js';
import { EVAL_CHUNK, lossLabels } from '../mlp/train.js';
import { MlpNet } from '../mlp/net.js';
import { exactHessian } from '../curvature/hessian.js';
import { curvatureIndex } from '../curvature/spectrum.js';
import { AnnealChain, ANNEAL_DEFAULTS, snapTernary, ternaryScales } from './anneal.js';
import { calibrateTemperature, temperatures } from './schedule.js';
import { indexed, stagesOf, type AnnealNetParams, type AnnealTaskSettings } from './task.js';

export interface AnnealCalibrateParams {
  data: DataSpec;
  nets: { layers: number[]; bias: boolean; loss: MlpLoss; init: MlpInit; initRange: number }[];
  anneal: AnnealTaskSettings;
  seed: number;
  /** Milliseconds of proposals per architecture and chain. */
  milliseconds: number;
}

/** Seconds of one worker, per architecture; the index's constants (0 without --index). */
export interface AnnealCalibration { probe: number[]; proposal: number[]; ternaryProposal: number[]; evaluate: number[]; index: IndexCost }

/** Seconds per S·P² of the R-op Hessian, per P² of its sample-independent part (read-back, asymmetry), per P³ of one LDLᵀ. */
export interface IndexCost { hessian: number; fixed: number; ldlt: number }

/** Seconds per proposal of `chain` over the four temperatures, `ms` milliseconds in all. */
function timeProposals(chain: AnnealChain, a: AnnealTaskSettings, seed: number, T0: number, Tend: number, ms: number): number {
  const { stages } = stagesOf(a.sweeps);
  const Ts = temperatures(a.schedule, T0, Tend, stages);
  const picks = [...new Set([0, Math.round(stages / 3), Math.round((2 * stages) / 3), stages - 1])].map((k) => Ts[k]);
  let t = 0, sum = 0;
  chain.run(64, Ts[0], seed, 0, t, ANNEAL_DEFAULTS.recomputeEvery); // untimed: V8 tiers the kernel up
  t += 64;
  for (const T of picks) {
    const t0 = performance.now();
    let n = 0, batch = 16;
    while (performance.now() - t0 < ms / picks.length) {
      chain.run(batch, T, seed, 0, t, ANNEAL_DEFAULTS.recomputeEvery);
      t += batch;
      n += batch;
      batch = Math.min(2 * batch, 4096);
    }
    sum += (performance.now() - t0) / 1000 / n;
  }
  return sum / picks.length;
}

export async function annealCalibrate(ctx: TaskContext, task: TaskSpec<AnnealCalibrateParams>): Promise<AnnealCalibration> {
  const { data: spec, nets, anneal: a, seed, milliseconds } = task.params;
  const data = await residentData(ctx, spec, nets[0].loss);
  const ds = await dataset(spec, nets[0].loss);
  const out: Omit<AnnealCalibration, 'index'> = { probe: [], proposal: [], ternaryProposal: [], evaluate: [] };
  for (const n of nets) {
    const mark = ctx.heap.mark();
    const net = new MlpNet(ctx.heap, n.layers, { bias: n.bias, loss: n.loss, maxBatch: EVAL_CHUNK });
    net.init(n.init, n.initRange, seed, 0);
    const init = net.params();
    let t0 = performance.now();
    net.evaluate(data.xTrain, data.yTrain, data.nTrain, EVAL_CHUNK);
    net.evaluate(data.xTest, data.yTest, data.nTest, EVAL_CHUNK);
    out.evaluate.push((performance.now() - t0) / 1000);
    const y = lossLabels(ds.yTrain, n.loss), L = n.layers.length - 1;
    const chainOf = (ternary: boolean) => {
      const scale = ternary ? ternaryScales(n.layers, a.ternaryScale) : Array.from({ length: L }, () => a.step);
      const spec1 = { layers: n.layers, bias: n.bias, loss: n.loss };
      const c = new AnnealChain(ctx.heap, spec1, ternary ? snapTernary(spec1, init, scale) : init, ds.xTrain, y, ds.nTrain, scale, ternary);
      c.init();
      return c;
    };
    const chain = chainOf(false);
    t0 = performance.now();
    const deltas = chain.probe(Math.min(2000, 4 * chain.P), seed, 2);
    out.probe.push((performance.now() - t0) / 1000);
    const T0 = calibrateTemperature(deltas, ANNEAL_DEFAULTS.chi0), Tend = calibrateTemperature(deltas, ANNEAL_DEFAULTS.chiEnd);
    out.proposal.push(timeProposals(chain, a, seed, T0, Tend, milliseconds));
    if (a.ternary) {
      const tc = chainOf(true);
      const td = tc.probe(Math.min(2000, 4 * tc.P), seed, 2);
      out.ternaryProposal.push(timeProposals(tc, a, seed, calibrateTemperature(td, ANNEAL_DEFAULTS.chi0), calibrateTemperature(td, ANNEAL_DEFAULTS.chiEnd), milliseconds / 2));
    } else {
      out.ternaryProposal.push(0);
    }
    ctx.heap.release(mark);
  }
  return { ...out, index: indexCost(ctx, nets, a, ds, seed) };
}

/** The index's constants, timed on the largest indexed architecture's real Hessian kernels. */
function indexCost(ctx: TaskContext, nets: AnnealCalibrateParams['nets'], a: AnnealTaskSettings, ds: Awaited<ReturnType<typeof dataset>>, seed: number): IndexCost {
  const n = nets.filter((q) => indexed(a, paramCount(q.layers, q.bias))).sort((x, y) => paramCount(y.layers, y.bias) - paramCount(x.layers, x.bias))[0];
  if (!n) return { hessian: 0, fixed: 0, ldlt: 0 };
  const mark = ctx.heap.mark();
  try {
    const net = new MlpNet(ctx.heap, n.layers, { bias: n.bias, loss: n.loss, maxBatch: EVAL_CHUNK });
    net.init(n.init, n.initRange, seed, 0);
    const w = net.params(), y = lossLabels(ds.yTrain, n.loss), P = paramCount(n.layers, n.bias);
    const timed = (S: number) => {
      const t0 = performance.now();
      const h = exactHessian(ctx.heap, { layers: n.layers, bias: n.bias, loss: n.loss }, w, ds.xTrain.subarray(0, S * n.layers[0]), y.subarray(0, S), S);
      return { h, seconds: (performance.now() - t0) / 1000 };
    };
    // Two subset sizes split the cost into its part ∝ S and the rest; a noisy pair (no rise) falls back to ∝ S.
    const S1 = Math.min(50, ds.nTrain), S2 = Math.min(100, ds.nTrain);
    const a1 = timed(S1), a2 = S2 > S1 ? timed(S2) : a1;
    const slope = S2 > S1 && a2.seconds > a1.seconds ? (a2.seconds - a1.seconds) / ((S2 - S1) * P * P) : a2.seconds / (S2 * P * P);
    const fixed = Math.max(0, a2.seconds - slope * S2 * P * P) / (P * P);
    const m = Math.min(P, 1000), lead = new Float64Array(m * m);
    for (let i = 0; i < m; i++) lead.set(a2.h.H.subarray(i * P, i * P + m), i * m);
    const t0 = performance.now();
    curvatureIndex(ctx.heap, lead, m, { taus: [], spectrum: false, inertia: true });
    return { hessian: slope, fixed, ldlt: (performance.now() - t0) / 1000 / m ** 3 };
  } finally {
    ctx.heap.release(mark);
  }
}

/**
 * Seconds of the exact index of one end point from the constants (measured here unloaded: about
 * 2.8e-10 s·S·P², as `landscape hessian` counts it, and 1.8e-10 s·P³ at P = 1100 and 2750).
 */
export const indexSeconds = (c: IndexCost, S: number, P: number) => (c.hessian * S + c.fixed) * P * P + c.ldlt * P ** 3;

type Todo = TaskInput<AnnealNetParams>[];

/** The annealing, evaluations and index of the tasks still to run, in worker-seconds, from the workers' calibrations. */
/** One worker's annealing seconds for each task of `todo`. */
export async function annealSeconds(todo: Todo, workers: number, run: (tasks: TaskInput<unknown>[]) => Promise<unknown[]>, milliseconds = 800): Promise<number[]> {
  const first = new Map<string, AnnealNetParams>();
  for (const t of todo) first.set(JSON.stringify(t.params.train.layers), first.get(JSON.stringify(t.params.train.layers)) ?? t.params);
  const archs = [...first.values()];
  const params: AnnealCalibrateParams = {
    data: archs[0].data, anneal: archs[0].anneal, seed: todo[0].seed, milliseconds,
    nets: archs.map((p) => ({ layers: p.train.layers, bias: p.train.bias, loss: p.train.loss, init: p.train.init, initRange: p.train.initRange })),
  };
  const cal = (await run(Array.from({ length: workers }, () => ({ kind: 'anneal-calibrate', seed: params.seed, stream: 0, params })))) as AnnealCalibration[];
  const perRun = new Map(archs.map((p, i) => [JSON.stringify(p.train.layers), secondsPerAnnealRun(p, cal.map((c) => ({ probe: c.probe[i], proposal: c.proposal[i], ternaryProposal: c.ternaryProposal[i], evaluate: c.evaluate[i], index: c.index })))]));
  return todo.map((t) => perRun.get(JSON.stringify(t.params.train.layers))!);
}

/**
 * One run's annealing seconds from each worker's timings of its architecture (their mean): probes
 * and evaluations per chain, proposals as the schedule counts them, and the index of every end point.
 */
export function secondsPerAnnealRun(p: AnnealNetParams, cal: { probe: number; proposal: number; ternaryProposal: number; evaluate: number; index: IndexCost }[]): number {
  const a = p.anneal, P = paramCount(p.train.layers, p.train.bias);
  const mean = (f: (c: (typeof cal)[number]) => number) => cal.reduce((x, c) => x + f(c), 0) / cal.length;
  const { stages, sweepsPerStage } = stagesOf(a.sweeps);
  const proposals = stages * Math.max(1, Math.round(sweepsPerStage * P));
  const chains = a.ternary ? 2 : 1;
  return chains * (mean((c) => c.probe) + mean((c) => c.evaluate)) + proposals * (mean((c) => c.proposal) + (a.ternary ? mean((c) => c.ternaryProposal) : 0))
    + (indexed(a, P) ? (1 + chains) * mean((c) => indexSeconds(c.index, p.data.trainSize, P)) : 0);
}
