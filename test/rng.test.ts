import { describe, it, expect } from 'vitest';
import { loadWasm, BINARIES, type Binary } from '../src/wasm.js';
import { Heap } from '../src/heap.js';
import { RngStream, type RngSampler } from '../src/rng.js';
import { bindKernels } from '../src/kernels.js';

/** Independent Philox4x32-10 in plain TS (BigInt products, the paper's round order): the oracle. */
function philox(ctr: number[], key: number[]): number[] {
  let [c0, c1, c2, c3] = ctr.map(BigInt);
  let [k0, k1] = key.map(BigInt);
  const M = 0xffffffffn;
  for (let r = 0; r < 10; r++) {
    const p0 = 0xd2511f53n * c0;
    const p1 = 0xcd9e8d57n * c2;
    [c0, c1, c2, c3] = [((p1 >> 32n) ^ c1 ^ k0) & M, p1 & M, ((p0 >> 32n) ^ c3 ^ k1) & M, p0 & M];
    k0 = (k0 + 0x9e3779b9n) & M;
    k1 = (k1 + 0xbb67ae85n) & M;
  }
  return [c0, c1, c2, c3].map(Number);
}

const lohi = (x: number) => [x % 2 ** 32, Math.floor(x / 2 ** 32)];
/** Word w of stream (seed, stream) by the documented layout. */
const word = (seed: number, stream: number, w: number) => philox([...lohi(Math.floor(w / 4)), ...lohi(stream)], lohi(seed))[w % 4];
const unit53 = (hi: number, lo: number) => ((hi >>> 5) * 2 ** 26 + ((lo >>> 6) | 1)) * 2 ** -53;
const unit24 = (w: number) => ((w >>> 8) | 1) * 2 ** -24;

// Random123 kat_vectors, the three "philox4x32 10" lines: counter, key → output.
const KAT = [
  [[0, 0, 0, 0], [0, 0], [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]],
  [[0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff], [0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd]],
  [[0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0], [0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1]],
];

const heaps = new Map<Binary, Promise<Heap>>();
const heap = (bin: Binary = 'simd') => {
  if (!heaps.has(bin)) heaps.set(bin, loadWasm(bin).then((w) => new Heap(w)));
  return heaps.get(bin)!;
};
const SAMPLERS: RngSampler[] = ['u32', 'uniform', 'uniformF32', 'normal', 'normalF32'];

describe('Philox4x32-10 core', () => {
  it('the TS oracle reproduces the published Random123 known answers', () => {
    for (const [ctr, key, want] of KAT) expect(philox(ctr, key)).toEqual(want);
  });

  it.each(BINARIES)('the wasm philox4x32 export reproduces them (%s binary)', async (bin) => {
    const w = bindKernels((await heap(bin)).wasm);
    for (const [ctr, key, want] of KAT) {
      w.philox4x32(ctr[0], ctr[1], ctr[2], ctr[3], key[0], key[1]);
      expect([0, 1, 2, 3].map((l) => w.philoxWord(l) >>> 0)).toEqual(want);
    }
  });

  it('stream words equal the oracle for seeds, streams and offsets past 2^32', async () => {
    const h = await heap();
    for (const [seed, stream, offset] of [[0, 0, 0], [42, 7, 3], [2 ** 53 - 1, 2 ** 40 + 5, 2 ** 34 - 5], [2 ** 32, 2 ** 32, 2 ** 52 + 1]]) {
      const got = Array.from(new RngStream(h, seed, stream, offset).u32(9));
      expect(got).toEqual(Array.from({ length: 9 }, (_, i) => word(seed, stream, offset + i)));
    }
  });
});

describe('samplers', () => {
  it('golden values for seed 42, stream 7 (frozen: a change here breaks every stored result)', async () => {
    const h = await heap();
    const draw = (s: RngSampler) => Array.from(new RngStream(h, 42, 7)[s](4));
    expect(Array.from(new RngStream(h, 42, 7).u32(6))).toEqual([0x67ee6f2c, 0xe55410cc, 0x6c7eca35, 0x557398d3, 0xe5dde940, 0x600f6196]);
    expect(draw('uniform')).toEqual([0.40598197203736, 0.42380965749766764, 0.8979173479619228, 0.5617366371605891]);
    expect(draw('uniformF32')).toEqual([0.40598195791244507, 0.8958140015602112, 0.4238097071647644, 0.33379513025283813]);
    expect(draw('normal')).toEqual([-1.1917784046189088, 0.6185121524386662, -0.42958519479294055, -0.17553082495524844]);
    expect(draw('normalF32')).toEqual([-1.1917784214019775, 0.6185121536254883, -0.42958518862724304, -0.1755308210849762]);
  });

  it('uniforms and normals follow the documented mapping from stream words', async () => {
    const h = await heap();
    const [u, f, z, zf] = [new RngStream(h, 9, 4).uniform(51), new RngStream(h, 9, 4).uniformF32(51), new RngStream(h, 9, 4).normal(51), new RngStream(h, 9, 4).normalF32(51)];
    const W = (w: number) => word(9, 4, w);
    let worst = 0;
    for (let i = 0; i < 51; i++) {
      expect([u[i], f[i], zf[i]]).toEqual([unit53(W(2 * i), W(2 * i + 1)), unit24(W(i)), Math.fround(z[i])]);
      const b = 4 * (i >> 1);
      const r = Math.sqrt(-2 * Math.log(unit53(W(b), W(b + 1)))), th = 2 * Math.PI * unit53(W(b + 2), W(b + 3));
      worst = Math.max(worst, Math.abs(z[i] - (i % 2 ? r * Math.sin(th) : r * Math.cos(th)))); // JS Math: not bit-specified
    }
    expect(worst).toBeLessThan(1e-13);
  });

  it.each(BINARIES)('uniforms stay strictly inside (0, 1) at the extreme words (%s binary)', async (bin) => {
    const w = bindKernels((await heap(bin)).wasm);
    expect([w.unitF64(0, 0), w.unitF64(0xffffffff, 0xffffffff)]).toEqual([2 ** -53, 1 - 2 ** -53]);
    expect([w.unitF32(0), w.unitF32(0xffffffff)]).toEqual([2 ** -24, 1 - 2 ** -24]);
  });

  it('moments: uniform mean 1/2, var 1/12; normal mean 0, var 1, kurtosis 3 (n = 1e6, within 5σ)', async () => {
    const h = await heap();
    const n = 1_000_000;
    const moments = (x: ArrayLike<number>) => {
      let m = 0, m2 = 0, m4 = 0;
      for (let i = 0; i < n; i++) m += x[i];
      m /= n;
      for (let i = 0; i < n; i++) { const d = (x[i] - m) ** 2; m2 += d; m4 += d * d; }
      return [m, m2 / n, m4 / n / (m2 / n) ** 2];
    };
    for (const u of [new RngStream(h, 1, 0).uniform(n), new RngStream(h, 1, 0).uniformF32(n)]) {
      const [m, v] = moments(u);
      expect([Math.abs(m - 0.5) / Math.sqrt(1 / 12 / n), Math.abs(v - 1 / 12) / Math.sqrt(1 / 180 / n)].every((s) => s < 5)).toBe(true);
    }
    const [m, v, k] = moments(new RngStream(h, 1, 1).normal(n));
    expect([Math.abs(m) * Math.sqrt(n), Math.abs(v - 1) / Math.sqrt(2 / n), Math.abs(k - 3) / Math.sqrt(24 / n)].every((s) => s < 5)).toBe(true);
  });

  it('streams and seeds are independent: correlations within 5/√n, high words count', async () => {
    const h = await heap();
    const n = 200_000;
    const corr = (a: Float64Array, b: Float64Array) => a.reduce((s, x, i) => s + x * b[i], 0) / n;
    const z = (seed: number, stream: number) => new RngStream(h, seed, stream).normal(n);
    for (const [s1, t1, s2, t2] of [[3, 0, 3, 1], [3, 0, 4, 0], [3, 0, 3, 2 ** 32], [3, 0, 3 + 2 ** 32, 0]]) {
      expect(Math.abs(corr(z(s1, t1), z(s2, t2))) * Math.sqrt(n)).toBeLessThan(5);
    }
  });
});

describe('positions', () => {
  it('10 then 11 values equal 21 at once, for every sampler and any start word', async () => {
    const h = await heap();
    for (const s of SAMPLERS) for (const start of [0, 1, 6]) {
      const r = new RngStream(h, 5, 6, start);
      expect([...r[s](10), ...r[s](11)]).toEqual(Array.from(new RngStream(h, 5, 6, start)[s](21)));
    }
  });

  it('the cursor counts words, so mixed samplers never reuse one', async () => {
    const h = await heap();
    const r = new RngStream(h, 5, 6);
    r.u32(3);
    expect(r.offset).toBe(3);
    expect(Array.from(r.normal(3))).toEqual(Array.from(new RngStream(h, 5, 6, 4).normal(3)));
    expect(r.offset).toBe(10);
    expect(Array.from(r.uniformF32(2))).toEqual(Array.from(new RngStream(h, 5, 6, 10).uniformF32(2)));
  });

  it('a stream at word 2k draws the raw kernels at value offset k', async () => {
    const h = await heap();
    const ptr = h.allocF64(7);
    bindKernels(h.wasm).rng_normal_f64(ptr, 7, 5, 6, 3);
    expect(new RngStream(h, 5, 6, 6).normal(7)).toEqual(h.readF64(ptr, 7));
    h.reset();
  });

  it('every binary draws the same bits (no float reductions in the RNG)', async () => {
    const draw = async (bin: Binary) => Promise.all(SAMPLERS.map(async (s) => Array.from(new RngStream(await heap(bin), 11, 2, 3)[s](257))));
    const want = await draw('scalar');
    for (const bin of BINARIES) expect(await draw(bin)).toEqual(want);
  });
});

describe('RngStream boundary', () => {
  it('rejects seeds, streams, offsets and counts that are not integers in range, naming the argument', async () => {
    const h = await heap();
    expect(() => new RngStream(h, -1, 0)).toThrow(/seed must be an integer in \[0, 2\^53-1\]/);
    expect(() => new RngStream(h, 1, 0.5)).toThrow(/stream must be an integer/);
    expect(() => new RngStream(h, 2 ** 53, 0)).toThrow(/seed/);
    expect(() => new RngStream(h, 1, 1, NaN)).toThrow(/offset/);
    expect(() => new RngStream(h, 1, 1).normal(-1)).toThrow(/n must be an integer/);
    expect(() => new RngStream(h, 1, 1, 2 ** 53 - 4).normal(2)).toThrow(/would pass 2\^53-1/);
  });

  it('draws leave the heap as they found it and resident data intact; into() writes in place', async () => {
    const h = await heap();
    const resident = h.allocF64(3, [1, 2, 3]);
    const mark = h.mark();
    new RngStream(h, 1, 2).normal(100_000);
    expect([h.mark(), ...h.f64(resident, 3)]).toEqual([mark, 1, 2, 3]);
    const out = h.allocF32(5);
    new RngStream(h, 1, 2).into('normalF32', out, 5);
    expect(h.readF32(out, 5)).toEqual(new RngStream(h, 1, 2).normalF32(5));
    h.reset();
  });
});
