import { describe, it, expect } from 'vitest';
import { loadWasm, BINARIES } from '../src/wasm.js';
import { Heap } from '../src/heap.js';
import { RngStream } from '../src/rng.js';

/** Independent Philox4x32-10 in plain TS (BigInt products), the oracle for the wasm one. */
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

/** Word w of stream (seed, stream) by the documented layout. */
function word(seed: number, stream: number, w: number): number {
  const b = Math.floor(w / 4);
  return philox([b % 2 ** 32, Math.floor(b / 2 ** 32), stream % 2 ** 32, Math.floor(stream / 2 ** 32)], [seed % 2 ** 32, Math.floor(seed / 2 ** 32)])[w % 4];
}

const heap = async (bin = 'simd' as const) => new Heap(await loadWasm(bin));

describe('Philox4x32-10 RNG in wasm', () => {
  it('the TS oracle reproduces the published Random123 known answers', () => {
    expect(philox([0, 0, 0, 0], [0, 0])).toEqual([0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]);
    expect(philox([0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff])).toEqual([0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd]);
    expect(philox([0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0])).toEqual([0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1]);
  });

  it('wasm u32 words equal the oracle, for large seeds, streams and offsets', async () => {
    const h = await heap();
    for (const [seed, stream, offset] of [[0, 0, 0], [42, 7, 3], [2 ** 53 - 1, 2 ** 40 + 5, 2 ** 33 + 1]]) {
      const got = Array.from(new RngStream(h, seed, stream, offset).u32(9));
      expect(got).toEqual(Array.from({ length: 9 }, (_, i) => word(seed, stream, offset + i)));
    }
  });

  it('golden values for seed 42, stream 7 (frozen; a change here breaks every stored result)', async () => {
    const h = await heap();
    expect(Array.from(new RngStream(h, 42, 7).u32(6))).toEqual([0x67ee6f2c, 0xe55410cc, 0x6c7eca35, 0x557398d3, 0xe5dde940, 0x600f6196]);
    expect(Array.from(new RngStream(h, 42, 7).uniform(4))).toEqual([0.40598197203736003, 0.4238096574976677, 0.8979173479619227, 0.561736637160589]);
    expect(Array.from(new RngStream(h, 42, 7).normal(4))).toEqual([-1.1917784046189088, 0.6185121524386655, -0.4295851947929408, -0.17553082495524833]);
  });

  it('uniform and normal samplers follow the documented mapping from words', async () => {
    const h = await heap();
    const u = new RngStream(h, 9, 4).uniform(50);
    const z = new RngStream(h, 9, 4).normal(50);
    for (let i = 0; i < 50; i++) {
      const unit = (a: number, b: number) => ((a >>> 5) * 2 ** 26 + (b >>> 6) + 0.5) * 2 ** -53;
      expect(u[i]).toBe(unit(word(9, 4, 2 * i), word(9, 4, 2 * i + 1)));
      const blk = 4 * (i >> 1);
      const r = Math.sqrt(-2 * Math.log(unit(word(9, 4, blk), word(9, 4, blk + 1))));
      const th = 2 * Math.PI * unit(word(9, 4, blk + 2), word(9, 4, blk + 3));
      expect(Math.abs(z[i] - (i % 2 ? r * Math.sin(th) : r * Math.cos(th)))).toBeLessThan(1e-13);
    }
  });

  it('moments: uniform mean 1/2, var 1/12; normal mean 0, var 1, kurtosis 3 (n = 1e6, 5σ)', async () => {
    const h = await heap();
    const n = 1_000_000;
    const u = new RngStream(h, 1, 0).uniform(n);
    const z = new RngStream(h, 1, 1).normal(n);
    const mean = (x: Float64Array) => x.reduce((a, b) => a + b, 0) / x.length;
    const mu = mean(u), mz = mean(z);
    const vu = mean(u.map((x) => (x - mu) ** 2)), vz = mean(z.map((x) => (x - mz) ** 2));
    const kz = mean(z.map((x) => (x - mz) ** 4)) / vz ** 2;
    expect(Math.abs(mu - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(vu - 1 / 12)).toBeLessThan(5 * Math.sqrt(1 / 180 / n));
    expect(Math.abs(mz)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(vz - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    expect(Math.abs(kz - 3)).toBeLessThan(5 * Math.sqrt(96 / n));
    expect(Math.min(...u.subarray(0, 1000)) > 0 && Math.max(...u.subarray(0, 1000)) < 1).toBe(true);
  });

  it('streams and seeds are independent (sample correlation within 5/√n)', async () => {
    const h = await heap();
    const n = 200_000;
    const corr = (a: Float64Array, b: Float64Array) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += a[i] * b[i];
      return s / n;
    };
    expect(Math.abs(corr(new RngStream(h, 3, 0).normal(n), new RngStream(h, 3, 1).normal(n)))).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(corr(new RngStream(h, 3, 0).normal(n), new RngStream(h, 4, 0).normal(n)))).toBeLessThan(5 / Math.sqrt(n));
  });

  it('offsets address the stream: 10 then 11 values equal 21 at once, for every sampler', async () => {
    const h = await heap();
    for (const draw of ['u32', 'uniform', 'uniformF32', 'normal', 'normalF32'] as const) {
      const s = new RngStream(h, 5, 6);
      const parts = [...s[draw](10), ...s[draw](11)];
      expect(parts).toEqual(Array.from(new RngStream(h, 5, 6)[draw](21)));
    }
  });

  it('every binary draws the same bits', async () => {
    const ref = await heap('simd');
    const want = [new RngStream(ref, 11, 2).u32(257), new RngStream(ref, 11, 2).normal(257), new RngStream(ref, 11, 2).uniformF32(257)];
    for (const bin of BINARIES) {
      const h = new Heap(await loadWasm(bin));
      expect([new RngStream(h, 11, 2).u32(257), new RngStream(h, 11, 2).normal(257), new RngStream(h, 11, 2).uniformF32(257)]).toEqual(want);
    }
  });

  it('rejects seeds and streams that are not integers in [0, 2^53)', async () => {
    const h = await heap();
    expect(() => new RngStream(h, -1, 0)).toThrow(/seed must be an integer/);
    expect(() => new RngStream(h, 1, 0.5)).toThrow(/stream must be an integer/);
    expect(() => new RngStream(h, 2 ** 53, 0)).toThrow(/seed/);
  });
});
