// Training in wasm: the epoch shuffle and gather kernels against plain-JS oracles, the learning-
// rate schedules against their formulas, a separable toy problem learnt to near-zero loss, and a
// short MNIST run that beats a stated accuracy.
import { describe, it, expect } from 'vitest';
import { loadWasm } from '../src/wasm.js';
import { Heap } from '../src/heap.js';
import { bindKernels } from '../src/kernels.js';
import { DECAYS, learningRate, trainRun, uploadDataset, type TrainSettings } from '../src/mlp/train.js';
import { prepareDataset, type Dataset } from '../src/mlp/data.js';
import { runStreams } from '../src/mlp/experiment.js';

const newHeap = async () => new Heap(await loadWasm('simd'));

/** The same Fisher–Yates with Lemire's exact rejection, in plain JS over Philox words read from rng_u32. */
function shuffleOracle(heap: Heap, n: number, seed: number, stream: number, offset: number): { perm: number[]; used: number } {
  const words = heap.alloc(4 * (4 * n + 64));
  bindKernels(heap.wasm).rng_u32(words, 4 * n + 64, seed, stream, offset);
  const w = heap.u32(words, 4 * n + 64);
  const perm = Array.from({ length: n }, (_, i) => i);
  let k = 0;
  for (let i = n - 1; i > 0; i--) {
    const range = BigInt(i + 1);
    let m = BigInt(w[k++]) * range;
    const threshold = (2n ** 32n - range) % range;
    if ((m & 0xffffffffn) < range) while ((m & 0xffffffffn) < threshold) m = BigInt(w[k++]) * range;
    const j = Number(m >> 32n);
    [perm[i], perm[j]] = [perm[j], perm[i]];
  }
  return { perm, used: k };
}

describe('epoch order kernels', () => {
  it('mlp_shuffle_u32 equals the JS oracle, is a permutation, and depends on seed, stream and offset', async () => {
    const heap = await newHeap();
    for (const [n, seed, stream, offset] of [[1, 1, 0, 0], [2, 3, 4, 5], [17, 9, 2 ** 40, 2 ** 33], [1000, 7, 11, 0], [60000, 1, 3, 2 ** 32]]) {
      heap.reset();
      const idx = heap.alloc(4 * n);
      const a = heap.u32(idx, n);
      a.forEach((_, i) => (a[i] = i));
      const used = bindKernels(heap.wasm).mlp_shuffle_u32(idx, n, seed, stream, offset);
      const got = Array.from(heap.u32(idx, n));
      const want = shuffleOracle(heap, n, seed, stream, offset);
      expect(got).toEqual(want.perm);
      expect(used).toBe(want.used);
      expect([...got].sort((x, y) => x - y)).toEqual(Array.from({ length: n }, (_, i) => i));
    }
    const perm = (seed: number, stream: number, offset: number) => shuffleOracle(heap, 50, seed, stream, offset).perm.join();
    expect(new Set([perm(1, 1, 0), perm(2, 1, 0), perm(1, 2, 0), perm(1, 1, 2 ** 32)]).size).toBe(4);
  });

  it('mlp_gather_rows_f32 lays rows and labels out in the given order', async () => {
    const heap = await newHeap();
    const n = 37, d = 13;
    const x = Float32Array.from({ length: n * d }, (_, i) => i * 0.5 - 3);
    const y = Int32Array.from({ length: n }, (_, i) => (i * 7) % 10);
    const order = Uint32Array.from({ length: n }, (_, i) => (i * 11) % n);
    const xs = heap.allocF32(n * d, x), ys = heap.alloc(4 * n), os = heap.alloc(4 * n), dx = heap.allocF32(n * d), dy = heap.alloc(4 * n);
    new Int32Array(heap.memory.buffer, ys, n).set(y);
    heap.u32(os, n).set(order);
    bindKernels(heap.wasm).mlp_gather_rows_f32(dx, dy, xs, ys, os, n, d);
    const gx = heap.f32(dx, n * d), gy = new Int32Array(heap.memory.buffer, dy, n);
    for (let i = 0; i < n; i++) {
      expect(Array.from(gx.subarray(i * d, (i + 1) * d))).toEqual(Array.from(x.subarray(order[i] * d, (order[i] + 1) * d)));
      expect(gy[i]).toBe(y[order[i]]);
    }
  });

  it('run streams depend only on (architecture, run) and never collide across widths and purposes', () => {
    const seen = new Set<number>();
    for (const h of [2, 5, 10, 25, 50, 100, 250, 500, 100000]) for (const run of [0, 1, 999, 2 ** 21 - 1]) {
      const { init, shuffle } = runStreams([100, h, 10], run);
      expect(Number.isSafeInteger(init) && Number.isSafeInteger(shuffle)).toBe(true);
      for (const s of [init, shuffle]) { expect(seen.has(s)).toBe(false); seen.add(s); }
    }
    expect(runStreams([100, 50, 10], 3)).toEqual(runStreams([100, 50, 10], 3));
    expect(runStreams([100, 50, 20, 10], 3).init).not.toBe(runStreams([100, 50, 10], 3).init);
  });
});

describe('learning-rate schedules', () => {
  it.each(DECAYS)('%s follows its formula', (decay) => {
    const s = { lr: 0.3, decay, decayRate: 0.7, decayStep: 4 };
    for (let t = 0; t < 20; t++) {
      const want = decay === 'none' ? 0.3 : decay === 'step' ? 0.3 * 0.7 ** Math.floor(t / 4) : decay === 'inv' ? 0.3 / (1 + 0.7 * t) : 0.3 * Math.pow(0.7, t);
      expect(learningRate(s, t)).toBeCloseTo(want, 14);
    }
  });
});

const TRAIN: TrainSettings = {
  layers: [2, 16, 2], bias: true, loss: 'cross-entropy', init: 'glorot', initRange: 1, epochs: 60, batch: 10,
  lr: 0.2, decay: 'none', decayRate: 0.05, decayStep: 50, momentum: 0.5,
};

/** Two separable blobs in the plane (a margin of 1 around the line x + y = 0). */
function blobs(n: number, seed: number): Dataset {
  let s = seed;
  const u = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const x = new Float32Array(2 * n), y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    const t = 4 * u() - 2, m = 1 + 2 * u();
    x[2 * i] = (c ? m : -m) / Math.SQRT2 + t / Math.SQRT2;
    x[2 * i + 1] = (c ? m : -m) / Math.SQRT2 - t / Math.SQRT2;
    y[i] = c;
  }
  return { xTrain: x, yTrain: y, xTest: x, yTest: y, nTrain: n, nTest: n, d: 2, meta: {} as Dataset['meta'] };
}

describe('training', () => {
  it('learns a separable toy problem to near-zero loss, with any binary loss too', async () => {
    const heap = await newHeap();
    for (const [loss, out] of [['cross-entropy', 2], ['multiclass-hinge', 2], ['binary-hinge', 1], ['binary-absolute', 1]] as const) {
      heap.reset();
      const data = uploadDataset(heap, blobs(400, 5), loss);
      // The absolute loss has a constant-size gradient: it needs a decaying rate to settle.
      const schedule = loss === 'binary-absolute' ? { decay: 'inv' as const, decayRate: 0.5, epochs: 200, momentum: 0 } : {};
      const r = trainRun(heap, data, { ...TRAIN, loss, layers: [2, 16, out], ...schedule }, 1, 2, 3);
      expect(r.trainError, loss).toBe(0);
      expect(r.trainLoss, loss).toBeLessThan(0.05);
    }
  });

  it('is reproducible from (seed, streams) and changes with them', async () => {
    const heap = await newHeap();
    const run = (seed: number, init: number, shuffle: number) => {
      heap.reset();
      return trainRun(heap, uploadDataset(heap, blobs(200, 9), 'cross-entropy'), { ...TRAIN, epochs: 3 }, seed, init, shuffle);
    };
    expect(run(1, 2, 3)).toEqual(run(1, 2, 3));
    expect(run(1, 2, 4).trainLoss).not.toBe(run(1, 2, 3).trainLoss);
    expect(run(1, 5, 3).trainLoss).not.toBe(run(1, 2, 3).trainLoss);
  });

  it('a quick MNIST run (2000 images, 10×10, one hidden layer of 50, 10 epochs, no bias) gets test error below 15%', async () => {
    const heap = await newHeap();
    const ds = await prepareDataset({ trainSize: 2000, testSize: 2000, downsample: 10, seed: 1 });
    const r = trainRun(heap, uploadDataset(heap, ds, 'cross-entropy'), { ...TRAIN, layers: [100, 50, 10], bias: false, init: 'uniform', initRange: 0.2, epochs: 10, lr: 0.1, decay: 'inv', momentum: 0 }, 1, 2, 3);
    expect(r.testError).toBeLessThan(0.15);
    expect(r.trainLoss).toBeLessThan(r.testLoss);
  }, 30_000);
});
