import { describe, it, expect, beforeAll, afterAll, afterEach } from 'vitest';
import { readFileSync } from 'node:fs';
import { createPool, type Pool, type PoolProgress, TaskFailedError } from '../dist/pool/pool.js';

// Runs the built worker (dist/worker.js): Node worker_threads cannot load .ts.
const pools: Pool[] = [];
const open = async (opts: Parameters<typeof createPool>[0]) => {
  const p = await createPool(opts);
  pools.push(p);
  return p;
};
afterEach(async () => { await Promise.all(pools.splice(0).map((p) => p.terminate())); });

/** OS threads in this process: worker_threads are real threads, so leaks show here. */
const threads = () => Number(/Threads:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))![1]);
const settle = async (want: number) => { for (let i = 0; i < 100 && threads() > want; i++) await new Promise((r) => setTimeout(r, 20)); return threads(); };
const ports = () => process.getActiveResourcesInfo().filter((r) => r === 'MessagePort').length;

type Task = { kind: string; seed: number; stream: number; params: object };
// A heavy task first, so with 2 workers later tasks overtake it; wasm RNG and pure-JS kinds.
const tasks: Task[] = Array.from({ length: 12 }, (_, i) =>
  i === 0 ? { kind: 'spin', seed: 7, stream: i, params: { iterations: 1e7 } }
    : i % 2 ? { kind: 'rng-sum', seed: 7, stream: i, params: { n: 20_000, chunk: 1000 } }
      : { kind: 'spin', seed: 7, stream: i, params: { iterations: 2e4 } });
const bytes = (rs: Float64Array[]) => Buffer.concat(rs.map((r) => Buffer.from(r.buffer, r.byteOffset, r.byteLength)));
const indices = (n: number) => Array.from({ length: n }, (_, i) => i);
let cleanResults: Float64Array[];
let clean: Buffer;
let baseline: number;

beforeAll(async () => {
  baseline = threads();
  const pool = await createPool({ workers: 1 });
  cleanResults = await pool.run<Float64Array>(tasks);
  clean = bytes(cleanResults);
  await pool.terminate();
  baseline = await settle(baseline); // wasm compilation may start V8 helper threads once
}, 20_000);

describe('worker pool: results', () => {
  it('gives identical bytes with 1 and 2 workers, in task order though tasks finish out of order', async () => {
    const pool = await open({ workers: 2 });
    await pool.run(tasks.slice(1, 3)); // both workers up, so spawn times do not decide the order
    const finished: number[] = [];
    const two = await pool.run<Float64Array>(tasks, { onResult: (i) => { finished.push(i); } });
    expect(bytes(two)).toEqual(clean);
    expect([...finished].sort((a, b) => a - b)).toEqual(indices(12)); // once per task
    expect(finished.indexOf(0)).toBeGreaterThan(2); // later tasks really overtook task 0
  }, 15_000);

  it('keeps explicit task indices in callbacks, faults and errors; results stay in list order', async () => {
    const pool = await open({ workers: 2, fault: 'throw@41!' });
    const seen: number[] = [];
    const specs = [42, 40, 41].map((index) => ({ index, kind: 'spin', seed: 1, stream: index, params: { iterations: 10 } }));
    const err = await pool.run(specs, { onResult: (i) => { seen.push(i); } }).catch((e) => e);
    expect(err.failures.map((f: { index: number }) => f.index)).toEqual([41]);
    expect(seen.sort()).toEqual([40, 42]);
    const ok = await pool.run<Float64Array>(specs.slice(0, 2));
    expect(bytes(ok)).toEqual(bytes(await pool.run<Float64Array>(specs.slice(0, 2).map(({ index, ...t }) => t))));
  }, 15_000);

  it('runs concurrent run() calls on one pool side by side, each in its own order', async () => {
    const pool = await open({ workers: 2 });
    const [a, b] = await Promise.all([pool.run<Float64Array>(tasks), pool.run<Float64Array>(tasks.slice(2))]);
    expect(bytes(a)).toEqual(clean);
    expect(bytes(b)).toEqual(bytes(cleanResults.slice(2)));
  }, 15_000);

  it('reports in-task progress as fractions between whole tasks', async () => {
    const pool = await open({ workers: 1 });
    const seen: PoolProgress[] = [];
    await pool.run([{ kind: 'spin', seed: 1, stream: 0, params: { iterations: 6e7 } }], { onProgress: (p) => { seen.push(p); } });
    expect(seen.some((p) => p.fraction > 0 && p.fraction < 1 && p.running === 1)).toBe(true);
    expect(seen.at(-1)).toEqual({ done: 1, failed: 0, running: 0, total: 1, fraction: 1 });
  }, 15_000);

  it('returns large results intact (transferred, ≥ 64 KiB) and empty runs at once', async () => {
    const pool = await open({ workers: 1 });
    const [big] = await pool.run<Float64Array>([{ kind: 'spin', seed: 3, stream: 0, params: { iterations: 20_000, length: 16_384 } }]);
    expect(big).toBeInstanceOf(Float64Array);
    expect(big.length).toBe(16_384);
    expect(await pool.run([])).toEqual([]);
  }, 15_000);
});

describe('worker pool: crashes and failures', () => {
  it.each(['exit@2', 'throw@3', 'trap@4', 'oom@5', 'exit@0,throw@6,trap@11'])('recovers from %s with unchanged results', async (fault) => {
    expect(bytes(await (await open({ workers: 2, fault })).run<Float64Array>(tasks))).toEqual(clean);
  }, 20_000);

  it('names a task that fails twice, after delivering every other result', async () => {
    const delivered: number[] = [];
    const err = await (await open({ workers: 2, fault: 'exit@3!' })).run(tasks, { onResult: (i) => { delivered.push(i); } }).catch((e) => e);
    expect(err).toBeInstanceOf(TaskFailedError);
    expect(err.message).toMatch(/^task 3 \(kind "rng-sum", stream 3\) failed twice: worker died: worker exited with code 1$/);
    expect(delivered.sort((a, b) => a - b)).toEqual(indices(12).filter((i) => i !== 3));
  }, 15_000);

  it('fails an unknown task kind at once, without a retry', async () => {
    const err = await (await open({ workers: 1 })).run([{ kind: 'nope', seed: 1, stream: 0, params: {} }]).catch((e) => e);
    expect(err.failures).toEqual([expect.objectContaining({ index: 0, kind: 'nope', attempts: 1 })]);
    expect(err.message).toMatch(/^task 0 \(kind "nope", stream 0\) failed: unknown task kind "nope" \(this worker knows: spin, rng-sum, gemm/);
  }, 15_000);

  it('times out a hanging task: retried once, or failed when it always hangs', async () => {
    const once = await open({ workers: 2, fault: 'hang@1', taskTimeoutMs: 1000 });
    expect(bytes(await once.run<Float64Array>(tasks))).toEqual(clean);
    const always = await open({ workers: 2, fault: 'hang@4!', taskTimeoutMs: 500 });
    await expect(always.run(tasks)).rejects.toThrow(/task 4 .* failed twice: task 4 timed out after 500 ms/);
  }, 15_000);

  it('failFast rejects at the first permanent failure', async () => {
    const pool = await open({ workers: 1, fault: 'throw@1!' });
    const delivered: number[] = [];
    const err = await pool.run(tasks, { failFast: true, onResult: (i) => { delivered.push(i); } }).catch((e) => e);
    expect(err.message).toMatch(/^task 1 .* failed twice: injected throw in task 1/);
    expect(delivered).toEqual([0]);
  }, 15_000);

  it('rejects with the error of an onResult that throws, and does not rerun the task', async () => {
    let calls = 0;
    const run = (await open({ workers: 2 })).run(tasks, { onResult: () => { calls++; throw new Error('disk full'); } });
    await expect(run).rejects.toThrow('disk full');
    expect(calls).toBe(1);
  }, 15_000);
});

describe('worker pool: cancellation and shutdown', () => {
  it('cancels on abort with AbortError, stops the busy threads, and stays usable', async () => {
    const pool = await open({ workers: 2, fault: 'hang@0!,hang@1!' });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 300);
    await expect(pool.run(tasks, { signal: ac.signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect(pool.live).toBe(0);
    expect(await settle(baseline)).toBe(baseline);
    const rest = tasks.slice(2).map((t, i) => ({ ...t, index: i + 2 })); // indices 0 and 1 would hang again
    expect(bytes(await pool.run<Float64Array>(rest))).toEqual(bytes(cleanResults.slice(2)));
    await expect(pool.run(tasks, { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
  }, 15_000);

  it('terminate() rejects the run in progress and leaves no thread or port behind', async () => {
    const pool = await open({ workers: 2, fault: 'hang@0!' });
    const run = pool.run(tasks);
    setTimeout(() => void pool.terminate(), 200);
    await expect(run).rejects.toThrow(/terminated/);
    await pool.terminate();
    expect(await settle(baseline)).toBe(baseline);
    expect(ports()).toBe(0);
    await expect(pool.run(tasks)).rejects.toThrow(/terminated/);
  }, 15_000);

  it('refuses bad options and bad tasks clearly', async () => {
    for (const workers of [0, 1.5, 300]) await expect(createPool({ workers })).rejects.toThrow(/workers must be an integer in \[1, 256\]/);
    await expect(createPool({ fault: 'boom@1' })).rejects.toThrow(/bad fault spec "boom@1"/);
    await expect(createPool({ taskTimeoutMs: 0 })).rejects.toThrow(/taskTimeoutMs must be positive/);
    const pool = await open({ workers: 1 });
    await expect(pool.run([{ kind: 'spin', seed: Number.NaN, stream: 0, params: {} }])).rejects.toThrow(/task at position 0 has no valid seed/);
  }, 5_000);
});

afterAll(async () => {
  expect(await settle(baseline)).toBe(baseline); // no worker outlived the suite
  expect(ports()).toBe(0);
});
