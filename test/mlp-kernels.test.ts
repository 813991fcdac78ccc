import { describe, it, expect } from 'vitest';
import { loadWasm, type Binary } from '../src/wasm.js';
import { Heap, MemoryLimitError } from '../src/heap.js';
import { MlpNet, parityLabels, type MlpLoss } from '../src/mlp/net.js';
import * as ref from '../src/mlp/reference.js';
import { bindKernels } from '../src/kernels.js';

/** Seeded uniforms in [−1, 1), rounded to f32 so wasm and the f64 reference see the same values. */
function rand(n: number, seed: number, scale = 1): Float64Array {
  let s = seed >>> 0;
  return Float64Array.from({ length: n }, () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.fround(scale * (2 * (((t ^ (t >>> 14)) >>> 0) / 2 ** 32) - 1));
  });
}

const labels = (loss: MlpLoss, batch: number, classes: number, seed: number) =>
  rand(batch, seed).map((u) => (ref.isBinaryLoss(loss) ? (u < 0 ? -1 : 1) : Math.floor(((u + 1) / 2) * classes)));

async function problem(layers: number[], loss: MlpLoss, bias: boolean, batch: number, seed: number, binary: Binary = 'simd') {
  const heap = new Heap(await loadWasm(binary));
  const net = new MlpNet(heap, layers, { bias, loss, maxBatch: batch });
  const p = rand(net.paramCount, seed, 0.8);
  net.setParams(p);
  const x = rand(batch * layers[0], seed + 1);
  const y = labels(loss, batch, layers.at(-1)!, seed + 2);
  return { heap, net, p, x, y, xPtr: net.allocInputs(x), yPtr: net.allocLabels(y), spec: { layers, bias, loss } };
}

const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
const maxMag = (a: ArrayLike<number>) => Array.from(a).reduce((m, v) => Math.max(m, Math.abs(v)), 0);

const CLASS_SHAPES = [[6, 4], [5, 3, 4], [7, 17, 5, 4], [3, 1, 2]];
const BINARY_SHAPES = [[6, 1], [5, 3, 1], [7, 17, 5, 1], [3, 2, 1]];
const CASES = ref.MLP_LOSSES.flatMap((loss) =>
  (ref.isBinaryLoss(loss) ? BINARY_SHAPES : CLASS_SHAPES).flatMap((layers) => [true, false].map((bias) => ({ loss, layers, bias }))));

describe('mlp kernels against the f64 reference', () => {
  // Tolerances: the f64 reference's backprop matches its central differences (h = 1e-6) to
  // 1e-6·(1 + max|g|); the f32 kernel matches the reference backprop to 1e-4·(1 + max|g|).
  it.each(CASES)('backprop = central differences: $loss, layers $layers, bias $bias', async ({ loss, layers, bias }) => {
    const { net, p, x, y, xPtr, yPtr, spec } = await problem(layers, loss, bias, 5, layers.length * 7 + (bias ? 1 : 0));
    const want = ref.gradient(spec, p, x, y, 5);
    const fd = ref.finiteDifferenceGradient(spec, p, x, y, 5);
    expect(maxAbs(want.grad, fd)).toBeLessThan(1e-6 * (1 + maxMag(fd)));
    expect(maxAbs(net.gradient(xPtr, yPtr, 5), want.grad)).toBeLessThan(1e-4 * (1 + maxMag(want.grad)));
    expect(maxMag(want.grad)).toBeGreaterThan(0);
  });

  it.each(ref.MLP_LOSSES)('forward loss and error count equal the reference (%s, rel 1e-5)', async (loss) => {
    const layers = ref.isBinaryLoss(loss) ? [9, 17, 5, 1] : [9, 17, 5, 10];
    const { net, p, x, y, xPtr, yPtr, spec } = await problem(layers, loss, true, 37, 5);
    const want = ref.forwardLoss(spec, p, x, y, 37);
    const got = net.evaluate(xPtr, yPtr, 37, 8);
    expect(Math.abs(got.loss * 37 - want.loss)).toBeLessThan(1e-5 * want.loss);
    expect(got.errors).toBe(want.errors);
  });

  it('an SGD step is p − lr·g, and with momentum v ← μv + g, p ← p − lr·v', async () => {
    const { net, p, xPtr, yPtr } = await problem([7, 17, 5, 4], 'cross-entropy', true, 6, 3);
    const g1 = net.gradient(xPtr, yPtr, 6);
    net.step(xPtr, yPtr, 6, 0.1);
    expect(maxAbs(net.params(), p.map((v, k) => v - 0.1 * g1[k]))).toBeLessThan(1e-6);
    net.setParams(p);
    net.step(xPtr, yPtr, 6, 0.1, 0.9);
    const p1 = net.params(), g2 = net.gradient(xPtr, yPtr, 6);
    net.step(xPtr, yPtr, 6, 0.1, 0.9);
    expect(maxAbs(net.params(), p1.map((v, k) => v - 0.1 * (0.9 * g1[k] + g2[k])))).toBeLessThan(1e-6);
  });

  it('the step returns the minibatch mean loss before the update, and is a pure function of its inputs', async () => {
    const { net, p, x, y, xPtr, yPtr, spec } = await problem([5, 3, 4], 'multiclass-hinge', true, 4, 8);
    const loss = net.step(xPtr, yPtr, 4, 0.05, 0.5);
    const after = net.params();
    net.setParams(p);
    expect(net.step(xPtr, yPtr, 4, 0.05, 0.5)).toBe(loss);
    expect(net.params()).toEqual(after);
    expect(Math.abs(loss - ref.forwardLoss(spec, p, x, y, 4).loss / 4)).toBeLessThan(1e-5 * loss);
  });
});

describe('mlp kernels across binaries', () => {
  it.each(['scalar', 'debug'] as const)('the %s binary and the in-binary _scalar twin agree with the simd binary (rel 1e-5)', async (binary) => {
    const layers = [33, 17, 10], batch = 19;
    const a = await problem(layers, 'cross-entropy', true, batch, 4);
    const b = await problem(layers, 'cross-entropy', true, batch, 4, binary);
    const g = a.net.gradient(a.xPtr, a.yPtr, batch);
    expect(maxAbs(b.net.gradient(b.xPtr, b.yPtr, batch), g)).toBeLessThan(1e-5 * maxMag(g));
    const twin = a.heap.allocF32(a.net.paramCount);
    bindKernels(a.heap.wasm).mlp_grad_f32_scalar(twin, a.net.paramsPtr, a.net.layersPtr, 2, 1, a.xPtr, a.yPtr, batch, 0, a.net.workPtr);
    expect(maxAbs(a.heap.f32(twin, a.net.paramCount), g)).toBeLessThan(1e-5 * maxMag(g));
  });

  it('init draws the same bytes in every binary, and the same weights with or without biases', async () => {
    const nets = await Promise.all((['simd', 'scalar'] as const).map(async (b) => new MlpNet(new Heap(await loadWasm(b)), [10, 7, 3], { bias: true })));
    nets.forEach((n) => n.init('he', 1, 42, 3));
    expect(nets[1].params()).toEqual(nets[0].params());
    const bare = new MlpNet(nets[0].heap, [10, 7, 3], { bias: false });
    bare.init('he', 1, 42, 3);
    expect(bare.params().subarray(0, 70)).toEqual(nets[0].params().subarray(0, 70));
  });
});

describe('mlp init schemes', () => {
  const moments = (w: Float32Array) => {
    const mean = w.reduce((s, v) => s + v, 0) / w.length;
    return { mean, variance: w.reduce((s, v) => s + (v - mean) ** 2, 0) / w.length, max: maxMag(w) };
  };
  const layer0 = async (scheme: 'uniform' | 'glorot' | 'he', a: number) => {
    const net = new MlpNet(new Heap(await loadWasm('simd')), [200, 300, 10], { bias: true });
    net.init(scheme, a, 7, 1);
    const p = net.params();
    return { w: p.subarray(0, 60000), b: p.subarray(60000, 60300) };
  };

  it.each([
    ['uniform', 0.3, 0.3, 0.09 / 3],
    ['glorot', 1, Math.sqrt(6 / 500), 6 / 500 / 3],
    ['he', 1, Infinity, 2 / 200],
  ] as const)('%s: range, mean and variance within 4 standard errors; biases 0', async (scheme, a, limit, variance) => {
    const { w, b } = await layer0(scheme, a);
    const m = moments(w);
    expect(m.max).toBeLessThanOrEqual(Math.fround(limit));
    expect(Math.abs(m.mean)).toBeLessThan(4 * Math.sqrt(variance / w.length));
    expect(Math.abs(m.variance / variance - 1)).toBeLessThan(4 * Math.sqrt((scheme === 'he' ? 2 : 0.8) / w.length));
    expect(maxMag(b)).toBe(0);
  });
});

describe('mlp learns separable toy problems', () => {
  /** Four Gaussian blobs at (±1, ±1), σ = 0.25, labelled by the XOR of the signs. */
  const xor = (n: number) => {
    const u = rand(4 * n, 99);
    const x = new Float32Array(2 * n), cls = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const sx = i % 2 ? 1 : -1, sy = (i >> 1) % 2 ? 1 : -1;
      x[2 * i] = sx + 0.25 * u[4 * i] * 1.7;
      x[2 * i + 1] = sy + 0.25 * u[4 * i + 1] * 1.7;
      cls[i] = sx * sy > 0 ? 1 : 0;
    }
    return { x, cls };
  };

  it.each(['cross-entropy', 'multiclass-hinge', 'binary-hinge', 'binary-absolute'] as const)('XOR blobs with 8 hidden units (%s): training loss near 0, no errors', async (loss) => {
    const n = 200, { x, cls } = xor(n);
    const net = new MlpNet(new Heap(await loadWasm('simd')), [2, 8, ref.isBinaryLoss(loss) ? 1 : 2], { loss, maxBatch: n });
    net.init('he', 1, 1, 0);
    const xPtr = net.allocInputs(x), yPtr = net.allocLabels(ref.isBinaryLoss(loss) ? parityLabels(cls) : cls);
    const start = net.evaluate(xPtr, yPtr, n).loss;
    for (let epoch = 0; epoch < 150; epoch++) for (let i = 0; i < n; i += 20) net.step(xPtr + 8 * i, yPtr + 4 * i, 20, 0.05, 0.9);
    const { loss: final, errors } = net.evaluate(xPtr, yPtr, n);
    expect(errors).toBe(0);
    // |y − f| regresses f onto ±1 exactly, which 8 ReLUs cannot do across a blob's spread (the
    // loss floors near 0.15); the margin losses can reach 0.
    if (loss === 'binary-absolute') expect(final).toBeLessThan(0.2 * start);
    else expect(final).toBeLessThan(0.02);
  });
});

describe('MlpNet validation', () => {
  const heap = async () => new Heap(await loadWasm('simd'));

  it('rejects bad widths, depths and loss/output mismatches with clear errors', async () => {
    const h = await heap();
    expect(() => new MlpNet(h, [5, 0, 2])).toThrow(/width 1 must be an integer/);
    expect(() => new MlpNet(h, [5])).toThrow(/2 to 9 widths/);
    expect(() => new MlpNet(h, [2, 2, 2, 2, 2, 2, 2, 2, 2, 2])).toThrow(/2 to 9 widths/);
    expect(() => new MlpNet(h, [5, 3, 2], { loss: 'binary-hinge' })).toThrow(/needs 1 output/);
    expect(() => new MlpNet(h, [5, 3, 1])).toThrow(/at least 2 outputs/);
  });

  it('refuses a net that cannot fit in wasm32 before allocating anything', async () => {
    const h = await heap();
    const mark = h.mark();
    expect(() => new MlpNet(h, [30000, 30000, 10])).toThrow(MemoryLimitError);
    expect(h.mark()).toBe(mark);
  });

  it('rejects oversize batches and bad labels; a trap names the kernel', async () => {
    const { net, xPtr, yPtr, heap: h } = await problem([5, 3, 4], 'cross-entropy', true, 4, 1);
    expect(() => net.step(xPtr, yPtr, 5, 0.1)).toThrow(/batch must be an integer in \[1, 4\]/);
    expect(() => net.allocLabels([0, 4])).toThrow(/label 1 is 4.*classes 0\.\.3/);
    h.u32(yPtr, 1)[0] = 9;
    expect(() => net.step(xPtr, yPtr, 4, 0.1)).toThrow(/mlp_sgd_step_f32\(/);
  });
});
