// The pool task of the network lab: one training run. The prepared dataset is kept per worker (JS
// copy by data settings, wasm copy as the task context's resident entry), so a worker reads,
// downsamples and uploads MNIST once, then trains run after run on it.
import type { TaskContext, TaskSpec } from '../pool/protocol.js';
import { prepareDataset } from './data.js';
import type { MlpRunParams, MlpRunResult } from './experiment.js';
import { readDataSource, trainingDataOf } from './data-folder.js';
import { isBinaryLoss } from './reference.js';
import { MlpNet, type MlpLoss } from './net.js';
import { trainRun, uploadDataset, type ResidentData, type TrainingData } from './train.js';

let prepared: { key: string; dataset: Promise<TrainingData> } | undefined;

function dataset(p: MlpRunParams['data'], loss: MlpLoss): Promise<TrainingData> {
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

export async function mlpRun(ctx: TaskContext, task: TaskSpec<MlpRunParams>): Promise<MlpRunResult> {
  const p = task.params;
  const ds = await dataset(p.data, p.train.loss);
  const labels = isBinaryLoss(p.train.loss) ? 'parity' : 'digits';
  const data = ctx.resident<ResidentData>(`mlp:${JSON.stringify(p.data)}:${labels}`, () => uploadDataset(ctx.heap, ds, p.train.loss));
  const r = trainRun(ctx.heap, data, p.train, task.seed, p.initStream, p.shuffleStream, ctx.progress, p.save === true);
  const record = { hidden: p.hidden, run: p.run, trainLoss: r.trainLoss, testLoss: r.testLoss, trainError: r.trainError, testError: r.testError, epochs: r.epochs };
  return r.params ? { ...record, params: r.params } : record;
}

/** Training samples per second of one worker on each architecture: the estimate's calibration. */
export interface MlpCalibrateParams { layers: number[][]; bias: boolean; loss: MlpLoss; batch: number; milliseconds: number }

export function mlpCalibrate(ctx: TaskContext, task: TaskSpec<MlpCalibrateParams>): number[] {
  const { layers, bias, loss, batch, milliseconds } = task.params;
  return layers.map((widths) => {
    ctx.heap.reset();
    const net = new MlpNet(ctx.heap, widths, { bias, loss, maxBatch: batch });
    net.init('uniform', 0.1, 0, 0);
    const x = net.allocInputs(new Float32Array(batch * widths[0]).fill(0.5));
    const y = net.allocLabels(Array.from({ length: batch }, (_, i) => (isBinaryLoss(loss) ? (i % 2 ? 1 : -1) : i % widths.at(-1)!)));
    let steps = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < milliseconds) { net.step(x, y, batch, 0.01); steps++; }
    return (steps * batch) / ((performance.now() - t0) / 1000);
  });
}

export const mlpTasks = { 'mlp-run': mlpRun, 'mlp-calibrate': mlpCalibrate };
