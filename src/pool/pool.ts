// The main side of the worker pool. Tasks carry their own seed and stream, idle workers pull the
// next task from a FIFO of runs, and results are stored by position, so the output never depends
// on the number of workers or on scheduling. A worker that dies, throws or times out is
// terminated and replaced, and its task retried once. Comlink calls to a dead worker never
// settle, so the pool itself rejects them: nothing hangs.
import { compileWasm, type Binary, type WasmSource } from '../wasm.js';
import { availableCores, envVar } from '../platform.js';
import { defaultWorkerUrl } from '../worker-url.js';
import { parseFaults } from './faults.js';
import { TaskFailedError, abortError, UNKNOWN_KIND, type TaskFailure } from './errors.js';
import { PoolThread, WorkerStartError, type ThreadConfig } from './thread.js';
import type { TaskInput, TaskSpec } from './protocol.js';

export { TaskFailedError, type TaskFailure } from './errors.js';

export interface PoolOptions {
  /** Worker count, an integer in [1, 256]; default: available cores. */
  workers?: number;
  /** `simd` (default, bit-reproducible), `scalar`, `relaxed` (fused, opt-in) or `debug`. */
  binary?: Binary;
  wasm?: WasmSource;
  workerUrl?: URL;
  /** Fault-injection spec (grammar in faults.ts); default: LANDSCAPE_FAULT in Node. */
  fault?: string;
  /** A task running longer than this fails (its worker is replaced and the task retried once). */
  taskTimeoutMs?: number;
  /** Cap on each worker's JS heap in MiB (Node); 256 by default when the fault spec has `oom`. */
  maxWorkerHeapMb?: number;
}

export interface PoolProgress {
  done: number;
  failed: number;
  running: number;
  total: number;
  /** (done + the running tasks' own fractions) / total */
  fraction: number;
}

export interface RunOptions<R> {
  /**
   * Called as each task succeeds, in completion order, one call at a time (an async callback is
   * awaited before the next); run() settles after the last. If it throws, the run is cancelled
   * and rejects with that error.
   */
  onResult?: (index: number, result: R) => void | Promise<void>;
  /** Called as tasks start and finish, and with in-task progress (at most ~10/s per worker). */
  onProgress?: (p: PoolProgress) => void;
  signal?: AbortSignal;
  /** Cancel the rest of the run at the first task that fails for good (default false: run them). */
  failFast?: boolean;
}

interface Slot {
  worker?: PoolThread;
  task?: Running;
}

interface Running {
  job: Job;
  pos: number;
  attempt: number;
  fraction: number;
}

interface Job {
  specs: TaskSpec[];
  opts: RunOptions<any>;
  results: unknown[];
  failures: TaskFailure[];
  next: number;
  retries: number[];
  done: number;
  running: number;
  settled: boolean;
  delivered: Promise<void>;
  resolve(results: unknown[]): void;
  reject(e: unknown): void;
  cleanup(): void;
}

const asError = (e: unknown): Error => (e instanceof Error ? e : new Error(String(e)));

function toSpecs(tasks: readonly TaskInput[]): TaskSpec[] {
  if (!Array.isArray(tasks)) throw new TypeError('pool.run expects an array of tasks');
  return tasks.map((t, pos) => {
    const bad = !t || typeof t.kind !== 'string' ? 'kind' : !Number.isFinite(t.seed) ? 'seed' : !Number.isFinite(t.stream) ? 'stream' : '';
    if (bad) throw new TypeError(`task at position ${pos} has no valid ${bad}`);
    return { index: t.index ?? pos, kind: t.kind, seed: t.seed, stream: t.stream, params: t.params };
  });
}

export class Pool {
  private readonly slots: Slot[];
  private readonly jobs: Job[] = [];
  /** Discarded workers until their threads have ended, so terminate() can wait for them all. */
  private readonly ending = new Set<Promise<unknown>>();
  private closed = false;

  constructor(
    readonly binary: Binary,
    readonly size: number,
    private readonly thread: ThreadConfig,
    private readonly taskTimeoutMs?: number,
  ) {
    this.slots = Array.from({ length: size }, () => ({}));
  }

  /** Number of live worker threads (for leak checks). */
  get live(): number {
    return this.slots.filter((s) => s.worker).length;
  }

  /**
   * Runs tasks over the workers and resolves to their results in task order. Runs submitted while
   * others are going queue behind them (FIFO) and share the workers.
   */
  run<R = unknown, P = unknown>(tasks: readonly (TaskInput<P> | TaskSpec<P>)[], opts: RunOptions<R> = {}): Promise<R[]> {
    if (this.closed) return Promise.reject(new Error('the pool has been terminated'));
    let specs: TaskSpec[];
    try { specs = toSpecs(tasks); } catch (e) { return Promise.reject(e); }
    const { signal } = opts;
    if (signal?.aborted) return Promise.reject(abortError(signal.reason));
    return new Promise<R[]>((resolve, reject) => {
      const onAbort = () => this.cancel(job, abortError(signal?.reason));
      const job: Job = {
        specs, opts, results: new Array(specs.length), failures: [], next: 0, retries: [], done: 0, running: 0,
        settled: false, delivered: Promise.resolve(),
        resolve: resolve as (r: unknown[]) => void, reject,
        cleanup: () => signal?.removeEventListener('abort', onAbort),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.jobs.push(job);
      this.report(job);
      this.finishIfDone(job);
      this.pump();
    });
  }

  /** Terminates every worker; runs in progress reject. No thread is left when this resolves. */
  /** `await using pool = await createPool()` terminates it at the end of the block. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.terminate();
  }

  async terminate(): Promise<void> {
    this.closed = true;
    for (const job of [...this.jobs]) this.settle(job, new Error('the pool was terminated'));
    for (const slot of this.slots) if (slot.worker) this.discard(slot, slot.worker, new Error('the pool was terminated'));
    await Promise.all([...this.ending]);
  }

  /** Hands queued tasks to idle workers: retries first, then runs in submission order. */
  private pump(): void {
    for (const slot of this.slots) {
      if (slot.task) continue;
      const next = this.take();
      if (!next) return;
      slot.task = next;
      next.job.running++;
      this.report(next.job);
      void this.execute(slot, next);
    }
  }

  private take(): Running | undefined {
    for (const job of this.jobs) {
      if (job.retries.length) return { job, pos: job.retries.shift()!, attempt: 2, fraction: 0 };
      if (job.next < job.specs.length) return { job, pos: job.next++, attempt: 1, fraction: 0 };
    }
    return undefined;
  }

  private async execute(slot: Slot, t: Running): Promise<void> {
    const { job } = t;
    const spec = job.specs[t.pos];
    let ok = false;
    let value: unknown;
    let error: Error | undefined;
    let w: PoolThread | undefined;
    const progress = job.opts.onProgress && ((f: number) => { t.fraction = f; this.report(job); });
    try {
      w = await this.ensure(slot);
      value = await w.run({ ...spec, attempt: t.attempt }, progress, this.taskTimeoutMs);
      ok = true;
    } catch (e) {
      error = asError(e);
    }
    slot.task = undefined;
    job.running--;
    if (!job.settled) {
      if (ok) this.succeed(job, t.pos, value);
      else if (error instanceof WorkerStartError) this.settle(job, error);
      else {
        const permanent = error!.name === UNKNOWN_KIND;
        if (w && !permanent) this.discard(slot, w, error!); // a fresh worker: the old one may be dead or corrupt
        if (t.attempt === 1 && !permanent) job.retries.push(t.pos);
        else this.fail(job, { index: spec.index, kind: spec.kind, stream: spec.stream, attempts: t.attempt, reason: error!.message });
      }
      this.report(job);
      this.finishIfDone(job);
    }
    this.pump();
  }

  private succeed(job: Job, pos: number, value: unknown): void {
    job.results[pos] = value;
    job.done++;
    const { onResult } = job.opts;
    if (!onResult) return;
    const index = job.specs[pos].index;
    job.delivered = job.delivered
      .then(() => (job.settled ? undefined : onResult(index, value)))
      .catch((e) => this.cancel(job, e));
  }

  private fail(job: Job, failure: TaskFailure): void {
    job.failures.push(failure);
    job.done++;
    if (job.opts.failFast) this.settle(job, new TaskFailedError([failure]));
  }

  private finishIfDone(job: Job): void {
    if (job.settled || job.done < job.specs.length || job.running) return;
    void job.delivered.then(() => {
      if (job.failures.length) this.settle(job, new TaskFailedError(job.failures.sort((a, b) => a.index - b.index)));
      else this.settle(job);
    });
  }

  /** Ends a run: resolves it (no error) or rejects it and stops its tasks in flight. */
  private settle(job: Job, error?: unknown): void {
    if (job.settled) return;
    job.settled = true;
    job.cleanup();
    this.jobs.splice(this.jobs.indexOf(job), 1);
    if (error === undefined) return job.resolve(job.results);
    for (const slot of this.slots) if (slot.task?.job === job && slot.worker) this.discard(slot, slot.worker, asError(error));
    job.reject(error);
  }

  private cancel(job: Job, error: unknown): void {
    this.settle(job, error);
    this.pump();
  }

  private report(job: Job): void {
    const { onProgress } = job.opts;
    if (!onProgress || job.settled) return;
    let partial = 0;
    for (const s of this.slots) if (s.task?.job === job) partial += s.task.fraction;
    const total = job.specs.length;
    onProgress({ done: job.done, failed: job.failures.length, running: job.running, total, fraction: total ? (job.done + partial) / total : 1 });
  }

  /** The slot's worker, spawned and initialised if needed (lazily: after a crash or a cancel). */
  private async ensure(slot: Slot): Promise<PoolThread> {
    if (this.closed) throw new Error('the pool was terminated');
    let w = slot.worker;
    if (!w) {
      const fresh = new PoolThread(this.thread, (reason) => this.discard(slot, fresh, reason));
      fresh.ready.catch((e) => this.discard(slot, fresh, e));
      slot.worker = w = fresh;
    }
    await w.ready;
    return w;
  }

  /** Forgets a worker and terminates it, rejecting its call in flight with `reason`. */
  private discard(slot: Slot, w: PoolThread, reason: Error): void {
    if (slot.worker === w) slot.worker = undefined;
    if (w.dead) return;
    const gone = w.dispose(reason);
    this.ending.add(gone);
    void gone.finally(() => this.ending.delete(gone));
  }
}

export async function createPool(opts: PoolOptions = {}): Promise<Pool> {
  const size = opts.workers ?? (await availableCores());
  if (!Number.isInteger(size) || size < 1 || size > 256) throw new RangeError(`workers must be an integer in [1, 256], got ${size}`);
  if (opts.taskTimeoutMs !== undefined && !(opts.taskTimeoutMs > 0)) throw new RangeError(`taskTimeoutMs must be positive, got ${opts.taskTimeoutMs}`);
  const fault = opts.fault ?? envVar('LANDSCAPE_FAULT') ?? '';
  parseFaults(fault); // a typo fails here, once, not in every worker
  const { module, binary } = await compileWasm(opts.binary ?? 'simd', opts.wasm);
  const maxHeapMb = opts.maxWorkerHeapMb ?? (/oom@/.test(fault) ? 256 : undefined);
  return new Pool(binary, size, { module, binary, workerUrl: opts.workerUrl ?? defaultWorkerUrl, fault, maxHeapMb }, opts.taskTimeoutMs);
}
