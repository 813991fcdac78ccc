// Eigenvalues and inertia counts of symmetric matrices (row-major, lower triangle read), over
// the wasm kernels sym_eigvals_f64 and sym_inertia_blocked_f64 (sym_inertia_f64, unblocked, as the reference).
import type { Heap } from '../heap.js';
import { bindKernels, refuseOverlap, checkDim } from '../kernels.js';

export interface EigenOptions {
  /** Leading dimension of A in elements (default n). */
  lda?: number;
  /** Run the `_scalar` twin (no f64x2). */
  scalar?: boolean;
}

export interface InertiaOptions extends EigenOptions {
  /** Run the unblocked reference sym_inertia_f64 (one rank-1/rank-2 update per pivot) instead of the blocked LDLᵀ. */
  unblocked?: boolean;
  /** Panel width of the blocked LDLᵀ (default 0: the kernel's choice; clamped to 2..128). */
  nb?: number;
}

const aBytes = (n: number, lda: number) => 8 * ((n - 1) * lda + n);

function checkShape(name: string, n: number, lda: number): void {
  checkDim(name, 'n', n);
  checkDim(name, 'lda', lda);
  if (lda < n) throw new RangeError(`${name}: lda ${lda} is shorter than a row of A (${n})`);
}

function checkArray(name: string, a: Float64Array, n: number): void {
  checkDim(name, 'n', n);
  if (a.length < n * n) throw new RangeError(`${name}: a has ${a.length} entries, fewer than n·n = ${n * n}`);
}

export const symEigvalsWorkBytes = (heap: Heap, n: number): number => bindKernels(heap.wasm).sym_eigvals_f64_work_bytes(n);
/** Scratch for either inertia kernel (the blocked one needs the more). */
export const symInertiaWorkBytes = (heap: Heap, n: number): number => {
  const k = bindKernels(heap.wasm);
  return Math.max(k.sym_inertia_f64_work_bytes(n), k.sym_inertia_blocked_f64_work_bytes(n));
};

/**
 * Eigenvalues of symmetric A (n×n at aPtr), ascending, into out (n f64). Reads and OVERWRITES the
 * lower triangle of A. Without workPtr the scratch is allocated from the heap and left there
 * (the caller owns the heap's lifetime). out, A and work must not overlap.
 */
export function symEigvalsPtr(heap: Heap, outPtr: number, aPtr: number, n: number, workPtr?: number, opts: EigenOptions = {}): void {
  const name = 'sym_eigvals_f64';
  const { lda = n } = opts;
  checkShape(name, n, lda);
  const bytes = symEigvalsWorkBytes(heap, n);
  const work = workPtr ?? heap.alloc(bytes, `${name} workspace`);
  refuseOverlap(name, 'out and A', outPtr, 8 * n, aPtr, aBytes(n, lda));
  refuseOverlap(name, 'out and work', outPtr, 8 * n, work, bytes);
  refuseOverlap(name, 'A and work', aPtr, aBytes(n, lda), work, bytes);
  const k = bindKernels(heap.wasm);
  const code = (opts.scalar ? k.sym_eigvals_f64_scalar : k.sym_eigvals_f64)(outPtr, aPtr, n, lda, work);
  if (code === -2) throw new RangeError(`${name}: the lower triangle of A holds NaN or ±Infinity`);
  if (code !== 0) throw new Error(`${name}: the QL iteration did not converge within 30·n = ${30 * n} iterations (code ${code})`);
}

/**
 * Number of eigenvalues of symmetric A below `shift` (A at aPtr, n×n), by a Bunch–Kaufman LDLᵀ
 * of A − shift·I: blocked (sym_inertia_blocked_f64) unless opts.unblocked. Reads and OVERWRITES
 * the lower triangle of A. An eigenvalue exactly equal to shift (an exact zero pivot) is not
 * counted. Scratch as in symEigvalsPtr, of symInertiaWorkBytes.
 */
export function symInertiaPtr(heap: Heap, aPtr: number, n: number, shift: number, workPtr?: number, opts: InertiaOptions = {}): number {
  const name = opts.unblocked ? 'sym_inertia_f64' : 'sym_inertia_blocked_f64';
  const { lda = n, nb = 0 } = opts;
  checkShape(name, n, lda);
  if (!Number.isFinite(shift)) throw new RangeError(`${name}: shift must be finite, got ${shift}`);
  if (!Number.isInteger(nb) || nb < 0) throw new RangeError(`${name}: nb must be an integer ≥ 0, got ${nb}`);
  const bytes = symInertiaWorkBytes(heap, n);
  const work = workPtr ?? heap.alloc(bytes, `${name} workspace`);
  refuseOverlap(name, 'A and work', aPtr, aBytes(n, lda), work, bytes);
  const k = bindKernels(heap.wasm);
  const count = opts.unblocked
    ? (opts.scalar ? k.sym_inertia_f64_scalar : k.sym_inertia_f64)(aPtr, n, lda, shift, work)
    : (opts.scalar ? k.sym_inertia_blocked_f64_scalar : k.sym_inertia_blocked_f64)(aPtr, n, lda, shift, work, nb);
  if (count < 0) throw new RangeError(`${name}: A − shift·I holds NaN or ±Infinity (input, or overflow while factoring)`);
  return count;
}

/**
 * Eigenvalues of a (n×n row-major, lower triangle read, left unchanged), ascending, using the heap
 * above its current mark and releasing it after: for callers whose data stay resident in the heap
 * (couplings, nets, datasets), which symEigvals' reset would discard.
 */
export function symEigvalsKeepingHeap(heap: Heap, a: Float64Array, n: number, opts: { scalar?: boolean } = {}): Float64Array {
  checkArray('sym_eigvals_f64', a, n);
  const mark = heap.mark();
  try {
    const outPtr = heap.allocF64(n);
    symEigvalsPtr(heap, outPtr, heap.allocF64(n * n, a.subarray(0, n * n)), n, undefined, opts);
    return heap.readF64(outPtr, n);
  } finally {
    heap.release(mark);
  }
}

/**
 * One-job version: copies a (n×n row-major, lower triangle read, left unchanged) into wasm,
 * returns the eigenvalues ascending, and RESETS THE HEAP (alloc → write → run → read → reset).
 */
export function symEigvals(heap: Heap, a: Float64Array, n: number, opts: { scalar?: boolean } = {}): Float64Array {
  checkArray('sym_eigvals_f64', a, n);
  try {
    const outPtr = heap.allocF64(n);
    symEigvalsPtr(heap, outPtr, heap.allocF64(n * n, a.subarray(0, n * n)), n, undefined, opts);
    return heap.readF64(outPtr, n);
  } finally {
    heap.reset();
  }
}

/** One-job version: the number of eigenvalues of a below shift; a is unchanged. RESETS THE HEAP. */
export function symInertia(heap: Heap, a: Float64Array, n: number, shift: number, opts: Omit<InertiaOptions, 'lda'> = {}): number {
  checkArray('sym_inertia_f64', a, n);
  try {
    return symInertiaPtr(heap, heap.allocF64(n * n, a.subarray(0, n * n)), n, shift, undefined, opts);
  } finally {
    heap.reset();
  }
}
