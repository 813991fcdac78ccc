// The decoupled surrogate (src/audit/surrogate.ts, assembly/surrogate.ts) against a brute-force oracle
// that lists every path and draws every mask by BigInt splitmix64; its gradient against central
// differences; ρ = 1 as the linear net; the masks' determinism and rate; the summary's distances.
import { describe, it, expect, beforeAll } from 'vitest';
import { loadWasm } from '../src/wasm.js';
import { Heap } from '../src/heap.js';
import { bindKernels } from '../src/kernels.js';
import { biasFreeCount } from '../src/audit/resident.js';
import { allPaths } from '../src/audit/reference.js';
import { lossModels, sphereDescent, sphereIndex } from '../src/audit/surrogate.js';
import { permutationP, wasserstein1, w1OverNets } from '../src/audit/surrogate-summary.js';
import { mulberry32, uniformF64 } from './support/data.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let heap: Heap;
beforeAll(async () => { heap = new Heap(await loadWasm('debug')); });

const M = (1n << 64n) - 1n;
const mix = (z: bigint) => { z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M; z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M; return z ^ (z >> 31n); };
const keyOf = (seed: number, stream: number) => mix(mix((BigInt(seed) + 0x9e3779b97f4a7c15n) & M) ^ BigInt(stream));
const thr = (rho: number) => (rho >= 1 ? 1n << 32n : BigInt(Math.floor(rho * 4294967296)));
const bit = (key: bigint, c: number, rho: number) => (mix((key + BigInt(c)) & M) >> 32n) < thr(rho) ? 1 : 0;

/** Y^sur (S × n_L) and the mean cross-entropy with every path and mask listed. */
function oracle(layers: number[], w: ArrayLike<number>, X: Float64Array, y: Int32Array, S: number, rho: number, seed: number, stream: number) {
  const paths = allPaths(layers), psi = paths.length, key = keyOf(seed, stream), nL = layers.at(-1)!, d = layers[0];
  const Y = new Float64Array(S * nL);
  const weight = (p: number[]) => { let v = 1, o = 0; for (let l = 1; l < layers.length; l++) { v *= w[o + p[l] * layers[l - 1] + p[l - 1]]; o += layers[l] * layers[l - 1]; } return v; };
  for (let s = 0; s < S; s++) paths.forEach((p, t) => { Y[s * nL + p.at(-1)!] += X[s * d + p[0]] * bit(key, s * psi + t, rho) * weight(p); });
  let loss = 0;
  for (let s = 0; s < S; s++) { const row = Y.subarray(s * nL, s * nL + nL), m = Math.max(...row); loss += m + Math.log(row.reduce((a, v) => a + Math.exp(v - m), 0)) - row[y[s]]; }
  return { Y, loss: loss / S };
}

function setup(layers: number[], S: number, seed: number) {
  const X = uniformF64(S * layers[0], seed), r = mulberry32(seed + 1);
  const y = Int32Array.from({ length: S }, () => Math.floor(r() * layers.at(-1)!));
  return { X, y, w: uniformF64(biasFreeCount(layers), seed + 2) };
}

function forwardSur(layers: number[], w: ArrayLike<number>, X: Float64Array, S: number, rho: number, seed: number, stream: number): Float64Array {
  const k = bindKernels(heap.wasm), m = heap.mark();
  try {
    const lp = heap.alloc(4 * layers.length); new Int32Array(heap.memory.buffer, lp, layers.length).set(layers);
    const L = layers.length - 1, nL = layers[L];
    const wp = heap.allocF64(w.length, w), xp = heap.allocF64(X.length, X), yp = heap.allocF64(S * nL), work = heap.alloc(k.surrogate_work_bytes(lp, L));
    k.surrogate_forward_f64(yp, wp, lp, L, xp, S, rho, seed, stream, work);
    return heap.readF64(yp, S * nL);
  } finally { heap.release(m); }
}

function masks(layers: number[], S: number, rho: number, seed: number, stream: number): Uint8Array {
  const k = bindKernels(heap.wasm), m = heap.mark();
  try {
    const lp = heap.alloc(4 * layers.length); new Int32Array(heap.memory.buffer, lp, layers.length).set(layers);
    const n = S * layers.reduce((a, b) => a * b, 1), out = heap.alloc(n);
    k.surrogate_masks_u8(out, lp, layers.length - 1, S, rho, seed, stream);
    return new Uint8Array(heap.memory.buffer, out, n).slice();
  } finally { heap.release(m); }
}

const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>) => { let e = 0; for (let i = 0; i < a.length; i++) e = Math.max(e, Math.abs(a[i] - b[i])); return e; };
// Ragged tiny nets of both depths (1–3 hidden units).
const NETS = [[3, 1, 2], [5, 3, 3], [4, 2, 1, 3], [3, 3, 2, 2], [2, 1, 3, 4]];

describe('the decoupled surrogate kernel', () => {
  // Tolerance 1e-12: f64 sums of at most a few dozen terms of size ≤ 1.
  it.each(NETS)('loss and Y equal the path-listing oracle: %j', (...layers) => {
    const S = 5, { X, y, w } = setup(layers, S, layers.length * 7 + layers[1]);
    const o = oracle(layers, w, X, y, S, 0.6, 3, 11);
    expect(maxAbs(forwardSur(layers, w, X, S, 0.6, 3, 11), o.Y)).toBeLessThan(1e-12);
    const { sur } = lossModels(heap, layers, X, y, S, 0.6, 3, 11);
    expect(Math.abs(sur.lossGrad(Float64Array.from(w), false).loss - o.loss)).toBeLessThan(1e-12);
  });

  // Central differences at h = 1e-6 of the oracle's loss: truncation O(h²), rounding O(1e-16/h); 1e-7 absolute.
  it.each(NETS)('gradient equals central differences of the oracle: %j', (...layers) => {
    const S = 4, { X, y, w } = setup(layers, S, 5 + layers[0]), m = heap.mark();
    const { sur } = lossModels(heap, layers, X, y, S, 0.5, 9, 2);
    sur.lossGrad(Float64Array.from(w, (v) => -3 * v), true); // a first call leaves a gradient the second must overwrite
    const g = sur.lossGrad(Float64Array.from(w), true).g;
    heap.release(m);
    const fd = Array.from(w, (_, j) => { const p = Float64Array.from(w), q = Float64Array.from(w); p[j] += 1e-6; q[j] -= 1e-6; return (oracle(layers, p, X, y, S, 0.5, 9, 2).loss - oracle(layers, q, X, y, S, 0.5, 9, 2).loss) / 2e-6; });
    expect(maxAbs(g, fd)).toBeLessThan(1e-7);
  });

  it.each([[4, 3, 2], [3, 2, 3, 2]])('ρ = 1: Y = X·W1ᵀ·W2ᵀ(·W3ᵀ), the linear net: %j', (...layers) => {
    const S = 6, { X, w } = setup(layers, S, 17);
    let A = Array.from({ length: S }, (_, s) => Array.from(X.subarray(s * layers[0], (s + 1) * layers[0])));
    let o = 0;
    for (let l = 1; l < layers.length; l++) { const nIn = layers[l - 1]; A = A.map((a) => Array.from({ length: layers[l] }, (_, j) => a.reduce((t, v, i) => t + v * w[o + j * nIn + i], 0))); o += nIn * layers[l]; }
    expect(maxAbs(forwardSur(layers, w, X, S, 1, 5, 5), A.flat())).toBeLessThan(1e-13);
  });

  it('masks: same seed and stream → same bytes, another stream → others; mean ρ within 4 binomial sd', () => {
    const layers = [7, 5, 4, 3], S = 40, n = S * 7 * 5 * 4 * 3, a = masks(layers, S, 0.3, 1, 2);
    expect(masks(layers, S, 0.3, 1, 2)).toEqual(a);
    expect(masks(layers, S, 0.3, 1, 3)).not.toEqual(a);
    const mean = a.reduce((t, v) => t + v, 0) / n;
    expect(Math.abs(mean - 0.3)).toBeLessThan(4 * Math.sqrt((0.3 * 0.7) / n));
  });
});

describe('the descent and the index', () => {
  it('Riemannian GD stays on the sphere and lowers the surrogate loss; the index is an integer share of N − 1', () => {
    const layers = [4, 3, 3], S = 8, { X, y, w } = setup(layers, S, 31), m = heap.mark();
    const { sur } = lossModels(heap, layers, X, y, S, 0.5, 1, 1);
    const w0 = Float64Array.from(w), r = Math.hypot(...w0), start = sur.lossGrad(w0, false).loss;
    const e = sphereDescent(sur, w0, 0.05, 200);
    const ix = sphereIndex(heap, sur, e.w);
    heap.release(m);
    expect(Math.abs(Math.hypot(...e.w) - r)).toBeLessThan(1e-12 * r);
    expect(e.loss).toBeLessThan(start);
    expect(ix.share * (biasFreeCount(layers) - 1)).toBe(ix.count);
  });
});

describe('the distances', () => {
  it('W1 of two samples: a shift by c is c; identical samples are 0, with permutation p = 1', () => {
    const a = [0.1, 0.5, 0.9, 0.3];
    expect(wasserstein1(a, a.map((v) => v + 0.25))).toBeCloseTo(0.25, 12);
    expect(wasserstein1(a, a)).toBe(0);
    expect(permutationP(a, a, 1, 99)).toBe(1);
  });

  it('the bootstrap CI over nets contains the pooled W1', () => {
    const r = mulberry32(4), a = Array.from({ length: 8 }, () => [r(), r()]), b = Array.from({ length: 8 }, () => [r() + 0.5, r() + 0.5]);
    const e = w1OverNets(a, b, 7);
    expect(e.lo).toBeLessThanOrEqual(e.value);
    expect(e.hi).toBeGreaterThanOrEqual(e.value);
  });
});

describe('landscape audit with the surrogate', () => {
  it('1 and 2 workers give the same surrogate entries, lines and summary', async () => {
    const { runExperiment } = await import('../dist/run/runner.js');
    const { resolveSettings } = await import('../dist/experiment/descriptor.js');
    const { auditDescriptor } = await import('../dist/audit/descriptor.js');
    const s = resolveSettings(auditDescriptor, 'smoke', { hidden: [3], deep: [2], runs: 2 }, 'test');
    const [a, b] = await Promise.all([1, 2].map((workers) => runExperiment(auditDescriptor, s, { out: mkdtempSync(join(tmpdir(), `sur${workers}-`)), workers })));
    expect(a.lines.map((l: { surrogate?: unknown }) => l.surrogate)).toEqual(b.lines.map((l: { surrogate?: unknown }) => l.surrogate));
    expect(JSON.stringify(a.summary.groups.map((g: { surrogate: unknown }) => g.surrogate))).toBe(JSON.stringify(b.summary.groups.map((g: { surrogate: unknown }) => g.surrogate)));
    expect(a.lines.every((l: { surrogate?: { real: number[] } }) => l.surrogate?.real.length === 2)).toBe(true);
  }, 120_000);
});
