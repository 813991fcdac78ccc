// The main side of the worker pool. Tasks carry their own seed and stream, workers pull the
// next index from a shared queue, and results are stored by index, so the output never depends
// on the number of workers or on scheduling. A worker that dies or fails is terminated and
// respawned and its task retried once; the pool rejects calls that a dead worker will never
// answer (Comlink does not), so nothing hangs.
import * as Comlink from 'comlink';
import { compileWasm, type Binary, type WasmSource } from '../wasm.js';
import { availableCores, spawnWorker, type WorkerHandle } from '../platform.js';
import { defaultWorkerUrl } from '../worker-url.js';
import type { TaskInput, TaskSpec, WorkerApi } from './protocol.js';

export interface PoolOptions {
  /** Worker count; default: available cores. */
  workers?: number;
  /** `simd` (default, bit-reproducible), `scalar`, `relaxed` (fused, opt-in) or `debug`. */
  binary?: Binary;
  wasm?: WasmSource;
  workerUrl?: URL;
  /** Fault-injection spec for tests (see faults.ts). */
  fault?: string;
  /** A task running longer than this fails (and its worker is replaced). */
  taskTimeoutMs?: number;
  /** Cap on each worker's JS heap in MiB (Node). */
  maxWorkerHeapMb?: number;
}

export interface PoolProgress {
  done: number;
  failed: number;
  running: number;
  total: number;
  fraction: number;
}

export interface RunOptions<R> {
  /** Called as each task finishes (in completion order), e.g. to append it to a result file. */
  onResult?: (index: number, result: R) => void | Promise<void>;
  onProgress?: (p: PoolProgress) => void;
  signal?: AbortSignal;
  /** Stop handing out tasks after the first permanent failure (default false: run the rest). */
  failFast?: boolean;
}

export interface TaskFailure {
  index: number;
  kind: string;
  stream: number;
  reason: string;
}

export class TaskFailedError extends Error {
  override name = 'TaskFailedError';
  constructor(readonly failures: TaskFailure[]) {
    super(failures.map((f) => `task ${f.index} (kind "${f.kind}", stream ${f.stream}) failed twice: ${f.reason}`).join('; '));
  }
}

function abortError(): Error {
  const e = new Error('the run was cancelled');
  e.name = 'AbortError';
  return e;
}

interface Slot {
  handle?: WorkerHandle;
  api?: Comlink.Remote<WorkerApi>;
  ready?: Promise<void>;
  /** Rejects the call in flight on this slot (set while a task runs). */
  fail?: (e: Error) => void;
}

export class Pool {
  private readonly slots: Slot[];
  private closed = false;

  constructor(
    private readonly module: WebAssembly.Module,
    readonly binary: Binary,
    readonly size: number,
    private readonly opts: PoolOptions,
  ) {
    this.slots = Array.from({ length: size }, () => ({}));
  }

  private ensure(slot: Slot): Promise<void> {
    if (slot.ready) return slot.ready;
    slot.ready = (async () => {
      const handle = await spawnWorker(this.opts.workerUrl ?? defaultWorkerUrl, {
        env: this.opts.fault ? { LANDSCAPE_FAULT: this.opts.fault } : undefined,
        maxHeapMb: this.opts.maxWorkerHeapMb,
      });
      slot.handle = handle;
      handle.onDeath((reason) => {
        this.discard(slot);
        slot.fail?.(new Error(`worker died: ${reason.message}`));
      });
      const api = Comlink.wrap<WorkerApi>(handle.endpoint);
      slot.api = api;
      await this.guard(slot, api.init(this.module, this.binary, { fault: this.opts.fault }), 30_000, 'worker start');
    })();
    slot.ready.catch(() => this.discard(slot));
    return slot.ready;
  }

  /** Forgets a slot's worker and terminates it; the next task spawns a fresh one. */
  private discard(slot: Slot): void {
    const h = slot.handle;
    slot.handle = undefined;
    slot.api = undefined;
    slot.ready = undefined;
    if (h) void h.terminate().catch(() => {});
  }

  /** Races a worker call against the worker's death and an optional timeout. */
  private guard<T>(slot: Slot, call: Promise<T>, timeoutMs: number | undefined, what: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const settle = () => {
        if (timer) clearTimeout(timer);
        slot.fail = undefined;
      };
      slot.fail = (e) => { settle(); reject(e); };
      if (timeoutMs) timer = setTimeout(() => { settle(); reject(new Error(`${what} timed out after ${timeoutMs} ms`)); }, timeoutMs);
      call.then((v) => { settle(); resolve(v); }, (e) => { settle(); reject(e instanceof Error ? e : new Error(String(e))); });
    });
  }

  private async exec<R>(slot: Slot, task: TaskSpec): Promise<R> {
    await this.ensure(slot);
    return this.guard(slot, slot.api!.run(task) as Promise<R>, this.opts.taskTimeoutMs, `task ${task.index}`);
  }

  /** Runs tasks over the workers; resolves to their results in task order. */
  async run<R = unknown, P = unknown>(tasks: TaskInput<P>[], opts: RunOptions<R> = {}): Promise<R[]> {
    if (this.closed) throw new Error('the pool has been terminated');
    const total = tasks.length;
    const results = new Array<R>(total);
    const failures: TaskFailure[] = [];
    let next = 0;
    let done = 0;
    let running = 0;
    let aborted = opts.signal?.aborted ?? false;
    const report = () => opts.onProgress?.({ done, failed: failures.length, running, total, fraction: total ? done / total : 1 });

    let onAbort: (() => void) | undefined;
    const abortPromise = new Promise<never>((_, reject) => {
      onAbort = () => {
        aborted = true;
        for (const s of this.slots) { s.fail?.(abortError()); this.discard(s); }
        reject(abortError());
      };
      if (opts.signal?.aborted) onAbort();
      else opts.signal?.addEventListener('abort', onAbort, { once: true });
    });
    abortPromise.catch(() => {});

    const loop = async (slot: Slot) => {
      while (!aborted && next < total && !(opts.failFast && failures.length)) {
        const index = next++;
        const input = tasks[index];
        running++;
        report();
        for (let attempt = 1; attempt <= 2; attempt++) {
          try {
            const r = await this.exec<R>(slot, { ...input, index, attempt });
            results[index] = r;
            await opts.onResult?.(index, r);
            break;
          } catch (e) {
            if (aborted) return;
            this.discard(slot); // a fresh worker for the retry: the old one may be dead or corrupt
            if (attempt === 2) failures.push({ index, kind: input.kind, stream: input.stream, reason: (e as Error).message });
          }
        }
        running--;
        done++;
        report();
      }
    };

    try {
      await Promise.race([Promise.all(this.slots.map(loop)), abortPromise]);
    } finally {
      if (onAbort) opts.signal?.removeEventListener('abort', onAbort);
    }
    if (aborted) throw abortError();
    if (failures.length) throw new TaskFailedError(failures.sort((a, b) => a.index - b.index));
    return results;
  }

  /** Number of live worker threads (for leak checks). */
  get live(): number {
    return this.slots.filter((s) => s.handle).length;
  }

  /** Terminates every worker; pending calls reject. */
  async terminate(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map(async (s) => {
      const h = s.handle;
      s.fail?.(new Error('the pool was terminated'));
      s.handle = undefined;
      s.api = undefined;
      s.ready = undefined;
      if (h) await h.terminate().catch(() => {});
    }));
  }
}

export async function createPool(opts: PoolOptions = {}): Promise<Pool> {
  const size = opts.workers ?? (await availableCores());
  if (!Number.isInteger(size) || size < 1 || size > 256) throw new RangeError(`workers must be an integer in [1, 256], got ${size}`);
  if (opts.taskTimeoutMs !== undefined && !(opts.taskTimeoutMs > 0)) throw new RangeError(`taskTimeoutMs must be positive, got ${opts.taskTimeoutMs}`);
  const { module, binary } = await compileWasm(opts.binary ?? 'simd', opts.wasm);
  return new Pool(module, binary, size, opts);
}
