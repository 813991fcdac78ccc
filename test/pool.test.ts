import { describe, it, expect, afterEach } from 'vitest';
import { readFileSync } from 'node:fs';
import { createPool, type Pool, TaskFailedError } from '../dist/pool/pool.js';

type GemmResult = { checksum: number; ms: number };
const pools: Pool[] = [];
const open = async (opts: Parameters<typeof createPool>[0]) => {
  const p = await createPool(opts);
  pools.push(p);
  return p;
};
afterEach(async () => { await Promise.all(pools.splice(0).map((p) => p.terminate())); });

/** OS threads in this process: worker_threads are real threads, so leaks show here. */
const threads = () => Number(/Threads:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))![1]);
const settle = async (want: number) => { for (let i = 0; i < 50 && threads() > want; i++) await new Promise((r) => setTimeout(r, 20)); return threads(); };

// Early tasks are the heaviest, so with 2 workers they finish out of order.
const tasks = Array.from({ length: 10 }, (_, i) => ({ kind: 'gemm', seed: 9, stream: i, params: { m: 64, n: 64, k: 64, reps: i < 2 ? 200 : 5 } }));
const checksums = (r: GemmResult[]) => r.map((x) => x.checksum);

describe('worker pool', () => {
  it('gives identical results, in task order, with 1 and 2 workers', async () => {
    const one = checksums(await (await open({ workers: 1 })).run<GemmResult>(tasks));
    const finished: number[] = [];
    const two = checksums(await (await open({ workers: 2 })).run<GemmResult>(tasks, { onResult: (i) => { finished.push(i); } }));
    expect(two).toEqual(one);
    expect([...finished].sort((a, b) => a - b)).toEqual(tasks.map((_, i) => i));
    expect(finished).not.toEqual(tasks.map((_, i) => i)); // they really finished out of order
  });

  it.each(['exit@2', 'throw@3', 'trap@4', 'exit@0,throw@5,trap@9'])('recovers from %s and the results are unchanged', async (fault) => {
    const clean = checksums(await (await open({ workers: 2 })).run<GemmResult>(tasks));
    expect(checksums(await (await open({ workers: 2, fault })).run<GemmResult>(tasks))).toEqual(clean);
  });

  it('recovers from a worker killed by V8 for running out of heap (oom@1)', async () => {
    const clean = checksums(await (await open({ workers: 2 })).run<GemmResult>(tasks));
    expect(checksums(await (await open({ workers: 2, fault: 'oom@1', maxWorkerHeapMb: 64 })).run<GemmResult>(tasks))).toEqual(clean);
  });

  it('a task that fails twice is named; every other task is still delivered', async () => {
    const pool = await open({ workers: 2, fault: 'exit@3!' });
    const delivered: number[] = [];
    const err = await pool.run(tasks, { onResult: (i) => { delivered.push(i); } }).catch((e) => e);
    expect(err).toBeInstanceOf(TaskFailedError);
    expect(err.message).toMatch(/task 3 \(kind "gemm", stream 3\) failed twice: worker died/);
    expect(delivered.sort((a, b) => a - b)).toEqual([0, 1, 2, 4, 5, 6, 7, 8, 9]);
  });

  it('a hanging task times out and is retried, not hung on', async () => {
    const pool = await open({ workers: 2, fault: 'hang@1', taskTimeoutMs: 2000 });
    const t0 = Date.now();
    expect(await pool.run(tasks)).toHaveLength(10);
    expect(Date.now() - t0).toBeLessThan(20_000);
  });

  it('cancellation rejects with AbortError and leaves no thread running', async () => {
    const before = threads();
    const pool = await open({ workers: 2, fault: 'hang@0!,hang@1!' });
    const ac = new AbortController();
    const run = pool.run(tasks, { signal: ac.signal });
    setTimeout(() => ac.abort(), 500);
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(pool.live).toBe(0);
    expect(await settle(before)).toBeLessThanOrEqual(before);
  });

  it('terminate() leaves no thread behind', async () => {
    const before = threads();
    const pool = await createPool({ workers: 2 });
    await pool.run(tasks);
    expect(threads()).toBeGreaterThan(before);
    await pool.terminate();
    expect(await settle(before)).toBeLessThanOrEqual(before);
    await expect(pool.run(tasks)).rejects.toThrow(/terminated/);
  });

  it('refuses bad worker counts and unknown task kinds clearly', async () => {
    await expect(createPool({ workers: 0 })).rejects.toThrow(/workers must be an integer in \[1, 256\]/);
    const pool = await open({ workers: 1 });
    await expect(pool.run([{ kind: 'nope', seed: 1, stream: 0, params: {} }])).rejects.toThrow(/unknown task kind "nope"/);
  });
});
