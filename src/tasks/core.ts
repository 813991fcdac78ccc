// Core, science-free tasks: a GEMM ensemble member for the pool-scaling benchmark.
import type { TaskContext, TaskSpec } from '../pool/protocol.js';
import { gemmPtr, gemmWorkBytes } from '../linalg/gemm.js';
import { kernel } from '../kernels.js';

export interface GemmTaskParams { m: number; n: number; k: number; reps: number }

/** Fills A and B from the task's stream, runs C = A·B `reps` times; returns a checksum of C. */
export function gemmTask(ctx: TaskContext, task: TaskSpec<GemmTaskParams>) {
  const { m, n, k, reps } = task.params;
  const { heap } = ctx;
  const aPtr = heap.allocF32(m * k);
  const bPtr = heap.allocF32(k * n);
  const cPtr = heap.allocF32(m * n);
  const normal = kernel(ctx.wasm, 'rng_normal_f32');
  normal(aPtr, m * k, task.seed, task.stream, 0);
  normal(bPtr, k * n, task.seed, task.stream, m * k);
  const workPtr = heap.alloc(gemmWorkBytes(ctx.wasm, m, n, k));
  const t0 = performance.now();
  for (let r = 0; r < reps; r++) gemmPtr(heap, cPtr, aPtr, bPtr, m, n, k, {}, workPtr);
  const ms = performance.now() - t0;
  let checksum = 0;
  for (const v of heap.f32(cPtr, m * n)) checksum += v;
  return { checksum, ms };
}

export const coreTasks = {
  gemm: gemmTask,
};
