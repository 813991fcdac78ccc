// The plain-data contract between the pool (main thread) and its workers.
import type { Heap } from '../heap.js';
import type { WasmExports } from '../wasm.js';

/** A unit of work: everything it needs, including its own seed and stream. */
export interface TaskSpec<P = unknown> {
  /** Position in the submitted list; results come back in this order. */
  index: number;
  kind: string;
  seed: number;
  stream: number;
  params: P;
  /** 1 on the first try, 2 on the retry after a failure. */
  attempt?: number;
}

export type TaskInput<P = unknown> = Omit<TaskSpec<P>, 'index' | 'attempt'>;

/** What a handler sees inside a worker: its own wasm instance and heap (reset before each task). */
export interface TaskContext {
  wasm: WasmExports;
  heap: Heap;
  binary: string;
  /**
   * Data that stays in this worker's wasm memory across tasks ("upload once, compute many"):
   * returns the value built for `key` by an earlier task, or resets the heap and builds it with
   * `init`. Call it before any other allocation in the task. One resident entry per worker.
   */
  resident<T>(key: string, init: () => T): T;
}

export type TaskHandler<P = any, R = any> = (ctx: TaskContext, task: TaskSpec<P>) => R | Promise<R>;

export interface WorkerInit {
  /** Fault-injection spec (see serve.ts); the LANDSCAPE_FAULT environment variable in Node. */
  fault?: string;
}

export interface WorkerApi {
  init(module: WebAssembly.Module, binary: string, options: WorkerInit): Promise<void>;
  run(task: TaskSpec): Promise<unknown>;
}
