// The one file that knows Node from the browser. Everything else asks it: read bytes, spawn a
// worker, count cores, turn on relaxed SIMD. Node modules load by dynamic import so that the
// browser bundle never touches them.
import * as Comlink from 'comlink';

export const isNode: boolean =
  typeof process !== 'undefined' && typeof process.versions?.node === 'string' && typeof window === 'undefined' &&
  typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope === 'undefined';

/** Reads a file (Node, file: URL or path) or fetches a URL (browser). */
export async function readBytes(url: URL | string): Promise<Uint8Array> {
  const u = typeof url === 'string' ? new URL(url, isNode ? `file://${process.cwd()}/` : globalThis.location?.href) : url;
  if (isNode && u.protocol === 'file:') {
    const { readFile } = await import('node:fs/promises');
    return new Uint8Array(await readFile(u));
  }
  const res = await fetch(u);
  if (!res.ok) throw new Error(`cannot load ${u.href}: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

/** Number of cores the pool defaults to. */
export async function availableCores(): Promise<number> {
  if (isNode) {
    const os = await import('node:os');
    return Math.max(1, typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length);
  }
  return Math.max(1, globalThis.navigator?.hardwareConcurrency ?? 1);
}

let relaxedFlagSet = false;
/** Node 20 hides relaxed SIMD behind a V8 flag that must be set before compiling; browsers have it on. */
export async function enableRelaxedSimd(): Promise<void> {
  if (!isNode || relaxedFlagSet) return;
  const v8 = await import('node:v8');
  v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  relaxedFlagSet = true;
}

/** A spawned worker: its Comlink endpoint plus the hooks the pool needs to detect death. */
export interface WorkerHandle {
  endpoint: Comlink.Endpoint;
  /** Called once when the worker dies on its own (uncaught error, exit, OOM). */
  onDeath(cb: (reason: Error) => void): void;
  terminate(): Promise<void>;
  /** Node: an idle worker does not keep the process alive (a forgotten pool.terminate() never hangs). */
  setBusy(busy: boolean): void;
}

/** Spawns a worker from a module URL: worker_threads in Node, a module Web Worker in browsers. */
export interface SpawnOptions {
  /** Extra environment variables (Node only). */
  env?: Record<string, string>;
  /** Cap on the worker's JS heap in MiB (Node only), so a runaway worker dies alone. */
  maxHeapMb?: number;
}

export async function spawnWorker(url: URL, opts: SpawnOptions = {}): Promise<WorkerHandle> {
  if (isNode) {
    const { Worker: NodeWorker } = await import('node:worker_threads');
    const { default: nodeEndpoint } = await import('comlink/dist/esm/node-adapter.mjs');
    const w = new NodeWorker(url, {
      env: { ...process.env, ...opts.env },
      resourceLimits: opts.maxHeapMb ? { maxOldGenerationSizeMb: opts.maxHeapMb, maxYoungGenerationSizeMb: 16 } : undefined,
    });
    let dead = false;
    let deathCb: ((e: Error) => void) | undefined;
    const die = (e: Error) => {
      if (dead) return;
      dead = true;
      deathCb?.(e);
    };
    w.on('error', (e) => die(e instanceof Error ? e : new Error(String(e))));
    w.on('exit', (code) => die(new Error(`worker exited with code ${code}`)));
    return {
      endpoint: nodeEndpoint(w as never),
      onDeath: (cb) => { deathCb = cb; },
      // Held referenced while it ends, so the process waits for its exit (an unref'd idle worker
      // would let the loop empty while terminate() is still pending).
      terminate: async () => { dead = true; w.ref(); await w.terminate(); },
      setBusy: (busy) => { if (!dead) (busy ? w.ref() : w.unref()); },
    };
  }
  const w = new Worker(url, { type: 'module' });
  let dead = false;
  let deathCb: ((e: Error) => void) | undefined;
  const onError = (ev: ErrorEvent) => {
    if (dead) return;
    dead = true;
    ev.preventDefault?.();
    deathCb?.(new Error(`worker error: ${ev.message || 'unknown'}`));
  };
  w.addEventListener('error', onError);
  return {
    endpoint: w,
    onDeath: (cb) => { deathCb = cb; },
    terminate: async () => { dead = true; w.removeEventListener('error', onError); w.terminate(); },
    setBusy: () => {},
  };
}

/** Inside a worker: exposes `api` to the parent over the right endpoint. */
export async function exposeToParent(api: object): Promise<void> {
  if (isNode) {
    const { parentPort } = await import('node:worker_threads');
    const { default: nodeEndpoint } = await import('comlink/dist/esm/node-adapter.mjs');
    if (!parentPort) throw new Error('exposeToParent called outside a worker thread');
    Comlink.expose(api, nodeEndpoint(parentPort as never));
  } else {
    Comlink.expose(api, globalThis as unknown as Comlink.Endpoint);
  }
}

/** Environment variables visible to this thread ({} in browsers). */
export function envVar(name: string): string | undefined {
  return isNode ? process.env[name] : undefined;
}

/**
 * Ends the current worker thread at once (fault injection). A browser worker that just calls
 * close() vanishes without an event on the parent's Worker, so report an error first: the
 * parent sees the death as it would in Node.
 */
export function exitThread(): void {
  if (isNode) process.exit(1);
  const scope = globalThis as unknown as { close(): void; reportError?(e: unknown): void };
  scope.reportError?.(new Error('worker thread exited (fault injection)'));
  scope.close();
}
