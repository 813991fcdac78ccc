// Spin-glass arrays as NumPy files: --save-couplings writes the dense tensor that --couplings reads
// back to the same energies bit for bit; endpoints and spectra agree with the result lines.
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readNpy, writeNpy } from '../src/io/npy.js';
import { energy } from '../src/pspin/reference.js';

const bin = fileURLToPath(new URL('../bin/landscape.js', import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args, '--quiet'], { encoding: 'utf8', timeout: 120_000 });
const tmp = mkdtempSync(join(tmpdir(), 'pspin-io-'));
const npy = (dir: string, f: string) => readNpy(new Uint8Array(readFileSync(join(dir, f))), f);
const lines = (dir: string) => readFileSync(join(dir, 'pspin.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const A = join(tmp, 'a');
const base = ['pspin', '--p', '3', '--n', '7', '--restarts', '20', '--index'];

describe('spin-glass NumPy files', () => {
  it('writes couplings (Λ,Λ,Λ) f8, endpoints (restarts, Λ) and the first K spectra (K, Λ−1)', () => {
    const r = run(...base, '--save-couplings', '--save-endpoints', '--save-spectra', '12', '--out', A);
    expect(r.status, r.stderr).toBe(0);
    expect(npy(A, 'couplings-L7-i0.npy')).toMatchObject({ dtype: 'f64', shape: [7, 7, 7] });
    expect(npy(A, 'endpoints-L7-i0.npy')).toMatchObject({ dtype: 'f64', shape: [20, 7] });
    expect(npy(A, 'spectra-L7-i0.npy')).toMatchObject({ dtype: 'f64', shape: [12, 6] });
  }, 120_000);

  it('--couplings on the saved tensor reproduces every line bit for bit (packed and dense)', () => {
    const B = join(tmp, 'b');
    expect(run(...base, '--couplings', join(A, 'couplings-L7-i0.npy'), '--out', B).status).toBe(0);
    expect(readFileSync(join(B, 'pspin.jsonl'), 'utf8')).toBe(readFileSync(join(A, 'pspin.jsonl'), 'utf8'));
    const D1 = join(tmp, 'd1'), D2 = join(tmp, 'd2');
    expect(run(...base, '--storage', 'dense', '--save-couplings', '--out', D1).status).toBe(0);
    expect(run(...base, '--storage', 'dense', '--couplings', join(D1, 'couplings-L7-i0.npy'), '--out', D2).status).toBe(0);
    expect(readFileSync(join(D2, 'pspin.jsonl'), 'utf8')).toBe(readFileSync(join(D1, 'pspin.jsonl'), 'utf8'));
  }, 120_000);

  it('endpoints lie on the sphere with the energies of their lines; spectra count the index', () => {
    const J = Float64Array.from(npy(A, 'couplings-L7-i0.npy').data as Float64Array);
    const W = npy(A, 'endpoints-L7-i0.npy').data as Float64Array;
    const S = npy(A, 'spectra-L7-i0.npy').data as Float64Array;
    lines(A).forEach((l, r) => {
      const w = W.subarray(7 * r, 7 * r + 7);
      expect(w.reduce((s, x) => s + x * x, 0)).toBeCloseTo(7, 4);
      // f64 couplings against the run's f32 ones: agreement to f32 precision
      expect(Math.abs(energy({ p: 3, n: 7, J }, w) / 7 - l.energy)).toBeLessThan(1e-5);
      if (r < 12) {
        const s = Array.from(S.subarray(6 * r, 6 * r + 6));
        expect(s).toEqual([...s].sort((a, b) => a - b));
        expect(s.filter((x) => x < -1e-3).length).toBe(l.index);
      }
    });
  });

  it('a wrong tensor, a Fortran-order file or two sizes with --couplings: exit 2 naming it', () => {
    const flat = join(tmp, 'flat.npy');
    writeFileSync(flat, writeNpy(new Float64Array(49), [7, 7]));
    for (const [args, pattern] of [
      [[...base, '--couplings', flat], /flat\.npy/],
      [[...base, '--couplings', fileURLToPath(new URL('./fixtures/npy/fortran_f8_2x3.npy', import.meta.url))], /fortran_f8_2x3\.npy/],
      [['pspin', '--p', '3', '--n', '7,8', '--restarts', '8', '--couplings', join(A, 'couplings-L7-i0.npy')], /--couplings/],
      [[...base, '--save-spectra', '30'], /--save-spectra/],
    ] as [string[], RegExp][]) {
      const r = run(...args, '--out', join(tmp, `bad-${Math.random()}`));
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(pattern);
    }
  }, 120_000);

  it('shards with --save-endpoints merge into the single run\'s files', () => {
    const s1 = join(tmp, 's1'), s2 = join(tmp, 's2'), m = join(tmp, 'm');
    const args = ['pspin', '--p', '3', '--n', '7,9', '--restarts', '300', '--save-endpoints'];
    const single = join(tmp, 'single');
    expect(run(...args, '--out', single).status).toBe(0);
    expect(run(...args, '--shard', '1/2', '--out', s1).status).toBe(0);
    expect(run(...args, '--shard', '2/2', '--out', s2).status).toBe(0);
    const r = run('merge', s1, s2, '--out', m);
    expect(r.status, r.stderr).toBe(0);
    for (const f of ['endpoints-L7-i0.npy', 'endpoints-L9-i0.npy']) expect(readFileSync(join(m, f))).toEqual(readFileSync(join(single, f)));
  }, 120_000);
});
