// `landscape hessian`: nets trained as `landscape mlp` trains them, their exact index; the same
// bytes with 1 and 2 workers; saved spectra agree with the lines; the index test of inertia holds.
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readNpy } from '../src/io/npy.js';

const bin = fileURLToPath(new URL('../bin/landscape.js', import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args, '--quiet'], { encoding: 'utf8', timeout: 120_000 });
const tmp = mkdtempSync(join(tmpdir(), 'hessian-'));
const read = (dir: string, f: string) => readFileSync(join(dir, f), 'utf8');
const lines = (dir: string, f: string) => read(dir, f).trim().split('\n').map((l) => JSON.parse(l));
const SMOKE = ['hessian', '--profile', 'smoke'];

describe('landscape hessian', () => {
  const a = join(tmp, 'a');
  it('the smoke profile: one line per net with its exact index, inertia agreeing with the spectrum', () => {
    const r = run(...SMOKE, '--workers', '1', '--save-spectra', '2', '--out', a);
    expect(r.status, r.stderr).toBe(0);
    const ls = lines(a, 'hessian.jsonl');
    expect(ls).toHaveLength(6);
    for (const l of ls) {
      expect(l.negativeByInertia).toBe(l.negative[0]);
      expect(l.asymmetry).toBeLessThan(1e-12);
      expect(l.normalisedIndex).toBeGreaterThanOrEqual(0);
      expect(l.expectedZeros).toBe(l.hidden + l.deadInputs * l.hidden);
      expect(l.nearZero).toBeGreaterThanOrEqual(l.deadInputs * l.hidden); // dead inputs give exact zeros
      // One hidden layer, cross-entropy: each layer's own block is Gauss-Newton only (σ'' = 0), so PSD
      expect(l.blocks.layers.map((b: { size: number }) => b.size)).toEqual([100 * l.hidden, l.hidden * 10]);
      for (const b of l.blocks.layers) expect(b.min).toBeGreaterThan(-1e-10);
      expect(l.blocks.crossShare).toBeGreaterThan(0);
    }
  }, 120_000);

  it('gives the same bytes on 2 workers', () => {
    const b = join(tmp, 'b');
    expect(run(...SMOKE, '--workers', '2', '--save-spectra', '2', '--out', b).status).toBe(0);
    expect(read(b, 'hessian.jsonl')).toBe(read(a, 'hessian.jsonl'));
    expect(readFileSync(join(b, 'spectra-h3.npy'))).toEqual(readFileSync(join(a, 'spectra-h3.npy')));
  }, 120_000);

  it('saved spectra (2 × P per width) agree with the lines: ascending, negative count, extremes', () => {
    const ls = lines(a, 'hessian.jsonl').filter((l) => l.hidden === 3);
    const s = readNpy(new Uint8Array(readFileSync(join(a, 'spectra-h3.npy'))), 'spectra-h3.npy');
    const P = ls[0].params;
    expect(s.shape).toEqual([2, P]);
    for (let r = 0; r < 2; r++) {
      const ev = Array.from((s.data as Float64Array).subarray(r * P, (r + 1) * P));
      expect(ev).toEqual([...ev].sort((x, y) => x - y));
      expect(ev.filter((v) => v < -1e-3).length).toBe(ls[r].negative[0]);
      expect(ev[0]).toBe(ls[r].spectrum.min);
      expect(ev[P - 1]).toBe(ls[r].spectrum.max);
    }
  });

  it('--net DIR --data DIR --json: one saved net, the same index as the ensemble line of that net', () => {
    const m = join(tmp, 'saved'), d = join(tmp, 'data');
    const flags = ['--hidden', '3,5', '--runs', '3', '--epochs', '2', '--train-size', '200', '--test-size', '200'];
    expect(run('mlp', ...flags, '--save-nets', '1', '--out', m).status).toBe(0);
    expect(run('export-mnist', '--train-size', '200', '--test-size', '200', '--out', d).status).toBe(0);
    const r = run('hessian', '--net', join(m, 'nets', 'h5-r0'), '--data', join(d, 'train'), '--spectrum', 'full', '--json');
    expect(r.status, r.stderr).toBe(0);
    const one = JSON.parse(r.stdout);
    const line = lines(a, 'hessian.jsonl').find((l) => l.hidden === 5 && l.run === 0);
    expect(Object.keys(one).slice(0, 5)).toEqual(['params', 'loss', 'gradNorm', 'index', 'normalisedIndex']);
    expect(one.eigenvalues).toHaveLength(one.params);
    expect(one.normalisedIndex).toBe(line.normalisedIndex);
    expect(one.gradNorm).toBe(line.gradNorm);
    expect(one.index).toBe(line.negative[0]);
  }, 120_000);

  it('trains the very nets landscape mlp trains (same settings, same test loss)', () => {
    const m = join(tmp, 'm');
    expect(run('mlp', '--profile', 'smoke', '--hidden', '3,5', '--runs', '3', '--epochs', '2', '--train-size', '200', '--test-size', '200', '--out', m).status).toBe(0);
    const mine = lines(a, 'hessian.jsonl'), theirs = lines(m, 'mlp.jsonl');
    mine.forEach((l, i) => {
      expect(l.testLoss).toBe(theirs[i].testLoss);
      expect(Math.abs(l.trainLoss - theirs[i].trainLoss)).toBeLessThan(1e-5); // f64 over the set against the f32 kernels
    });
  }, 120_000);
});
