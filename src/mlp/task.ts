// The pool tasks of the network lab: one training run, and the estimate's calibration on the same
// data. The prepared dataset is kept per worker (JS copy by data settings, wasm copy as the task
// context's resident entry), so a worker reads, downsamples and uploads MNIST once, then trains
// run after run on it.
import type { TaskContext, TaskSpec } from '../pool/protocol.js';
import { prepareDataset } from './data.js';
import { mlpLine, type DataSpec, type MlpRunParams, type MlpRunResult } from './experiment.js';
import { readDataSource, trainingDataOf } from './data-folder.js';
import { isBinaryLoss } from './reference.js';
import { MlpNet, type MlpLoss } from './net.js';
import { EVAL_CHUNK, learningRate, trainRun, uploadDataset, type ResidentData, type TrainSettings, type TrainingData } from './train.js';
import { bindKernels } from '../kernels.js';

let prepared: { key: string; dataset: Promise<TrainingData> } | undefined;

export function dataset(p: MlpRunParams['data'], loss: MlpLoss): Promise<TrainingData> {
  // Data folders carry labels for the loss (±1 or digits), so their copy is per loss too.
  const key = JSON.stringify(p) + (p.dir ? loss : '');
  if (prepared?.key !== key) {
    prepared = {
      key,
      dataset: p.dir
        ? readDataSource(p.dir).then((src) => trainingDataOf(src, p.trainSize, p.testSize, loss))
        : prepareDataset({ trainSize: p.trainSize, testSize: p.testSize, downsample: p.downsample, normalise: p.normalise, seed: p.seed, ...(p.mnistDir ? { source: { dir: p.mnistDir } } : {}) }),
    };
  }
  return prepared.dataset;
}

/** The resident dataset of a task (prepared and uploaded once per worker, shared by calibration and runs). */
export async function residentData(ctx: TaskContext, p: MlpRunParams['data'], loss: MlpLoss): Promise<ResidentData> {
  const ds = await dataset(p, loss);
  const labels = isBinaryLoss(loss) ? 'parity' : 'digits';
  return ctx.resident<ResidentData>(`mlp:${JSON.stringify(p)}:${labels}`, () => uploadDataset(ctx.heap, ds, loss));
}

export async function mlpRun(ctx: TaskContext, task: TaskSpec<MlpRunParams>): Promise<MlpRunResult> {
  const p = task.params;
  const data = await residentData(ctx, p.data, p.train.loss);
  const r = trainRun(ctx.heap, data, p.train, task.seed, p.initStream, p.shuffleStream, ctx.progress, p.save === true);
  const line = mlpLine(p.hidden, p.run, r);
  return r.params ? { ...line, params: r.params } : line;
}

/**
 * The estimate's calibration: the real workload on the real data, timed in a worker. `train` holds
 * one run's settings per architecture; each is timed for at most `milliseconds` of minibatches.
 */
export interface MlpCalibrateParams {
  data: DataSpec;
  train: TrainSettings[];
  seed: number;
  /** Most milliseconds of minibatch steps per architecture (then the epoch is extrapolated). */
  milliseconds: number;
}

/** Seconds of one worker: preparing and uploading the data, then per architecture an epoch and the final evaluation. */
export interface MlpCalibration { dataSeconds: number; epochSeconds: number[]; evalSeconds: number[] }

export async function mlpCalibrate(ctx: TaskContext, task: TaskSpec<MlpCalibrateParams>): Promise<MlpCalibration> {
  const { data: spec, train, seed, milliseconds } = task.params;
  const t0 = performance.now();
  const data = await residentData(ctx, spec, train[0].loss);
  const dataSeconds = (performance.now() - t0) / 1000;
  const epochSeconds: number[] = [], evalSeconds: number[] = [];
  for (const s of train) {
    const mark = ctx.heap.mark();
    const t = timeRun(ctx, data, s, seed, milliseconds);
    epochSeconds.push(t.epoch);
    evalSeconds.push(t.eval);
    ctx.heap.release(mark);
  }
  return { dataSeconds, epochSeconds, evalSeconds };
}

/** Shortest timed spans: epochs and evaluations of small sets are repeated until they last this long. */
const MIN_STEP_MS = 150, MIN_EVAL_MS = 60, WARM_MS = 40;

/**
 * trainRun's work for one architecture, timed: the epoch shuffle and gather, the minibatch steps
 * (at least one epoch's worth or MIN_STEP_MS, at most `milliseconds`, then extrapolated to an
 * epoch) and the evaluation over the training and test sets (likewise, a quarter of the budget): at most about 2 s in all.
 */
function timeRun(ctx: TaskContext, data: ResidentData, s: TrainSettings, seed: number, milliseconds: number): { epoch: number; eval: number } {
  const net = new MlpNet(ctx.heap, s.layers, { bias: s.bias, loss: s.loss, maxBatch: Math.max(s.batch, EVAL_CHUNK) });
  net.init(s.init, s.initRange, seed, 0);
  const { mlp_shuffle_u32: shuffle, mlp_gather_rows_f32: gather } = bindKernels(ctx.heap.wasm);
  const order = ctx.heap.u32(data.order, data.nTrain);
  for (let i = 0; i < data.nTrain; i++) order[i] = i;
  const rowBytes = 4 * data.d, steps = Math.floor(data.nTrain / s.batch);
  const lr = learningRate(s, 0);
  const step = (k: number) => { const b = (k % steps) * s.batch; net.step(data.xEpoch + b * rowBytes, data.yEpoch + 4 * b, s.batch, lr, s.momentum); };
  /** Seconds per call of `unit` over at least `count` calls or `minMs`, stopping after `maxMs`. */
  const perCall = (unit: (k: number) => void, count: number, minMs: number, maxMs: number) => {
    const t0 = performance.now();
    let k = 0, ms = 0;
    do { unit(k++); ms = performance.now() - t0; } while (ms < maxMs && (k < count || ms < minMs));
    return ms / 1000 / k;
  };
  const layout = (e: number) => {
    shuffle(data.order, data.nTrain, seed, 0, e * 2 ** 32);
    gather(data.xEpoch, data.yEpoch, data.xTrain, data.yTrain, data.order, data.nTrain, data.d);
  };
  // Untimed warm-up: the first calls run before V8 has tiered the kernels up.
  layout(0);
  perCall(step, 1, WARM_MS, WARM_MS);
  const layoutSeconds = perCall(layout, 1, 20, 200);
  const stepSeconds = steps ? perCall(step, steps, MIN_STEP_MS, milliseconds) : 0;
  // The final evaluation: every chunk of the training then the test set, as trainRun does.
  const chunks: [number, number, number][] = [];
  for (const [x, y, n] of [[data.xTrain, data.yTrain, data.nTrain], [data.xTest, data.yTest, data.nTest]]) {
    for (let i = 0; i < n; i += EVAL_CHUNK) chunks.push([x + i * rowBytes, y + 4 * i, Math.min(EVAL_CHUNK, n - i)]);
  }
  const evalChunk = (k: number) => { const [x, y, b] = chunks[k % chunks.length]; net.evaluate(x, y, b, EVAL_CHUNK); };
  evalChunk(0);
  // Chunks are all full but the last of each set: seconds per sample, times the samples.
  let calls = 0;
  const evalPerChunk = perCall((k) => { evalChunk(k); calls = k + 1; }, chunks.length, MIN_EVAL_MS, milliseconds / 4);
  let samples = 0, timedSamples = 0;
  for (const c of chunks) samples += c[2];
  for (let k = 0; k < calls; k++) timedSamples += chunks[k % chunks.length][2];
  return { epoch: layoutSeconds + steps * stepSeconds, eval: (evalPerChunk * calls * samples) / timedSamples };
}

export const mlpTasks = { 'mlp-run': mlpRun, 'mlp-calibrate': mlpCalibrate };
