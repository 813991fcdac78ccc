import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/landscape.js', import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 120_000 });
const tmp = () => mkdtempSync(join(tmpdir(), 'pspin-cli-'));
const SMALL = ['pspin', '--p', '3', '--n', '9,20', '--restarts', '40', '--instances', '2', '--index', '--quiet'];

describe('landscape pspin', () => {
  it('writes identical JSONL with 1 and 2 workers, one line per restart in task order', () => {
    const a = tmp(), b = tmp();
    expect(run(...SMALL, '--workers', '1', '--out', a).status).toBe(0);
    expect(run(...SMALL, '--workers', '2', '--out', b).status).toBe(0);
    const la = readFileSync(join(a, 'pspin.jsonl'), 'utf8');
    expect(la).toBe(readFileSync(join(b, 'pspin.jsonl'), 'utf8'));
    const lines = la.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2 * 2 * 40);
    expect(Object.keys(lines[0])).toEqual(['p', 'n', 'instance', 'restart', 'method', 'energy', 'gradNorm', 'iterations', 'converged', 'index']);
    expect(lines.map((l) => `${l.n}/${l.instance}/${l.restart}`)).toEqual(
      [9, 20].flatMap((n) => [0, 1].flatMap((i) => Array.from({ length: 40 }, (_, r) => `${n}/${i}/${r}`))));
    expect(existsSync(join(a, 'pspin-summary.json'))).toBe(true);
  });

  it.each(['sgd', 'anneal'])('--method %s is identical with 1 and 2 workers', (method) => {
    const args = ['pspin', '--n', '12', '--restarts', '20', '--instances', '3', '--method', method, '--anneal-steps', '200', '--quiet'];
    const a = tmp(), b = tmp();
    expect(run(...args, '--workers', '1', '--out', a).status).toBe(0);
    expect(run(...args, '--workers', '2', '--out', b).status).toBe(0);
    expect(readFileSync(join(a, 'pspin.jsonl'), 'utf8')).toBe(readFileSync(join(b, 'pspin.jsonl'), 'utf8'));
  });

  it.each(['gd', 'sgd', 'anneal'])('a restart does not depend on its lane or task: 12 restarts equal the first 12 of 20 (%s)', (method) => {
    const base = ['pspin', '--n', '10', '--method', method, '--anneal-steps', '100', '--quiet'];
    const a = tmp(), b = tmp();
    expect(run(...base, '--restarts', '20', '--out', a).status).toBe(0);
    expect(run(...base, '--restarts', '12', '--out', b).status).toBe(0);
    const la = readFileSync(join(a, 'pspin.jsonl'), 'utf8').split('\n').slice(0, 12);
    expect(readFileSync(join(b, 'pspin.jsonl'), 'utf8').split('\n').slice(0, 12)).toEqual(la);
  });

  it('--resume repairs a torn last line, recomputes only missing tasks, and ends byte-identical', () => {
    const full = tmp(), cut = tmp();
    expect(run(...SMALL, '--out', full).status).toBe(0);
    const text = readFileSync(join(full, 'pspin.jsonl'), 'utf8');
    expect(run(...SMALL, '--out', cut).status).toBe(0);
    // Keep the first 50 lines and half of the 51st, as a crash mid-write would.
    const lines = text.split('\n');
    writeFileSync(join(cut, 'pspin.jsonl'), lines.slice(0, 50).join('\n') + '\n' + lines[50].slice(0, 20));
    const r = run(...SMALL.filter((x) => x !== '--quiet'), '--out', cut, '--resume');
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/resuming: 40 of 160 restarts already/);
    expect(readFileSync(join(cut, 'pspin.jsonl'), 'utf8')).toBe(text);
  });

  it('refuses to overwrite results without --resume, and to resume other settings', () => {
    const d = tmp();
    expect(run(...SMALL, '--out', d).status).toBe(0);
    const again = run(...SMALL, '--out', d);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/already exists; pass --resume/);
    const other = run(...SMALL, '--out', d, '--resume', '--lr', '0.1');
    expect(other.status).toBe(2);
    expect(other.stderr).toMatch(/records different settings/);
  });

  const bad: [string[], RegExp][] = [
    [['pspin', '--p', '7'], /--p.*integer in \[2, 5\]/],
    [['pspin', '--n', '25,abc'], /--n.*comma-separated list/],
    [['pspin', '--n', '1'], /--n.*\[2, 65535\]/],
    [['pspin', '--restarts', '0'], /--restarts/],
    [['pspin', '--coupling', 'cauchy'], /--coupling.*one of gaussian, rademacher, uniform, exponential/],
    [['pspin', '--lr', '-1'], /--lr.*positive/],
    [['pspin', '--storage', 'sparse'], /--storage.*one of auto, dense, packed/],
    [['pspin', '--p', '3', '--n', '2000', '--storage', 'dense'], /needs 29\.8 GiB of wasm memory/],
  ];
  it.each(bad)('bad input %j: exit 2, one line, no result file', (args, pattern) => {
    const d = tmp();
    const r = run(...args, '--out', join(d, 'o'));
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(pattern);
    expect(existsSync(join(d, 'o', 'pspin.jsonl'))).toBe(false);
  });
});
