import { describe, it, expect, beforeAll } from 'vitest';
import { loadWasm } from '../src/wasm.js';
import { Heap } from '../src/heap.js';
import { bindKernels } from '../src/kernels.js';
import { AnnealChain, annealNet, snapTernary, ternaryScales } from '../src/anneal/anneal.js';
import { calibrateTemperature, geometricTemperature, linearTemperature, temperatures, uphillAcceptance } from '../src/anneal/schedule.js';
import { type MlpLoss, type MlpSpec, forwardLoss, isBinaryLoss, layerSlices, paramCount } from '../src/mlp/reference.js';
import { mulberry32, uniformF64 } from './support/data.js';

let heap: Heap;
beforeAll(async () => { heap = new Heap(await loadWasm('debug')); });

function problem(layers: number[], bias: boolean, loss: MlpLoss, S: number, seed: number) {
  const spec: MlpSpec = { layers, bias, loss };
  const params = uniformF64(paramCount(layers, bias), seed).map((v) => 0.5 * v);
  const X = uniformF64(S * layers[0], seed + 1).map((v) => (v > 0.4 ? 0 : v)); // some exact zeros, as MNIST's background
  const r = mulberry32(seed + 2), c = layers.at(-1)!;
  const y = Int32Array.from({ length: S }, () => (isBinaryLoss(loss) ? (r() < 0.5 ? 1 : -1) : Math.floor(r() * c)));
  return { spec, params, X, y, S };
}

function withChain<T>(p: ReturnType<typeof problem>, scale: number[], ternary: boolean, job: (c: AnnealChain) => T): T {
  const mark = heap.mark();
  try {
    const c = new AnnealChain(heap, p.spec, p.params, p.X, p.y, p.S, scale, ternary);
    c.init();
    return job(c);
  } finally {
    heap.release(mark);
  }
}

// Ragged nets: one and two hidden layers, every loss, with and without bias.
const DRIFT = [
  { layers: [5, 4, 3], bias: true, loss: 'cross-entropy' as MlpLoss, S: 37 },
  { layers: [3, 5, 4], bias: false, loss: 'multiclass-hinge' as MlpLoss, S: 17 },
  { layers: [4, 3, 3, 2], bias: true, loss: 'cross-entropy' as MlpLoss, S: 23 },
  { layers: [3, 4, 2, 1], bias: true, loss: 'binary-hinge' as MlpLoss, S: 16 },
  { layers: [2, 3, 1], bias: false, loss: 'binary-absolute' as MlpLoss, S: 5 },
];

describe('incremental loss change', () => {
  it.each(DRIFT)('equals a full recomputation after 10⁴ accepted moves: $loss $layers bias=$bias S=$S', ({ layers, bias, loss, S }) => {
    const p = problem(layers, bias, loss, S, 11 * S);
    const { inc, full, ref } = withChain(p, layers.slice(1).map(() => 0.1), false, (c) => {
      let t = 0, acc = 0;
      while (acc < 1e4) { acc += c.run(2000, 1, 5, 0, t, 0); t += 2000; }
      const inc = c.stats().loss, full = c.refresh();
      return { inc, full, ref: forwardLoss(p.spec, c.params(), p.X, p.y, S).loss / S };
    });
    // f64: each accepted move adds one rounding to a column of Z and to Σℓ; 10⁴ of them stay far below 1e-11.
    expect(Math.abs(inc - full)).toBeLessThan(1e-11 * Math.max(1, full));
    expect(Math.abs(full - ref)).toBeLessThan(1e-13 * Math.max(1, ref));
  });

  it('recomputes every K accepted moves and reports the drift it saw', () => {
    const p = problem([5, 4, 3], true, 'cross-entropy', 30, 3);
    const s = withChain(p, [0.1, 0.1], false, (c) => { const a = c.run(3000, 1, 9, 0, 0, 100); return { a, ...c.stats() }; });
    expect(s.recomputations).toBe(Math.floor(s.a / 100));
    expect(s.drift).toBeLessThan(1e-13);
  });

  it('probe gives the ΔL that the full-pass baseline sees, and both chains agree', () => {
    const p = problem([4, 3, 3, 2], true, 'cross-entropy', 20, 8);
    const run = (full: boolean) => withChain(p, [0.2, 0.2, 0.2], false, (c) => ({ a: c.run(500, 0.05, 2, 0, 0, 0, full), w: c.params() }));
    const inc = run(false), full = run(true);
    expect(inc.a).toBe(full.a);
    expect(Math.max(...inc.w.map((v, i) => Math.abs(v - full.w[i])))).toBeLessThan(1e-12);
  });
});

describe('Metropolis rule', () => {
  it('accepts exactly when ΔL ≤ 0 or U[2t+1] < exp(−ΔL/T) (the probe ΔL and the Philox stream)', () => {
    const p = problem([4, 3, 2], true, 'cross-entropy', 12, 4);
    const k = bindKernels(heap.wasm), T = 0.01, n = 200;
    const { dL, acc } = withChain(p, [0.3, 0.3], false, (c) => {
      const dL = new Float64Array(n), acc: number[] = [];
      // ΔL of proposal t from the state the run sees it in.
      for (let t = 0; t < n; t++) { dL[t] = c.probe(1, 7, 0, t)[0]; acc.push(c.run(1, T, 7, 0, t, 0)); }
      return { dL, acc };
    });
    const u = heap.allocF64(2 * n);
    k.rng_uniform_f64(u, 2 * n, 7, 0, 0);
    const U = heap.readF64(u, 2 * n);
    expect(acc).toEqual(Array.from(dL, (d, t) => (d <= 0 || U[2 * t + 1] < Math.exp(-d / T) ? 1 : 0)));
    expect(acc.some((a) => a === 0) && dL.some((d, t) => d > 0 && acc[t] === 1)).toBe(true);
  });

  it('moves between ternary levels with the two-state frequencies ½·exp(−ΔL/T) (4.5σ binomial bounds)', () => {
    // One weight, f = w, loss |1 − w|, levels {−½, 0, ½}: L = 1.5, 1, 0.5. At T = ½/ln 2, e^{−½/T} = ½.
    const p = { spec: { layers: [1, 1], bias: false, loss: 'binary-absolute' as MlpLoss }, params: Float64Array.of(0.5), X: [1], y: Int32Array.of(1), S: 1 };
    const T = 0.5 / Math.LN2, N = 30000;
    const moves = new Map<string, number>(), visits = new Map<number, number>();
    withChain(p, [0.5], true, (c) => {
      let w = 0.5;
      for (let t = 0; t < N; t++) {
        c.run(1, T, 3, 0, t, 0);
        const w2 = c.params()[0];
        visits.set(w, (visits.get(w) ?? 0) + 1);
        moves.set(`${w}>${w2}`, (moves.get(`${w}>${w2}`) ?? 0) + 1);
        w = w2;
      }
    });
    const want: [string, number, number][] = [['0.5>0', 0.5, 0.25], ['0.5>-0.5', 0.5, 0.125], ['0>0.5', 0, 0.5], ['0>-0.5', 0, 0.25], ['-0.5>0', -0.5, 0.5], ['-0.5>0.5', -0.5, 0.5]];
    for (const [key, from, prob] of want) {
      const n = visits.get(from)!, got = moves.get(key) ?? 0;
      expect(Math.abs(got - n * prob), key).toBeLessThan(4.5 * Math.sqrt(n * prob * (1 - prob)));
    }
  });
});

describe('ternary weights', () => {
  it('stay on {−c_l, 0, c_l} at every step (fan-in scale), and the loss stays exact', () => {
    const p = problem([4, 3, 2], true, 'cross-entropy', 10, 21);
    const scale = ternaryScales(p.spec.layers, 'fan-in');
    p.params = snapTernary(p.spec, p.params, scale);
    const slices = layerSlices(p.spec.layers, true);
    const off = (w: Float64Array) => slices.flatMap(({ w: o, b, nIn, nOut }, l) => Array.from(w.subarray(o, b + nOut)).filter((v) => v !== 0 && Math.abs(v) !== scale[l]).map(() => `${l}:${nIn}`));
    const bad = withChain(p, scale, true, (c) => {
      const bad: string[] = off(c.params());
      for (let t = 0; t < 2000; t++) { c.run(1, 0.05, 1, 0, t, 0); bad.push(...off(c.params())); }
      expect(Math.abs(c.stats().loss - c.refresh())).toBeLessThan(1e-12);
      return bad;
    });
    expect(bad).toEqual([]);
  });

  it('annealNet reports the zero fraction of its ternary result', () => {
    const p = problem([4, 3, 2], true, 'cross-entropy', 10, 22);
    const r = annealNet(heap, p.spec, p.params, p.X, p.y, p.S, { seed: 4, ternary: true, stages: 4, sweepsPerStage: 3 });
    expect(r.params.every((v) => v === 0 || Math.abs(v) === 1)).toBe(true);
    expect(r.zeroFraction).toBe(r.params.filter((v) => v === 0).length / r.params.length);
  });
});

describe('temperature schedules', () => {
  it('follow their formulas from T0 to T_end', () => {
    expect(temperatures('geometric', 2, 0.02, 5)).toEqual([0, 1, 2, 3, 4].map((k) => 2 * 0.01 ** (k / 4)));
    expect(temperatures('linear', 2, 0.02, 5)).toEqual([0, 1, 2, 3, 4].map((k) => 2 + (0.02 - 2) * (k / 4)));
    expect([geometricTemperature(3, 1, 6, 7), linearTemperature(3, 1, 0, 7), linearTemperature(3, 1, 0, 1)]).toEqual([1, 3, 3]);
  });

  it('calibrate T so the probed uphill moves are accepted with mean probability χ', () => {
    const d = [0.3, -0.1, 0.01, 0.002, 0, 0.05];
    for (const chi of [0.5, 1e-3]) expect(Math.abs(uphillAcceptance(d, calibrateTemperature(d, chi)) - chi)).toBeLessThan(1e-8 * chi + 1e-12);
    expect(() => calibrateTemperature([0, -1], 0.5)).toThrow(/no probed proposal/);
  });
});

describe('annealNet', () => {
  // Two Gaussian-free blobs split by x0 − x1 with a margin: separable by a single unit.
  const r = mulberry32(99);
  const pts = Array.from({ length: 60 }, () => [2 * r() - 1, 2 * r() - 1]).filter(([a, b]) => Math.abs(a - b) > 0.2).slice(0, 40);
  const X = pts.flat(), S = pts.length;

  it('reaches zero training error on a tiny separable problem (continuous, cross-entropy)', () => {
    const spec: MlpSpec = { layers: [2, 4, 2], bias: true, loss: 'cross-entropy' };
    const y = pts.map(([a, b]) => (a > b ? 1 : 0));
    const res = annealNet(heap, spec, uniformF64(paramCount(spec.layers, true), 5).map((v) => 0.2 * v), X, y, S, { seed: 1, stages: 30, sweepsPerStage: 20, step: 0.2 });
    expect(res.trainError).toBe(0);
    expect(res.trainLoss).toBeLessThan(res.initialLoss);
  });

  it('reaches zero training error with ternary weights (binary hinge, no hidden layer)', () => {
    const spec: MlpSpec = { layers: [2, 1], bias: false, loss: 'binary-hinge' };
    const y = pts.map(([a, b]) => (a > b ? 1 : -1));
    const res = annealNet(heap, spec, [0.1, 0.1], X, y, S, { seed: 2, ternary: true, stages: 20, sweepsPerStage: 10 });
    expect(res.trainError).toBe(0);
  });

  it('gives the same bytes on the scalar and SIMD binaries', async () => {
    const p = problem([5, 4, 3], true, 'cross-entropy', 20, 30);
    const go = (h: Heap) => annealNet(h, p.spec, p.params, p.X, p.y, p.S, { seed: 6, stages: 5, sweepsPerStage: 4 });
    const [a, b] = [go(new Heap(await loadWasm('scalar'))), go(new Heap(await loadWasm('simd')))];
    expect(Buffer.from(a.params.buffer).equals(Buffer.from(b.params.buffer))).toBe(true);
    expect(a.stages).toEqual(b.stages);
  });
});
