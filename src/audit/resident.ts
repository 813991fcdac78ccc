// A bias-free ReLU net and its data, resident in wasm memory as f64 for the path kernels of
// assembly/paths.ts, with the hidden activation masks (u8 S × h) computed once, streamed over samples.
import type { Heap } from '../heap.js';
import { bindKernels, type Kernels } from '../kernels.js';

export interface AuditNet {
  /** Widths n_0 (inputs), hidden…, n_H (outputs). */
  layers: readonly number[];
  /** Bias-free params, f32 or f64: per layer W_l (n_l × n_{l−1}, row-major). */
  params: ArrayLike<number>;
}

export interface AuditSamples {
  /** S × n_0 inputs, row-major, as the net sees them (after preprocessing). */
  X: ArrayLike<number>;
  S: number;
  /** Labels: classes 0..n_H−1, or ±1 for a one-output net. Needed by the label statistics only. */
  y?: ArrayLike<number>;
}

export function biasFreeCount(layers: readonly number[]): number {
  let P = 0;
  for (let l = 1; l < layers.length; l++) P += layers[l] * layers[l - 1];
  return P;
}

/** Everything the estimators share; `release()` frees it (heap mark taken at upload). */
export class Resident {
  readonly k: Kernels;
  readonly L: number;
  readonly d: number;
  readonly S: number;
  /** Hidden units in the masks: Σ_{0<l<L} n_l. */
  readonly h: number;
  readonly layersPtr: number;
  readonly paramsPtr: number;
  readonly xPtr: number;
  readonly workPtr: number;
  readonly maskPtr: number;
  /** Active samples per hidden unit (f64, h). */
  readonly counts: Float64Array;
  private readonly mark: number;

  constructor(readonly heap: Heap, readonly net: AuditNet, readonly data: AuditSamples) {
    const { layers, params } = net;
    if (!Array.isArray(layers) || layers.length < 2 || layers.length > 9 || layers.some((n) => !Number.isInteger(n) || n < 1)) {
      throw new RangeError(`audit: layers must list 2 to 9 positive widths, got ${JSON.stringify(layers)}`);
    }
    const P = biasFreeCount(layers);
    if (params.length !== P) throw new RangeError(`audit: a bias-free [${layers.join(', ')}] net has ${P} weights, got ${params.length} params (nets with biases have no exact path expansion)`);
    const { X, S } = data;
    if (!Number.isInteger(S) || S < 1) throw new RangeError(`audit: S must be an integer ≥ 1, got ${S}`);
    if (X.length < S * layers[0]) throw new RangeError(`audit: X holds ${X.length} values, fewer than S·n_0 = ${S * layers[0]}`);
    this.L = layers.length - 1;
    this.d = layers[0];
    this.S = S;
    this.h = layers.slice(1, -1).reduce((a, b) => a + b, 0);
    this.k = bindKernels(heap.wasm);
    this.mark = heap.mark();
    try {
      this.layersPtr = heap.alloc(4 * layers.length, 'audit: widths');
      new Int32Array(heap.memory.buffer, this.layersPtr, layers.length).set(layers);
      this.paramsPtr = heap.allocF64(P, params, 'audit: f64 params');
      this.xPtr = heap.allocF64(S * this.d, X.length === S * this.d ? X : Array.prototype.slice.call(X, 0, S * this.d), 'audit: f64 inputs');
      this.workPtr = heap.alloc(this.k.paths_work_bytes(this.layersPtr, this.L), 'audit: workspace');
      this.maskPtr = heap.alloc(Math.max(1, S * this.h), 'audit: activation masks');
      const countPtr = heap.allocF64(Math.max(1, this.h), new Float64Array(Math.max(1, this.h)), 'audit: unit counts');
      this.k.paths_masks_f64(this.maskPtr, countPtr, this.paramsPtr, this.layersPtr, this.L, this.xPtr, S, this.workPtr);
      this.counts = heap.readF64(countPtr, this.h);
    } catch (e) {
      heap.release(this.mark);
      throw e;
    }
  }

  /** First mask column of hidden layer l (1..L−1). */
  column(l: number): number {
    return this.net.layers.slice(1, l).reduce((a, b) => a + b, 0);
  }

  /** Runs job above the current heap top and frees its scratch afterwards. */
  scratch<T>(job: () => T): T {
    const m = this.heap.mark();
    try { return job(); } finally { this.heap.release(m); }
  }

  release(): void {
    this.heap.release(this.mark);
  }
}

/** Runs job on a resident copy of net and data and releases it. */
export function withResident<T>(heap: Heap, net: AuditNet, data: AuditSamples, job: (r: Resident) => T): T {
  const r = new Resident(heap, net, data);
  try { return job(r); } finally { r.release(); }
}
