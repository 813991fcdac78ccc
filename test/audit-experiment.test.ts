// `landscape audit` through the generic runner: the smoke profile gives the same bytes with 1 and 2
// workers, one line per net with every assumption's statistics, the summary's A1p shape, the
// verdicts computed from constructed numbers, and A7p's last norms against the saved net.
import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runExperiment } from '../dist/run/runner.js';
import { resolveSettings } from '../dist/experiment/descriptor.js';
import { auditDescriptor } from '../dist/audit/descriptor.js';
import { mlpDescriptor } from '../dist/mlp/descriptor.js';
import { readNetDir } from '../dist/io/node-files.js';
import { layerMeanSquares } from '../src/audit/norms.js';
import { RULES, bootstrapMean, trendOf, verdict, type Est, type Point } from '../src/audit/verdicts.js';

const tmp = mkdtempSync(join(tmpdir(), 'audit-'));
const read = (dir: string, f: string) => readFileSync(join(dir, f), 'utf8');
const smoke = () => resolveSettings(auditDescriptor, 'smoke', {}, 'test');

describe('landscape audit on the smoke profile', () => {
  const a = join(tmp, 'a');
  it('one line per net (H = 2 and 3) with every statistic, the path expansion exact', async () => {
    const r = await runExperiment(auditDescriptor, smoke(), { out: a, workers: 1 });
    expect(r.lines).toHaveLength(9);
    expect(r.lines.map((l: { H: number }) => l.H)).toEqual([2, 2, 2, 2, 2, 2, 3, 3, 3]);
    for (const l of r.lines) {
      expect(l.expansionError).toBeLessThan(1e-9);
      expect(Object.keys(l)).toEqual(expect.arrayContaining(['A1p', 'A2p', 'A3p', 'A4p', 'A5u', 'A6u', 'A7p']));
    }
    expect(r.figures.map((f: string) => f.split('/').pop())).toEqual(['audit-a1p-rho.svg', 'audit-a5u-mi.svg', 'audit-a3p-levels.svg', 'audit-a7p-norms.svg', 'audit-surrogate.svg']);
  }, 120_000);

  it('gives the same bytes on 2 workers', async () => {
    const b = join(tmp, 'b');
    await runExperiment(auditDescriptor, smoke(), { out: b, workers: 2 });
    expect(read(b, 'audit.jsonl')).toBe(read(a, 'audit.jsonl'));
    expect(read(b, 'audit-summary.json')).toBe(read(a, 'audit-summary.json'));
  }, 120_000);

  it('the summary has "A1p":{"rho":{mean,sd,q05,q50,q95}} per architecture, Ψ, Λ, N, q, and a verdict per assumption', () => {
    const s = JSON.parse(read(a, 'audit-summary.json'));
    expect(s.groups.map((g: { label: string }) => g.label)).toEqual(['3', '5', '3x3']);
    for (const g of s.groups) {
      expect(Object.keys(g.A1p.rho)).toEqual(['mean', 'sd', 'q05', 'q50', 'q95']);
      expect(g.A1p.rho.q05).toBeLessThanOrEqual(g.A1p.rho.q95);
      expect(Object.keys(g.architecture)).toEqual(expect.arrayContaining(['psi', 'lambda', 'N', 'q']));
    }
    expect(s.verdicts.map((v: { id: string }) => v.id)).toEqual(['expansion', 'A1p', 'A2p', 'A3p', 'A4p', 'A5u', 'A6u', 'A7p']);
    expect(s.verdicts[0].holds).toBe(true);
  });

  it('audits the very nets landscape mlp trains (same settings, same test loss), at both depths', async () => {
    const mine = JSON.parse(`[${read(a, 'audit.jsonl').trim().split('\n').join(',')}]`);
    const same = { runs: 3, epochs: 2, trainSize: 200, testSize: 200 };
    const shallow = await runExperiment(mlpDescriptor, resolveSettings(mlpDescriptor, undefined, { ...same, hidden: [3, 5] }, 'test'), { out: join(tmp, 'm2'), workers: 2 });
    const deep = await runExperiment(mlpDescriptor, resolveSettings(mlpDescriptor, undefined, { ...same, layers: [100, 3, 3, 10] }, 'test'), { out: join(tmp, 'm3'), workers: 2 });
    expect(mine.map((l: { testLoss: number }) => l.testLoss)).toEqual([...shallow.lines, ...deep.lines].map((l: { testLoss: number }) => l.testLoss));
  }, 120_000);
});

const e = (value: number, lo = value - 0.01, hi = value + 0.01): Est => ({ value, lo, hi });
const pts = (H: number, values: [number, Est][]): Point[] => values.map(([width, est]) => ({ label: `${width}`, H, width, est }));

describe('verdicts from constructed numbers', () => {
  it('holds when every upper CI bound is within the threshold', () => {
    const v = verdict(RULES.A1p, pts(2, [[10, e(0.02)], [50, e(0.03)]]));
    expect([v.holds, v.trend]).toEqual([true, 'flat within CIs']);
    expect(v.text).toBe('holds within 0.050 at every width and depth (largest 0.030 at 50)');
  });

  it('fails by the worst excess, growing with width, at the depth where it grows', () => {
    const v = verdict(RULES.A1p, [...pts(2, [[10, e(0.1)], [50, e(0.3)]]), ...pts(3, [[10, e(0.2)], [25, e(0.2)]])]);
    expect(v.holds).toBe(false);
    expect(v.trend).toBe('H = 2: growing with width; H = 3: flat within CIs');
    expect(v.text).toBe('fails by 0.250 beyond the allowed 0.050 (0.300 at 50; 4 of 4 architectures fail), growing with width at H = 2');
  });

  it('states a ratio rule as a multiple; a CI across the threshold is undecided; nothing finite is not measured', () => {
    expect(verdict(RULES.A6u, pts(2, [[10, e(6)], [20, e(3)]])).text).toBe('fails by 5.0× the allowed 1.20 (6.00 at 10; 2 of 2 architectures fail), shrinking with width');
    expect(verdict(RULES.A5u, pts(2, [[10, e(0.004, 0.001, 0.009)]])).holds).toBeNull();
    expect(verdict(RULES.A5u, pts(2, [[10, e(NaN)]])).text).toBe('not measured');
    expect(trendOf(pts(2, [[10, { value: 1, lo: NaN, hi: NaN }]]))).toBe('one width');
    expect(verdict(RULES.expansion, pts(2, [[10, e(1e-15, NaN, NaN)], [20, e(3e-15, NaN, NaN)]]))).toMatchObject({ holds: true, trend: '–' });
  });

  it('bootstrapMean: the mean, a CI around it, none with one value, nulls skipped', () => {
    const b = bootstrapMean([1, 2, 3, 4, 5, null], 7);
    expect(b.value).toBe(3);
    expect(b.lo).toBeLessThan(3);
    expect(b.hi).toBeGreaterThan(3);
    expect(bootstrapMean([2], 7)).toEqual({ value: 2, lo: NaN, hi: NaN });
    expect(bootstrapMean([1, 1, 1])).toEqual({ value: 1, lo: 1, hi: 1 });
  });
});

describe('landscape audit --net DIR --data DIR --json: one given net', () => {
  const cli = fileURLToPath(new URL('../bin/landscape.js', import.meta.url));
  const sh = (...args: string[]) => spawnSync(process.execPath, [cli, ...args, '--quiet'], { encoding: 'utf8', timeout: 120_000 });
  it('prints every assumption\'s entry; a net with biases is refused (exit 2)', () => {
    const root = mkdtempSync(join(tmpdir(), 'audit-one-'));
    expect(sh('mlp', '--hidden', '4', '--runs', '1', '--epochs', '1', '--train-size', '200', '--test-size', '100', '--save-nets', '1', '--out', join(root, 'm')).status).toBe(0);
    expect(sh('mlp', '--hidden', '4', '--runs', '1', '--epochs', '1', '--train-size', '200', '--test-size', '100', '--bias', '--save-nets', '1', '--out', join(root, 'b')).status).toBe(0);
    expect(sh('export-mnist', '--train-size', '200', '--test-size', '100', '--out', join(root, 'd')).status).toBe(0);
    const r = sh('audit', '--net', join(root, 'm', 'nets', 'h4-r0'), '--data', join(root, 'd', 'train'), '--json');
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    for (const key of ['expansionError', 'A1p', 'A2p', 'A3p', 'A4p', 'A5u', 'A6u', 'A7p']) expect(out).toHaveProperty(key);
    expect(out.expansionError).toBeLessThan(1e-12);
    const b = sh('audit', '--net', join(root, 'b', 'nets', 'h4-r0'), '--data', join(root, 'd', 'train'), '--json');
    expect(b.status).toBe(2);
    expect(b.stderr).toMatch(/--net: .*bias-free/);
  }, 120_000);
});

describe('A7p on the audit\'s own nets', () => {
  it('the last epoch\'s layer norms equal ‖W_l‖²/count of the same net saved by landscape mlp --save-nets', async () => {
    const same = { layers: [100, 4, 3, 10], runs: 2, epochs: 3, trainSize: 200, testSize: 200 };
    const m = join(tmp, 'm-saved');
    await runExperiment(mlpDescriptor, resolveSettings(mlpDescriptor, undefined, { ...same, saveNets: 2 }, 'test'), { out: m, workers: 1 });
    const r = await runExperiment(auditDescriptor, resolveSettings(auditDescriptor, 'smoke', same, 'test'), { out: join(tmp, 'a-saved'), workers: 1 });
    expect(r.lines).toHaveLength(2);
    for (const l of r.lines) {
      const saved = layerMeanSquares(same.layers, readNetDir(join(m, 'nets', `h4x3-r${l.run}`)).params);
      expect(l.A7p.meanSquare.map((c: number[]) => c.at(-1))).toEqual(saved);
      expect(l.A7p.meanSquare[0]).toHaveLength(same.epochs + 1);
    }
  }, 120_000);
});

describe('the estimate of audit', () => {
  it('--dry-run: the training estimate plus the statistics timed by pilots in the workers, nothing written', async () => {
    const { dryRun } = await import('../dist/run/runner.js');
    const s = resolveSettings(auditDescriptor, 'smoke');
    const audit = await dryRun(auditDescriptor, s, { workers: 2 });
    expect(Number.isFinite(audit.estimate!.seconds)).toBe(true);
    expect(audit.estimate!.seconds).toBeGreaterThan(0);
  }, 120_000);
});
