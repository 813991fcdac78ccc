import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NpyError, expectShape, readNpy, toFloat32, toFloat64, toInt32, writeNpy, type NpyData } from '../src/io/npy.js';
import { FolderError, decodeDataFolder, decodeNetFolder, encodeDataFolder, encodeNetFolder, type FolderFiles, type NetFolder } from '../src/io/folders.js';
import { readDataDir, readNetDir, readNpyFile, writeDataDir, writeNetDir, writeNpyFile } from '../src/io/node-files.js';

const FIX = new URL('./fixtures/npy/', import.meta.url);
const fixture = (name: string) => new Uint8Array(readFileSync(new URL(name, FIX)));
const fixtureDir = (dir: string): FolderFiles =>
  Object.fromEntries(readdirSync(new URL(`${dir}/`, FIX)).map((n) => [n, fixture(`${dir}/${n}`)]));
const range = (n: number, f: (k: number) => number) => Array.from({ length: n }, (_, k) => f(k));

/** Seeded values (an LCG), scaled into [lo, hi). */
function seeded(n: number, lo: number, hi: number, seed = 1): number[] {
  let s = seed;
  return range(n, () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return lo + (s / 2 ** 32) * (hi - lo); });
}

describe('writeNpy → readNpy', () => {
  it.each([
    ['f32', [5], (n: number) => Float32Array.from(seeded(n, -3, 3))],
    ['f64', [3, 4], (n: number) => Float64Array.from(seeded(n, -1e300, 1e300))],
    ['i32', [2, 3, 17], (n: number) => Int32Array.from(seeded(n, -(2 ** 31), 2 ** 31), Math.floor)],
    ['u8', [2, 1, 3, 5], (n: number) => Uint8Array.from(seeded(n, 0, 256), Math.floor)],
    ['f32', [0, 3], () => new Float32Array(0)],
    ['f64', [4, 0, 2, 1], () => new Float64Array(0)],
    ['f64', [], () => Float64Array.of(Math.PI)],
    ['i64', [3], () => BigInt64Array.of(-(2n ** 63n), 0n, 2n ** 63n - 1n)],
    ['i16', [33], (n: number) => Int16Array.from(seeded(n, -32768, 32768), Math.floor)],
  ] as const)('%s shape %j round-trips exactly', (dtype, shape, make) => {
    const data: NpyData = make((shape as readonly number[]).reduce((a, b) => a * b, 1));
    const back = readNpy(writeNpy(data, shape), 'rt.npy');
    expect(back).toEqual({ dtype, shape, data });
  });

  it('puts the data at a multiple of 64 bytes, after a header ending in a newline', () => {
    for (const shape of [[0], [17, 0], [123456789, 0], [0, ...range(40, () => 1)]]) {
      const f = writeNpy(new Float32Array(0), shape);
      const start = 10 + new DataView(f.buffer).getUint16(8, true);
      expect([start % 64, f[start - 1]]).toEqual([0, 0x0a]);
    }
  });

  it("writes '|b1' for dtype 'bool' and reads it back as 0/1 bytes", () => {
    const back = readNpy(writeNpy(Uint8Array.of(1, 0, 1), [3], 'bool'), 'b.npy');
    expect([back.dtype, Array.from(toFloat64(back))]).toEqual(['bool', [1, 0, 1]]);
  });

  // Synthetic: NumPy caps arrays at 64 dims, so no real numeric header reaches 65535 bytes.
  it('switches to format 2.0 only when the header passes 65535 bytes', () => {
    const shape = range(22000, () => 1);
    const f = writeNpy(Float64Array.of(2.5), shape);
    expect([f[6], readNpy(f, 'v2.npy').shape.length, Array.from(toFloat64(readNpy(f, 'v2.npy')))]).toEqual([2, 22000, [2.5]]);
  });

  it('refuses a shape that does not hold the array', () => {
    expect(() => writeNpy(new Float32Array(5), [2, 3])).toThrow(/shape \(2, 3\) holds 6 values, the array 5/);
  });
});

describe('NumPy-written fixtures', () => {
  const f4 = range(12, (k) => (k - 5.5) / 4);

  it.each([
    ['f4_3x4.npy', 'f32', [3, 4], f4],
    ['v2_f4_3x4.npy', 'f32', [3, 4], f4],
    ['f8_2x3x4.npy', 'f64', [2, 3, 4], range(24, (k) => k * 0.1 - 1)],
    ['i4_5.npy', 'i32', [5], [-2147483648, -1, 0, 7, 2147483647]],
    ['u1_2x2x2x2.npy', 'u8', [2, 2, 2, 2], range(16, (k) => k * 17)],
  ])('reads %s', (name, dtype, shape, values) => {
    const a = readNpy(fixture(name), name);
    expect({ dtype: a.dtype, shape: a.shape, values: Array.from(toFloat64(a)) }).toEqual({ dtype, shape, values });
  });

  it.each(['f4_3x4.npy', 'f8_2x3x4.npy', 'i4_5.npy', 'u1_2x2x2x2.npy'])('writeNpy gives np.save\'s bytes for %s', (name) => {
    const a = readNpy(fixture(name), name);
    expect(writeNpy(a.data, a.shape)).toEqual(fixture(name));
  });

  it.each([
    ['fortran_f8_2x3.npy', /^fortran_f8_2x3\.npy: Fortran \(column-major\) order, shape \(2, 3\); expected C order/],
    ['big_f8_3.npy', /^big_f8_3\.npy: dtype >f8 is big-endian; expected little-endian \('<f8'\)/],
    ['object_2.npy', /^object_2\.npy: dtype \|O is object .*expected one of '<f4'/],
  ])('refuses %s, naming it and what was expected', (name, message) => {
    expect(() => readNpy(fixture(name), name)).toThrow(message);
  });
});

describe('readNpy refuses broken files', () => {
  const good = () => fixture('f4_3x4.npy');
  const header = (f: Uint8Array, from: string, to: string) => {
    const text = new TextDecoder('latin1').decode(f).replace(from, to.padEnd(from.length));
    return Uint8Array.from(text, (c) => c.charCodeAt(0));
  };

  it.each([
    ['bad magic', (f: Uint8Array) => { f[1] = 0x50; return f; }, /^w\.npy: bad magic 93 50 55 4d 50 59; expected a \.npy file/],
    ['an empty file', () => new Uint8Array(0), /^w\.npy: bad magic \(empty file\)/],
    ['a zip (.npz)', (f: Uint8Array) => { f.set([0x50, 0x4b, 3, 4]); return f; }, /^w\.npy: bad magic 50 4b .*\.npz/],
    ['version 4.0', (f: Uint8Array) => { f[6] = 4; return f; }, /^w\.npy: format version 4\.0 is not supported/],
    ['a truncated header', (f: Uint8Array) => f.subarray(0, 40), /^w\.npy: truncated: the header says it is 118 bytes/],
    ['a header cut mid-dict', (f: Uint8Array) => header(f, "'shape': (3, 4), }", "'shape': (3, 4"), /^w\.npy: corrupt header: missing ',' or '\)'/],
    ['a missing key', (f: Uint8Array) => header(f, "'fortran_order': False, ", ''), /^w\.npy: corrupt header: keys descr, shape; expected exactly/],
    ['a negative dim', (f: Uint8Array) => header(f, '(3, 4)', '(-3, 4)'), /^w\.npy: corrupt header: shape is not a tuple of non-negative/],
    ['truncated data', (f: Uint8Array) => f.subarray(0, f.length - 1), /^w\.npy: truncated: shape \(3, 4\) of <f4 needs 48 data bytes, file has 47/],
    ['data for another shape', (f: Uint8Array) => header(f, '(3, 4)', '(3, 3)'), /^w\.npy: data size does not match the shape: shape \(3, 3\) of <f4 needs 36 data bytes, file has 48/],
    ['float16', (f: Uint8Array) => header(f, "'<f4'", "'<f2'"), /^w\.npy: dtype <f2 is not supported, expected one of/],
  ])('refuses %s', (_name, mutate, message) => {
    expect(() => readNpy(mutate(good()), 'w.npy')).toThrow(message);
  });

  it('throws NpyError, carrying the file', () => {
    const e = (() => { try { readNpy(new Uint8Array(3), 'a/b.npy'); } catch (err) { return err; } })();
    expect([e instanceof NpyError, (e as NpyError).file]).toEqual([true, 'a/b.npy']);
  });
});

describe('expectShape and conversions', () => {
  const a = readNpy(fixture('i4_5.npy'), 'i4_5.npy');

  it('accepts null as any dim and names the file otherwise', () => {
    expect(expectShape(a, [null], 'i4_5.npy')).toBe(a);
    expect(() => expectShape(a, [5, null], 'i4_5.npy')).toThrow(/^i4_5\.npy: shape \(5,\), expected \(5, any\)$/);
  });

  it('converts to f64, f32 and i32', () => {
    expect(Array.from(toFloat64(a))).toEqual([-2147483648, -1, 0, 7, 2147483647]);
    expect(toFloat32(readNpy(fixture('f8_2x3x4.npy'), 'x'))[1]).toBe(Math.fround(0.1 - 1));
    expect(Array.from(toInt32({ dtype: 'i64', shape: [2], data: BigInt64Array.of(-5n, 9n) }, 'y'))).toEqual([-5, 9]);
  });

  it('refuses i64 labels outside int32 and float labels', () => {
    expect(() => toInt32({ dtype: 'i64', shape: [1], data: BigInt64Array.of(2n ** 31n) }, 'y.npy')).toThrow(/^y\.npy: value 2147483648 at index 0 does not fit int32/);
    expect(() => toInt32(readNpy(fixture('f4_3x4.npy'), 'y.npy'), 'y.npy')).toThrow(/^y\.npy: dtype <f4, expected an integer dtype/);
  });
});

describe('net folders', () => {
  const W1 = range(12, (k) => (k - 6) / 8);
  const W2 = range(6, (k) => (k - 2) / 4);

  it('reads the NumPy-written [4, 3, 2] net: f32 params W1 row-major then W2, provenance kept', () => {
    const net = decodeNetFolder(fixtureDir('net-4x3x2'), 'net-4x3x2');
    expect(net).toEqual({ layers: [4, 3, 2], bias: false, activation: 'relu', loss: 'cross-entropy', params: Float32Array.from([...W1, ...W2]), provenance: { seed: 7, run: 0 } });
  });

  it('has the torch.nn.Linear layout: relu(x W1ᵀ) W2ᵀ matches NumPy (tolerance 1e-12, values are dyadic)', () => {
    const { params } = decodeNetFolder(fixtureDir('net-4x3x2'), 'n');
    const X = toFloat64(readNpy(fixture('data-5x4/X.npy'), 'X'));
    const want = toFloat64(readNpy(fixture('net-4x3x2-logits.npy'), 'logits'));
    const h = (s: number, i: number) => Math.max(0, range(4, (j) => params[i * 4 + j] * X[s * 4 + j]).reduce((a, b) => a + b));
    const got = range(10, (k) => range(3, (i) => params[12 + (k % 2) * 3 + i] * h(Math.floor(k / 2), i)).reduce((a, b) => a + b));
    got.forEach((g, k) => expect(Math.abs(g - want[k])).toBeLessThan(1e-12));
  });

  it('round-trips a net with biases, keeping f32 and the provenance', () => {
    const layers = [5, 4, 3, 1];
    const net: NetFolder = { layers, bias: true, activation: 'relu', loss: 'binary-hinge', params: Float32Array.from(seeded(20 + 4 + 12 + 3 + 3 + 1, -1, 1)), provenance: { seed: 3, settings: { lr: 0.1, widths: [4, 3] } } };
    const files = encodeNetFolder(net);
    expect(Object.keys(files).sort()).toEqual(['W1.npy', 'W2.npy', 'W3.npy', 'b1.npy', 'b2.npy', 'b3.npy', 'net.json']);
    expect(decodeNetFolder(files, 'out/nets/h4x3-r0')).toEqual(net);
  });

  it('writes W1 as (n1, n0) and net.json as FORMATS.md shows it', () => {
    const files = encodeNetFolder({ layers: [3, 2], bias: false, activation: 'relu', loss: 'cross-entropy', params: new Float32Array(6), provenance: { run: 1 } });
    expect(readNpy(files['W1.npy'], 'W1').shape).toEqual([2, 3]);
    expect(JSON.parse(new TextDecoder().decode(files['net.json']))).toEqual({ format: 'loss-landscape-lab/net@1', layers: [3, 2], bias: false, activation: 'relu', loss: 'cross-entropy', run: 1 });
  });

  it('reads f8 weights as f64', () => {
    const files = fixtureDir('net-4x3x2');
    files['W2.npy'] = writeNpy(Float64Array.from(W2), [2, 3]);
    expect(decodeNetFolder(files, 'n').params).toEqual(Float64Array.from([...W1, ...W2]));
  });

  const f64W1 = writeNpy(new Float64Array(12), [4, 3]);
  const int32W1 = writeNpy(new Int32Array(12), [3, 4]);
  it.each([
    ['a transposed W1', (f: FolderFiles) => { f['W1.npy'] = f64W1; }, /^n\/W1\.npy: shape \(4, 3\), expected \(3, 4\)$/],
    ['an integer W1', (f: FolderFiles) => { f['W1.npy'] = int32W1; }, /^n\/W1\.npy: dtype <i4, expected <f4 or <f8$/],
    ['a missing W2', (f: FolderFiles) => { delete f['W2.npy']; }, /^n\/W2\.npy: missing; net\.json says layers 4×3×2, bias false$/],
    ['an extra W3', (f: FolderFiles) => { f['W3.npy'] = f['W2.npy']; }, /^n\/W3\.npy: present, but net\.json says layers 4×3×2/],
    ['a b1 with bias false', (f: FolderFiles) => { f['b1.npy'] = writeNpy(new Float32Array(3), [3]); }, /^n\/b1\.npy: present, but net\.json says layers 4×3×2, bias false$/],
    ['a truncated W2', (f: FolderFiles) => { f['W2.npy'] = f['W2.npy'].subarray(0, 130); }, /^n\/W2\.npy: truncated/],
    ['another format', (f: FolderFiles) => { f['net.json'] = new TextEncoder().encode('{"format":"torch"}'); }, /^n\/net\.json: format "torch", expected "loss-landscape-lab\/net@1"$/],
    ['bad JSON', (f: FolderFiles) => { f['net.json'] = new TextEncoder().encode('{"format":'); }, /^n\/net\.json: not valid JSON/],
    ['an unknown loss', (f: FolderFiles) => { f['net.json'] = new TextEncoder().encode('{"format":"loss-landscape-lab/net@1","layers":[4,3,2],"bias":false,"activation":"relu","loss":"mse"}'); }, /^n\/net\.json: "loss" "mse", expected one of "cross-entropy"/],
  ])('refuses %s, naming the file', (_name, mutate, message) => {
    const files = fixtureDir('net-4x3x2');
    mutate(files);
    expect(() => decodeNetFolder(files, 'n')).toThrow(message);
  });

  it('refuses params that do not fit the layers, and provenance that would overwrite net.json keys', () => {
    const net: NetFolder = { layers: [4, 3, 2], bias: false, activation: 'relu', loss: 'cross-entropy', params: new Float32Array(17), provenance: {} };
    expect(() => encodeNetFolder(net)).toThrow(/need 18 params, got 17/);
    expect(() => encodeNetFolder({ ...net, params: new Float32Array(18), provenance: { bias: true } })).toThrow(/provenance key 'bias'/);
  });

  it('throws FolderError for folder problems', () => {
    expect(() => decodeNetFolder({}, 'gone')).toThrow(FolderError);
  });
});

describe('data folders', () => {
  it('reads the NumPy-written folder: X f32 (5, 4), y int64 → Int32Array, meta kept', () => {
    const data = decodeDataFolder(fixtureDir('data-5x4'), 'data-5x4');
    expect(data).toEqual({ X: Float32Array.from(range(20, (k) => (k - 10) / 16)), S: 5, d: 4, y: Int32Array.of(0, 1, 1, 0, 1), meta: { source: 'fixture', indices: [3, 1, 4, 1, 5], downsample: 10, normalise: 'none' } });
  });

  it('round-trips, writing y as int32', () => {
    const data = { X: Float32Array.from(seeded(51, -1, 1)), S: 17, d: 3, y: Int32Array.from(range(17, (k) => (k % 2 ? 1 : -1))), meta: { source: 'mnist train', indices: range(17, (k) => k * 3) } };
    const files = encodeDataFolder(data);
    expect([readNpy(files['y.npy'], 'y').dtype, decodeDataFolder(files, 'd')]).toEqual(['i32', data]);
  });

  it.each([
    ['y of another length', (f: FolderFiles) => { f['y.npy'] = writeNpy(new Int32Array(4), [4]); }, /^d\/y\.npy: shape \(4,\), expected \(5,\)$/],
    ['X of rank 1', (f: FolderFiles) => { f['X.npy'] = writeNpy(new Float32Array(20), [20]); }, /^d\/X\.npy: shape \(20,\), expected \(any, any\)$/],
    ['float labels', (f: FolderFiles) => { f['y.npy'] = writeNpy(new Float32Array(5), [5]); }, /^d\/y\.npy: dtype <f4, expected an integer dtype/],
    ['a missing data.json', (f: FolderFiles) => { delete f['data.json']; }, /^d\/data\.json: missing/],
  ])('refuses %s, naming the file', (_name, mutate, message) => {
    const files = fixtureDir('data-5x4');
    mutate(files);
    expect(() => decodeDataFolder(files, 'd')).toThrow(message);
  });
});

describe('node files', () => {
  let dir = '';
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'npy-test-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const net = (bias: boolean, layers = [4, 3, 2]): NetFolder => ({ layers, bias, activation: 'relu', loss: 'cross-entropy', params: Float32Array.from(seeded(bias ? 23 : 18, -1, 1)), provenance: { run: 2 } });

  it('writes and reads a net directory, leaving no temp files and no stale biases', () => {
    writeNetDir(join(dir, 'h3-r2'), net(true));
    writeNetDir(join(dir, 'h3-r2'), net(false));
    expect([readdirSync(join(dir, 'h3-r2')).sort(), readNetDir(join(dir, 'h3-r2'))]).toEqual([['W1.npy', 'W2.npy', 'net.json'], net(false)]);
  });

  it('writes and reads a data directory and a single .npy file', () => {
    const data = { X: new Float32Array(6), S: 2, d: 3, y: Int32Array.of(1, 0), meta: {} };
    writeDataDir(join(dir, 'train'), data);
    writeNpyFile(join(dir, 'spectra', 'spectra-L5-i0.npy'), Float64Array.of(1, 2), [1, 2]);
    expect([readDataDir(join(dir, 'train')), readNpyFile(join(dir, 'spectra', 'spectra-L5-i0.npy')).shape]).toEqual([data, [1, 2]]);
  });

  it('names the missing directory or file', () => {
    expect(() => readNetDir(join(dir, 'nope'))).toThrow(`${join(dir, 'nope')}: no such directory`);
    expect(() => readNpyFile(join(dir, 'x.npy'))).toThrow(`${join(dir, 'x.npy')}: no such file`);
    expect(() => readDataDir(dir)).toThrow(`${join(dir, 'data.json')}: missing`);
  });

  it('reads a directory NumPy wrote, and a file with a bad header names its path', () => {
    writeFileSync(join(dir, 'bad.npy'), fixture('f4_3x4.npy').subarray(0, 20));
    expect(readNetDir(new URL('net-4x3x2', FIX).pathname).layers).toEqual([4, 3, 2]);
    expect(() => readNpyFile(join(dir, 'bad.npy'))).toThrow(`${join(dir, 'bad.npy')}: truncated`);
  });
});

describe('readNpy on a Node Buffer (readFileSync gives a view, not a copy)', () => {
  it('reads the data, not the header', async () => {
    const { readFileSync } = await import('node:fs');
    const buf = readFileSync(new URL('./fixtures/npy/f4_3x4.npy', import.meta.url));
    const viaBuffer = readNpy(buf, 'f4_3x4.npy');
    const viaCopy = readNpy(new Uint8Array(buf), 'f4_3x4.npy');
    expect(Array.from(viaBuffer.data as Float32Array)).toEqual(Array.from(viaCopy.data as Float32Array));
  });
});
