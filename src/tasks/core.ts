// Core, science-free tasks: a pure-JS compute loop (pool tests, overhead), partial sums of the
// wasm RNG (bit-identity across workers and platforms), and a GEMM ensemble member (pool scaling).
import type { TaskContext, TaskSpec } from '../pool/protocol.js';
import { gemmPtr, gemmWorkBytes } from '../linalg/gemm.js';
import { bindKernels } from '../kernels.js';

export interface SpinParams {
  /** Rounds of xorshift work: 4 to 9 ns each here (idle to loaded), so ~1e5 to 2.5e5 per ms. */
  iterations: number;
  /** Length of the returned array (default 8). */
  length?: number;
}

/** Murmur3's 32-bit finaliser: spreads (seed, stream) so neighbouring streams start far apart. */
function mix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Deterministic busy work in plain JS (xorshift32 from seed and stream); needs no wasm kernel. */
export function spinTask(ctx: TaskContext, task: TaskSpec<SpinParams>): Float64Array {
  const { iterations, length = 8 } = task.params;
  const out = new Float64Array(length);
  let x = mix32(mix32(task.seed >>> 0) ^ Math.imul(task.stream + 1, 0x9e3779b9)) || 1;
  const step = Math.max(1, Math.ceil(iterations / 64));
  for (let i = 0; i < iterations; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i % length] += (x >>> 0) / 4294967296;
    if (i % step === 0) ctx.progress(i / iterations);
  }
  if (iterations === 0) out[0] = x >>> 0;
  return out;
}

export interface RngSumParams {
  /** Uniform f64 draws in all. */
  n: number;
  /** Draws per partial sum (default 4096). */
  chunk?: number;
}

/** Partial sums of `n` uniforms from the task's Philox stream, one per `chunk` draws. */
export function rngSumTask(ctx: TaskContext, task: TaskSpec<RngSumParams>): Float64Array {
  const { n, chunk = 4096 } = task.params;
  const uniform = bindKernels(ctx.wasm).rng_uniform_f64;
  const sums = new Float64Array(Math.ceil(n / chunk));
  const ptr = ctx.heap.allocF64(Math.min(n, chunk));
  for (let c = 0; c < sums.length; c++) {
    const len = Math.min(chunk, n - c * chunk);
    uniform(ptr, len, task.seed, task.stream, c * chunk);
    let s = 0;
    for (const v of ctx.heap.f64(ptr, len)) s += v;
    sums[c] = s;
    ctx.progress((c + 1) / sums.length);
  }
  return sums;
}

export interface GemmTaskParams { m: number; n: number; k: number; reps: number }

/** Fills A and B from the task's stream, runs C = A·B `reps` times; returns a checksum of C. */
export function gemmTask(ctx: TaskContext, task: TaskSpec<GemmTaskParams>) {
  const { m, n, k, reps } = task.params;
  const { heap } = ctx;
  const aPtr = heap.allocF32(m * k);
  const bPtr = heap.allocF32(k * n);
  const cPtr = heap.allocF32(m * n);
  const normal = bindKernels(ctx.wasm).rng_normal_f32;
  normal(aPtr, m * k, task.seed, task.stream, 0);
  normal(bPtr, k * n, task.seed, task.stream, m * k);
  const workPtr = heap.alloc(gemmWorkBytes(ctx.wasm, m, n, k));
  const t0 = performance.now();
  for (let r = 0; r < reps; r++) {
    gemmPtr(heap, cPtr, aPtr, bPtr, m, n, k, {}, workPtr);
    ctx.progress((r + 1) / reps);
  }
  const ms = performance.now() - t0;
  let checksum = 0;
  for (const v of heap.f32(cPtr, m * n)) checksum += v;
  return { checksum, ms };
}

export const coreTasks = {
  spin: spinTask,
  'rng-sum': rngSumTask,
  gemm: gemmTask,
};
