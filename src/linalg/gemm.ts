// f32 GEMM over the wasm kernels: C = alpha·op(A)·op(B) + beta·C, row-major.
import type { Heap } from '../heap.js';
import type { WasmExports } from '../wasm.js';
import { kernel, refuseOverlap, checkDim } from '../kernels.js';

export interface GemmOptions {
  transA?: boolean; // A stored k×m
  transB?: boolean; // B stored n×k
  alpha?: number;
  beta?: number; // 0 never reads C
  lda?: number;
  ldb?: number;
  ldc?: number;
  scalar?: boolean; // run gemm_f32_scalar, the plain-loop twin
}

export function gemmWorkBytes(wasm: WasmExports, m: number, n: number, k: number): number {
  return kernel(wasm, 'gemm_f32_work_bytes')(m, n, k) >>> 0;
}

/** GEMM on pointers already in wasm memory. C must not overlap A or B; A may equal B. */
export function gemmPtr(heap: Heap, cPtr: number, aPtr: number, bPtr: number, m: number, n: number, k: number, opts: GemmOptions = {}, workPtr?: number): void {
  const name = opts.scalar ? 'gemm_f32_scalar' : 'gemm_f32';
  checkDim(name, 'm', m);
  checkDim(name, 'n', n);
  checkDim(name, 'k', k);
  const { transA = false, transB = false, alpha = 1, beta = 0 } = opts;
  const lda = opts.lda ?? (transA ? m : k);
  const ldb = opts.ldb ?? (transB ? k : n);
  const ldc = opts.ldc ?? n;
  if (lda < (transA ? m : k)) throw new RangeError(`${name}: lda ${lda} is shorter than a row of A (${transA ? m : k})`);
  if (ldb < (transB ? k : n)) throw new RangeError(`${name}: ldb ${ldb} is shorter than a row of B (${transB ? k : n})`);
  if (ldc < n) throw new RangeError(`${name}: ldc ${ldc} is shorter than a row of C (${n})`);
  const aBytes = 4 * ((transA ? k : m) - 1) * lda + 4 * (transA ? m : k);
  const bBytes = 4 * ((transB ? n : k) - 1) * ldb + 4 * (transB ? k : n);
  const cBytes = 4 * (m - 1) * ldc + 4 * n;
  refuseOverlap(name, 'C and A', cPtr, cBytes, aPtr, aBytes);
  refuseOverlap(name, 'C and B', cPtr, cBytes, bPtr, bBytes);
  const work = workPtr ?? heap.alloc(gemmWorkBytes(heap.wasm, m, n, k), 'gemm workspace');
  kernel(heap.wasm, name)(cPtr, aPtr, bPtr, m, n, k, lda, ldb, ldc, transA ? 1 : 0, transB ? 1 : 0, alpha, beta, work);
}

/**
 * One whole job on plain arrays: alloc → write → run → read → reset. It RESETS THE HEAP, so use
 * it only on a heap that holds nothing else (tests, benchmarks, one-off products).
 */
export function gemm(heap: Heap, a: Float32Array, b: Float32Array, m: number, n: number, k: number, opts: GemmOptions & { c?: Float32Array } = {}): Float32Array {
  try {
    const aPtr = heap.allocF32(a.length, a, 'gemm A');
    const bPtr = heap.allocF32(b.length, b, 'gemm B');
    const cPtr = heap.allocF32(m * n, opts.c, 'gemm C');
    gemmPtr(heap, cPtr, aPtr, bPtr, m, n, k, opts);
    return heap.readF32(cPtr, m * n);
  } finally {
    heap.reset();
  }
}
