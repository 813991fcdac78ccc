// One pool worker: spawn, init (instantiate the posted module), guarded calls, disposal. A Comlink
// call to a dead worker never settles, so every call here races the worker's death and an
// optional timeout, and dispose() rejects the call in flight.
import * as Comlink from 'comlink';
import { spawnWorker, type WorkerHandle } from '../platform.js';
import type { TaskSpec, WorkerApi } from './protocol.js';

/** The worker could not be spawned or initialised: a broken URL or binary, not a bad task. */
export class WorkerStartError extends Error {
  override name = 'WorkerStartError';
}

export interface ThreadConfig {
  module: WebAssembly.Module;
  binary: string;
  workerUrl: URL;
  fault: string;
  maxHeapMb?: number;
}

const START_TIMEOUT_MS = 30_000;

const asError = (e: unknown): Error => (e instanceof Error ? e : new Error(String(e)));

export class PoolThread {
  /** Set once disposed or dead; a dead thread is never reused. */
  dead = false;
  /** Resolves when the worker is ready for tasks; rejects with a WorkerStartError. */
  readonly ready: Promise<void>;
  private handle?: WorkerHandle;
  private api?: Comlink.Remote<WorkerApi>;
  private ended?: Promise<unknown>;
  private gone?: Promise<void>;
  private reject?: (e: Error) => void;

  /** `onDeath` hears of a worker that died on its own (exit, uncaught error, OOM). */
  constructor(cfg: ThreadConfig, onDeath: (reason: Error) => void) {
    this.ready = this.start(cfg, onDeath);
  }

  private async start(cfg: ThreadConfig, onDeath: (reason: Error) => void): Promise<void> {
    try {
      const handle = await spawnWorker(cfg.workerUrl, {
        env: cfg.fault ? { LANDSCAPE_FAULT: cfg.fault } : undefined,
        maxHeapMb: cfg.maxHeapMb,
      });
      this.handle = handle;
      if (this.dead) { // disposed while spawning
        this.ended = handle.terminate().catch(() => {});
        throw new Error('worker disposed while starting');
      }
      handle.onDeath((reason) => { if (!this.dead) onDeath(new Error(`worker died: ${reason.message}`)); });
      this.api = Comlink.wrap<WorkerApi>(handle.endpoint);
      await this.guard(this.api.init(cfg.module, cfg.binary, { fault: cfg.fault }), START_TIMEOUT_MS, 'worker start');
      handle.setBusy(false);
    } catch (e) {
      throw new WorkerStartError(`worker could not start: ${asError(e).message}`);
    }
  }

  /** Runs one task; rejects if the worker dies, is disposed, or takes longer than `timeoutMs`. */
  run(task: TaskSpec, progress: ((fraction: number) => void) | undefined, timeoutMs: number | undefined): Promise<unknown> {
    if (this.dead || !this.api) return Promise.reject(new Error(`task ${task.index}: worker gone before the task was sent`));
    const cb = progress && Comlink.proxy(progress);
    this.handle?.setBusy(true);
    return this.guard(this.api.run(task, cb), timeoutMs, `task ${task.index}`).finally(() => this.handle?.setBusy(false));
  }

  /** Terminates the thread and rejects its call in flight; resolves once the thread has ended. */
  dispose(reason: Error): Promise<void> {
    if (this.gone) return this.gone;
    this.dead = true;
    this.reject?.(reason);
    if (this.handle) this.ended = this.handle.terminate().catch(() => {});
    // Still spawning or initialising: start() terminates the thread once it exists, then rejects.
    this.gone = this.ready.catch(() => {}).then(() => this.ended).then(() => {});
    return this.gone;
  }

  private guard<T>(call: Promise<T>, timeoutMs: number | undefined, what: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const done = () => {
        if (timer) clearTimeout(timer);
        this.reject = undefined;
      };
      this.reject = (e) => { done(); reject(e); };
      if (timeoutMs) timer = setTimeout(() => this.reject?.(new Error(`${what} timed out after ${timeoutMs} ms`)), timeoutMs);
      call.then((v) => { done(); resolve(v); }, (e) => { done(); reject(asError(e)); });
    });
  }
}
