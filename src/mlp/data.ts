// MNIST for the network lab ([P2] §5): the files (mnist.ts), seeded subsets (subset.ts), area
// averaging and normalisation (preprocess.ts), put together as the dataset a run trains on.
// Platform-neutral. Everything the parts export is exported here too.
import { loadMnist, type MnistSource, type MnistSplit } from './mnist.js';
import { downsample, normalise, type NormaliseMode, type NormaliseStats } from './preprocess.js';
import { SUBSET_STREAM, subset } from './subset.js';

export { MNIST_FILES, clearMnistCache, defaultMnistDir, loadMnist, type Mnist, type MnistSource, type MnistSplit } from './mnist.js';
export { SD_FLOOR, downsample, normalise, type NormaliseMode, type NormaliseStats } from './preprocess.js';
export { SUBSET_STREAM, splitmix64, subset } from './subset.js';

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
