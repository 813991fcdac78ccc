// The worker side of the pool: instantiate the posted module once, then run named tasks.
// It knows no science; the worker entry (src/worker.ts) hands it the domains' handlers.
import * as Comlink from 'comlink';
import { instantiateWasm } from '../wasm.js';
import { Heap } from '../heap.js';
import { exposeToParent, envVar, exitThread } from '../platform.js';
import { parseFaults, injectFault, type Fault } from './faults.js';
import type { TaskContext, TaskHandler, TaskSpec, WorkerApi, WorkerInit } from './protocol.js';

/** Buffers this large move by transfer (0.18 ms per MB) rather than copy (1.1 ms per MB). */
const TRANSFER_MIN_BYTES = 64 * 1024;

/** ArrayBuffers ≥ 64 KiB found in a result (typed arrays at any depth up to 4), never wasm memory. */
function transferables(value: unknown, memory: ArrayBufferLike, out = new Set<ArrayBuffer>(), depth = 0): ArrayBuffer[] {
  if (depth > 4 || value === null || typeof value !== 'object') return [...out];
  if (ArrayBuffer.isView(value)) {
    const buf = value.buffer;
    if (buf !== memory && buf instanceof ArrayBuffer && buf.byteLength >= TRANSFER_MIN_BYTES) out.add(buf);
  } else if (Array.isArray(value)) {
    for (const v of value) transferables(v, memory, out, depth + 1);
  } else {
    for (const v of Object.values(value)) transferables(v, memory, out, depth + 1);
  }
  return [...out];
}

export function serveTasks(handlers: Record<string, TaskHandler>): void {
  let ctx: TaskContext | undefined;
  let faults: Fault[] = [];
  let resident: { key: string; value: unknown; mark: number } | undefined;
  let taskStart = 0;
  const api: WorkerApi = {
    async init(module: WebAssembly.Module, binary: string, options: WorkerInit) {
      const wasm = await instantiateWasm(module);
      const heap = new Heap(wasm);
      ctx = {
        wasm,
        heap,
        binary,
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
      faults = parseFaults(options.fault ?? envVar('LANDSCAPE_FAULT') ?? '');
    },
    async run(task: TaskSpec) {
      if (!ctx) throw new Error('worker used before init');
      const handler = handlers[task.kind];
      if (!handler) throw new Error(`unknown task kind "${task.kind}" (this worker knows: ${Object.keys(handlers).join(', ')})`);
      if (resident) ctx.heap.release(resident.mark);
      else ctx.heap.reset();
      taskStart = ctx.heap.mark();
      injectFault(faults, task, ctx, exitThread);
      const result = await handler(ctx, task);
      return Comlink.transfer(result, transferables(result, ctx.wasm.memory.buffer));
    },
  };
  void exposeToParent(api);
}
