// One given net on one given data set: mean loss, error rate and the norm of the mean gradient,
// with the kernels and chunking of trainRun's final evaluation, so a net saved by --save-nets on
// the data export-mnist writes gives back the recorded losses bit for bit. Platform-neutral.
import type { Heap } from '../heap.js';
import { FolderError, type DataFolder, type NetFolder } from '../io/folders.js';
import { MlpNet } from './net.js';
import { EVAL_CHUNK } from './train.js';
import { labelsForLoss } from './data-folder.js';

export interface NetEvaluation {
  /** Parameter count of the net. */
  params: number;
  /** Mean loss per sample. */
  loss: number;
  /** Error rate: misclassified samples / samples. */
  error: number;
  /** ‖(1/S) Σ_i ∇ℓ_i‖₂ over all samples. */
  gradNorm: number;
  samples: number;
}

/** `files` name X.npy and y.npy in messages; a mismatch of data and net is a FolderError naming the file. */
export function evaluateNet(heap: Heap, net: NetFolder, data: DataFolder, files: { x: string; y: string }): NetEvaluation {
  const n0 = net.layers[0];
  if (data.d !== n0) throw new FolderError(files.x, `shape (${data.S}, ${data.d}), expected (S, ${n0}): the net takes ${n0} inputs`);
  if (data.S === 0) throw new FolderError(files.x, 'holds no rows; nothing to evaluate');
  const y = labelsForLoss(data.y, net.loss, net.layers.at(-1)!, files.y);
  const m = new MlpNet(heap, net.layers, { bias: net.bias, loss: net.loss, maxBatch: EVAL_CHUNK });
  m.setParams(net.params);
  const xPtr = heap.allocF32(data.S * n0, data.X, 'inputs');
  const yPtr = m.allocLabels(y);
  const { loss, errorRate } = m.evaluate(xPtr, yPtr, data.S, EVAL_CHUNK);
  // Chunk means weighted by chunk size, summed in f64: the mean gradient over all samples.
  const sum = new Float64Array(m.paramCount);
  for (let i = 0; i < data.S; i += EVAL_CHUNK) {
    const b = Math.min(EVAL_CHUNK, data.S - i);
    const g = m.gradient(xPtr + 4 * i * n0, yPtr + 4 * i, b);
    for (let k = 0; k < g.length; k++) sum[k] += b * g[k];
  }
  let ss = 0;
  for (let k = 0; k < sum.length; k++) ss += (sum[k] / data.S) ** 2;
  return { params: m.paramCount, loss, error: errorRate, gradNorm: Math.sqrt(ss), samples: data.S };
}
