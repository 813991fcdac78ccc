// One writer per folder, and a launcher that names a missing build: a second run on a held
// --out is refused naming the holder, a stale lock is taken over, no lock file is left behind.
import { describe, it, expect } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bin, expectUsage, PSPIN, run, tmp } from './support/cli.js';

describe('the launcher', () => {
  it('a checkout without a build: one line naming the missing file and the command, exit 2', () => {
    const root = tmp();
    mkdirSync(join(root, 'bin'));
    writeFileSync(join(root, 'bin', 'landscape.js'), readFileSync(bin));
    writeFileSync(join(root, 'package.json'), '{"type":"module"}');
    const r = spawnSync(process.execPath, [join(root, 'bin', 'landscape.js'), 'pspin'], { encoding: 'utf8', timeout: 30_000 });
    expectUsage(r, /dist\/cli\/main\.js is missing; build the package first with `npm run build`/);
  });
});

describe('one writer per folder', () => {
  it('two processes on one --out: one runs, the other is refused naming the holder', async () => {
    // Deterministic: the first holds the lock while it is stopped (SIGSTOP), so the second
    // always meets a live holder, however fast the first would have finished.
    const out = join(tmp(), 'shared');
    mkdirSync(out);
    const lock = join(out, '.landscape.lock');
    const spawnRun = () => {
      const p = spawn(process.execPath, [bin, 'pspin', '--n', '60', '--restarts', '64', '--quiet', '--out', out]);
      let stderr = '';
      p.stderr.on('data', (d) => (stderr += d));
      const done = new Promise<{ code: number | null; stderr: string }>((resolve) => p.on('close', (code) => resolve({ code, stderr })));
      return { p, done };
    };
    const first = spawnRun();
    let exited = false;
    void first.done.then(() => (exited = true));
    while (!existsSync(lock) && !exited) await new Promise((r) => setTimeout(r, 2));
    first.p.kill('SIGSTOP');
    const second = await spawnRun().done;
    first.p.kill('SIGCONT');
    const a = await first.done;
    expect(second.code, second.stderr).toBe(2);
    expect(second.stderr).toMatch(new RegExp(`--out: .* is being written by pid ${first.p.pid} on `));
    expect(second.stderr.trim().split('\n')).toHaveLength(1);
    expect(a.code, a.stderr).toBe(0);
    expect(readFileSync(join(out, 'pspin.jsonl'), 'utf8').trim().split('\n')).toHaveLength(64);
    expect(readdirSync(out).filter((f) => f.startsWith('.landscape.lock'))).toEqual([]);
  }, 120_000);

  it('a stale lock (its process gone) is taken over', () => {
    const out = join(tmp(), 'stale');
    mkdirSync(out);
    writeFileSync(join(out, '.landscape.lock'), JSON.stringify({ pid: 2 ** 22 + 12345, host: (require('node:os') as typeof import('node:os')).hostname(), started: 'then' }));
    const r = run(...PSPIN, '--out', out);
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(join(out, '.landscape.lock'))).toBe(false);
  }, 60_000);
});

