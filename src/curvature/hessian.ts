// The exact f64 Hessian of the mean training loss L(θ) = (1/S) Σ_s ℓ(f(x_s; θ), y_s) of a ReLU MLP
// (SCIENCE.md §6). One hidden layer: assembly/hessian_structured.ts assembles the Gauss-Newton
// blocks and the residual cross term by GEMMs over the samples (issue #12; about 10× faster than
// the R-op at [100, 25, 10], S = 2000).
// Deeper nets (or method 'rop'): assembly/hessian.ts, Pearlmutter's R-op on blocks of unit
// directions, gives H row block by row block. ReLU's second derivative is 0 away from its kink, and
// the hinge and absolute losses are piecewise linear (∇²ℓ(f) = 0 a.e.), so for them H is only the
// cross terms δ·∂²f/∂θ². Pre-activations within 1e-6 of 0 are counted and reported.
import { type Heap, MemoryLimitError, WASM32_LIMIT_BYTES } from '../heap.js';
import { bindKernels } from '../kernels.js';
import { type MlpSpec, MAX_WEIGHT_LAYERS, MLP_LOSSES, isBinaryLoss, lossCode, paramCount } from '../mlp/reference.js';

export type { MlpSpec } from '../mlp/reference.js';

export interface HessianOptions {
  /** Directions per R-op block (default: the most, up to 64, that keep the block workspace ≤ 128 MiB). */
  block?: number;
  /** Run the `_scalar` twins (no f64x2). */
  scalar?: boolean;
  /**
   * 'structured' (the default for one hidden layer): the Gauss-Newton blocks and the residual
   * cross term assembled by sample-chunked GEMMs (assembly/hessian_structured.ts); 'rop': row
   * blocks of Pearlmutter's R-op (every depth).
   */
  method?: 'structured' | 'rop';
}

export interface LossGradient {
  /** Mean loss over the S samples, f64. */
  loss: number;
  grad: Float64Array;
  gradNorm: number;
  /** Hidden pre-activations with |z| < 1e-6 (over S samples × hidden units). */
  kinks: number;
  /** kinks / (S · Σ hidden widths); 0 for a net without hidden layers. */
  fractionNearKink: number;
  /** Samples (or hinge margins) within 1e-6 of the loss's own kink; 0 for cross-entropy. */
  lossKinks: number;
}

export interface ExactHessian extends LossGradient {
  /** P × P row-major, row q = H·e_q as assembled (not symmetrised). */
  H: Float64Array;
  P: number;
  /** ‖H − Hᵀ‖_F / ‖H‖_F (0 for H = 0; 0 by construction for the structured assembly, which writes each entry with its mirror). */
  asymmetry: number;
  /** ‖H‖_F. */
  norm: number;
  /** Directions per R-op block used (0 for the structured assembly). */
  block: number;
  method: 'structured' | 'rop';
}

const BLOCK_BUDGET = 128 * 2 ** 20; // k = 64 at S = 2000, [100, 25, 10] (87 MiB): the fastest block measured there

function checkSpec(spec: MlpSpec): void {
  const { layers, loss } = spec;
  if (!Array.isArray(layers) || layers.length < 2 || layers.length > MAX_WEIGHT_LAYERS + 1) {
    throw new RangeError(`curvature: layers must list 2 to ${MAX_WEIGHT_LAYERS + 1} widths, got ${JSON.stringify(layers)}`);
  }
  layers.forEach((n, l) => { if (!Number.isInteger(n) || n < 1) throw new RangeError(`curvature: width ${l} must be an integer ≥ 1, got ${n}`); });
  if (!MLP_LOSSES.includes(loss)) throw new RangeError(`curvature: unknown loss ${loss}; one of ${MLP_LOSSES.join(', ')}`);
  const out = layers.at(-1)!;
  if (isBinaryLoss(loss) ? out !== 1 : out < 2) throw new RangeError(`curvature: the ${loss} loss cannot take ${out} outputs`);
}

function checkData(spec: MlpSpec, params: ArrayLike<number>, X: ArrayLike<number>, y: Int32Array, S: number): number {
  checkSpec(spec);
  const P = paramCount(spec.layers, spec.bias);
  if (params.length !== P) throw new RangeError(`curvature: params has ${params.length} entries, the net has ${P}`);
  if (!Number.isInteger(S) || S < 1) throw new RangeError(`curvature: S must be an integer ≥ 1, got ${S}`);
  if (X.length < S * spec.layers[0]) throw new RangeError(`curvature: X has ${X.length} entries, fewer than S·n_0 = ${S * spec.layers[0]}`);
  if (y.length < S) throw new RangeError(`curvature: y has ${y.length} labels, fewer than S = ${S}`);
  const c = spec.layers.at(-1)!, binary = isBinaryLoss(spec.loss);
  for (let s = 0; s < S; s++) {
    const v = y[s];
    if (binary ? v !== 1 && v !== -1 : !(v >= 0 && v < c)) throw new RangeError(`curvature: label ${s} is ${v}, the ${spec.loss} loss takes ${binary ? '±1' : `0..${c - 1}`}`);
  }
  return P;
}

interface Resident {
  k: ReturnType<typeof bindKernels>;
  P: number;
  args: (workPtr: number) => [number, number, number, number, number, number, number, number, number];
  workBytes: (k: number) => number;
  structBytes: () => number;
}

/** Uploads widths, f64 params, f64 x and labels; the caller releases the heap mark. */
function upload(heap: Heap, spec: MlpSpec, params: ArrayLike<number>, X: ArrayLike<number>, y: Int32Array, S: number): Resident {
  const P = checkData(spec, params, X, y, S);
  const L = spec.layers.length - 1, n0 = spec.layers[0];
  const k = bindKernels(heap.wasm);
  const layersPtr = heap.alloc(4 * (L + 1), 'curvature: widths');
  new Int32Array(heap.memory.buffer, layersPtr, L + 1).set(spec.layers);
  const paramsPtr = heap.allocF64(P, params, 'curvature: f64 params');
  const xPtr = heap.allocF64(S * n0, X.length === S * n0 ? X : Array.prototype.slice.call(X, 0, S * n0), 'curvature: f64 inputs');
  const yPtr = heap.alloc(4 * S, 'curvature: labels');
  new Int32Array(heap.memory.buffer, yPtr, S).set(y.subarray(0, S));
  const bias = spec.bias ? 1 : 0, code = lossCode(spec.loss);
  return {
    k, P,
    args: (workPtr) => [paramsPtr, layersPtr, L, bias, xPtr, yPtr, S, code, workPtr],
    workBytes: (block) => k.hess_work_bytes(layersPtr, L, S, block),
    structBytes: () => k.hess_struct_work_bytes(layersPtr, L, bias, code),
  };
}

function gradientOf(heap: Heap, r: Resident, spec: MlpSpec, S: number): LossGradient {
  const gradPtr = heap.allocF64(r.P), outPtr = heap.allocF64(2);
  const work = heap.alloc(r.workBytes(1), 'curvature: gradient workspace');
  const loss = r.k.hess_grad_f64(gradPtr, ...r.args(work), outPtr);
  const grad = heap.readF64(gradPtr, r.P);
  const [kinks, lossKinks] = heap.readF64(outPtr, 2);
  const hidden = spec.layers.slice(1, -1).reduce((a, b) => a + b, 0);
  return { loss, grad, gradNorm: Math.sqrt(grad.reduce((a, v) => a + v * v, 0)), kinks, fractionNearKink: hidden ? kinks / (S * hidden) : 0, lossKinks };
}

function chooseBlock(r: Resident, P: number, block?: number): number {
  if (block !== undefined) {
    if (!Number.isInteger(block) || block < 1) throw new RangeError(`curvature: block must be an integer ≥ 1, got ${block}`);
    return Math.min(block, P);
  }
  let b = Math.min(64, P);
  while (b > 1 && r.workBytes(b) > BLOCK_BUDGET) b >>= 1;
  return b;
}

function withMark<T>(heap: Heap, job: () => T): T {
  const mark = heap.mark();
  try {
    return job();
  } finally {
    heap.release(mark);
  }
}

/** Mean loss, exact f64 gradient and kink counts over all S samples (f32 or f64 params and inputs). */
export function lossGradient(heap: Heap, spec: MlpSpec, params: ArrayLike<number>, X: ArrayLike<number>, y: Int32Array, S: number): LossGradient {
  return withMark(heap, () => gradientOf(heap, upload(heap, spec, params, X, y, S), spec, S));
}

/** ‖A − Aᵀ‖_F / ‖A‖_F and ‖A‖_F of a P × P row-major matrix. */
export function asymmetryOf(A: Float64Array, P: number): { asymmetry: number; norm: number } {
  let d = 0, f = 0;
  for (let i = 0; i < P; i++) {
    for (let j = 0; j < P; j++) {
      const a = A[i * P + j];
      f += a * a;
      if (j < i) d += 2 * (a - A[j * P + i]) ** 2;
    }
  }
  return { asymmetry: f > 0 ? Math.sqrt(d / f) : 0, norm: Math.sqrt(f) };
}

function frobenius(A: Float64Array): number {
  let f = 0;
  for (let e = 0; e < A.length; e++) f += A[e] * A[e];
  return Math.sqrt(f);
}

/**
 * The exact Hessian of the mean loss over all S samples, in f64: structured assembly for one hidden
 * layer, else row block by row block (each block one R-op pass over the whole set), with the loss,
 * gradient, kinks and asymmetry. Uses
 * the heap above its current mark and releases it after (resident data below stay).
 */
export function exactHessian(heap: Heap, spec: MlpSpec, params: ArrayLike<number>, X: ArrayLike<number>, y: Int32Array, S: number, opts: HessianOptions = {}): ExactHessian {
  return withMark(heap, () => {
    const r = upload(heap, spec, params, X, y, S);
    const P = r.P;
    if (8 * P * P > WASM32_LIMIT_BYTES / 2) throw new MemoryLimitError(8 * P * P, `the ${P} × ${P} f64 Hessian`);
    const g = gradientOf(heap, r, spec, S);
    const method = opts.method ?? (spec.layers.length === 3 ? 'structured' : 'rop');
    if (method === 'structured' && spec.layers.length !== 3) throw new RangeError(`curvature: the structured Hessian takes one hidden layer, got layers ${JSON.stringify(spec.layers)}`);
    const hPtr = heap.allocF64(P * P, undefined, 'curvature: Hessian');
    let block = 0;
    if (method === 'structured') {
      const work = heap.alloc(r.structBytes(), 'curvature: structured-Hessian workspace');
      (opts.scalar ? r.k.hess_struct_f64_scalar : r.k.hess_struct_f64)(hPtr, ...r.args(work));
    } else {
      block = chooseBlock(r, P, opts.block);
      const work = heap.alloc(r.workBytes(block), 'curvature: R-op workspace');
      const rows = opts.scalar ? r.k.hess_rows_f64_scalar : r.k.hess_rows_f64;
      for (let j0 = 0; j0 < P; j0 += block) rows(hPtr, j0, Math.min(block, P - j0), ...r.args(work));
    }
    const H = heap.readF64(hPtr, P * P);
    return { ...g, H, P, ...(method === 'rop' ? asymmetryOf(H, P) : { asymmetry: 0, norm: frobenius(H) }), block, method };
  });
}

/**
 * H·V for k directions (V: k × P row-major, row t the t-th direction), exact f64 over all S
 * samples; returns HV in the same layout.
 */
export function hvp(heap: Heap, spec: MlpSpec, params: ArrayLike<number>, X: ArrayLike<number>, y: Int32Array, S: number, V: Float64Array, k: number, opts: HessianOptions = {}): Float64Array {
  return withMark(heap, () => {
    const r = upload(heap, spec, params, X, y, S);
    const P = r.P;
    if (!Number.isInteger(k) || k < 1) throw new RangeError(`curvature: k must be an integer ≥ 1, got ${k}`);
    if (V.length !== k * P) throw new RangeError(`curvature: V has ${V.length} entries, want k·P = ${k * P}`);
    const block = chooseBlock(r, P, opts.block ?? k);
    const vPtr = heap.allocF64(block * P, undefined, 'curvature: directions');
    const hvPtr = heap.allocF64(block * P, undefined, 'curvature: H·V');
    const work = heap.alloc(r.workBytes(block), 'curvature: R-op workspace');
    const f = opts.scalar ? r.k.hess_hvp_f64_scalar : r.k.hess_hvp_f64;
    const out = new Float64Array(k * P);
    for (let t0 = 0; t0 < k; t0 += block) {
      const b = Math.min(block, k - t0);
      heap.f64(vPtr, b * P).set(V.subarray(t0 * P, (t0 + b) * P));
      f(hvPtr, vPtr, b, ...r.args(work));
      out.set(heap.f64(hvPtr, b * P), t0 * P);
    }
    return out;
  });
}
