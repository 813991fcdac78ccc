// A ReLU MLP resident in wasm memory, trained by the fused kernels of assembly/mlp.ts. Params,
// velocity, gradient and workspace are allocated once; data stay in wasm memory and calls carry
// addresses (x: batch × n_0 f32 row-major, y: batch i32 labels, see allocLabels).
import { type Heap, MemoryLimitError, WASM32_LIMIT_BYTES } from '../heap.js';
import { bindKernels, type Kernels } from '../kernels.js';
import { checkSeed } from '../rng.js';
import { MAX_WEIGHT_LAYERS, type MlpLoss, MLP_LOSSES, isBinaryLoss, lossCode, paramCount } from './reference.js';

export { MLP_LOSSES, type MlpLoss } from './reference.js';

/** 'uniform': the cube [−a, a] ([P2] §5); 'glorot': Glorot uniform × a; 'he': He normal × a. */
export const MLP_INITS = ['uniform', 'glorot', 'he'] as const;
export type MlpInit = (typeof MLP_INITS)[number];

export interface MlpOptions {
  /** Biases on every layer; default true ([P2]'s theory has none: pass false). */
  bias?: boolean;
  /** Default 'cross-entropy'; the binary losses need one output and labels ±1. */
  loss?: MlpLoss;
  /** Largest minibatch (and evaluation chunk) the workspace is sized for; default 256. */
  maxBatch?: number;
}

export interface Evaluation {
  /** Mean loss per sample. */
  loss: number;
  /** Misclassified samples (argmax ≠ label, or y·f ≤ 0 for the binary losses). */
  errors: number;
  errorRate: number;
}

/** ±1 labels for the binary losses from digits: even → +1, odd → −1. */
export function parityLabels(digits: ArrayLike<number>): Int32Array {
  return Int32Array.from(digits, (d) => (d % 2 === 0 ? 1 : -1));
}

function checkInt(what: string, v: number, min: number, max = 0x7fffffff): void {
  if (!Number.isInteger(v) || v < min || v > max) throw new RangeError(`MlpNet: ${what} must be an integer in [${min}, ${max}], got ${v}`);
}

function checkPtr(what: string, v: number): void {
  if (!Number.isInteger(v) || v <= 0 || v > 0xffffffff) throw new RangeError(`MlpNet: ${what} must be a wasm byte address, got ${v}`);
}

export class MlpNet {
  readonly layers: readonly number[];
  /** Weight layers L. */
  readonly depth: number;
  readonly bias: boolean;
  readonly loss: MlpLoss;
  readonly maxBatch: number;
  readonly paramCount: number;
  readonly paramsPtr: number;
  readonly velPtr: number;
  readonly gradPtr: number;
  readonly layersPtr: number;
  readonly workPtr: number;
  private readonly code: number;
  private readonly k: Kernels;
  private readonly outPtr: number;

  constructor(readonly heap: Heap, layers: readonly number[], opts: MlpOptions = {}) {
    const { bias = true, loss = 'cross-entropy', maxBatch = 256 } = opts;
    if (!Array.isArray(layers) || layers.length < 2 || layers.length > MAX_WEIGHT_LAYERS + 1) {
      throw new RangeError(`MlpNet: layers must list 2 to ${MAX_WEIGHT_LAYERS + 1} widths (input, hidden…, output), got ${JSON.stringify(layers)}`);
    }
    layers.forEach((n, l) => checkInt(`width ${l}`, n, 1));
    if (!MLP_LOSSES.includes(loss)) throw new RangeError(`MlpNet: unknown loss ${loss}; one of ${MLP_LOSSES.join(', ')}`);
    const out = layers.at(-1)!;
    if (isBinaryLoss(loss) && out !== 1) throw new RangeError(`MlpNet: the ${loss} loss needs 1 output, got ${out}`);
    if (!isBinaryLoss(loss) && out < 2) throw new RangeError(`MlpNet: the ${loss} loss needs at least 2 outputs (classes), got ${out}`);
    checkInt('maxBatch', maxBatch, 1);
    this.layers = [...layers];
    this.depth = layers.length - 1;
    this.bias = bias;
    this.loss = loss;
    this.code = lossCode(loss);
    this.maxBatch = maxBatch;
    this.paramCount = paramCount(layers, bias);
    const what = `MlpNet [${layers.join(', ')}]${bias ? ' with biases' : ''}, batch ${maxBatch}`;
    // Layer products index with i32 in the GEMM, and params, velocity and gradient must fit.
    for (let l = 1; l < layers.length; l++) {
      if (layers[l] * layers[l - 1] > 0x7fffffff || layers[l] * maxBatch > 0x7fffffff) throw new MemoryLimitError(4 * layers[l] * Math.max(layers[l - 1], maxBatch), what);
    }
    if (12 * this.paramCount > WASM32_LIMIT_BYTES) throw new MemoryLimitError(12 * this.paramCount, what);

    this.k = bindKernels(heap.wasm);
    const mark = heap.mark();
    this.layersPtr = heap.alloc(4 * layers.length, `${what}: widths`);
    new Int32Array(heap.memory.buffer, this.layersPtr, layers.length).set(layers);
    const workBytes = this.k.mlp_work_bytes(this.layersPtr, this.depth, maxBatch);
    const total = 12 * this.paramCount + workBytes + 4 * 16 + 8;
    if (!heap.fits(total)) {
      heap.release(mark);
      throw new MemoryLimitError(heap.used + total, what);
    }
    this.paramsPtr = heap.allocF32(this.paramCount, undefined, `${what}: params`);
    this.velPtr = heap.allocF32(this.paramCount, undefined, `${what}: velocity`);
    this.gradPtr = heap.allocF32(this.paramCount, undefined, `${what}: gradient`);
    this.workPtr = heap.alloc(workBytes, `${what}: workspace`);
    this.outPtr = heap.alloc(8, `${what}: error count`);
    heap.f32(this.paramsPtr, this.paramCount).fill(0);
    heap.f32(this.velPtr, this.paramCount).fill(0);
  }

  /**
   * Draws the weights in wasm (Philox stream (seed, stream): the same bytes on every platform)
   * and zeroes biases and velocity. `a`: the half-width for 'uniform', the gain for 'glorot'/'he'.
   */
  init(scheme: MlpInit, a: number, seed: number, stream: number): void {
    const s = MLP_INITS.indexOf(scheme);
    if (s < 0) throw new RangeError(`MlpNet: unknown init ${scheme}; one of ${MLP_INITS.join(', ')}`);
    if (!Number.isFinite(a) || a < 0) throw new RangeError(`MlpNet: init scale a must be finite and ≥ 0, got ${a}`);
    checkSeed('MlpNet: seed', seed);
    checkSeed('MlpNet: stream', stream);
    this.k.mlp_init_f32(this.paramsPtr, this.layersPtr, this.depth, this.bias ? 1 : 0, s, a, seed, stream);
    this.resetVelocity();
  }

  resetVelocity(): void {
    this.heap.f32(this.velPtr, this.paramCount).fill(0);
  }

  /** One SGD(+momentum) step on the minibatch at xPtr/yPtr; returns its mean loss before the step. */
  step(xPtr: number, yPtr: number, batch: number, lr: number, momentum = 0): number {
    this.checkBatch(xPtr, yPtr, batch, this.maxBatch, 'batch');
    if (!Number.isFinite(lr)) throw new RangeError(`MlpNet: lr must be finite, got ${lr}`);
    if (!(momentum >= 0 && momentum < 1)) throw new RangeError(`MlpNet: momentum must be in [0, 1), got ${momentum}`);
    return this.k.mlp_sgd_step_f32(this.paramsPtr, this.velPtr, this.layersPtr, this.depth, this.bias ? 1 : 0, xPtr, yPtr, batch, this.code, lr, momentum, this.workPtr);
  }

  /** Mean loss and error count over `count` samples, in chunks of at most maxBatch (f64 sums). */
  evaluate(xPtr: number, yPtr: number, count: number, chunk = this.maxBatch): Evaluation {
    checkInt('chunk', chunk, 1, this.maxBatch);
    this.checkBatch(xPtr, yPtr, count, 0x7fffffff, 'count');
    let loss = 0, errors = 0;
    for (let i = 0; i < count; i += chunk) {
      const b = Math.min(chunk, count - i);
      loss += this.k.mlp_forward_loss_f32(this.paramsPtr, this.layersPtr, this.depth, this.bias ? 1 : 0, xPtr + 4 * i * this.layers[0], yPtr + 4 * i, b, this.code, this.workPtr, this.outPtr);
      errors += this.heap.f64(this.outPtr, 1)[0];
    }
    return { loss: loss / count, errors, errorRate: errors / count };
  }

  /** The mean gradient of the minibatch loss, in the params layout (a copy). */
  gradient(xPtr: number, yPtr: number, batch: number): Float32Array {
    this.checkBatch(xPtr, yPtr, batch, this.maxBatch, 'batch');
    this.k.mlp_grad_f32(this.gradPtr, this.paramsPtr, this.layersPtr, this.depth, this.bias ? 1 : 0, xPtr, yPtr, batch, this.code, this.workPtr);
    return this.heap.readF32(this.gradPtr, this.paramCount);
  }

  /** A copy of the parameters: per layer W (n_out × n_in, row-major) then b. */
  params(): Float32Array {
    return this.heap.readF32(this.paramsPtr, this.paramCount);
  }

  /** Replaces the parameters (and zeroes the velocity: a new starting point). */
  setParams(p: ArrayLike<number>): void {
    if (p.length !== this.paramCount) throw new RangeError(`MlpNet: setParams needs ${this.paramCount} values, got ${p.length}`);
    this.heap.f32(this.paramsPtr, this.paramCount).set(p);
    this.resetVelocity();
  }

  /** Copies labels into wasm memory as i32, checked against the loss: classes 0..C−1, or ±1. */
  allocLabels(y: ArrayLike<number>): number {
    const classes = this.layers.at(-1)!;
    const binary = isBinaryLoss(this.loss);
    for (let i = 0; i < y.length; i++) {
      const v = y[i];
      const ok = binary ? v === 1 || v === -1 : Number.isInteger(v) && v >= 0 && v < classes;
      if (!ok) throw new RangeError(`MlpNet: label ${i} is ${v}; the ${this.loss} loss takes ${binary ? '−1 or +1 (see parityLabels)' : `classes 0..${classes - 1}`}`);
    }
    const ptr = this.heap.alloc(4 * Math.max(1, y.length), 'labels');
    new Int32Array(this.heap.memory.buffer, ptr, y.length).set(Array.from(y));
    return ptr;
  }

  /** Copies inputs (rows of n_0 f32) into wasm memory. */
  allocInputs(x: ArrayLike<number>): number {
    if (x.length % this.layers[0] !== 0) throw new RangeError(`MlpNet: inputs hold ${x.length} values, not a multiple of the input width ${this.layers[0]}`);
    return this.heap.allocF32(Math.max(1, x.length), x, 'inputs');
  }

  private checkBatch(xPtr: number, yPtr: number, batch: number, max: number, what: string): void {
    checkInt(what, batch, 1, max);
    checkPtr('xPtr', xPtr);
    checkPtr('yPtr', yPtr);
    const end = Math.max(xPtr + 4 * batch * this.layers[0], yPtr + 4 * batch);
    if (end > this.heap.memory.buffer.byteLength) throw new RangeError(`MlpNet: ${batch} samples at xPtr ${xPtr} / yPtr ${yPtr} run past the end of wasm memory`);
  }
}
