// f64 level-1/2 building blocks for the Hessian work, over the wasm kernels.
import type { Heap } from '../heap.js';
import { kernel, refuseOverlap, checkDim } from '../kernels.js';

const suffix = (scalar?: boolean) => (scalar ? '_scalar' : '');

export function dotPtr(heap: Heap, xPtr: number, yPtr: number, n: number, scalar = false): number {
  checkDim('dot_f64', 'n', n, 0);
  return kernel(heap.wasm, `dot_f64${suffix(scalar)}`)(xPtr, yPtr, n);
}

/** y ← alpha·x + y; y may be x. */
export function axpyPtr(heap: Heap, yPtr: number, xPtr: number, n: number, alpha: number, scalar = false): void {
  checkDim('axpy_f64', 'n', n, 0);
  if (yPtr !== xPtr) refuseOverlap('axpy_f64', 'y and x (partially)', yPtr, 8 * n, xPtr, 8 * n);
  kernel(heap.wasm, `axpy_f64${suffix(scalar)}`)(yPtr, xPtr, n, alpha);
}

/** y ← alpha·op(A)·x + beta·y with A m×n row-major; y must not overlap A or x. */
export function gemvPtr(heap: Heap, yPtr: number, aPtr: number, xPtr: number, m: number, n: number, opts: { lda?: number; trans?: boolean; alpha?: number; beta?: number; scalar?: boolean } = {}): void {
  checkDim('gemv_f64', 'm', m);
  checkDim('gemv_f64', 'n', n);
  const { lda = n, trans = false, alpha = 1, beta = 0 } = opts;
  if (lda < n) throw new RangeError(`gemv_f64: lda ${lda} is shorter than a row of A (${n})`);
  const yLen = trans ? n : m;
  const xLen = trans ? m : n;
  refuseOverlap('gemv_f64', 'y and A', yPtr, 8 * yLen, aPtr, 8 * ((m - 1) * lda + n));
  refuseOverlap('gemv_f64', 'y and x', yPtr, 8 * yLen, xPtr, 8 * xLen);
  kernel(heap.wasm, `gemv_f64${suffix(opts.scalar)}`)(yPtr, aPtr, xPtr, m, n, lda, trans ? 1 : 0, alpha, beta);
}

/** y ← alpha·A·x + beta·y for symmetric A, reading only its lower triangle. */
export function symvPtr(heap: Heap, yPtr: number, aPtr: number, xPtr: number, n: number, opts: { lda?: number; alpha?: number; beta?: number; scalar?: boolean } = {}): void {
  checkDim('symv_f64', 'n', n);
  const { lda = n, alpha = 1, beta = 0 } = opts;
  if (lda < n) throw new RangeError(`symv_f64: lda ${lda} is shorter than a row of A (${n})`);
  refuseOverlap('symv_f64', 'y and A', yPtr, 8 * n, aPtr, 8 * ((n - 1) * lda + n));
  refuseOverlap('symv_f64', 'y and x', yPtr, 8 * n, xPtr, 8 * n);
  kernel(heap.wasm, `symv_f64${suffix(opts.scalar)}`)(yPtr, aPtr, xPtr, n, lda, alpha, beta);
}

/** One-job array versions: they RESET THE HEAP (alloc → write → run → read → reset). */
export function dot(heap: Heap, x: Float64Array, y: Float64Array, scalar = false): number {
  try {
    return dotPtr(heap, heap.allocF64(x.length, x), heap.allocF64(y.length, y), x.length, scalar);
  } finally {
    heap.reset();
  }
}

export function gemv(heap: Heap, a: Float64Array, x: Float64Array, m: number, n: number, opts: { trans?: boolean; alpha?: number; beta?: number; y?: Float64Array; scalar?: boolean } = {}): Float64Array {
  try {
    const yLen = opts.trans ? n : m;
    const yPtr = heap.allocF64(yLen, opts.y);
    gemvPtr(heap, yPtr, heap.allocF64(a.length, a), heap.allocF64(x.length, x), m, n, opts);
    return heap.readF64(yPtr, yLen);
  } finally {
    heap.reset();
  }
}

export function symv(heap: Heap, a: Float64Array, x: Float64Array, n: number, opts: { alpha?: number; beta?: number; y?: Float64Array; scalar?: boolean } = {}): Float64Array {
  try {
    const yPtr = heap.allocF64(n, opts.y);
    symvPtr(heap, yPtr, heap.allocF64(a.length, a), heap.allocF64(x.length, x), n, opts);
    return heap.readF64(yPtr, n);
  } finally {
    heap.reset();
  }
}
