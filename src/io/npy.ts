// NumPy .npy files (numpy.lib.format, versions 1.0/2.0/3.0): magic \x93NUMPY, version, header
// length (u16 LE, or u32 LE from 2.0), a Python dict literal padded so the data start at a multiple
// of 64 bytes, then Π shape values little-endian in C order. Platform-neutral: works on bytes.

/** A malformed or unexpected .npy file; the message starts with the file's name. */
export class NpyError extends Error {
  constructor(readonly file: string, readonly detail: string) {
    super(`${file}: ${detail}`);
    this.name = 'NpyError';
  }
}

export type NpyDType = 'f32' | 'f64' | 'i8' | 'i16' | 'i32' | 'i64' | 'u8' | 'u16' | 'u32' | 'bool';
export type NpyData =
  | Float32Array | Float64Array | Int8Array | Int16Array | Int32Array | BigInt64Array
  | Uint8Array | Uint16Array | Uint32Array;

export interface NpyArray<D extends NpyData = NpyData> {
  dtype: NpyDType;
  shape: number[];
  /** Π shape values in C order; 'bool' arrives as a Uint8Array of 0/1. */
  data: D;
}

type Ctor = { new (buf: ArrayBuffer): NpyData; BYTES_PER_ELEMENT: number };
const DTYPES: Record<NpyDType, { kind: string; size: number; ctor: Ctor }> = {
  f32: { kind: 'f', size: 4, ctor: Float32Array }, f64: { kind: 'f', size: 8, ctor: Float64Array },
  i8: { kind: 'i', size: 1, ctor: Int8Array }, i16: { kind: 'i', size: 2, ctor: Int16Array },
  i32: { kind: 'i', size: 4, ctor: Int32Array }, i64: { kind: 'i', size: 8, ctor: BigInt64Array },
  u8: { kind: 'u', size: 1, ctor: Uint8Array }, u16: { kind: 'u', size: 2, ctor: Uint16Array },
  u32: { kind: 'u', size: 4, ctor: Uint32Array }, bool: { kind: 'b', size: 1, ctor: Uint8Array },
};
const SUPPORTED = "'<f4', '<f8', '|i1', '<i2', '<i4', '<i8', '|u1', '<u2', '<u4', '|b1'";
const KIND_NAMES: Record<string, string> = {
  O: 'object (pickled Python objects)', U: 'unicode string', S: 'byte string', a: 'byte string', V: 'void/record',
  c: 'complex', M: 'datetime', m: 'timedelta',
};

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const ALIGN = 64;
/** numpy pads the header so the leading axis can grow in place to this many digits. */
const GROWTH_AXIS_MAX_DIGITS = 21;
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function descrToDType(descr: string, file: string): NpyDType {
  const m = /^([<>|=]?)([a-zA-Z?])(\d*)$/.exec(descr);
  if (!m) throw new NpyError(file, `dtype ${descr} is not supported, expected one of ${SUPPORTED}`);
  const [, order, kind, digits] = m;
  const size = digits === '' ? (kind === 'b' || kind === '?' ? 1 : NaN) : Number(digits);
  if (KIND_NAMES[kind]) throw new NpyError(file, `dtype ${descr} is ${KIND_NAMES[kind]}, which is not supported; expected one of ${SUPPORTED}`);
  const k = kind === '?' ? 'b' : kind;
  const entry = (Object.entries(DTYPES) as [NpyDType, (typeof DTYPES)[NpyDType]][]).find(([, v]) => v.kind === k && v.size === size);
  if (!entry) throw new NpyError(file, `dtype ${descr} is not supported, expected one of ${SUPPORTED}`);
  if (size > 1 && order === '>') {
    throw new NpyError(file, `dtype ${descr} is big-endian; expected little-endian ('<${k}${size}'): save with arr.astype('<${k}${size}')`);
  }
  if (size > 1 && order !== '<') throw new NpyError(file, `dtype ${descr} has no explicit byte order; expected '<${k}${size}'`);
  return entry[0];
}

// --- A parser for the Python literals numpy writes: a dict of str keys; str, bool, int, tuple, list.
type PyValue = string | number | boolean | null | PyValue[] | { tuple: PyValue[] } | Map<string, PyValue>;

function parsePyLiteral(text: string, file: string): PyValue {
  let i = 0;
  const fail = (why: string): never => { throw new NpyError(file, `corrupt header: ${why} at character ${i} of ${JSON.stringify(text.trim())}; expected a Python dict literal like {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`); };
  const ws = () => { while (i < text.length && /\s/.test(text[i])) i++; };
  const value = (): PyValue => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const map = new Map<string, PyValue>();
      for (;;) {
        ws();
        if (text[i] === '}') { i++; return map; }
        const key = value();
        if (typeof key !== 'string') fail('a dict key that is not a string');
        ws();
        if (text[i++] !== ':') fail("missing ':'");
        map.set(key as string, value());
        ws();
        if (text[i] === ',') i++;
        else if (text[i] !== '}') fail("missing ',' or '}'");
      }
    }
    if (c === '(' || c === '[') {
      const close = c === '(' ? ')' : ']';
      i++;
      const items: PyValue[] = [];
      let comma = false;
      for (;;) {
        ws();
        if (text[i] === close) { i++; break; }
        items.push(value());
        ws();
        comma = text[i] === ',';
        if (comma) i++;
        else if (text[i] !== close) fail(`missing ',' or '${close}'`);
      }
      // (3) is the integer 3 in Python, (3,) the tuple.
      if (c === '(' && items.length === 1 && !comma) return items[0];
      return c === '(' ? { tuple: items } : items;
    }
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      if (end < 0) fail('an unterminated string');
      const s = text.slice(i + 1, end);
      if (s.includes('\\')) fail('an escaped string');
      i = end + 1;
      return s;
    }
    const word = /^(True|False|None|-?\d+L?)/.exec(text.slice(i));
    if (!word) return fail('an unexpected character');
    i += word[0].length;
    if (word[0] === 'True') return true;
    if (word[0] === 'False') return false;
    if (word[0] === 'None') return null;
    return Number(word[0].replace('L', '')); // Python 2 wrote longs as 3L
  };
  const v = value();
  ws();
  if (i !== text.length) fail('trailing text after the dict');
  return v;
}

const reprShape = (shape: readonly (number | null)[]) =>
  `(${shape.map((n) => (n === null ? 'any' : String(n))).join(', ')}${shape.length === 1 ? ',' : ''})`;

/**
 * Parses a .npy file. Refuses Fortran order, big-endian and non-numeric dtypes, and checks that the
 * file holds exactly Π shape values, naming `what` (the file) in every error. The data are copied,
 * so they are aligned and never alias `bytes`.
 */
export function readNpy(bytes: Uint8Array, what: string): NpyArray {
  const n = Math.min(bytes.length, MAGIC.length);
  if (n === 0 || MAGIC.slice(0, n).some((b, k) => bytes[k] !== b)) {
    const head = Array.from(bytes.subarray(0, 6), (b) => b.toString(16).padStart(2, '0')).join(' ');
    const zip = bytes[0] === 0x50 && bytes[1] === 0x4b ? ' (a zip archive: an .npz holds several .npy files; unpack it first)' : '';
    throw new NpyError(what, `bad magic ${head || '(empty file)'}${zip}; expected a .npy file starting with \\x93NUMPY`);
  }
  if (bytes.length < 10) throw new NpyError(what, `truncated: ${bytes.length} bytes, too short for the .npy preamble`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6];
  const minor = bytes[7];
  if (major < 1 || major > 3 || minor !== 0) throw new NpyError(what, `format version ${major}.${minor} is not supported, expected 1.0, 2.0 or 3.0`);
  const lenBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lenBytes) throw new NpyError(what, `truncated: ${bytes.length} bytes, too short for the version ${major}.0 preamble`);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = 8 + lenBytes;
  const dataStart = start + headerLen;
  if (bytes.length < dataStart) throw new NpyError(what, `truncated: the header says it is ${headerLen} bytes, but the file ends after ${bytes.length - start}`);
  // 1.0 and 2.0 headers are latin-1, 3.0 is utf-8; the keys and values we accept are all ASCII.
  const text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start, dataStart));
  const dict = parsePyLiteral(text, what);
  if (!(dict instanceof Map)) throw new NpyError(what, `corrupt header: not a dict; expected {'descr': ..., 'fortran_order': ..., 'shape': ...}`);
  const keys = [...dict.keys()].sort().join(', ');
  if (keys !== 'descr, fortran_order, shape') throw new NpyError(what, `corrupt header: keys ${keys || '(none)'}; expected exactly descr, fortran_order, shape`);
  const descr = dict.get('descr');
  const fortran = dict.get('fortran_order');
  const shapeV = dict.get('shape');
  if (typeof descr !== 'string') {
    throw new NpyError(what, `dtype ${Array.isArray(descr) ? 'is a structured (record) dtype, which is' : 'is'} not supported; expected one of ${SUPPORTED}`);
  }
  if (typeof fortran !== 'boolean') throw new NpyError(what, `corrupt header: fortran_order is not True or False`);
  const isTuple = typeof shapeV === 'object' && shapeV !== null && 'tuple' in shapeV;
  const shape = isTuple ? (shapeV as { tuple: PyValue[] }).tuple : [];
  if (!isTuple || !shape.every((n) => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0)) {
    throw new NpyError(what, `corrupt header: shape is not a tuple of non-negative integers`);
  }
  const dims = shape as number[];
  const dtype = descrToDType(descr, what);
  if (fortran) {
    throw new NpyError(what, `Fortran (column-major) order, shape ${reprShape(dims)}; expected C order: save np.ascontiguousarray(arr)`);
  }
  const { size, ctor } = DTYPES[dtype];
  const count = dims.reduce((a, b) => a * b, 1);
  const need = count * size;
  const have = bytes.length - dataStart;
  if (have !== need) {
    const why = have < need ? 'truncated' : 'data size does not match the shape';
    throw new NpyError(what, `${why}: shape ${reprShape(dims)} of ${descr} needs ${need} data bytes, file has ${have}`);
  }
  // A copy of exactly the data bytes: Buffer#slice (readFileSync) is a view, so go through Uint8Array.prototype.slice.
  const buf = Uint8Array.prototype.slice.call(bytes, dataStart, dataStart + need).buffer;
  if (!LITTLE_ENDIAN_HOST) swapBytes(new Uint8Array(buf), size);
  return { dtype, shape: dims, data: new ctor(buf) };
}

function swapBytes(b: Uint8Array, size: number): void {
  if (size === 1) return;
  for (let o = 0; o < b.length; o += size) b.subarray(o, o + size).reverse();
}

function dtypeOf(data: NpyData): NpyDType {
  if (data instanceof Float32Array) return 'f32';
  if (data instanceof Float64Array) return 'f64';
  if (data instanceof Int8Array) return 'i8';
  if (data instanceof Int16Array) return 'i16';
  if (data instanceof Int32Array) return 'i32';
  if (data instanceof BigInt64Array) return 'i64';
  if (data instanceof Uint8Array) return 'u8';
  if (data instanceof Uint16Array) return 'u16';
  if (data instanceof Uint32Array) return 'u32';
  throw new TypeError(`writeNpy: unsupported array type ${(data as object)?.constructor?.name}`);
}

const DESCR: Record<NpyDType, string> = {
  f32: '<f4', f64: '<f8', i8: '|i1', i16: '<i2', i32: '<i4', i64: '<i8', u8: '|u1', u16: '<u2', u32: '<u4', bool: '|b1',
};

/**
 * Writes a C-order little-endian .npy file with numpy's exact header (version 1.0, or 2.0 when the
 * header passes 65535 bytes), so `np.save` of the same array gives the same bytes. The dtype
 * follows the array type; pass dtype 'bool' to write a Uint8Array of 0/1 as '|b1'.
 */
export function writeNpy(data: NpyData, shape: readonly number[], dtype: NpyDType = dtypeOf(data)): Uint8Array {
  const natural = dtypeOf(data);
  if (dtype !== natural && !(dtype === 'bool' && natural === 'u8')) throw new TypeError(`writeNpy: dtype ${dtype} does not fit a ${data.constructor.name}`);
  if (!shape.every((n) => Number.isSafeInteger(n) && n >= 0)) throw new RangeError(`writeNpy: shape ${reprShape(shape)} must hold non-negative integers`);
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) throw new RangeError(`writeNpy: shape ${reprShape(shape)} holds ${count} values, the array ${data.length}`);
  let header = `{'descr': '${DESCR[dtype]}', 'fortran_order': False, 'shape': ${reprShape(shape)}, }`;
  if (shape.length > 0) header += ' '.repeat(Math.max(0, GROWTH_AXIS_MAX_DIGITS - String(shape[0]).length));
  const hlen = header.length + 1;
  const padFor = (prefix: number) => ALIGN - ((prefix + hlen) % ALIGN);
  const version = hlen + padFor(10) <= 0xffff ? 1 : 2;
  const prefix = version === 1 ? 10 : 12;
  const pad = padFor(prefix);
  const dataStart = prefix + hlen + pad;
  const out = new Uint8Array(dataStart + data.byteLength);
  out.set(MAGIC);
  out[6] = version;
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, hlen + pad, true);
  else view.setUint32(8, hlen + pad, true);
  for (let k = 0; k < header.length; k++) out[prefix + k] = header.charCodeAt(k);
  out.fill(0x20, prefix + header.length, dataStart - 1);
  out[dataStart - 1] = 0x0a;
  const body = out.subarray(dataStart);
  body.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  if (!LITTLE_ENDIAN_HOST) swapBytes(body, DTYPES[dtype].size);
  return out;
}

/** Checks the rank and every non-null dim; returns `arr` so calls chain. */
export function expectShape<A extends NpyArray>(arr: A, shape: readonly (number | null)[], what: string): A {
  const ok = arr.shape.length === shape.length && shape.every((n, k) => n === null || n === arr.shape[k]);
  if (!ok) throw new NpyError(what, `shape ${reprShape(arr.shape)}, expected ${reprShape(shape)}`);
  return arr;
}

/** Checks the dtype is one of `allowed`; returns `arr` so calls chain. */
export function expectDType<A extends NpyArray>(arr: A, allowed: readonly NpyDType[], what: string): A {
  if (!allowed.includes(arr.dtype)) throw new NpyError(what, `dtype ${DESCR[arr.dtype]}, expected ${allowed.map((d) => DESCR[d]).join(' or ')}`);
  return arr;
}

/** The values as f64 (a copy, even when already f64); i64 beyond 2^53 rounds. */
export function toFloat64(arr: NpyArray): Float64Array {
  const d = arr.data;
  return d instanceof BigInt64Array ? Float64Array.from(d, Number) : Float64Array.from(d);
}

/** The values as f32 (a copy), rounding to nearest. */
export function toFloat32(arr: NpyArray): Float32Array {
  const d = arr.data;
  return d instanceof BigInt64Array ? Float32Array.from(d, Number) : Float32Array.from(d);
}

/** Integer values as i32 (a copy); refuses floats and values outside int32 (an i64 file is fine). */
export function toInt32(arr: NpyArray, what: string): Int32Array {
  if (DTYPES[arr.dtype].kind === 'f') throw new NpyError(what, `dtype ${DESCR[arr.dtype]}, expected an integer dtype such as '<i4' or '<i8'`);
  const d = arr.data;
  const out = new Int32Array(d.length);
  for (let k = 0; k < d.length; k++) {
    const v = Number(d[k]);
    if (v < -0x80000000 || v > 0x7fffffff) throw new NpyError(what, `value ${d[k]} at index ${k} does not fit int32`);
    out[k] = v;
  }
  return out;
}
