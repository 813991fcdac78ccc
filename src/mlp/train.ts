// One training run of the network lab, inside a worker: the dataset sits in wasm memory (uploaded
// once per worker), each epoch is shuffled and laid out contiguously by two wasm kernels, and every
// minibatch is one fused forward/backward/update call. Nothing here loops over samples in JS.
import type { Heap } from '../heap.js';
import { bindKernels } from '../kernels.js';
import { MlpNet, parityLabels, type MlpInit, type MlpLoss } from './net.js';
import { isBinaryLoss } from './reference.js';
import type { Dataset } from './data.js';

export const DECAYS = ['none', 'step', 'inv', 'exp'] as const;
export type Decay = (typeof DECAYS)[number];

export interface TrainSettings {
  /** Widths n_0 (inputs), hidden…, n_H (outputs). */
  layers: number[];
  bias: boolean;
  loss: MlpLoss;
  init: MlpInit;
  initRange: number;
  epochs: number;
  batch: number;
  lr: number;
  decay: Decay;
  /** γ of step/exp, k of inv. */
  decayRate: number;
  /** Epochs per step of the step schedule. */
  decayStep: number;
  momentum: number;
}

/**
 * The learning rate of epoch t (0-based):
 *   none lr;  step lr·γ^⌊t/s⌋;  inv lr/(1 + k·t);  exp lr·γ^t.
 */
export function learningRate(s: Pick<TrainSettings, 'lr' | 'decay' | 'decayRate' | 'decayStep'>, epoch: number): number {
  switch (s.decay) {
    case 'none': return s.lr;
    case 'step': return s.lr * s.decayRate ** Math.floor(epoch / s.decayStep);
    case 'inv': return s.lr / (1 + s.decayRate * epoch);
    case 'exp': return s.lr * s.decayRate ** epoch;
  }
}

/** The dataset in wasm memory: the training rows, a second buffer for each epoch's order, and the test rows. */
export interface ResidentData {
  d: number;
  nTrain: number;
  nTest: number;
  xTrain: number;
  yTrain: number;
  xEpoch: number;
  yEpoch: number;
  order: number;
  xTest: number;
  yTest: number;
}

/** Labels for the loss: digits 0..9, or ±1 parity (even +1, odd −1) for the binary losses. */
export function lossLabels(digits: Uint8Array, loss: MlpLoss): Int32Array {
  return isBinaryLoss(loss) ? parityLabels(digits) : Int32Array.from(digits);
}

/** What training needs of a dataset: rows of d f32 inputs and digit labels (MNIST's, or a data folder's). */
export type TrainingData = Pick<Dataset, 'xTrain' | 'yTrain' | 'xTest' | 'yTest' | 'nTrain' | 'nTest' | 'd'>;

/** Copies a prepared dataset into the heap (call inside TaskContext.resident). */
export function uploadDataset(heap: Heap, ds: TrainingData, loss: MlpLoss): ResidentData {
  const { d, nTrain, nTest } = ds;
  const need = 4 * (2 * nTrain * (d + 1) + nTrain + nTest * (d + 1)) + 64;
  if (!heap.fits(need)) heap.alloc(need, `MNIST ${nTrain} + ${nTest} rows of ${d}`); // throws MemoryLimitError with the size
  const i32 = (y: Int32Array) => {
    const p = heap.alloc(4 * Math.max(1, y.length), 'labels');
    new Int32Array(heap.memory.buffer, p, y.length).set(y);
    return p;
  };
  return {
    d, nTrain, nTest,
    xTrain: heap.allocF32(Math.max(1, nTrain * d), ds.xTrain, 'training inputs'),
    yTrain: i32(lossLabels(ds.yTrain, loss)),
    xEpoch: heap.allocF32(Math.max(1, nTrain * d), undefined, 'epoch inputs'),
    yEpoch: heap.alloc(4 * Math.max(1, nTrain), 'epoch labels'),
    order: heap.alloc(4 * Math.max(1, nTrain), 'epoch order'),
    xTest: heap.allocF32(Math.max(1, nTest * d), ds.xTest, 'test inputs'),
    yTest: i32(lossLabels(ds.yTest, loss)),
  };
}

export interface RunResult {
  trainLoss: number;
  testLoss: number;
  trainError: number;
  testError: number;
  epochs: number;
  /** The trained parameters (MlpNet's layout), when trainRun was asked for them. */
  params?: Float32Array;
}

/** Largest evaluation chunk: the net's workspace is sized for max(batch, this). */
export const EVAL_CHUNK = 256;

/** Called after init (epoch 0) and after each epoch e (1..E); params() copies the current weights out. */
export type EpochHook = (epoch: number, params: () => Float32Array) => void;

/**
 * Trains one net from (seed, initStream) with epoch orders from (seed, shuffleStream), then
 * evaluates the mean loss and error rate on the whole training and test sets (f64 sums).
 * onEpoch only reads the weights, so the run is the same with or without it.
 */
export function trainRun(heap: Heap, data: ResidentData, s: TrainSettings, seed: number, initStream: number, shuffleStream: number, progress: (f: number) => void = () => {}, keepParams = false, onEpoch?: EpochHook): RunResult {
  if (s.layers[0] !== data.d) throw new RangeError(`trainRun: the net takes ${s.layers[0]} inputs but the data have ${data.d}`);
  const net = new MlpNet(heap, s.layers, { bias: s.bias, loss: s.loss, maxBatch: Math.max(s.batch, EVAL_CHUNK) });
  net.init(s.init, s.initRange, seed, initStream);
  onEpoch?.(0, () => net.params());
  const { mlp_shuffle_u32: shuffle, mlp_gather_rows_f32: gather } = bindKernels(heap.wasm);
  const order = heap.u32(data.order, data.nTrain);
  for (let i = 0; i < data.nTrain; i++) order[i] = i;
  const rowBytes = 4 * data.d;
  for (let epoch = 0; epoch < s.epochs; epoch++) {
    // Each epoch reshuffles the previous order with its own words of the run's stream, so the
    // order of epoch e is fixed by (seed, stream, e). The last incomplete minibatch is skipped.
    shuffle(data.order, data.nTrain, seed, shuffleStream, epoch * 2 ** 32);
    gather(data.xEpoch, data.yEpoch, data.xTrain, data.yTrain, data.order, data.nTrain, data.d);
    const lr = learningRate(s, epoch);
    for (let b = 0; b + s.batch <= data.nTrain; b += s.batch) {
      net.step(data.xEpoch + b * rowBytes, data.yEpoch + 4 * b, s.batch, lr, s.momentum);
    }
    onEpoch?.(epoch + 1, () => net.params());
    progress((epoch + 1) / s.epochs);
  }
  const train = net.evaluate(data.xTrain, data.yTrain, data.nTrain, EVAL_CHUNK);
  const test = net.evaluate(data.xTest, data.yTest, data.nTest, EVAL_CHUNK);
  return { trainLoss: train.loss, testLoss: test.loss, trainError: train.errorRate, testError: test.errorRate, epochs: s.epochs, ...(keepParams ? { params: net.params() } : {}) };
}
