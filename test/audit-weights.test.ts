// The weight-side audit (A3p, A4p, A7p) against brute-force oracles on tiny nets: the quantiser by
// nearest cell centre and the annealer's ternary snap, corr(sign) and the loss correlation with every
// path listed, the multiplicity DP against listing every path's level tuple, and the norms recorded
// during training against the weights of an independent run stopped at that epoch.
import { describe, it, expect } from 'vitest';
import { loadWasm } from '../src/wasm.js';
import { Heap } from '../src/heap.js';
import { predict } from '../src/mlp/reference.js';
import { trainRun, uploadDataset, type TrainSettings } from '../src/mlp/train.js';
import { snapTernary } from '../src/anneal/anneal.js';
import { biasFreeCount } from '../src/audit/resident.js';
import { a3p, forwardF64, quantise } from '../src/audit/redundancy.js';
import { a4p, boundFit, multiplicities } from '../src/audit/uniformity.js';
import { a7p, layerMeanSquares } from '../src/audit/norms.js';
import { signLevelsClause, type WeightGroup } from '../src/audit/weights.js';
import { a3pBrute, multiplicitiesBrute, quantiseBrute } from '../src/audit/reference-weights.js';
import { mulberry32, uniformF64 } from './support/data.js';

const NETS = [[5, 4, 3], [3, 17, 1], [16, 5, 2], [4, 3, 5, 2], [5, 4, 3, 1], [3, 5, 4, 3]];
const net = (layers: number[], seed: number) => ({ layers, params: uniformF64(biasFreeCount(layers), seed) });
const labels = (S: number, nOut: number, seed: number) => { const r = mulberry32(seed); return Int32Array.from({ length: S }, () => (nOut === 1 ? (r() < 0.5 ? 1 : -1) : Math.floor(r() * nOut))); };

describe('the quantiser (s equal cells over [−max|w|, max|w|] per layer, cell centres)', () => {
  it.each(NETS)('equals the nearest-centre oracle for s = 2, 3, 4, 7, 64: %j', (...layers) => {
    const n = net(layers, layers.length * 7 + layers[1]);
    for (const s of [2, 3, 4, 7, 64]) {
      const q = quantise(layers, n.params, s), b = quantiseBrute(layers, n.params, s);
      expect(Array.from(q.index)).toEqual(b.index);
      expect(Math.max(...Array.from(q.params, (v, i) => Math.abs(v - b.params[i])))).toBeLessThan(1e-15);
    }
  });

  it('with s large reproduces every weight within half a cell, max|w|/s, and the outputs within the bound that implies', () => {
    const layers = [16, 17, 5], n = net(layers, 3), X = uniformF64(16 * 33, 4), s = 4096;
    const q = quantise(layers, n.params, s);
    q.params.forEach((v, i) => expect(Math.abs(v - n.params[i])).toBeLessThanOrEqual(q.range[i < 16 * 17 ? 0 : 1] / s + 1e-15));
    const Y = forwardF64(layers, n.params, X, 33), Ys = forwardF64(layers, q.params, X, 33);
    expect(Math.max(...Array.from(Y, (v, i) => Math.abs(v - Ys[i]))) / Math.max(...Array.from(Y, Math.abs))).toBeLessThan(0.01);
  });

  it('s = 3 puts each weight in the level the ternary annealer snaps it to (src/anneal snapTernary)', () => {
    const layers = [16, 5, 3, 2], n = net(layers, 9);
    const snap = snapTernary({ layers, bias: false, loss: 'cross-entropy' }, n.params, [1, 1, 1]);
    expect(Array.from(quantise(layers, n.params, 3).index, (b) => b - 1)).toEqual(Array.from(snap, (v) => v + 0));
  });

  it('forwardF64 is the reference forward pass (relative 1e-12)', () => {
    const layers = [5, 4, 3, 2], n = net(layers, 5), X = uniformF64(5 * 17, 6);
    const a = forwardF64(layers, n.params, X, 17), b = predict({ layers, bias: false, loss: 'cross-entropy' }, n.params, X, 17).flat();
    expect(Math.max(...b.map((v, i) => Math.abs(v - a[i])))).toBeLessThan(1e-12 * Math.max(...b.map(Math.abs)));
  });
});

describe('A3p against the path-listing oracle', () => {
  it.each(NETS)('corr(sign Y_s, sign Y) and the loss correlation at every s: %j', (...layers) => {
    const n = net(layers, 13 + layers[0]), S = 17, X = uniformF64(layers[0] * S, 2), nOut = layers.at(-1)!;
    const loss = nOut === 1 ? 'binary-hinge' : 'cross-entropy', y = labels(S, nOut, 5);
    const r = a3p(layers, n.params, X, y, S, loss, [2, 3, 8]);
    [2, 3, 8].forEach((s, i) => {
      const b = a3pBrute(n, X, S, y, loss, s);
      for (const [got, want] of [[r.signCorr[i], b.signCorr], [r.lossCorr[i], b.lossCorr]]) Number.isNaN(want) ? expect(got).toBeNaN() : expect(Math.abs(got - want)).toBeLessThan(1e-12);
    });
  });

  it('the smallest s reaching corr 0.95 is the first such s of the grid, and a wide grid reaches 1', () => {
    const layers = [16, 5, 2], n = net(layers, 21), X = uniformF64(16 * 100, 8), y = labels(100, 2, 1);
    const r = a3p(layers, n.params, X, y, 100, 'cross-entropy', [2, 3, 4, 8, 16, 32, 64, 1024]);
    expect(r.sMin).toBe(r.s[r.signCorr.findIndex((c) => c >= 0.95)]);
    expect(r.signCorr.at(-1)).toBeGreaterThan(0.99);
  });
});

describe('A4p: multiplicities of the level tuples', () => {
  it.each(NETS)('the DP over layers equals listing every path, s = 2, 3, 5: %j', (...layers) => {
    const n = net(layers, 31 + layers[1]);
    for (const s of [2, 3, 5]) {
      const { index } = quantise(layers, n.params, s);
      expect(Array.from(multiplicities(layers, index, s))).toEqual(multiplicitiesBrute(layers, index, s));
    }
  });

  it('sums to Ψ; Eq. 6 fit by hand: c, the share outside c = 2, the share absent', () => {
    const t = Float64Array.from([4, 1, 0, 3]);
    expect(boundFit(t)).toEqual({ cMin: 2, outside2: 0, absent: 0.25 });
    expect(boundFit(Float64Array.from([8, 1, 0, 0, 3, 0, 0, 0]))).toEqual({ cMin: 16 / 3, outside2: 1 / 3, absent: 5 / 8 }) // Ψ = 12, uniform t = 1.5;
    const layers = [4, 3, 5, 2], m = multiplicities(layers, quantise(layers, net(layers, 2).params, 3).index, 3);
    expect(m.reduce((a, b) => a + b, 0)).toBe(4 * 3 * 5 * 2);
    expect(a4p(layers, net(layers, 2).params, [3]).cMin[0]).toBe(boundFit(m).cMin);
  });
});

describe('A7p: weight norms along training', () => {
  const TRAIN: TrainSettings = { layers: [16, 7, 5, 3], bias: false, loss: 'cross-entropy', init: 'uniform', initRange: 0.2, epochs: 4, batch: 10, lr: 0.1, decay: 'none', decayRate: 0, decayStep: 1, momentum: 0 };
  const blobs = (n: number) => { const r = mulberry32(3); const yTrain = Uint8Array.from({ length: n }, () => Math.floor(r() * 3)); return { d: 16, nTrain: n, nTest: 20, xTrain: Float32Array.from({ length: n * 16 }, (_, i) => yTrain[Math.floor(i / 16)] * 0.3 + r() - 0.5), yTrain, xTest: new Float32Array(20 * 16), yTest: new Uint8Array(20) }; };

  it('the hook changes nothing, and the norm at epoch k equals ‖W‖²/count of a run stopped after k epochs', async () => {
    const heap = new Heap(await loadWasm('simd')), hist: number[][] = [];
    const run = (epochs: number, hook?: boolean) => { heap.reset(); return trainRun(heap, uploadDataset(heap, blobs(200), 'cross-entropy'), { ...TRAIN, epochs }, 1, 2, 3, () => {}, true, hook ? (_e, p) => hist.push(layerMeanSquares(TRAIN.layers, p())) : undefined); };
    const full = run(4, true);
    expect(Array.from(full.params!)).toEqual(Array.from(run(4).params!));
    expect(hist).toHaveLength(5);
    for (const k of [0, 2, 4]) {
      const w = run(k).params!, direct = [[0, 112], [112, 147], [147, 162]].map(([a, b]) => w.slice(a, b).reduce((s, v) => s + v * v, 0) / (b - a));
      hist[k].forEach((v, l) => expect(Math.abs(v - direct[l])).toBeLessThan(1e-12 * direct[l]));
    }
    const s = a7p(TRAIN.layers, hist);
    expect(s.drift).toEqual(s.meanSquare.map((m) => m[4] / m[0] - 1));
    expect(s.maxDrift).toBe(Math.max(...s.drift.map(Math.abs)));
  });
});

describe('the verdict clause on the levels the signs need', () => {
  const group = (value: number, reached: number) => ({ A3p: { sMin: { value, lo: value / 2, hi: value * 2 }, reached } }) as unknown as WeightGroup;
  it('names s when some net reaches the target, and reads as a sentence when none does', () => {
    expect(signLevelsClause(group(8, 6), 8, '25', 158.11)).toBe('corr(sign) ≥ 0.95 from s = 8.0 [4.0, 16.0] (6 of 8 nets reach 0.95 by s = 64) at 25 (Λ = 158.1)');
    const none = signLevelsClause(group(NaN, 0), 8, '25', 158.11);
    expect(none).toBe('at 25 (Λ = 158.1) none of 8 nets reach 0.95 by s = 64');
    expect(none).not.toMatch(/s = none/);
  });
});
