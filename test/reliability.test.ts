// Nothing lost, nothing different: shards merge into a single run's bytes, a SIGKILLed run
// resumes to the uninterrupted result recomputing only unfinished tasks, repeated runs agree.
import { describe, it, expect } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/landscape.js', import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 120_000 });
const runWithFault = (fault: string, ...args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, LANDSCAPE_FAULT: fault } });
const tmp = () => mkdtempSync(join(tmpdir(), 'reliability-'));
const read = (dir: string, f: string) => readFileSync(join(dir, f), 'utf8');
const RESULT_FILES = ['pspin.jsonl', 'pspin-settings.json', 'pspin-summary.json'];
const SMALL = ['pspin', '--p', '3', '--n', '9,20,31', '--restarts', '48', '--instances', '2', '--index', '--quiet'];

describe('deterministic shards', () => {
  it('3 shards (run on 1 and 2 workers) merge into files byte-identical to a single run', () => {
    const single = tmp(), shards = [tmp(), tmp(), tmp()], merged = join(tmp(), 'merged');
    expect(run(...SMALL, '--out', single).status).toBe(0);
    shards.forEach((dir, k) => expect(run(...SMALL, '--shard', `${k + 1}/3`, '--workers', String(1 + (k % 2)), '--out', dir).status).toBe(0));
    const sizes = shards.map((d) => read(d, 'pspin.jsonl').trim().split('\n').length);
    expect(sizes.reduce((a, b) => a + b)).toBe(3 * 2 * 48);
    expect(Math.min(...sizes)).toBeGreaterThan(0);
    const r = run('merge', shards[2], shards[0], shards[1], '--out', merged, '--quiet');
    expect(r.status, r.stderr).toBe(0);
    for (const f of RESULT_FILES) expect(read(merged, f), f).toBe(read(single, f));
    // The merged meta carries the shards' wall times (what the results cost), shard by shard.
    const meta = JSON.parse(read(merged, 'pspin-meta.json'));
    const shardSeconds = shards.map((d) => JSON.parse(read(d, 'pspin-meta.json')).totalWallSeconds as number);
    expect(meta.shards.map((s: { shard: string }) => s.shard)).toEqual(['3/3', '1/3', '2/3']);
    expect(meta.shards.map((s: { wallSeconds: number }) => s.wallSeconds)).toEqual([shardSeconds[2], shardSeconds[0], shardSeconds[1]]);
    expect(meta.totalWallSeconds).toBeGreaterThanOrEqual(shardSeconds.reduce((a, b) => a + b));
    expect(meta.totalWallSeconds - meta.wallSeconds).toBeCloseTo(shardSeconds.reduce((a, b) => a + b), 9);
    expect(meta.partial).toBeUndefined();
    // Resumed with nothing left to do (as reproduce does with a merged folder), the meta still says
    // how the results were made: the merge's command and the shards' times, byte for byte.
    const metaText = read(merged, 'pspin-meta.json');
    expect(run(...SMALL, '--out', merged, '--resume').status).toBe(0);
    expect(read(merged, 'pspin-meta.json')).toBe(metaText);
    for (const f of RESULT_FILES) expect(read(merged, f), f).toBe(read(single, f));
  });

  it('refuses incomplete, duplicated, mixed or non-shard folders with exit 2 and one line, writing nothing', () => {
    const a = tmp(), b = tmp(), other = tmp(), plain = tmp();
    expect(run(...SMALL, '--shard', '1/2', '--out', a).status).toBe(0);
    expect(run(...SMALL, '--shard', '2/2', '--out', b).status).toBe(0);
    expect(run(...SMALL, '--seed', '5', '--shard', '2/2', '--out', other).status).toBe(0);
    expect(run(...SMALL, '--out', plain).status).toBe(0);
    const cases: [string[], RegExp][] = [
      [[a], /shards 2 of 2 are missing/],
      [[a, a], /given twice/],
      [[a, other], /other settings/],
      [[plain], /not a shard folder/],
      [[join(a, 'nope')], /does not exist/],
    ];
    for (const [dirs, msg] of cases) {
      const out = join(tmp(), 'm');
      const r = run('merge', ...dirs, '--out', out);
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(msg);
      expect(existsSync(out)).toBe(false);
    }
    for (const bad of ['0/3', '4/3', '1/0', 'x', '1/2/3']) {
      const r = run(...SMALL, '--shard', bad, '--out', join(tmp(), 'x'));
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/--shard/);
    }
  });
});

describe('deterministic shards of the main job', () => {
  it('reproduce --shard k/3, merged, equals a single reproduce run file for file (a shard may own no task)', () => {
    const single = tmp(), merged = join(tmp(), 'merged');
    const shards = [tmp(), tmp(), tmp()];
    expect(run('reproduce', '--profile', 'smoke', '--quiet', '--out', single).status).toBe(0);
    shards.forEach((d, k) => expect(run('reproduce', '--profile', 'smoke', '--quiet', '--shard', `${k + 1}/3`, '--out', d).status).toBe(0));
    const r = run('merge', ...shards, '--out', merged, '--quiet');
    expect(r.status, r.stderr).toBe(0);
    const files = ['theory/theory.jsonl', ...RESULT_FILES.map((f) => join('pspin', f))];
    if (existsSync(join(single, 'mlp'))) files.push(join('mlp', 'mlp.jsonl'), join('mlp', 'mlp-summary.json'), join('mlp', 'mlp-settings.json'));
    for (const f of files) expect(read(merged, f), f).toBe(read(single, f));
    expect(existsSync(join(merged, 'report.html'))).toBe(true);
  }, 120_000);
});

describe('nothing lost', () => {
  it('repeated runs give byte-identical result files (spin glass, networks, theory)', () => {
    const MLP = ['mlp', '--hidden', '6,9', '--runs', '4', '--epochs', '2', '--train-size', '400', '--test-size', '300', '--quiet'];
    const dirs = [tmp(), tmp(), tmp()];
    const theory: string[] = [];
    for (const d of dirs) {
      expect(run(...SMALL, '--out', d).status).toBe(0);
      expect(run(...MLP, '--out', join(d, 'mlp')).status).toBe(0);
      theory.push(run('theory', '--p', '3', '--k', '5', '--json').stdout);
    }
    const files = [...RESULT_FILES, 'mlp/mlp.jsonl', 'mlp/mlp-summary.json', 'mlp/mlp-settings.json'];
    for (const f of files) for (const d of dirs.slice(1)) expect(read(d, f), f).toBe(read(dirs[0], f));
    expect(new Set(theory).size).toBe(1);
    expect(JSON.parse(theory[0]).E).toHaveLength(6);
  }, 60_000);

  it('a run killed with SIGKILL resumes to the uninterrupted result, recomputing only unfinished tasks', async () => {
    // Λ = 100: 184 restarts per task, about a second each on one worker.
    const args = ['pspin', '--n', '100', '--restarts', '552', '--index', '--workers', '1', '--quiet'];
    const whole = tmp(), killed = tmp();
    expect(run(...args, '--out', whole).status).toBe(0);
    const child = spawn(process.execPath, [bin, ...args, '--out', killed], { stdio: 'ignore' });
    const path = join(killed, 'pspin.jsonl');
    const deadline = Date.now() + 60_000;
    while (!(existsSync(path) && readFileSync(path, 'utf8').split('\n').length > 184)) {
      if (Date.now() > deadline) throw new Error('the first task never finished');
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const before = readFileSync(path, 'utf8');
    const complete = before.slice(0, before.lastIndexOf('\n') + 1).split('\n').filter(Boolean);
    expect(complete.length).toBeLessThan(552); // it really was cut short
    const r = run(...args, '--out', killed, '--resume');
    expect(r.status, r.stderr).toBe(0);
    for (const f of RESULT_FILES) expect(read(killed, f), f).toBe(read(whole, f));
    const finishedBefore = 184 * Math.floor(complete.length / 184);
    expect(JSON.parse(read(killed, 'pspin-meta.json')).computedRestarts).toBe(552 - finishedBefore);
    // The lines saved before the kill are the final ones, unchanged.
    const final = read(killed, 'pspin.jsonl').split('\n');
    for (const line of complete.slice(0, finishedBefore)) expect(final).toContain(line);
  }, 120_000);
});

describe('worker faults through the CLI', () => {
  const ARGS = ['pspin', '--n', '30,40', '--restarts', '300', '--quiet'];
  const clean = tmp();
  it('an undisturbed reference run', () => expect(run(...ARGS, '--out', clean).status).toBe(0));

  it.each([
    ['exit@1,throw@2,trap@3', []],
    ['oom@2', []],
    ['hang@1', ['--task-timeout', '3']],
  ])('%s: workers are replaced, tasks retried, results equal the undisturbed run', (fault, extra) => {
    const dir = tmp();
    const r = runWithFault(fault, ...ARGS, ...extra, '--out', dir);
    expect(r.status, r.stderr).toBe(0);
    expect(read(dir, 'pspin.jsonl')).toBe(read(clean, 'pspin.jsonl'));
    expect(read(dir, 'pspin-summary.json')).toBe(read(clean, 'pspin-summary.json'));
  }, 60_000);

  it('a task that always fails: exit 1 naming it, the other tasks saved, and --resume completes the run', () => {
    const dir = tmp();
    const r = runWithFault('throw@1!', ...ARGS, '--out', dir);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/task 1 .*failed twice/);
    const saved = read(dir, 'pspin.jsonl').trim().split('\n');
    const all = read(clean, 'pspin.jsonl').trim().split('\n');
    expect(saved.length).toBeGreaterThan(0);
    expect(saved.length).toBeLessThan(all.length);
    for (const line of saved) expect(all).toContain(line);
    expect(run(...ARGS, '--out', dir, '--resume').status).toBe(0);
    expect(read(dir, 'pspin.jsonl')).toBe(read(clean, 'pspin.jsonl'));
  }, 60_000);

  it('Ctrl-C (SIGINT) exits 130, prints the resume command, leaves valid files that resume to the same result', async () => {
    const args = ['pspin', '--n', '100', '--restarts', '552', '--workers', '1', '--quiet'];
    const whole = tmp(), cut = tmp();
    expect(run(...args, '--out', whole).status).toBe(0);
    const child = spawn(process.execPath, [bin, ...args, '--out', cut], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const path = join(cut, 'pspin.jsonl');
    const deadline = Date.now() + 60_000;
    while (!(existsSync(path) && readFileSync(path, 'utf8').length > 0)) {
      if (Date.now() > deadline) throw new Error('the first task never finished');
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGINT');
    const code = await new Promise((r) => child.once('exit', (c) => r(c)));
    expect(code).toBe(130);
    expect(stderr).toMatch(/Resume with:\n\s+landscape pspin .*--resume/);
    const text = read(cut, 'pspin.jsonl');
    expect(text.endsWith('\n')).toBe(true);
    for (const line of text.trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
    expect(run(...args, '--out', cut, '--resume').status).toBe(0);
    expect(read(cut, 'pspin.jsonl')).toBe(read(whole, 'pspin.jsonl'));
  }, 120_000);
});
