// IDX reader (LeCun's MNIST container): magic 0x00 0x00 <type> <ndims>, ndims big-endian u32
// dims, then Π dims row-major values. Only type 0x08 (unsigned byte) is needed for MNIST.
// Platform-neutral: works on bytes already read.

/** A malformed or unexpected IDX file; the message starts with the file's name. */
export class IdxError extends Error {
  constructor(readonly file: string, readonly detail: string) {
    super(`${file}: ${detail}`);
    this.name = 'IdxError';
  }
}

export interface Idx {
  dims: number[];
  /** The values, a view into the bytes passed in (no copy). */
  data: Uint8Array;
}

const TYPE_NAMES: Record<number, string> = {
  0x08: 'unsigned byte', 0x09: 'signed byte', 0x0b: 'int16', 0x0c: 'int32', 0x0d: 'float32', 0x0e: 'float64',
};

const hex = (v: number, digits: number) => `0x${v.toString(16).padStart(digits, '0')}`;

/**
 * Parses an unsigned-byte IDX file. Checks the magic (two zero bytes, type 0x08, 1..4 dims) and
 * that the length is exactly header + Π dims, so a truncated download or a file with trailing
 * bytes fails here, naming `name`, rather than as shifted pixels later.
 */
export function parseIdx(bytes: Uint8Array, name: string): Idx {
  if (bytes.length < 4) throw new IdxError(name, `truncated: ${bytes.length} bytes, too short for the 4-byte magic`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  const [z0, z1, type, ndims] = bytes;
  if (z0 === 0x1f && z1 === 0x8b) throw new IdxError(name, `bad magic ${hex(magic, 8)}: the file is gzip-compressed; decompress it first`);
  if (z0 !== 0 || z1 !== 0) throw new IdxError(name, `bad magic ${hex(magic, 8)}: an IDX file starts with two zero bytes`);
  if (type !== 0x08) {
    const what = TYPE_NAMES[type] ? ` (${TYPE_NAMES[type]})` : '';
    throw new IdxError(name, `bad magic ${hex(magic, 8)}: data type ${hex(type, 2)}${what} is not supported, only 0x08 (unsigned byte)`);
  }
  if (ndims < 1 || ndims > 4) throw new IdxError(name, `bad magic ${hex(magic, 8)}: ${ndims} dimensions, expected 1..4`);
  const header = 4 + 4 * ndims;
  if (bytes.length < header) throw new IdxError(name, `truncated: the ${ndims}-dimension header needs ${header} bytes, file has ${bytes.length}`);
  const dims: number[] = [];
  for (let k = 0; k < ndims; k++) dims.push(view.getUint32(4 + 4 * k));
  // At most 4 factors below 2^32: the product may round above 2^53, but only when it is far
  // beyond any real length, so the comparisons below stay right.
  const expected = header + dims.reduce((a, b) => a * b, 1);
  if (bytes.length < expected) throw new IdxError(name, `truncated: header says ${expected} bytes (dims ${dims.join('×')}), file has ${bytes.length}`);
  if (bytes.length > expected) throw new IdxError(name, `${bytes.length - expected} extra bytes after the data (dims ${dims.join('×')})`);
  return { dims, data: bytes.subarray(header, expected) };
}
