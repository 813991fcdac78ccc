// The registry refactor changed no result: the commands of test/fixtures/golden/README.md, run
// with the current code, give the very bytes main wrote before it (result lines, settings, summaries).
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/landscape.js', import.meta.url));
const golden = fileURLToPath(new URL('./fixtures/golden/', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'golden-'));
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 300_000 });

/**
 * Every value the fixture holds, the new object holds unchanged (a summary may gain fields, e.g.
 * CIs and trend tests, but never change one it had). Returns the first path that differs.
 */
function subsetProblem(old: unknown, now: unknown, path = ''): string | null {
  if (old === null || typeof old !== 'object') return Object.is(old, now) ? null : `${path || '/'}: ${JSON.stringify(old)} became ${JSON.stringify(now)}`;
  if (now === null || typeof now !== 'object' || Array.isArray(old) !== Array.isArray(now)) return `${path || '/'}: no longer the same kind of value`;
  if (Array.isArray(old) && old.length !== (now as unknown[]).length) return `${path}: length ${old.length} became ${(now as unknown[]).length}`;
  for (const [k, v] of Object.entries(old)) {
    const problem = subsetProblem(v, (now as Record<string, unknown>)[k], `${path}/${k}`);
    if (problem) return problem;
  }
  return null;
}

/** Result lines and settings byte for byte; summaries value for value (they may gain fields). */
function expectSameFiles(fixture: string, dir: string): void {
  for (const f of readdirSync(join(golden, fixture))) {
    const was = readFileSync(join(golden, fixture, f), 'utf8'), is = readFileSync(join(dir, f), 'utf8');
    if (f.endsWith('-summary.json')) expect(subsetProblem(JSON.parse(was), JSON.parse(is)), `${fixture}/${f}`).toBeNull();
    else expect(is, `${fixture}/${f}`).toBe(was);
  }
}

const CASES: [string, string[]][] = [
  ['pspin-sgd', ['pspin', '--p', '3', '--n', '7,12', '--restarts', '16', '--method', 'sgd', '--pieces', '2', '--instances', '2']],
  ['pspin-anneal', ['pspin', '--p', '4', '--n', '6', '--restarts', '8', '--method', 'anneal', '--anneal-steps', '50', '--index']],
  ['mlp-deep', ['mlp', '--layers', '100,6,5,10', '--runs', '3', '--epochs', '2', '--train-size', '300', '--test-size', '200', '--bias', '--loss', 'multiclass-hinge']],
  ['mlp-bin', ['mlp', '--hidden', '3,4', '--runs', '4', '--epochs', '2', '--train-size', '300', '--test-size', '200', '--loss', 'binary-hinge', '--normalise', 'standardize', '--downsample', '7']],
];

describe('byte-identical to main before the registry (test/fixtures/golden)', () => {
  it.each(CASES)('%s', (name, args) => {
    const out = join(tmp, name);
    const r = run(...args, '--quiet', '--out', out);
    expect(r.status, r.stderr).toBe(0);
    expectSameFiles(name, out);
  }, 300_000);

  it('reproduce --profile smoke: its spin-glass and network folders', () => {
    const out = join(tmp, 'repro');
    const r = run('reproduce', '--profile', 'smoke', '--quiet', '--out', out);
    expect(r.status, r.stderr).toBe(0);
    expectSameFiles('repro-pspin', join(out, 'pspin'));
    expectSameFiles('repro-mlp', join(out, 'mlp'));
  }, 300_000);

  it('theory --json', () => {
    const r = run('theory', '--p', '3', '--k', '4', '--json');
    expect(r.stdout).toBe(readFileSync(join(golden, 'theory.json'), 'utf8'));
    expect(run('theory', '--p', '4', '--u', '-1.7,-1.6', '--points', '5').stdout).toBe(readFileSync(join(golden, 'theory-table.txt'), 'utf8'));
  });
});
