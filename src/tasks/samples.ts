// Deterministic samples of the core kernels, drawn entirely inside wasm from (seed, stream).
// The cross-platform tests run these in Node workers and in Chromium workers and compare bytes.
import type { TaskContext, TaskSpec } from '../pool/protocol.js';
import { bindKernels } from '../kernels.js';

export interface RngSampleParams { n: number }
export interface GemmSampleParams { m: number; n: number; k: number; transA?: boolean; transB?: boolean; alpha?: number; beta?: number }

/** u32 words, uniform f64 and normal f64 from one stream. */
export function rngSample(ctx: TaskContext, task: TaskSpec<RngSampleParams>) {
  const { n } = task.params;
  const out = {
    u32: new Uint32Array(n),
    uniform: new Float64Array(n),
    normal: new Float64Array(n),
  };
  const kernels = bindKernels(ctx.wasm);
  const u32Ptr = ctx.heap.alloc(4 * n);
  kernels.rng_u32(u32Ptr, n, task.seed, task.stream, 0);
  out.u32.set(ctx.heap.u32(u32Ptr, n));
  const fPtr = ctx.heap.allocF64(n);
  kernels.rng_uniform_f64(fPtr, n, task.seed, task.stream, 0);
  out.uniform.set(ctx.heap.f64(fPtr, n));
  kernels.rng_normal_f64(fPtr, n, task.seed, task.stream, 0);
  out.normal.set(ctx.heap.f64(fPtr, n));
  return out;
}

/** C = alpha·op(A)·op(B) + beta·C with A, B, C drawn as normals from consecutive stream offsets. */
export function gemmSample(ctx: TaskContext, task: TaskSpec<GemmSampleParams>) {
  const { m, n, k, transA = false, transB = false, alpha = 1, beta = 0 } = task.params;
  const kernels = bindKernels(ctx.wasm);
  const normal = kernels.rng_normal_f32;
  const aPtr = ctx.heap.allocF32(m * k);
  const bPtr = ctx.heap.allocF32(k * n);
  const cPtr = ctx.heap.allocF32(m * n);
  normal(aPtr, m * k, task.seed, task.stream, 0);
  normal(bPtr, k * n, task.seed, task.stream, m * k);
  normal(cPtr, m * n, task.seed, task.stream, m * k + k * n);
  const workPtr = ctx.heap.alloc(kernels.gemm_f32_work_bytes(m, n, k));
  kernels.gemm_f32(cPtr, aPtr, bPtr, m, n, k, transA ? m : k, transB ? k : n, n, transA ? 1 : 0, transB ? 1 : 0, alpha, beta, workPtr);
  return { c: ctx.heap.readF32(cPtr, m * n) };
}

export const sampleTasks = {
  'rng-sample': rngSample,
  'gemm-sample': gemmSample,
};
