import { describe, it, expect, beforeAll } from 'vitest';
import { loadWasm } from '../src/wasm.js';
import { Heap } from '../src/heap.js';
import { asymmetryOf, exactHessian } from '../src/curvature/hessian.js';
import { hessianByDifferences } from '../src/curvature/reference.js';
import { MLP_LOSSES, type MlpLoss, type MlpSpec, isBinaryLoss, paramCount } from '../src/mlp/reference.js';
import { mulberry32, uniformF64 } from './support/data.js';

let heap: Heap;
beforeAll(async () => { heap = new Heap(await loadWasm('debug')); });

function problem(layers: number[], bias: boolean, loss: MlpLoss, S: number, seed: number) {
  const spec: MlpSpec = { layers, bias, loss };
  const P = paramCount(layers, bias);
  const params = uniformF64(P, seed);
  const X = uniformF64(S * layers[0], seed + 1);
  const r = mulberry32(seed + 2), c = layers.at(-1)!;
  const y = Int32Array.from({ length: S }, () => (isBinaryLoss(loss) ? (r() < 0.5 ? 1 : -1) : Math.floor(r() * c)));
  return { spec, P, params, X, y, S };
}

const maxAbs = (a: ArrayLike<number>) => Array.prototype.reduce.call(a, (m: number, v: number) => Math.max(m, Math.abs(v)), 0) as number;
const maxDiff = (a: Float64Array, b: Float64Array) => maxAbs(a.map((v, i) => v - b[i]));
const relErr = (a: Float64Array, b: Float64Array) => maxDiff(a, b) / Math.max(maxAbs(b), 1e-300);

// Ragged one-hidden-layer nets: 1-3 hidden units, 1-5 samples, every loss, with and without bias;
// then S past the gemm's k-blocks of 256 and the kernel's sample chunks of 1024 (ragged tails).
const out = (loss: MlpLoss, c: number) => (isBinaryLoss(loss) ? 1 : c);
const CASES = MLP_LOSSES.flatMap((loss, li) => [
  { layers: [3, 2, out(loss, 3)], bias: true, S: 5 },
  { layers: [2, 3, out(loss, 2)], bias: false, S: 1 },
  { layers: [4, 1, out(loss, 3)], bias: true, S: 3 },
  { layers: [1, 3, out(loss, 4)], bias: false, S: 4 },
  { layers: [5, 3, out(loss, 2)], bias: true, S: 2 },
].map((c, i) => ({ ...c, loss, seed: 100 * li + 7 * i + 1 })));
const CHUNKED = MLP_LOSSES.flatMap((loss, li) => [
  { layers: [6, 5, out(loss, 4)], bias: true, S: 300, loss, seed: 500 + li },
  { layers: [9, 4, out(loss, 3)], bias: false, S: 513, loss, seed: 600 + li },
  { layers: [7, 6, out(loss, 3)], bias: true, S: 2100, loss, seed: 700 + li },
]);

describe('structured Hessian of one-hidden-layer nets', () => {
  // Tolerances: 1e-6 of max|H| against central differences (h = 1e-5, good to ~1e-10); 1e-13 against the R-op.
  it.each(CASES)('equals central differences of the f64 reference gradient and the R-op: $loss $layers bias=$bias S=$S', ({ layers, bias, loss, S, seed }) => {
    let p = problem(layers, bias, loss, S, seed), want = hessianByDifferences(p.spec, p.params, p.X, p.y, p.S);
    for (let s = seed + 1000; maxAbs(want) === 0; s += 1000) { // tiny ReLU nets are often dead (H = 0)
      p = problem(layers, bias, loss, S, s);
      want = hessianByDifferences(p.spec, p.params, p.X, p.y, p.S);
    }
    const got = exactHessian(heap, p.spec, p.params, p.X, p.y, p.S);
    const rop = exactHessian(heap, p.spec, p.params, p.X, p.y, p.S, { method: 'rop', block: 3 });
    expect(got).toMatchObject({ method: 'structured', block: 0, asymmetry: 0 });
    expect(asymmetryOf(got.H, got.P)).toEqual({ asymmetry: 0, norm: got.norm });
    expect(relErr(got.H, want)).toBeLessThan(1e-6);
    expect(relErr(got.H, rop.H)).toBeLessThan(1e-13);
    expect(got.loss).toBe(rop.loss);
  });

  it.each(CHUNKED)('agrees with the R-op over several sample chunks: $loss $layers bias=$bias S=$S', ({ layers, bias, loss, S, seed }) => {
    const p = problem(layers, bias, loss, S, seed);
    const got = exactHessian(heap, p.spec, p.params, p.X, p.y, p.S);
    const rop = exactHessian(heap, p.spec, p.params, p.X, p.y, p.S, { method: 'rop' });
    expect(maxAbs(rop.H)).toBeGreaterThan(0);
    console.log(`structured vs R-op ${loss} [${layers}] bias=${bias} S=${S}: max |ΔH| ${maxDiff(got.H, rop.H).toExponential(2)}, relative ${relErr(got.H, rop.H).toExponential(2)}`);
    expect(relErr(got.H, rop.H)).toBeLessThan(1e-13);
    expect(asymmetryOf(got.H, got.P)).toEqual({ asymmetry: 0, norm: got.norm });
  });

  it('the scalar twin gives the same bytes, runs repeat bit for bit, and the heap is released', () => {
    const p = problem([11, 6, 5], true, 'cross-entropy', 290, 9);
    const mark = heap.mark();
    const a = exactHessian(heap, p.spec, p.params, p.X, p.y, p.S);
    const b = exactHessian(heap, p.spec, p.params, p.X, p.y, p.S, { scalar: true });
    const c = exactHessian(heap, p.spec, p.params, p.X, p.y, p.S);
    expect(heap.mark()).toBe(mark);
    expect(maxDiff(a.H, b.H)).toBe(0);
    expect(maxDiff(a.H, c.H)).toBe(0);
  });

  it('deeper nets keep the R-op; the structured method refuses them', () => {
    const p = problem([3, 2, 2, 3], true, 'cross-entropy', 4, 2);
    expect(exactHessian(heap, p.spec, p.params, p.X, p.y, p.S)).toMatchObject({ method: 'rop' });
    expect(() => exactHessian(heap, p.spec, p.params, p.X, p.y, p.S, { method: 'structured' })).toThrow(/one hidden layer/);
  });
});
