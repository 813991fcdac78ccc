// f32 GEMM over the wasm kernels of assembly/gemm.ts: C = alpha·op(A)·op(B) + beta·C, row-major.
// gemmPtr works on buffers already in wasm memory (the hot path: a few comparisons, one call);
// gemm runs one whole job on plain arrays and resets the heap.
import type { Heap } from '../heap.js';
import { WasmTrap, type WasmExports } from '../wasm.js';
import { rawKernels } from '../kernels.js';

export interface GemmOptions {
  /** op(A) = Aᵀ: A is stored k×m. */
  transA?: boolean;
  /** op(B) = Bᵀ: B is stored n×k. */
  transB?: boolean;
  /** Default 1. */
  alpha?: number;
  /** Default 0, which never reads C: C may hold NaN or garbage. */
  beta?: number;
  /** Row stride of the stored A in elements; default its row length (k, or m with transA). */
  lda?: number;
  /** Row stride of the stored B in elements; default its row length (n, or k with transB). */
  ldb?: number;
  /** Row stride of C in elements; default n. */
  ldc?: number;
  /** Run gemm_f32_scalar, the plain-loop twin, even in a SIMD binary. */
  scalar?: boolean;
}

// The raw exports, looked up once per instance: small products cost tens of nanoseconds, so
// gemmPtr reports traps itself (with the dims) instead of going through the generic wrapper.
const kernels = (wasm: WasmExports) => rawKernels(wasm, 'gemm');

function checkDim(kernel: string, name: string, v: number): void {
  if (!Number.isInteger(v) || v < 1 || v > 0x7fffffff) throw new RangeError(`${kernel}: ${name} must be an integer ≥ 1, got ${v}`);
}

function checkDims(kernel: string, m: number, n: number, k: number): void {
  checkDim(kernel, 'm', m);
  checkDim(kernel, 'n', n);
  checkDim(kernel, 'k', k);
}

/** Bytes of scratch gemm_f32 needs for these dims; allocate once and pass as workPtr to reuse. */
export function gemmWorkBytes(wasm: WasmExports, m: number, n: number, k: number): number {
  checkDims('gemm_f32_work_bytes', m, n, k);
  return kernels(wasm).gemm_f32_work_bytes(m, n, k) >>> 0;
}

/** Bytes spanned by `rows` rows of `cols` floats, `ld` apart. */
const span = (rows: number, cols: number, ld: number) => 4 * ((rows - 1) * ld + cols);

function checkLd(kernel: string, name: string, ld: number, row: number): void {
  if (!Number.isInteger(ld) || ld < row || ld > 0x7fffffff) throw new RangeError(`${kernel}: ${name} must be an integer ≥ ${row} (a row of the stored matrix), got ${ld}`);
}

// Past the end of memory the kernel traps, which surfaces as a WasmTrap; reading
// memory.buffer.byteLength here would cost as much as a small product.
function checkPtr(kernel: string, name: string, ptr: number): void {
  if (!Number.isInteger(ptr) || ptr < 0 || ptr > 0xffffffff) throw new RangeError(`${kernel}: ${name} must be a byte address, got ${ptr}`);
}

function refuseOverlap(kernel: string, x: string, xPtr: number, xBytes: number, y: string, yPtr: number, yBytes: number): void {
  if (xPtr < yPtr + yBytes && yPtr < xPtr + xBytes) {
    throw new RangeError(`${kernel}: ${x} overlaps ${y} ([${xPtr}, ${xPtr + xBytes}) and [${yPtr}, ${yPtr + yBytes})); the kernel writes ${x} while it reads ${y}`);
  }
}

/**
 * C = alpha·op(A)·op(B) + beta·C on buffers already in wasm memory (byte addresses). C must not
 * overlap A or B (RangeError); A and B may be the same buffer. workPtr: 16-byte aligned scratch
 * of gemmWorkBytes(m, n, k) bytes, overlapping none of them; when omitted it is allocated on the
 * heap and stays there until the next heap.reset(). Traps become WasmTrap errors naming the kernel.
 */
export function gemmPtr(
  heap: Heap, cPtr: number, aPtr: number, bPtr: number, m: number, n: number, k: number,
  opts: GemmOptions = {}, workPtr?: number,
): void {
  const name = opts.scalar ? 'gemm_f32_scalar' : 'gemm_f32';
  checkDims(name, m, n, k);
  checkPtr(name, 'cPtr', cPtr);
  checkPtr(name, 'aPtr', aPtr);
  checkPtr(name, 'bPtr', bPtr);
  const transA = !!opts.transA, transB = !!opts.transB;
  const alpha = opts.alpha ?? 1, beta = opts.beta ?? 0;
  const aRows = transA ? k : m, aCols = transA ? m : k;
  const bRows = transB ? n : k, bCols = transB ? k : n;
  const lda = opts.lda ?? aCols, ldb = opts.ldb ?? bCols, ldc = opts.ldc ?? n;
  checkLd(name, 'lda', lda, aCols);
  checkLd(name, 'ldb', ldb, bCols);
  checkLd(name, 'ldc', ldc, n);
  const aBytes = span(aRows, aCols, lda), bBytes = span(bRows, bCols, ldb), cBytes = span(m, n, ldc);
  refuseOverlap(name, 'C', cPtr, cBytes, 'A', aPtr, aBytes);
  refuseOverlap(name, 'C', cPtr, cBytes, 'B', bPtr, bBytes);
  const g = kernels(heap.wasm);
  const workBytes = g.gemm_f32_work_bytes(m, n, k) >>> 0;
  if (workPtr === undefined) {
    workPtr = heap.alloc(workBytes, 'gemm workspace');
  } else {
    checkPtr(name, 'workPtr', workPtr);
    refuseOverlap(name, 'the workspace', workPtr, workBytes, 'C', cPtr, cBytes);
    refuseOverlap(name, 'the workspace', workPtr, workBytes, 'A', aPtr, aBytes);
    refuseOverlap(name, 'the workspace', workPtr, workBytes, 'B', bPtr, bBytes);
  }
  try {
    (opts.scalar ? g.gemm_f32_scalar : g.gemm_f32)(cPtr, aPtr, bPtr, m, n, k, lda, ldb, ldc, transA ? 1 : 0, transB ? 1 : 0, alpha, beta, workPtr);
  } catch (e) {
    throw new WasmTrap(`${name} (m=${m},n=${n},k=${k}): ${(e as Error).message ?? String(e)}`, { cause: e });
  }
}

/**
 * One whole job on plain arrays: alloc → write → run → read → reset. It RESETS THE HEAP, so give
 * it a heap that holds nothing else. a and b are the stored matrices (k×m for A with transA,
 * n×k for B with transB, rows lda/ldb apart); opts.c is the C read when beta ≠ 0 and is not
 * modified. Returns a new array laid out like C: (m - 1)·ldc + n floats, or c.length if given.
 */
export function gemm(
  heap: Heap, a: Float32Array, b: Float32Array, m: number, n: number, k: number,
  opts: GemmOptions & { c?: Float32Array } = {},
): Float32Array {
  const name = opts.scalar ? 'gemm_f32_scalar' : 'gemm_f32';
  checkDims(name, m, n, k);
  const aRows = opts.transA ? k : m, aCols = opts.transA ? m : k;
  const bRows = opts.transB ? n : k, bCols = opts.transB ? k : n;
  const aLen = span(aRows, aCols, opts.lda ?? aCols) / 4, bLen = span(bRows, bCols, opts.ldb ?? bCols) / 4;
  const cLen = span(m, n, opts.ldc ?? n) / 4;
  if (a.length < aLen) throw new RangeError(`${name}: A holds ${a.length} floats, needs ${aLen}`);
  if (b.length < bLen) throw new RangeError(`${name}: B holds ${b.length} floats, needs ${bLen}`);
  if (opts.c && opts.c.length < cLen) throw new RangeError(`${name}: C holds ${opts.c.length} floats, needs ${cLen}`);
  try {
    const aPtr = heap.allocF32(a.length, a, 'gemm A');
    const bPtr = heap.allocF32(b.length, b, 'gemm B');
    const cPtr = heap.allocF32(opts.c?.length ?? cLen, opts.c, 'gemm C');
    gemmPtr(heap, cPtr, aPtr, bPtr, m, n, k, opts);
    return heap.readF32(cPtr, opts.c?.length ?? cLen);
  } finally {
    heap.reset();
  }
}
