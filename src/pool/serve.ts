// The worker side of the pool: instantiate the posted module once, then run named tasks.
// It knows no science; the worker entry (src/worker.ts) hands it the domains' handlers.
import * as Comlink from 'comlink';
import { instantiateWasm } from '../wasm.js';
import { Heap } from '../heap.js';
import { exposeToParent, envVar, exitThread } from '../platform.js';
import { parseFaults, injectFault, type Fault } from './faults.js';
import { UNKNOWN_KIND } from './errors.js';
import type { TaskContext, TaskHandler, TaskSpec, WorkerApi, WorkerInit } from './protocol.js';

/** Buffers this large move by transfer (0.18 ms per MB) rather than copy (1.1 ms per MB). */
const TRANSFER_MIN_BYTES = 64 * 1024;
/** Each report is a message round trip; 10 per second per worker is plenty for a progress bar. */
const PROGRESS_INTERVAL_MS = 100;

/** ArrayBuffers ≥ 64 KiB in a result (directly or under typed arrays, to depth 4), never wasm memory. */
function transferables(value: unknown, memory: ArrayBufferLike, out = new Set<ArrayBuffer>(), depth = 0): Set<ArrayBuffer> {
  if (depth > 4 || value === null || typeof value !== 'object') return out;
  const buf = ArrayBuffer.isView(value) ? value.buffer : value instanceof ArrayBuffer ? value : undefined;
  if (buf) {
    if (buf !== memory && buf instanceof ArrayBuffer && buf.byteLength >= TRANSFER_MIN_BYTES) out.add(buf);
  } else {
    for (const v of Array.isArray(value) ? value : Object.values(value)) transferables(v, memory, out, depth + 1);
  }
  return out;
}

const noProgress = () => {};

export function serveTasks(handlers: Record<string, TaskHandler>): void {
  let ctx: TaskContext | undefined;
  let faults: Fault[] = [];
  let resident: { key: string; value: unknown; mark: number } | undefined;
  let taskStart = 0;
  const api: WorkerApi = {
    async init(module: WebAssembly.Module, binary: string, options: WorkerInit) {
      faults = parseFaults(options.fault ?? envVar('LANDSCAPE_FAULT') ?? '');
      const wasm = await instantiateWasm(module);
      const heap = new Heap(wasm);
      ctx = {
        wasm,
        heap,
        binary,
        progress: noProgress,
        resident<T>(key: string, init: () => T): T {
          if (resident?.key === key) return resident.value as T;
          if (heap.mark() !== taskStart) throw new Error('resident() must be called before any other allocation in a task');
          resident = undefined;
          heap.reset();
          const value = init();
          resident = { key, value, mark: heap.mark() };
          taskStart = resident.mark;
          return value;
        },
      };
    },
    async run(task: TaskSpec, progress?: (fraction: number) => void) {
      if (!ctx) throw new Error('worker used before init');
      const handler = handlers[task.kind];
      if (!handler) {
        const known = Object.keys(handlers).join(', ');
        throw Object.assign(new Error(`unknown task kind "${task.kind}" (this worker knows: ${known})`), { name: UNKNOWN_KIND });
      }
      if (resident) ctx.heap.release(resident.mark);
      else ctx.heap.reset();
      taskStart = ctx.heap.mark();
      let last = performance.now();
      ctx.progress = progress
        ? (fraction) => {
          const now = performance.now();
          if (now - last < PROGRESS_INTERVAL_MS) return;
          last = now;
          void (progress(Math.min(1, Math.max(0, fraction))) as unknown as Promise<void>).catch(() => {});
        }
        : noProgress;
      try {
        injectFault(faults, task, ctx, exitThread);
        const result = await handler(ctx, task);
        return Comlink.transfer(result, [...transferables(result, ctx.wasm.memory.buffer)]);
      } finally {
        ctx.progress = noProgress;
        // Closes the callback's MessageChannel; otherwise each task would leave a port open.
        (progress as Partial<Comlink.Remote<unknown>> | undefined)?.[Comlink.releaseProxy]?.();
      }
    },
  };
  void exposeToParent(api);
}
