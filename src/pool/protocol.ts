// The plain-data contract between the pool (main thread) and its workers.
import type { Heap } from '../heap.js';
import type { WasmExports } from '../wasm.js';

/** A unit of work: everything it needs, including its own seed and stream. */
export interface TaskSpec<P = unknown> {
  /** Names the task in results, progress and errors; the position in the submitted list by default. */
  index: number;
  kind: string;
  seed: number;
  stream: number;
  params: P;
  /** 1 on the first try, 2 on the retry after a failure (set by the pool). */
  attempt?: number;
}

/** What callers submit: a TaskSpec whose index defaults to its position in the list. */
export type TaskInput<P = unknown> = Omit<TaskSpec<P>, 'index' | 'attempt'> & { index?: number };

/** What a handler sees inside a worker: its own wasm instance and heap (reset before each task). */
export interface TaskContext {
  wasm: WasmExports;
  heap: Heap;
  binary: string;
  /**
   * Reports the fraction (0..1) of this task done. Cheap to call often: the worker forwards at
   * most one report per 100 ms, and none unless the caller asked for progress.
   */
  progress(fraction: number): void;
  /**
   * Data that stays in this worker's wasm memory across tasks ("upload once, compute many"):
   * returns the value built for `key` by an earlier task, or resets the heap and builds it with
   * `init`. Call it before any other allocation in the task. One resident entry per worker.
   */
  resident<T>(key: string, init: () => T): T;
}

export type TaskHandler<P = any, R = any> = (ctx: TaskContext, task: TaskSpec<P>) => R | Promise<R>;

export interface WorkerInit {
  /** Fault-injection spec (grammar in faults.ts); in Node the LANDSCAPE_FAULT variable also works. */
  fault?: string;
}

export interface WorkerApi {
  /** Instantiates the posted module, once per worker. */
  init(module: WebAssembly.Module, binary: string, options: WorkerInit): Promise<void>;
  /** Runs one task on a freshly reset heap; `progress` is a Comlink.proxy callback, or absent. */
  run(task: TaskSpec, progress?: (fraction: number) => void): Promise<unknown>;
}
