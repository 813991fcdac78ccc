// f64 level-1/2 building blocks for the Hessian work, over the wasm kernels of assembly/blas64.ts.
// Pointer-level functions validate and refuse forbidden aliasing; the array versions run one whole
// job each and reset the heap.
import type { Heap } from '../heap.js';
import { bindKernels, refuseOverlap, checkDim } from '../kernels.js';

export interface GemvOptions {
  /** Row stride of A in elements (≥ n); default n. */
  lda?: number;
  /** y ← alpha·Aᵀx + beta·y (y has n entries, x has m). */
  trans?: boolean;
  alpha?: number;
  /** 0 (the default) never reads y, so y may hold anything. */
  beta?: number;
  /** Run the `_scalar` twin even in a SIMD binary. */
  scalar?: boolean;
}

export type SymvOptions = Omit<GemvOptions, 'trans'>;


function checkPtr(kernelName: string, name: string, p: number): void {
  if (!Number.isSafeInteger(p) || p < 0) throw new RangeError(`${kernelName}: ${name} must be a byte address, got ${p}`);
}

/** Refuses overlap of two byte ranges; empty ranges never overlap. */
function refuse(kernelName: string, what: string, a: number, aBytes: number, b: number, bBytes: number): void {
  if (aBytes > 0 && bBytes > 0) refuseOverlap(kernelName, what, a, aBytes, b, bBytes);
}

/** Σ x_i·y_i over n f64 entries; x and y may be anything, the same buffer included. */
export function dotPtr(heap: Heap, xPtr: number, yPtr: number, n: number, scalar = false): number {
  checkDim('dot_f64', 'n', n, 0);
  checkPtr('dot_f64', 'xPtr', xPtr);
  checkPtr('dot_f64', 'yPtr', yPtr);
  const k = bindKernels(heap.wasm);
  return (scalar ? k.dot_f64_scalar : k.dot_f64)(xPtr, yPtr, n);
}

/** y ← alpha·x + y over n entries; y may be x exactly, but not overlap it partially. */
export function axpyPtr(heap: Heap, yPtr: number, xPtr: number, n: number, alpha: number, scalar = false): void {
  checkDim('axpy_f64', 'n', n, 0);
  checkPtr('axpy_f64', 'yPtr', yPtr);
  checkPtr('axpy_f64', 'xPtr', xPtr);
  if (yPtr !== xPtr) refuse('axpy_f64', 'y and x (partially)', yPtr, 8 * n, xPtr, 8 * n);
  const k = bindKernels(heap.wasm);
  (scalar ? k.axpy_f64_scalar : k.axpy_f64)(yPtr, xPtr, n, alpha);
}

/** y ← alpha·op(A)·x + beta·y with A m×n row-major (row stride lda); y must not overlap A or x. */
export function gemvPtr(heap: Heap, yPtr: number, aPtr: number, xPtr: number, m: number, n: number, opts: GemvOptions = {}): void {
  checkDim('gemv_f64', 'm', m, 0);
  checkDim('gemv_f64', 'n', n, 0);
  const { lda = n, trans = false, alpha = 1, beta = 0 } = opts;
  checkDim('gemv_f64', 'lda', lda, Math.max(1, n));
  for (const [name, p] of [['yPtr', yPtr], ['aPtr', aPtr], ['xPtr', xPtr]] as const) checkPtr('gemv_f64', name, p);
  const yLen = trans ? n : m;
  const xLen = trans ? m : n;
  refuse('gemv_f64', 'y and A', yPtr, 8 * yLen, aPtr, m && n ? 8 * ((m - 1) * lda + n) : 0);
  refuse('gemv_f64', 'y and x', yPtr, 8 * yLen, xPtr, 8 * xLen);
  const k = bindKernels(heap.wasm);
  (opts.scalar ? k.gemv_f64_scalar : k.gemv_f64)(yPtr, aPtr, xPtr, m, n, lda, trans ? 1 : 0, alpha, beta);
}

/**
 * y ← alpha·A·x + beta·y for symmetric n×n A, reading only its lower triangle (the strict upper
 * triangle may hold anything); y must not overlap A or x.
 */
export function symvPtr(heap: Heap, yPtr: number, aPtr: number, xPtr: number, n: number, opts: SymvOptions = {}): void {
  checkDim('symv_f64', 'n', n, 0);
  const { lda = n, alpha = 1, beta = 0 } = opts;
  checkDim('symv_f64', 'lda', lda, Math.max(1, n));
  for (const [name, p] of [['yPtr', yPtr], ['aPtr', aPtr], ['xPtr', xPtr]] as const) checkPtr('symv_f64', name, p);
  refuse('symv_f64', 'y and A', yPtr, 8 * n, aPtr, n ? 8 * ((n - 1) * lda + n) : 0);
  refuse('symv_f64', 'y and x', yPtr, 8 * n, xPtr, 8 * n);
  const k = bindKernels(heap.wasm);
  (opts.scalar ? k.symv_f64_scalar : k.symv_f64)(yPtr, aPtr, xPtr, n, lda, alpha, beta);
}

function checkLength(kernelName: string, name: string, got: number, want: number): void {
  if (got !== want) throw new RangeError(`${kernelName}: ${name} has ${got} entries, expected ${want}`);
}

// One-job array versions: alloc → write → run → read → RESET THE HEAP. Do not call them on a
// heap that holds resident data (couplings, datasets); use the Ptr versions there.

export function dot(heap: Heap, x: Float64Array, y: Float64Array, scalar = false): number {
  checkLength('dot_f64', 'y', y.length, x.length);
  try {
    return dotPtr(heap, heap.allocF64(x.length, x), heap.allocF64(y.length, y), x.length, scalar);
  } finally {
    heap.reset();
  }
}

/** alpha·x + y as a new array. */
export function axpy(heap: Heap, y: Float64Array, x: Float64Array, alpha: number, scalar = false): Float64Array {
  checkLength('axpy_f64', 'x', x.length, y.length);
  try {
    const yPtr = heap.allocF64(y.length, y);
    axpyPtr(heap, yPtr, heap.allocF64(x.length, x), y.length, alpha, scalar);
    return heap.readF64(yPtr, y.length);
  } finally {
    heap.reset();
  }
}

/** alpha·op(A)·x + beta·y as a new array; A is dense m×n (lda = n); y defaults to zeros. */
export function gemv(heap: Heap, a: Float64Array, x: Float64Array, m: number, n: number, opts: Omit<GemvOptions, 'lda'> & { y?: Float64Array } = {}): Float64Array {
  const yLen = opts.trans ? n : m;
  checkLength('gemv_f64', 'A', a.length, m * n);
  checkLength('gemv_f64', 'x', x.length, opts.trans ? m : n);
  if (opts.y) checkLength('gemv_f64', 'y', opts.y.length, yLen);
  try {
    const yPtr = heap.allocF64(yLen, opts.y ?? new Float64Array(yLen));
    gemvPtr(heap, yPtr, heap.allocF64(a.length, a), heap.allocF64(x.length, x), m, n, { ...opts, lda: Math.max(1, n) });
    return heap.readF64(yPtr, yLen);
  } finally {
    heap.reset();
  }
}

/** alpha·A·x + beta·y as a new array for symmetric dense n×n A (lower triangle read). */
export function symv(heap: Heap, a: Float64Array, x: Float64Array, n: number, opts: Omit<SymvOptions, 'lda'> & { y?: Float64Array } = {}): Float64Array {
  checkLength('symv_f64', 'A', a.length, n * n);
  checkLength('symv_f64', 'x', x.length, n);
  if (opts.y) checkLength('symv_f64', 'y', opts.y.length, n);
  try {
    const yPtr = heap.allocF64(n, opts.y ?? new Float64Array(n));
    symvPtr(heap, yPtr, heap.allocF64(a.length, a), heap.allocF64(x.length, x), n, { ...opts, lda: Math.max(1, n) });
    return heap.readF64(yPtr, n);
  } finally {
    heap.reset();
  }
}
