// The worker task of `landscape audit`: train one net exactly as `landscape mlp` trains run r
// (same settings, same streams, so the same net), then audit it on the first S training images as
// the net sees them: the path expansion checked against the forward pass, A1p–A7p (SCIENCE.md §8;
// A7p from the weight norms recorded at every epoch of that training). One task, one line; no
// timings, so files are byte-identical across machines.
import type { TaskContext, TaskSpec } from '../pool/protocol.js';
import type { MlpRunParams } from '../mlp/experiment.js';
import { dataset, residentData } from '../mlp/task.js';
import { lossLabels, trainRun } from '../mlp/train.js';
import { predict, type MlpLoss } from '../mlp/reference.js';
import { pathSum, relativeError } from './expansion.js';
import { type AuditNet, withResident } from './resident.js';
import { a1p, a6u } from './activity.js';
import { a5u } from './dependence.js';
import { a2p } from './inputs.js';
import { a3p, type A3pStats } from './redundancy.js';
import { a4p, type A4pStats } from './uniformity.js';
import { a7p, layerMeanSquares, type A7pStats } from './norms.js';
import { surrogateStats, type SurrogateLine, type SurrogateOptions } from './surrogate.js';

/** What the audit measures on each net (the audit settings of the experiment). */
export interface AuditOptions {
  /** Training images audited (the first S of the seeded training subset; at most trainSize). */
  samples: number;
  /** A5u: quantile bins per input. */
  bins: number;
  /** A5u: permutations of the null. */
  repeats: number;
  /** A6u: paths sampled for the correlation spectrum. */
  paths: number;
  /** The decoupled surrogate (cross-entropy nets; starts = 0 or absent: not measured). */
  surrogate?: SurrogateOptions;
}

/** timeAudit: a pilot of the estimate (src/audit/estimate.ts); its line, never written, carries the seconds the statistics took. */
export type AuditNetParams = MlpRunParams & { audit: AuditOptions; timeAudit?: true };

/** Bins of the ρ_π histogram over [0, 1] (share of paths per bin; ρ = 1 in the last). */
export const RHO_BINS = 20;
/** Samples on which the path sum is checked against the forward pass (enumeration costs Ψ per sample). */
export const CHECK_SAMPLES = 64;
/**
 * The audit's Philox streams lie above every training stream (those are below 2^43, see
 * runStreams): A5u's permutations on 2^50 + init stream, A6u's path draws on 2^50 + shuffle stream.
 */
export const AUDIT_STREAM_BASE = 2 ** 50;

export interface AuditStats {
  /** Path-sum Y against the f64 forward pass on the first CHECK_SAMPLES samples: max|ΔY| / max|Y|. */
  expansionError: number;
  A1p: { mean: number; sd: number; q05: number; q50: number; q95: number; w1: number; ks: number; hist: number[] };
  A2p: { mean: number; sd: number; skewness: number; excessKurtosis: number; ksRaw: number; ksStandardised: number; constantCoordinates: number };
  A5u: { mi: number; miQ95: number; nullMean: number; excess: number; shareSignificant: number; miLabel: number; meanAbsCorr: number; corrQ05: number; corrQ95: number };
  A6u: { kept: number; top: number; mpUpper: number; topOverEdge: number; aboveEdge: number };
  A3p: A3pStats;
  A4p: A4pStats;
}

/** One result line of `landscape audit`. A diverged net (non-finite loss) carries no statistics. */
export interface AuditLine extends Partial<AuditStats> {
  hidden: number | number[];
  run: number;
  /** Weight layers. */
  H: number;
  trainLoss: number;
  testLoss: number;
  testError: number;
  /** Samples audited. */
  samples: number;
  /** The weight norms along training (absent for a given net: no history). */
  A7p?: A7pStats;
  diverged?: true;
  surrogate?: SurrogateLine;
  /** Only on an estimate's pilot (timeAudit): seconds of the statistics after training. */
  auditSeconds?: number;
}

function rhoHistogram(rho: ArrayLike<number>): number[] {
  const h = new Array<number>(RHO_BINS).fill(0);
  for (let i = 0; i < rho.length; i++) h[Math.min(RHO_BINS - 1, Math.floor(rho[i] * RHO_BINS))] += 1 / rho.length;
  return h;
}

/** Every estimator on one bias-free net and its samples (labels y as A5u takes them; A3p's per-sample losses take loss and lossY). */
export function auditStats(ctx: Pick<TaskContext, 'heap'>, net: AuditNet, X: Float32Array | Float64Array, y: Int32Array, S: number, o: AuditOptions, seed: number, streams: { a5u: number; a6u: number }, loss: MlpLoss, lossY: ArrayLike<number> = y): AuditStats {
  const d = net.layers[0], nCheck = Math.min(S, CHECK_SAMPLES);
  const Xc = X.subarray(0, nCheck * d);
  const forward = Float64Array.from(predict({ layers: net.layers, bias: false, loss: 'cross-entropy' }, net.params, Xc, nCheck).flat());
  const expansionError = relativeError(pathSum(ctx.heap, net, { X: Xc, S: nCheck }), forward);
  const inputs = a2p(X, S, d);
  const { one, dep, six } = withResident(ctx.heap, net, { X, S, y }, (r) => ({
    one: a1p(r),
    dep: a5u(r, { bins: o.bins, repeats: o.repeats, seed, stream: streams.a5u }),
    six: a6u(r, { paths: o.paths, seed, stream: streams.a6u }),
  }));
  return {
    expansionError,
    A1p: { mean: one.rho.mean, sd: one.rho.sd, q05: one.rho.q05, q50: one.rho.q50, q95: one.rho.q95, w1: one.distance.w1, ks: one.distance.ks, hist: rhoHistogram(one.rhoByUnit) },
    A2p: { ...inputs.pooled, ksRaw: inputs.ksRaw, ksStandardised: inputs.ksStandardised, constantCoordinates: inputs.constantCoordinates },
    A5u: {
      mi: dep.mi.mean, miQ95: dep.mi.q95, nullMean: dep.nullMean, excess: dep.excess, shareSignificant: dep.shareSignificant,
      miLabel: dep.miLabel?.mean ?? NaN, meanAbsCorr: dep.meanAbsCorr ?? NaN, corrQ05: dep.corr?.q05 ?? NaN, corrQ95: dep.corr?.q95 ?? NaN,
    },
    A6u: { kept: six.kept, top: six.top, mpUpper: six.mp.upper, topOverEdge: six.topOverEdge, aboveEdge: six.aboveEdge },
    A3p: a3p(net.layers, net.params, X, lossY, S, loss),
    A4p: a4p(net.layers, net.params),
  };
}

export async function auditNet(ctx: TaskContext, task: TaskSpec<AuditNetParams>): Promise<AuditLine> {
  const p = task.params;
  const data = await residentData(ctx, p.data, p.train.loss);
  const layers = p.train.layers, norms: number[][] = [];
  const r = trainRun(ctx.heap, data, p.train, task.seed, p.initStream, p.shuffleStream, (f) => ctx.progress(0.5 * f), true, (_e, w) => norms.push(layerMeanSquares(layers, w())));
  const t0 = performance.now();
  const ds = await dataset(p.data, p.train.loss);
  const S = Math.min(p.audit.samples, ds.nTrain);
  const base: AuditLine = { hidden: p.hidden, run: p.run, H: layers.length - 1, trainLoss: r.trainLoss, testLoss: r.testLoss, testError: r.testError, samples: S };
  if (!Number.isFinite(r.trainLoss) || !r.params!.every(Number.isFinite)) return { ...base, diverged: true };
  const X = ds.xTrain.subarray(0, S * layers[0]);
  const y = lossLabels(ds.yTrain.subarray(0, S), p.train.loss);
  const stats = auditStats(ctx, { layers, params: r.params! }, X, y, S, p.audit, task.seed, { a5u: AUDIT_STREAM_BASE + p.initStream, a6u: AUDIT_STREAM_BASE + p.shuffleStream }, p.train.loss);
  const so = p.audit.surrogate;
  // Its streams above the audit's: masks on 2^50 + 2^48 + init, starts (nets, then p-spin) on 2^50 + 2^49 + init, p-spin couplings on 2^50 + 2^49 + 2^48 + init.
  const surrogate = so && so.starts > 0 && p.train.loss === 'cross-entropy'
    ? surrogateStats(ctx.heap, { layers, params: r.params! }, X, y, S, stats.A1p.mean, so, task.seed, {
      masks: AUDIT_STREAM_BASE + 2 ** 48 + p.initStream, starts: AUDIT_STREAM_BASE + 2 ** 49 + p.initStream, couplings: AUDIT_STREAM_BASE + 2 ** 49 + 2 ** 48 + p.initStream,
    }, p.run === 0)
    : undefined;
  ctx.progress(1);
  return { ...base, ...stats, A7p: a7p(layers, norms), ...(surrogate ? { surrogate } : {}), ...(p.timeAudit ? { auditSeconds: (performance.now() - t0) / 1000 } : {}) };
}

export const auditTasks = { 'audit-net': auditNet };
