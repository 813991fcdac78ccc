// Data folders (shared/FORMATS.md) in the network lab: the prepared MNIST subsets written as
// folders (export-mnist), and given folders read back for training (mlp --data) or for one net
// (eval). Platform-neutral: bytes arrive through platform.readBytes, in a worker or a page.
import { readBytes } from '../platform.js';
import { FolderError, decodeDataFolder, type DataFolder, type FolderFiles } from '../io/folders.js';
import type { Dataset } from './data.js';
import { isBinaryLoss, type MlpLoss } from './reference.js';
import { parityLabels } from './net.js';
import type { TrainingData } from './train.js';

/** The train and test folders of export-mnist: exactly the arrays the experiment trains and tests on. */
export function mnistDataFolders(ds: Dataset): { train: DataFolder<Float32Array>; test: DataFolder<Float32Array> } {
  const { size, method, normalise, stats, seed, streams } = ds.meta;
  const meta = (split: 'train' | 'test', indices: Uint32Array) => ({
    source: `mnist ${split}`, indices: Array.from(indices), downsample: size, method, normalise, seed, stream: streams[split],
    // The training statistics applied to both splits, so new images can be normalised alike.
    ...(normalise === 'none' ? {} : { mean: Array.from(stats.mean), sd: Array.from(stats.sd) }),
  });
  return {
    train: { X: ds.xTrain, S: ds.nTrain, d: ds.d, y: Int32Array.from(ds.yTrain), meta: meta('train', ds.meta.trainIndices) },
    test: { X: ds.xTest, S: ds.nTest, d: ds.d, y: Int32Array.from(ds.yTest), meta: meta('test', ds.meta.testIndices) },
  };
}

const isUrl = (s: string) => /^[a-z][a-z0-9+.-]*:\/\//i.test(s);
/** A file in a folder given as a URL or a path; a path's %, # and ? are escaped so that readBytes' URL parse keeps them. */
export function folderPath(dir: string, name: string): string {
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}
function fileRef(dir: string, name: string): string {
  const p = folderPath(dir, name);
  return isUrl(p) ? p : p.replace(/%/g, '%25').replace(/#/g, '%23').replace(/\?/g, '%3F');
}

async function readIfThere(dir: string, name: string): Promise<Uint8Array | undefined> {
  try {
    return await readBytes(fileRef(dir, name));
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || /HTTP 404/.test((e as Error).message)) return undefined;
    throw new FolderError(folderPath(dir, name), `cannot read: ${(e as Error).message}`);
  }
}

/** Reads one data folder (data.json, X.npy, y.npy); a missing file is a FolderError naming it. */
export async function readDataFolder(dir: string): Promise<DataFolder> {
  const files: FolderFiles = {};
  await Promise.all(['data.json', 'X.npy', 'y.npy'].map(async (name) => {
    const bytes = await readIfThere(dir, name);
    if (bytes) files[name] = bytes;
  }));
  return decodeDataFolder(files, dir);
}

export interface DataSource {
  train: DataFolder;
  test: DataFolder;
  /** The folders, for messages (the same one twice for a single data folder). */
  trainDir: string;
  testDir: string;
}

/**
 * The data of `mlp --data DIR`: DIR/train/ and DIR/test/ (as export-mnist writes them), or DIR a
 * single data folder that serves as both the training and the test set.
 */
export async function readDataSource(dir: string): Promise<DataSource> {
  const base = dir.replace(/\/+$/, '') || '/';
  const [trainDir, testDir] = [folderPath(base, 'train'), folderPath(base, 'test')];
  if (await readIfThere(trainDir, 'data.json')) return { train: await readDataFolder(trainDir), test: await readDataFolder(testDir), trainDir, testDir };
  if (await readIfThere(base, 'data.json')) {
    const one = await readDataFolder(base);
    return { train: one, test: one, trainDir: base, testDir: base };
  }
  throw new FolderError(base, 'holds neither train/ and test/ data folders nor a data.json (one data folder for both)');
}

/**
 * Labels for the loss from a data folder's y: classes 0..C−1; for the binary losses ±1 as given
 * (when every label is ±1), else digits 0..9 mapped to parity (even +1, odd −1) as for MNIST.
 */
export function labelsForLoss(y: Int32Array, loss: MlpLoss, classes: number, file: string): Int32Array {
  if (isBinaryLoss(loss)) {
    if (y.every((v) => v === 1 || v === -1)) return y.slice();
    const bad = y.findIndex((v) => v < 0 || v > 9);
    if (bad >= 0) throw new FolderError(file, `label ${y[bad]} at index ${bad}: the ${loss} loss takes ±1 labels, or digits 0..9 (even → +1, odd → −1)`);
    return parityLabels(y);
  }
  const bad = y.findIndex((v) => v < 0 || v >= classes);
  if (bad >= 0) throw new FolderError(file, `label ${y[bad]} at index ${bad} is outside 0..${classes - 1}, the classes of the ${loss} loss`);
  return y.slice();
}

/** What the settings ask of the data: rows, inputs per row, and how they were made (when data.json says). */
export interface DataNeeds { trainSize: number; testSize: number; inputs: number; downsample: number; normalise: string; loss: MlpLoss; classes: number }

/** Checks a data source against the settings before anything runs; throws a FolderError naming the file. */
export function checkDataSource(src: DataSource, need: DataNeeds): void {
  const parts = [[src.train, src.trainDir, need.trainSize, 'train-size'], [src.test, src.testDir, need.testSize, 'test-size']] as const;
  for (const [data, dir, rows, flag] of parts) {
    const x = folderPath(dir, 'X.npy');
    if (data.d !== need.inputs) throw new FolderError(x, `shape (${data.S}, ${data.d}), expected (S, ${need.inputs}): the nets take ${need.inputs} inputs (--downsample ${need.downsample} squared)`);
    if (data.S < rows) throw new FolderError(x, `holds ${data.S} rows, fewer than --${flag} ${rows} (the first --${flag} rows are used)`);
    labelsForLoss(data.y.subarray(0, rows), need.loss, need.classes, folderPath(dir, 'y.npy'));
    const json = folderPath(dir, 'data.json');
    for (const [key, want] of [['downsample', need.downsample], ['normalise', need.normalise]] as const) {
      const has = data.meta[key];
      if (has !== undefined && has !== want) {
        throw new FolderError(json, `says "${key}": ${JSON.stringify(has)} but --${key} is ${want}; the data are used as given, so pass the flags they were made with`);
      }
    }
  }
}

/** Digits kept for the sweep's label step (lossLabels): a binary ±1 label becomes the digit of its parity. */
function digitsOf(y: Int32Array, loss: MlpLoss): Uint8Array {
  if (isBinaryLoss(loss) && y.every((v) => v === 1 || v === -1)) return Uint8Array.from(y, (v) => (v === 1 ? 0 : 1));
  return Uint8Array.from(y);
}

const rows = (x: Float32Array | Float64Array, n: number, d: number) => (x instanceof Float32Array ? x.slice(0, n * d) : Float32Array.from(x.subarray(0, n * d)));

/** The first trainSize / testSize rows of a (checked) data source, as the worker uploads them. */
export function trainingDataOf(src: DataSource, trainSize: number, testSize: number, loss: MlpLoss): TrainingData {
  const d = src.train.d;
  return {
    d, nTrain: trainSize, nTest: testSize,
    xTrain: rows(src.train.X, trainSize, d), yTrain: digitsOf(src.train.y.subarray(0, trainSize), loss),
    xTest: rows(src.test.X, testSize, d), yTest: digitsOf(src.test.y.subarray(0, testSize), loss),
  };
}
