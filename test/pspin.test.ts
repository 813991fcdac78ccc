import { describe, it, expect } from 'vitest';
import { loadWasm } from '../src/wasm.js';
import { Heap } from '../src/heap.js';
import { bindKernels, DESCENT_STATE } from '../src/kernels.js';
import { couplingCount, COUPLINGS } from '../src/pspin/model.js';
import * as ref from '../src/pspin/reference.js';
import { symEigvals } from '../src/linalg/eigen.js';

const setup = async () => {
  const heap = new Heap(await loadWasm('simd'));
  const k = bindKernels(heap.wasm);
  /** Couplings of one instance in both layouts (the same underlying J). */
  const couplings = (p: number, n: number, law = 0, seed = 3, stream = 1) => {
    const dense = heap.allocF32(n ** p);
    k.pspin_fill_dense_f32(dense, n, p, law, seed, stream);
    const packed = heap.allocF32(couplingCount(p, n, 'packed'));
    k.pspin_fill_packed_f32(packed, n, p, law, seed, stream);
    return { dense, packed, J: Float64Array.from(heap.f32(dense, n ** p)) };
  };
  /** f64 energy and gradient of one configuration through the wasm kernel. */
  const eg = (kPtr: number, w: Float64Array, p: number, sorted: number) => {
    const n = w.length;
    const mark = heap.mark();
    const wPtr = heap.allocF64(n, w);
    const gPtr = heap.allocF64(n);
    const e = k.pspin_eg_f64(gPtr, kPtr, wPtr, n, p, sorted);
    const g = heap.readF64(gPtr, n);
    heap.release(mark);
    return { e, g };
  };
  const hess = (kPtr: number, w: Float64Array, p: number, sorted: number) => {
    const n = w.length;
    const mark = heap.mark();
    const wPtr = heap.allocF64(n, w);
    const hPtr = heap.allocF64(n * n);
    k.pspin_hess_f64(hPtr, kPtr, wPtr, n, p, sorted);
    const h = heap.readF64(hPtr, n * n);
    heap.release(mark);
    return h;
  };
  return { heap, k, couplings, eg, hess };
};

function sphere(n: number, seed: number): Float64Array {
  const w = Float64Array.from({ length: n }, (_, i) => Math.sin(1.7 * i + seed) + 0.2 * Math.cos(seed * (i + 1)));
  ref.projectToSphere(w);
  return w;
}

describe('p-spin kernels', () => {
  it.each([2, 3, 4, 5])('packed and dense give the same H, ∇H and ∇²H as the f64 reference (p=%i)', async (p) => {
    const { couplings, eg, hess } = await setup();
    const n = p === 5 ? 5 : 7;
    const c = couplings(p, n);
    const w = sphere(n, p);
    const want = { e: ref.energy({ p, n, J: c.J }, w), g: ref.gradient({ p, n, J: c.J }, w), h: ref.hessian({ p, n, J: c.J }, w) };
    for (const [ptr, sorted] of [[c.dense, 0], [c.packed, 1]] as const) {
      const got = eg(ptr, w, p, sorted);
      // Packed couplings are f32 sums of f64 draws, dense ones f32 draws: they differ by f32 rounding.
      expect(Math.abs(got.e - want.e)).toBeLessThan(1e-5 * (1 + Math.abs(want.e)));
      expect(Math.max(...got.g.map((v, i) => Math.abs(v - want.g[i])))).toBeLessThan(1e-5);
      expect(Math.max(...hess(ptr, w, p, sorted).map((v, i) => Math.abs(v - want.h[i])))).toBeLessThan(1e-5);
    }
  });

  it.each([2, 3, 4, 5])('gradient and Hessian match central differences of the wasm energy, both storages (p=%i)', async (p) => {
    const { couplings, eg, hess } = await setup();
    const n = 5;
    const c = couplings(p, n, 0, 9, p);
    const w = sphere(n, 11 * p);
    const h = 1e-4;
    for (const [ptr, sorted] of [[c.dense, 0], [c.packed, 1]] as const) {
      const { g } = eg(ptr, w, p, sorted);
      const H = hess(ptr, w, p, sorted);
      let gErr = 0, hErr = 0;
      for (let i = 0; i < n; i++) {
        const wp = Float64Array.from(w); wp[i] += h;
        const wm = Float64Array.from(w); wm[i] -= h;
        gErr = Math.max(gErr, Math.abs((eg(ptr, wp, p, sorted).e - eg(ptr, wm, p, sorted).e) / (2 * h) - g[i]));
        const gp = eg(ptr, wp, p, sorted).g, gm = eg(ptr, wm, p, sorted).g;
        for (let j = 0; j < n; j++) hErr = Math.max(hErr, Math.abs((gp[j] - gm[j]) / (2 * h) - H[j * n + i]));
      }
      expect(gErr).toBeLessThan(1e-6); // O(h²) truncation with h = 1e-4
      expect(hErr).toBeLessThan(1e-6);
    }
  });

  it.each([2, 3, 4, 5])('Euler identity ⟨w, ∇H⟩ = p·H and a tangent Riemannian gradient (p=%i)', async (p) => {
    const { couplings, eg } = await setup();
    const n = 6;
    const c = couplings(p, n, 0, 4, 4);
    const w = sphere(n, 3);
    const { e, g } = eg(c.packed, w, p, 1);
    expect(Math.abs(ref.dot(w, g) - p * e)).toBeLessThan(1e-9 * (1 + Math.abs(e)));
    const c0 = ref.dot(g, w) / n;
    expect(Math.abs(ref.dot(g.map((v, i) => v - c0 * w[i]), w))).toBeLessThan(1e-9);
  });

  it.each(COUPLINGS.map((law, i) => [law, i] as const))('Var[H(w)] = Λ over coupling draws, %s couplings (p=3, 400 draws, 5σ)', async (_law, law) => {
    const { heap, couplings, eg } = await setup();
    const n = 6, draws = 400, p = 3;
    const w = sphere(n, 1), w2 = sphere(n, 2);
    let s = 0, s2 = 0, cross = 0;
    for (let d = 0; d < draws; d++) {
      const mark = heap.mark();
      const c = couplings(p, n, law, 77, 1000 + d);
      const e = eg(c.packed, w, p, 1).e, e2 = eg(c.packed, w2, p, 1).e;
      s += e; s2 += e * e; cross += e * e2;
      heap.release(mark);
    }
    const variance = s2 / draws - (s / draws) ** 2;
    // Var of a sample variance ≈ 2σ⁴/N for near-Gaussian H (CLT over Λ^p terms): 5σ band.
    expect(Math.abs(variance - n)).toBeLessThan(5 * n * Math.sqrt(2 / draws));
    // Covariance E[H(w)H(w')] = Λ·(⟨w,w'⟩/Λ)^p, same band.
    const want = n * (ref.dot(w, w2) / n) ** p;
    expect(Math.abs(cross / draws - want)).toBeLessThan(5 * n * Math.sqrt(2 / draws));
  });

  it('the Riemannian Hessian projection leaves w as an exact zero mode', async () => {
    const { heap, k, couplings } = await setup();
    const n = 7, p = 3;
    const c = couplings(p, n);
    const w = sphere(n, 5);
    const wPtr = heap.allocF64(n, w), hPtr = heap.allocF64(n * n);
    k.pspin_hess_f64(hPtr, c.packed, wPtr, n, p, 1);
    k.pspin_project_hess_f64(hPtr, wPtr, n, 0.7, heap.allocF64(n));
    const h = heap.f64(hPtr, n * n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += h[i * n + j] * w[j];
      expect(Math.abs(s)).toBeLessThan(1e-12);
    }
  });

  it('p = 2: GD reaches Λ times the lowest eigenvalue of the scaled symmetrised coupling matrix', async () => {
    const { heap, k, couplings } = await setup();
    const n = 12, p = 2;
    const c = couplings(p, n, 0, 21, 3);
    // H = Λ^{-1/2} wᵀ J w = wᵀ M w with M = (J + Jᵀ)/(2√Λ); its minimum on |w|² = Λ is Λ·λ_min(M).
    const M = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) M[i * n + j] = (c.J[i * n + j] + c.J[j * n + i]) / (2 * Math.sqrt(n));
    const lmin = symEigvals(new Heap(await loadWasm('simd')), M, n)[0];
    const wPtr = heap.allocF32(8 * n), gPtr = heap.allocF32(8 * n), state = heap.alloc(DESCENT_STATE.bytes);
    heap.u32(state, DESCENT_STATE.bytes / 4).fill(0);
    const w = heap.f32(wPtr, 8 * n);
    for (let l = 0; l < 8; l++) { const x = sphere(n, 40 + l); for (let i = 0; i < n; i++) w[i * 8 + l] = x[i]; }
    k.pspin_descend_f32x8(c.packed, 0, 1, wPtr, gPtr, state, n, p, 1, 0.1, 0, 0, 1e-4, 1, 200000);
    const energies = heap.f32(state + DESCENT_STATE.energy, DESCENT_STATE.lanes);
    // GD from 8 random starts ends at the ground state (p = 2 has no other minima).
    for (const e of energies) expect(Math.abs(e - n * lmin)).toBeLessThan(1e-3 * n);
  });
});

describe('coupling-split SGD pieces', () => {
  it.each([[3, 'packed'], [3, 'dense'], [4, 'packed']] as const)('sum to the couplings exactly and have the right variance (p=%i, %s)', async (p, storage) => {
    const { heap, k, couplings } = await setup();
    const n = 9, P = 4;
    const c = couplings(p, n);
    const ptr = storage === 'packed' ? c.packed : c.dense;
    const count = couplingCount(p, n, storage);
    const pieces = heap.allocF32(P * count);
    k.pspin_split_pieces_f32(pieces, ptr, n, p, storage === 'packed' ? 1 : 0, P, 5, 6);
    const K = heap.f32(ptr, count), Y = heap.f32(pieces, P * count);
    let maxErr = 0;
    for (let t = 0; t < count; t++) {
      let s = 0;
      for (let q = 0; q < P; q++) s += Y[q * count + t];
      maxErr = Math.max(maxErr, Math.abs(s - K[t]));
    }
    expect(maxErr).toBeLessThan(1e-5); // f32 rounding of each piece
    // √P·Y_q has the law of K: compare the total second moment of √P·Y_0 with that of K (5σ).
    let sy = 0, sk = 0;
    for (let t = 0; t < count; t++) { sy += P * Y[t] ** 2; sk += K[t] ** 2; }
    expect(Math.abs(sy / sk - 1)).toBeLessThan(5 * Math.sqrt(2 / count) * 3);
  });
});

describe('precision: f32 couplings, f64 accumulation', () => {
  it.each([[3, 30], [4, 12]])('reported energies agree with an all-f64 reference to 1e-6 relative (p=%i, Λ=%i)', async (p, n) => {
    const { heap, k, eg } = await setup();
    const { RngStream } = await import('../src/rng.js');
    // The exact f64 couplings are the f64 draws that the f32 layouts round.
    const J64 = new RngStream(heap, 8, 2).normal(n ** p);
    const mark = heap.mark();
    const packed = heap.allocF32(couplingCount(p, n, 'packed'));
    k.pspin_fill_packed_f32(packed, n, p, 0, 8, 2);
    let worst = 0;
    for (let s = 0; s < 5; s++) {
      const w = sphere(n, 100 + s);
      const want = ref.energy({ p, n, J: J64 }, w);
      worst = Math.max(worst, Math.abs(eg(packed, w, p, 1).e - want) / Math.abs(want));
    }
    heap.release(mark);
    expect(worst).toBeLessThan(1e-6);
  });
});
