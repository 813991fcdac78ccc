// The network-lab experiment of [P2] §5 (Fig. 3 right, Table 1, supplement Figs. 7-10): many nets
// per architecture from random starts, each an independent pool task fixed by (seed, width, run).
// Platform-neutral: settings, profiles, the task list and the summary; the CLI and page call it.
import type { TaskInput } from '../pool/protocol.js';
import type { MlpLoss } from './net.js';
import { isBinaryLoss } from './reference.js';
import type { NormaliseMode } from './data.js';
import type { TrainSettings } from './train.js';
import { bootstrapCorrelation, bootstrapVariance, fitExpPower, lossStats, type CorrelationCI, type LossStats } from './stats.js';
import { tMeanCI, type MeanCI } from '../anneal/stats.js';
import { correlationTrend, varianceTrend, type TrendTest } from '../stats/trend.js';

/** The sweep: every training setting but the widths, then the architectures, runs and data. */
export interface MlpSettings extends Omit<TrainSettings, 'layers'> {
  /** One hidden width per architecture [d, h, out]; ignored when `layers` is set. */
  hidden: number[];
  /** A deeper net, all widths (input first, output last); null for the one-hidden-layer sweep. */
  layers: number[] | null;
  runs: number;
  trainSize: number;
  testSize: number;
  downsample: number;
  normalise: NormaliseMode;
  seed: number;
  /** Save the trained params of runs 0..saveNets−1 of each width as net folders (optional setting). */
  saveNets?: number;
  /** A folder of train/ and test/ data folders (or one data folder for both) instead of MNIST (optional setting). */
  data?: string;
}

/** The JSONL line of one finished run: no timings, so files are byte-identical across machines. */
export interface MlpRecord {
  /** The hidden width (one hidden layer), or all hidden widths of a deeper net. */
  hidden: number | number[];
  run: number;
  trainLoss: number;
  testLoss: number;
  trainError: number;
  testError: number;
  epochs: number;
}

/**
 * The line of a diverged run (a loss that is not finite, FORMATS.md "Loss values in summaries"):
 * losses and errors null, never 0, and `diverged: true` last, so finished lines keep their bytes.
 */
export interface MlpDivergedRecord {
  hidden: number | number[];
  run: number;
  trainLoss: null;
  testLoss: null;
  trainError: null;
  testError: null;
  epochs: number;
  diverged: true;
}

/** A line of mlp.jsonl: a finished run or a diverged one. */
export type MlpLine = MlpRecord | MlpDivergedRecord;

/** A line read back may lack the flag but hold null (non-finite) losses: diverged all the same. */
export const isDiverged = (l: MlpLine): l is MlpDivergedRecord =>
  (l as { diverged?: boolean }).diverged === true || !Number.isFinite(l.trainLoss) || !Number.isFinite(l.testLoss);

/** The finished runs of a result file: what statistics, figures and the report use. */
export const finishedRuns = (lines: MlpLine[]): MlpRecord[] => lines.filter((l): l is MlpRecord => !isDiverged(l));

/** The line of a run from its evaluation: a non-finite loss marks the run diverged. */
export function mlpLine(hidden: number | number[], run: number, r: { trainLoss: number; testLoss: number; trainError: number; testError: number; epochs: number }): MlpLine {
  if (Number.isFinite(r.trainLoss) && Number.isFinite(r.testLoss)) {
    return { hidden, run, trainLoss: r.trainLoss, testLoss: r.testLoss, trainError: r.trainError, testError: r.testError, epochs: r.epochs };
  }
  return { hidden, run, trainLoss: null, testLoss: null, trainError: null, testError: null, epochs: r.epochs, diverged: true };
}

/** One width's statistics, over its finished (not diverged) runs only. */
export interface MlpGroupSummary {
  hidden: number | number[];
  /** Parameter count of the architecture. */
  params: number;
  /** Nets of this width in the results, diverged ones included. */
  runs: number;
  test: LossStats;
  train: LossStats;
  meanTestError: number;
  meanTrainError: number;
  /** Across runs, train loss against test loss ([P2] Table 1), with a 95% percentile bootstrap CI. */
  pearson: CorrelationCI;
  spearman: CorrelationCI;
  /** Mean test loss with a 95% Student-t CI over the nets. */
  testMean: MeanCI;
  /** Variance of the test loss across nets with a 95% percentile-bootstrap CI. */
  testVariance: CorrelationCI;
  /** Nets of `runs` whose loss was not finite: excluded from every statistic above. */
  diverged: number;
}

/** A width every net of which diverged: no statistic (null), only the counts. */
export type MlpDivergedGroup = { [K in keyof MlpGroupSummary]: K extends 'hidden' | 'params' | 'runs' | 'diverged' ? MlpGroupSummary[K] : null };

/** The summary as mlp-summary.json records it. */
export interface MlpRunSummary {
  settings: MlpSettings;
  groups: (MlpGroupSummary | MlpDivergedGroup)[];
  /** ln E[test loss] = c + α·n1^β over the hidden widths with finished runs ([P2]'s histogram scaling); null with < 3 such widths. */
  fit: { alpha: number; beta: number; c: number; rss: number } | null;
  /**
   * Across the one-hidden-layer widths with ≥ 4 finished nets (≥ 3 widths): [P2] Table 1's Pearson r
   * against width and the test-loss variance against width, each with a permutation test of the
   * rank correlation (runs permuted across widths) and a slope with its CI (src/stats/trend.ts).
   */
  trends: { pearson: TrendTest | null; variance: TrendTest | null };
}

/** The summary split for the figures and the report: widths with statistics, and widths without. */
export interface MlpSummary extends Omit<MlpRunSummary, 'groups'> {
  /** Widths with at least one finished run. */
  groups: MlpGroupSummary[];
  /** Widths every net of which diverged: in no statistic, table row or figure. */
  lost: MlpDivergedGroup[];
}

export const hasStats = (g: MlpGroupSummary | MlpDivergedGroup): g is MlpGroupSummary => g.test !== null;

export function finishedView(summary: MlpRunSummary): MlpSummary {
  return { ...summary, groups: summary.groups.filter(hasStats), lost: summary.groups.filter((g): g is MlpDivergedGroup => !hasStats(g)) };
}

/**
 * Defaults for every profile; each profile overrides a few. The paper is silent on the loss, the
 * batch, the learning rate and its schedule, the init range and the downsampling: these are our
 * choices (README, "Network lab"), picked so that every width trains reliably from the cube init.
 */
export const MLP_DEFAULTS: MlpSettings = {
  hidden: [25, 50, 100, 250, 500], layers: null, runs: 1000, epochs: 200, batch: 10, lr: 0.1,
  decay: 'inv', decayRate: 0.05, decayStep: 50, momentum: 0, init: 'uniform', initRange: 0.2,
  loss: 'cross-entropy', bias: false, trainSize: 60000, testSize: 10000, downsample: 10, normalise: 'none', seed: 1,
};

export const MLP_PROFILES = {
  /** About half a minute on 2 cores: a 2000-image training subset, small enough to overfit, so the effects show. */
  quick: { hidden: [25, 50, 100, 250, 500], runs: 60, epochs: 40, trainSize: 2000, testSize: 10000 },
  /** About a quarter of an hour on 2 cores. */
  standard: { hidden: [25, 50, 100, 250, 500], runs: 200, epochs: 60, trainSize: 10000, testSize: 10000 },
  /**
   * [P2]'s regime (the whole training set, 200 epochs, [P2]'s widths) with 72 nets per width, about
   * 2.3 h on 2 cores. 72 is the smallest count with 95% power for the two-sided 5% trend test of
   * Table 1 (WLS slope of atanh r on log2 width, sd 1/√(n − 3) per width) if the true fall is
   * [P2]'s own: slope −0.125 per doubling, Σ(x − x̄)² = 12.1, so (n − 3)·12.1 ≥ (3.60/0.125)².
   * Parting every pair of neighbouring widths' CIs needs 608–1538 nets (src/mlp/power.ts on [P2]'s
   * values): more than [P2]'s own 1000 for n1 = 100 against 250.
   */
  workstation: { hidden: [25, 50, 100, 250, 500], runs: 72, epochs: 200, trainSize: 60000, testSize: 10000 },
  /** [P2] §5: 1000 nets per width, 200 epochs, the whole training set. */
  paper: { hidden: [25, 50, 100, 250, 500], runs: 1000, epochs: 200, trainSize: 60000, testSize: 10000 },
} satisfies Record<string, Partial<MlpSettings>>;
export type MlpProfile = keyof typeof MLP_PROFILES;

export const classesOf = (loss: MlpLoss) => (isBinaryLoss(loss) ? 1 : 10);

/** The architectures of the sweep, widths input-first (a fresh list: compute it once per use). */
export function architectures(s: MlpSettings): number[][] {
  if (s.layers) return [s.layers];
  const d = s.downsample * s.downsample;
  return s.hidden.map((h) => [d, h, classesOf(s.loss)]);
}

export const hiddenOf = (layers: number[]): number | number[] => (layers.length === 3 ? layers[1] : layers.slice(1, -1));

/**
 * The one name of an architecture's hidden widths, for keys and folder names: the width, or a
 * deeper net's widths joined by x (25, 6x5). One hidden layer is always a number (hiddenOf), so
 * the names of the architectures of one sweep are distinct.
 */
export const hiddenKey = (hidden: number | number[]): string => (Array.isArray(hidden) ? hidden.join('x') : String(hidden));

/** FNV-1a of the widths, folded to 20 bits: the stream key of a deeper net. */
function archKey(layers: number[]): number {
  if (layers.length === 3) return layers[1]; // one hidden layer: its width (≤ 2^20)
  let h = 0x811c9dc5;
  for (const c of layers.join(',')) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  return 2 ** 20 + (h & 0xfffff);
}

/**
 * Philox streams of run r of an architecture: weights from 2·key + 0, epoch orders from 2·key + 1,
 * key = archKey·2^21 + r. They depend only on (architecture, run), so a run is the same whatever
 * else is in the sweep, on any worker, in any shard.
 */
export function runStreams(layers: number[], run: number): { init: number; shuffle: number } {
  const key = archKey(layers) * 2 ** 21 + run;
  return { init: 2 * key, shuffle: 2 * key + 1 };
}

export const MAX_RUNS = 2 ** 21;

/** The data of a run: an MNIST subset, or (`dir`) the first trainSize/testSize rows of given data folders. */
export interface DataSpec { trainSize: number; testSize: number; downsample: number; normalise: NormaliseMode; seed: number; mnistDir?: string; dir?: string }
export interface MlpRunParams {
  train: TrainSettings; data: DataSpec; run: number; hidden: number | number[]; initStream: number; shuffleStream: number;
  /** Return the trained params with the record (--save-nets). */
  save?: true;
}

/** A task's result: the line, plus the trained params when the task was asked to save them. */
export type MlpRunResult = MlpLine & { params?: Float32Array };

export const mlpTaskKey = (hidden: number | number[], run: number) => `${hiddenKey(hidden)}/${run}`;

export function mlpTaskList(s: MlpSettings, mnistDir?: string): TaskInput<MlpRunParams>[] {
  const data: DataSpec = {
    trainSize: s.trainSize, testSize: s.testSize, downsample: s.downsample, normalise: s.normalise, seed: s.seed,
    ...(s.data ? { dir: s.data } : mnistDir ? { mnistDir } : {}),
  };
  return architectures(s).flatMap((layers) => Array.from({ length: s.runs }, (_, run) => {
    const { init, shuffle } = runStreams(layers, run);
    const train: TrainSettings = {
      layers, bias: s.bias, loss: s.loss, init: s.init, initRange: s.initRange, epochs: s.epochs, batch: s.batch,
      lr: s.lr, decay: s.decay, decayRate: s.decayRate, decayStep: s.decayStep, momentum: s.momentum,
    };
    const save = run < (s.saveNets ?? 0) ? { save: true as const } : {};
    return { kind: 'mlp-run', seed: s.seed, stream: init, params: { train, data, run, hidden: hiddenOf(layers), initStream: init, shuffleStream: shuffle, ...save } };
  }));
}

/** Floating-point operations of one training sample: forward 2·Σ n_l·n_{l−1}, the weight
 *  gradients as much again, and the back-propagated δ for every layer but the first. */
export function flopsPerSample(layers: number[]): number {
  let f = 0;
  for (let l = 1; l < layers.length; l++) f += (l === 1 ? 4 : 6) * layers[l] * layers[l - 1];
  return f;
}

/** Bytes of wasm memory one worker needs: the resident dataset, then a net with its workspace. */
export function mlpMemoryBytes(s: MlpSettings, archs = architectures(s)): number {
  const d = s.downsample * s.downsample;
  const data = 4 * (2 * s.trainSize * (d + 1) + s.trainSize + s.testSize * (d + 1));
  const widest = Math.max(...archs.map((a) => a.reduce((m, w, i) => (i ? m + w * a[i - 1] : m), 0)));
  const maxWidth = Math.max(...archs.flat());
  const batch = Math.max(s.batch, 256);
  return data + 12 * widest + 4 * batch * maxWidth * 8 + (1 << 20);
}

const mean = (xs: number[]) => xs.reduce((a, x) => a + x, 0) / xs.length;

/**
 * Per width: the statistics of the finished runs; diverged runs (FORMATS.md) are counted and
 * left out of every statistic, and a width with no finished run has null statistics.
 */
export function summarizeMlp(s: MlpSettings, lines: MlpLine[]): MlpRunSummary {
  const byKey = new Map<string, MlpLine[]>();
  for (const l of lines) {
    const k = hiddenKey(l.hidden);
    if (!byKey.has(k)) byKey.set(k, []);
    byKey.get(k)!.push(l);
  }
  const groups: (MlpGroupSummary | MlpDivergedGroup)[] = [];
  for (const layers of architectures(s)) {
    const hidden = hiddenOf(layers);
    const all = byKey.get(hiddenKey(hidden)) ?? [];
    if (!all.length) continue;
    const rs = finishedRuns(all);
    const params = layers.reduce((m, w, i) => (i ? m + w * layers[i - 1] + (s.bias ? w : 0) : m), 0);
    const diverged = all.length - rs.length;
    if (!rs.length) {
      groups.push({ hidden, params, runs: all.length, test: null, train: null, meanTestError: null, meanTrainError: null, pearson: null, spearman: null, testMean: null, testVariance: null, diverged });
      continue;
    }
    const train = rs.map((r) => r.trainLoss), test = rs.map((r) => r.testLoss);
    const enough = rs.length >= 3;
    const none: CorrelationCI = { value: NaN, lo: NaN, hi: NaN };
    groups.push({
      hidden,
      params,
      runs: all.length,
      test: lossStats(test),
      train: lossStats(train),
      meanTestError: mean(rs.map((r) => r.testError)),
      meanTrainError: mean(rs.map((r) => r.trainError)),
      pearson: enough ? bootstrapCorrelation(train, test, 'pearson', s.seed) : none,
      spearman: enough ? bootstrapCorrelation(train, test, 'spearman', s.seed) : none,
      testMean: tMeanCI(test),
      testVariance: rs.length >= 2 ? bootstrapVariance(test, s.seed) : none,
      diverged,
    });
  }
  const sweep = groups.filter(hasStats).filter((g) => typeof g.hidden === 'number');
  const fit = sweep.length >= 3 ? fitExpPower(sweep.map((g) => g.hidden as number), sweep.map((g) => g.test.mean)) : null;
  const widths = sweep.map((g) => ({ size: g.hidden as number, rs: finishedRuns(byKey.get(hiddenKey(g.hidden)) ?? []) }));
  const trends = {
    pearson: correlationTrend(widths.map((w) => ({ size: w.size, x: w.rs.map((r) => r.trainLoss), y: w.rs.map((r) => r.testLoss) })), s.seed),
    variance: varianceTrend(widths.map((w) => ({ size: w.size, values: w.rs.map((r) => r.testLoss) })), s.seed),
  };
  return { settings: s, groups, fit, trends };
}

/** Nets in the summary, and how many of them diverged. */
export function divergedCount(summary: Pick<MlpRunSummary, 'groups'>): { diverged: number; runs: number } {
  return summary.groups.reduce((c, g) => ({ diverged: c.diverged + g.diverged, runs: c.runs + g.runs }), { diverged: 0, runs: 0 });
}
