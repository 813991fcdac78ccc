// Net and data folders (shared/FORMATS.md): net.json + W{l}.npy (n_l, n_{l-1}) [+ b{l}.npy (n_l,)],
// the torch.nn.Linear layout; data.json + X.npy (S, d) + y.npy (S,). Platform-neutral: folders are
// maps of file name → bytes; src/io/node-files.ts reads and writes them as directories.
import { MLP_LOSSES, type MlpLoss, paramCount } from '../mlp/reference.js';
import { expectDType, expectShape, readNpy, toInt32, writeNpy, type NpyArray } from './npy.js';

export const NET_FORMAT = 'loss-landscape-lab/net@1';
export const DATA_FORMAT = 'loss-landscape-lab/data@1';

/** A folder's files: name → bytes. */
export type FolderFiles = Record<string, Uint8Array>;

/** A folder whose net.json or data.json is wrong, or a file that is missing or extra. */
export class FolderError extends Error {
  constructor(readonly file: string, readonly detail: string) {
    super(`${file}: ${detail}`);
    this.name = 'FolderError';
  }
}

export interface NetFolder<P extends Float32Array | Float64Array = Float32Array | Float64Array> {
  /** All widths, input first: [n0, n1, ..., nL]. */
  layers: number[];
  bias: boolean;
  activation: 'relu';
  loss: MlpLoss;
  /** W1 row-major (n1 × n0), b1, W2, b2, ...: the layout of MlpNet's params. */
  params: P;
  /** Seed, run, settings...: stored as further top-level keys of net.json. */
  provenance: Record<string, unknown>;
}

export interface DataFolder<X extends Float32Array | Float64Array = Float32Array | Float64Array> {
  /** S × d row-major. */
  X: X;
  S: number;
  d: number;
  /** S labels; their range (0..C−1 or ±1) is the caller's to check. */
  y: Int32Array;
  /** source, indices, downsample, normalise...: further top-level keys of data.json. */
  meta: Record<string, unknown>;
}

const NET_KEYS = ['format', 'layers', 'bias', 'activation', 'loss'];
const enc = new TextEncoder();
const path = (dir: string, name: string) => (dir === '' ? name : dir.endsWith('/') ? dir + name : `${dir}/${name}`);

/** JSON with two-space indents, but arrays of numbers and strings on one line (indices can be 60 000 long). */
function jsonText(value: unknown, indent = ''): string {
  if (Array.isArray(value) && value.every((v) => v === null || typeof v !== 'object')) return JSON.stringify(value);
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const inner = indent + '  ';
  const items = Array.isArray(value)
    ? value.map((v) => inner + jsonText(v, inner))
    : Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => `${inner}${JSON.stringify(k)}: ${jsonText(v, inner)}`);
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  return items.length === 0 ? open + close : `${open}\n${items.join(',\n')}\n${indent}${close}`;
}

function checkNet(net: NetFolder): void {
  const { layers, bias, loss, params, activation } = net;
  if (!Array.isArray(layers) || layers.length < 2 || !layers.every((n) => Number.isSafeInteger(n) && n >= 1)) {
    throw new RangeError(`encodeNetFolder: layers must be ≥ 2 positive integers, got ${JSON.stringify(layers)}`);
  }
  if (activation !== 'relu') throw new RangeError(`encodeNetFolder: activation must be 'relu', got ${JSON.stringify(activation)}`);
  if (!MLP_LOSSES.includes(loss)) throw new RangeError(`encodeNetFolder: loss must be one of ${MLP_LOSSES.join(', ')}, got ${JSON.stringify(loss)}`);
  const n = paramCount(layers, bias);
  if (params.length !== n) throw new RangeError(`encodeNetFolder: layers ${layers.join('×')} (bias ${bias}) need ${n} params, got ${params.length}`);
  const clash = Object.keys(net.provenance).find((k) => NET_KEYS.includes(k));
  if (clash) throw new RangeError(`encodeNetFolder: provenance key '${clash}' would overwrite net.json's own`);
}

/** The files of a net folder; weights keep the dtype of `params` (f32 for a trained net). */
export function encodeNetFolder(net: NetFolder): FolderFiles {
  checkNet(net);
  const { layers, bias, params } = net;
  const json = { format: NET_FORMAT, layers, bias, activation: net.activation, loss: net.loss, ...net.provenance };
  const files: FolderFiles = { 'net.json': enc.encode(jsonText(json) + '\n') };
  let o = 0;
  for (let l = 1; l < layers.length; l++) {
    const [rows, cols] = [layers[l], layers[l - 1]];
    files[`W${l}.npy`] = writeNpy(params.subarray(o, (o += rows * cols)), [rows, cols]);
    if (bias) files[`b${l}.npy`] = writeNpy(params.subarray(o, (o += rows)), [rows]);
  }
  return files;
}

function parseJson(files: FolderFiles, dir: string, name: string, format: string): Record<string, unknown> {
  const file = path(dir, name);
  const bytes = files[name];
  if (!bytes) throw new FolderError(file, `missing; a ${format} folder needs it`);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    throw new FolderError(file, `not valid JSON (${(e as Error).message})`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new FolderError(file, 'expected a JSON object');
  const obj = json as Record<string, unknown>;
  if (obj.format !== format) throw new FolderError(file, `format ${JSON.stringify(obj.format)}, expected "${format}"`);
  return obj;
}

function npy(files: FolderFiles, dir: string, name: string, why: string): NpyArray {
  const bytes = files[name];
  if (!bytes) throw new FolderError(path(dir, name), `missing; ${why}`);
  return readNpy(bytes, path(dir, name));
}

/**
 * Reads a net folder, checking net.json and that W{l} is (n_l, n_{l-1}) and b{l} (n_l,) present
 * exactly when "bias" is true. Params are f32 when every file is f4, else f64.
 */
export function decodeNetFolder(files: FolderFiles, what: string): NetFolder {
  const jsonFile = path(what, 'net.json');
  const { format: _f, layers, bias, activation, loss, ...provenance } = parseJson(files, what, 'net.json', NET_FORMAT);
  if (!Array.isArray(layers) || layers.length < 2 || !layers.every((n) => Number.isSafeInteger(n) && n >= 1)) {
    throw new FolderError(jsonFile, `"layers" ${JSON.stringify(layers)}, expected ≥ 2 positive integer widths, input first`);
  }
  if (typeof bias !== 'boolean') throw new FolderError(jsonFile, `"bias" ${JSON.stringify(bias)}, expected true or false`);
  if (activation !== 'relu') throw new FolderError(jsonFile, `"activation" ${JSON.stringify(activation)}, expected "relu"`);
  if (!MLP_LOSSES.includes(loss as MlpLoss)) throw new FolderError(jsonFile, `"loss" ${JSON.stringify(loss)}, expected one of ${MLP_LOSSES.map((s) => `"${s}"`).join(', ')}`);
  const L = layers.length - 1;
  const layout = `layers ${layers.join('×')}, bias ${bias}`;
  if (files[`W${L + 1}.npy`]) throw new FolderError(path(what, `W${L + 1}.npy`), `present, but net.json says ${layout}`);
  const parts: NpyArray[] = [];
  for (let l = 1; l <= L; l++) {
    const need = `net.json says ${layout}`;
    const W = npy(files, what, `W${l}.npy`, need);
    parts.push(expectShape(expectDType(W, ['f32', 'f64'], path(what, `W${l}.npy`)), [layers[l], layers[l - 1]], path(what, `W${l}.npy`)));
    if (bias) {
      const b = npy(files, what, `b${l}.npy`, need);
      parts.push(expectShape(expectDType(b, ['f32', 'f64'], path(what, `b${l}.npy`)), [layers[l]], path(what, `b${l}.npy`)));
    } else if (files[`b${l}.npy`]) {
      throw new FolderError(path(what, `b${l}.npy`), `present, but net.json says ${layout}`);
    }
  }
  const params = parts.every((p) => p.dtype === 'f32') ? new Float32Array(paramCount(layers, bias)) : new Float64Array(paramCount(layers, bias));
  let o = 0;
  for (const p of parts) {
    params.set(p.data as Float32Array | Float64Array, o);
    o += p.data.length;
  }
  return { layers, bias, activation, loss: loss as MlpLoss, params, provenance };
}

/** The files of a data folder: X.npy (S, d) in X's dtype, y.npy (S,) int32, data.json. */
export function encodeDataFolder(data: DataFolder): FolderFiles {
  const { X, S, d, y, meta } = data;
  if (!Number.isSafeInteger(S) || !Number.isSafeInteger(d) || S < 0 || d < 0) throw new RangeError(`encodeDataFolder: S and d must be non-negative integers, got ${S}, ${d}`);
  if (X.length !== S * d) throw new RangeError(`encodeDataFolder: X holds ${X.length} values, S × d = ${S} × ${d} = ${S * d}`);
  if (y.length !== S) throw new RangeError(`encodeDataFolder: y holds ${y.length} labels, S = ${S}`);
  if ('format' in meta) throw new RangeError(`encodeDataFolder: meta key 'format' would overwrite data.json's own`);
  return {
    'X.npy': writeNpy(X, [S, d]),
    'y.npy': writeNpy(y, [S]),
    'data.json': enc.encode(jsonText({ format: DATA_FORMAT, ...meta }) + '\n'),
  };
}

/** Reads a data folder: X (S, d) f4 or f8, kept; y (S,) any integer dtype (numpy's default i8 too), as i32. */
export function decodeDataFolder(files: FolderFiles, what: string): DataFolder {
  const { format: _f, ...meta } = parseJson(files, what, 'data.json', DATA_FORMAT);
  const xFile = path(what, 'X.npy');
  const yFile = path(what, 'y.npy');
  const X = expectDType(npy(files, what, 'X.npy', 'a data folder needs X.npy (S, d)'), ['f32', 'f64'], xFile);
  expectShape(X, [null, null], xFile);
  const [S, d] = X.shape;
  const y = expectShape(npy(files, what, 'y.npy', 'a data folder needs y.npy (S,)'), [S], yFile);
  return { X: X.data as Float32Array | Float64Array, S, d, y: toInt32(y, yFile), meta };
}
