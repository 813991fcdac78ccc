// Nets and data leave and enter the network lab as NumPy folders (shared/FORMATS.md): mlp
// --save-nets writes net folders, export-mnist the data mlp trains on, eval reads both back and
// reproduces the recorded losses bit for bit; mlp --data trains on given folders.
import { describe, it, expect, beforeAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readDataDir, readNpyFile, writeDataDir, writeNpyFile } from '../src/io/node-files.js';

const bin = fileURLToPath(new URL('../bin/landscape.js', import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 120_000 });
const tmp = mkdtempSync(join(tmpdir(), 'mlp-io-'));
const DATA = ['--train-size', '600', '--test-size', '500'];
const SWEEP = ['mlp', '--hidden', '5,8', '--runs', '3', '--epochs', '2', ...DATA, '--quiet'];
const DEEP = ['mlp', '--layers', '100,6,5,10', '--bias', '--runs', '1', '--epochs', '1', ...DATA, '--quiet'];
const lines = (dir: string) => readFileSync(join(dir, 'mlp.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const evalJson = (net: string, data: string) => {
  const r = run('eval', '--net', net, '--data', data, '--json');
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
};

const sweep = join(tmp, 'sweep'), deep = join(tmp, 'deep'), data = join(tmp, 'data');
beforeAll(() => {
  for (const [args, out] of [[[...SWEEP, '--save-nets', '2'], sweep], [[...DEEP, '--save-nets', '1'], deep], [['export-mnist', ...DATA, '--quiet'], data]] as const) {
    const r = run(...args, '--out', out);
    expect(r.status, r.stderr).toBe(0);
  }
}, 120_000);

describe('mlp --save-nets', () => {
  it('writes the first K nets of each width as net folders, and no others', () => {
    expect(readdirSync(join(sweep, 'nets')).sort()).toEqual(['h5-r0', 'h5-r1', 'h8-r0', 'h8-r1']);
    expect(readdirSync(join(sweep, 'nets', 'h8-r1')).sort()).toEqual(['W1.npy', 'W2.npy', 'net.json']);
    const net = JSON.parse(readFileSync(join(sweep, 'nets', 'h8-r1', 'net.json'), 'utf8'));
    expect(net).toMatchObject({ format: 'loss-landscape-lab/net@1', layers: [100, 8, 10], bias: false, activation: 'relu', loss: 'cross-entropy', seed: 1, run: 1 });
    expect(net.settings).toMatchObject({ hidden: [5, 8], runs: 3, saveNets: 2 });
  });

  it('stores W as (n_out, n_in) f32 and b as (n_out,), a deeper net under its widths joined by x', () => {
    expect([1, 2].map((l) => readNpyFile(join(sweep, 'nets', 'h5-r0', `W${l}.npy`))).map((a) => [a.dtype, a.shape])).toEqual([['f32', [5, 100]], ['f32', [10, 5]]]);
    const shapes = ['W1', 'b1', 'W2', 'b2', 'W3', 'b3'].map((f) => readNpyFile(join(deep, 'nets', 'h6x5-r0', `${f}.npy`)).shape);
    expect(shapes).toEqual([[6, 100], [6], [5, 6], [5], [10, 5], [10]]);
  });

  it('leaves the result lines as they are without it', () => {
    const plain = join(tmp, 'plain');
    expect(run(...SWEEP, '--out', plain).status).toBe(0);
    expect(readFileSync(join(sweep, 'mlp.jsonl'), 'utf8')).toBe(readFileSync(join(plain, 'mlp.jsonl'), 'utf8'));
    expect(existsSync(join(plain, 'nets'))).toBe(false);
  }, 60_000);
});

describe('export-mnist and eval', () => {
  it('export-mnist writes train/ and test/ data folders of the asked sizes', () => {
    const [train, test] = ['train', 'test'].map((s) => readDataDir(join(data, s)));
    expect([train.S, train.d, test.S, test.d, train.X instanceof Float32Array]).toEqual([600, 100, 500, 100, true]);
    expect(train.meta).toMatchObject({ source: 'mnist train', downsample: 10, normalise: 'none' });
    expect((train.meta.indices as number[]).length).toBe(600);
  });

  it('eval reproduces the recorded train and test loss exactly, runs 0 and 1 of two widths', () => {
    const recorded = lines(sweep).filter((l) => l.run < 2);
    const got = recorded.map((l) => ['train', 'test'].map((s) => evalJson(join(sweep, 'nets', `h${l.hidden}-r${l.run}`), join(data, s))));
    expect(got.map(([tr, te]) => [tr.loss, te.loss, tr.error, te.error])).toEqual(recorded.map((l) => [l.trainLoss, l.testLoss, l.trainError, l.testError]));
    expect(got[0][0]).toMatchObject({ params: 100 * 5 + 5 * 10, samples: 600 });
    expect(got.every(([tr]) => tr.gradNorm > 0 && Number.isFinite(tr.gradNorm))).toBe(true);
  }, 60_000);

  it('eval reproduces a deeper net with biases', () => {
    const [l] = lines(deep);
    expect(evalJson(join(deep, 'nets', 'h6x5-r0'), join(data, 'test')).loss).toBe(l.testLoss);
  });

  it('a W1.npy of the wrong shape: exit 2, one line naming W1.npy', () => {
    const bad = join(tmp, 'bad-net');
    cpSync(join(sweep, 'nets', 'h5-r0'), bad, { recursive: true });
    cpSync(join(sweep, 'nets', 'h8-r0', 'W1.npy'), join(bad, 'W1.npy'));
    const r = run('eval', '--net', bad, '--data', join(data, 'test'));
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([`landscape: ${join(bad, 'W1.npy')}: shape (8, 100), expected (5, 100)`]);
  });
});

describe('mlp --data', () => {
  it('on exported data gives the very result lines of MNIST with the same flags', () => {
    const out = join(tmp, 'from-data');
    const r = run(...SWEEP, '--data', data, '--out', out);
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(join(out, 'mlp.jsonl'), 'utf8')).toBe(readFileSync(join(sweep, 'mlp.jsonl'), 'utf8'));
    expect(JSON.parse(readFileSync(join(out, 'mlp-settings.json'), 'utf8')).data).toBe(data);
  }, 60_000);

  it('an X.npy of the wrong width: exit 2 before anything runs, naming X.npy', () => {
    const bad = join(tmp, 'bad-data');
    cpSync(data, bad, { recursive: true });
    const train = readDataDir(join(bad, 'train'));
    writeDataDir(join(bad, 'train'), { ...train, X: train.X.subarray(0, 600 * 49), d: 49 });
    const r = run(...SWEEP, '--data', bad, '--out', join(tmp, 'never'));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^landscape: --data: ${join(bad, 'train', 'X.npy')}: shape \\(600, 49\\)[^\\n]*\\n$`));
    expect(existsSync(join(tmp, 'never'))).toBe(false);
  });

  it('labels outside the classes: exit 2 naming y.npy', () => {
    const bad = join(tmp, 'bad-labels');
    cpSync(data, bad, { recursive: true });
    writeNpyFile(join(bad, 'test', 'y.npy'), Int32Array.from({ length: 500 }, (_, i) => (i === 7 ? 10 : 0)), [500]);
    const r = run(...SWEEP, '--data', bad, '--out', join(tmp, 'never2'));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${join(bad, 'test', 'y.npy')}: label 10 at index 7`);
  });
});
