// A toy experiment registered in a few lines, here in the test, is handled by the CLI command,
// --config/--print-config, --resume, --shard with merge, reproduce and report with no other change.
import { describe, it, expect, vi, afterEach } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../dist/cli/main.js';
import type { Experiment } from '../src/experiment/descriptor.js';

afterEach(() => vi.restoreAllMocks());

interface Toy { tasks: number; draws: number; seed: number }
interface Line { task: number; mean: number }
const toy: Experiment<Toy, { i: number; n: number }, Line, { mean: number }> = {
  name: 'toy', title: 'means of uniform draws', label: 'toy',
  fields: [
    { key: 'tasks', flag: 'tasks', what: 'a task count', help: 'tasks', kind: { type: 'int', min: 1, max: 50 } },
    { key: 'draws', flag: 'draws', what: 'a draw count', help: 'draws per task', kind: { type: 'int', min: 1, max: 1e6 } },
  ],
  defaults: { tasks: 5, draws: 1000, seed: 1 },
  profiles: { smoke: { tasks: 3 }, quick: { tasks: 7 }, standard: { tasks: 20 }, paper: { tasks: 50 } },
  handlers: {}, // runs the core task kind 'rng-sum', which every worker serves
  unit: 'tasks',
  tasks: (s) => Array.from({ length: s.tasks }, (_, i) => ({ kind: 'rng-sum', seed: s.seed, stream: i, params: { i, n: s.draws } })),
  taskKey: (p) => String(p.i),
  lineKey: (l) => String(l.task),
  linesPerTask: () => 1,
  toLines: (p, sums) => [{ task: p.i, mean: Array.from(sums as Float64Array).reduce((a, b) => a + b, 0) / p.n }],
  summarize: (_s, lines) => ({ mean: lines.reduce((a, l) => a + l.mean, 0) / lines.length }),
  figures: (_s, lines, _sum, caption) => [{ name: 'toy.svg', label: 'toy figure', spec: { title: caption, data: { values: lines }, mark: 'bar', encoding: { x: { field: 'task', type: 'ordinal' }, y: { field: 'mean', type: 'quantitative' } } } }],
  section: (_s, lines, sum, caption) => ({ id: 'toy', title: 'Toy', findings: [`mean ${sum.mean.toFixed(4)} over ${lines.length} tasks (${caption})`], figures: [] }),
  table: (_s, sum) => `toy mean ${sum.mean}`,
};

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '', stderr = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => { stderr += String(c); return true; });
  vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => { stdout += String(c); return true; });
  try {
    return { code: await main(['node', 'landscape', ...args], [toy]), stdout, stderr };
  } finally {
    vi.restoreAllMocks();
  }
}

const tmp = () => mkdtempSync(join(tmpdir(), 'registry-'));
const read = (dir: string, f = 'toy.jsonl') => readFileSync(join(dir, f), 'utf8');

describe('a toy experiment registered in the test', () => {
  const single = join(tmp(), 'single');

  it('runs as `landscape toy`, one line per task', async () => {
    const r = await cli('toy', '--tasks', '6', '--quiet', '--workers', '2', '--out', single);
    expect(r.code, r.stderr).toBe(0);
    expect(read(single).trim().split('\n')).toHaveLength(6);
    expect(r.stdout).toContain('toy mean');
  }, 60_000);

  it('--resume recomputes only what is missing, to the same bytes', async () => {
    const dir = join(tmp(), 'resumed');
    expect((await cli('toy', '--tasks', '6', '--quiet', '--out', dir)).code).toBe(0);
    writeFileSync(join(dir, 'toy.jsonl'), read(dir).split('\n').slice(0, 3).join('\n') + '\n');
    expect((await cli('toy', '--tasks', '6', '--quiet', '--out', dir, '--resume')).code).toBe(0);
    expect(read(dir)).toBe(read(single));
    expect(JSON.parse(read(dir, 'toy-meta.json')).computed).toBe(3);
  }, 60_000);

  it('--shard 1/2 and 2/2, merged, equal one run', async () => {
    const a = join(tmp(), 'a'), b = join(tmp(), 'b'), m = join(tmp(), 'm');
    expect((await cli('toy', '--tasks', '6', '--quiet', '--shard', '1/2', '--out', a)).code).toBe(0);
    expect((await cli('toy', '--tasks', '6', '--quiet', '--shard', '2/2', '--out', b)).code).toBe(0);
    const r = await cli('merge', a, b, '--out', m, '--quiet');
    expect(r.code, r.stderr).toBe(0);
    expect(read(m)).toBe(read(single));
    expect(read(m, 'toy-summary.json')).toBe(read(single, 'toy-summary.json'));
  }, 60_000);

  it('--config takes a settings file (flags override it); --print-config prints the resolved settings', async () => {
    const dir = join(tmp(), 'config');
    expect((await cli('toy', '--config', join(single, 'toy-settings.json'), '--quiet', '--out', dir)).code).toBe(0);
    expect(read(dir)).toBe(read(single));
    const cfg = join(tmp(), 'partial.json');
    writeFileSync(cfg, JSON.stringify({ draws: 10, tasks: 2 }));
    const p = await cli('toy', '--config', cfg, '--tasks', '4', '--print-config');
    expect(JSON.parse(p.stdout)).toEqual({ tasks: 4, draws: 10, seed: 1 });
    writeFileSync(cfg, JSON.stringify({ draws: -1 }));
    const bad = await cli('toy', '--config', cfg, '--print-config');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/draws.*--draws/);
  }, 60_000);

  it('reproduce runs it with its profile and report rebuilds the page with its section', async () => {
    const dir = join(tmp(), 'repro');
    const r = await cli('reproduce', '--profile', 'smoke', '--quiet', '--out', dir);
    expect(r.code, r.stderr).toBe(0);
    expect(read(join(dir, 'toy')).trim().split('\n')).toHaveLength(3);
    const html = read(dir, 'report.html');
    expect(html).toContain('<section id="toy">');
    expect((await cli('report', dir)).code).toBe(0);
    expect(read(dir, 'report.html')).toBe(html);
    expect(existsSync(join(dir, 'pspin'))).toBe(false);
  }, 60_000);
});
