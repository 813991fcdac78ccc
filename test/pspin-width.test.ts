// The p-spin batch width (8 or 16 restarts per pass over the couplings) changes speed, never
// bytes: the 16-lane energy+gradient equals two 8-lane calls bit for bit, the 16-lane descent
// equals two 8-lane descents, and whole tasks (GD with lane refills and the switch back to 8
// lanes, SGD and annealing in lockstep, ragged restart counts) give identical result lines.
import { describe, it, expect, afterEach } from 'vitest';
import { loadWasm, type Binary } from '../src/wasm.js';
import { Heap } from '../src/heap.js';
import { bindKernels, descentState } from '../src/kernels.js';
import { couplingCount } from '../src/pspin/model.js';
import { pspinBatch } from '../src/pspin/batch.js';
import { pspinWidth } from '../src/pspin/width.js';
import { pspinTaskList } from '../src/pspin/experiment.js';
import { resolveSettings } from '../src/experiment/descriptor.js';
import { pspinDescriptor } from '../src/pspin/descriptor.js';
import type { TaskContext } from '../src/pool/protocol.js';

/** [n][16] → two [n][8] halves. */
function halves(w16: Float32Array, n: number): [Float32Array, Float32Array] {
  const a = new Float32Array(8 * n), b = new Float32Array(8 * n);
  for (let i = 0; i < n; i++) for (let l = 0; l < 8; l++) { a[i * 8 + l] = w16[i * 16 + l]; b[i * 8 + l] = w16[i * 16 + 8 + l]; }
  return [a, b];
}
const bits = (x: Float32Array) => Array.from(new Uint32Array(x.buffer, x.byteOffset, x.length));

describe('p-spin batch width: kernels', () => {
  it.each(['simd', 'scalar', 'relaxed'] as Binary[])('eg16 equals two eg8 calls bit for bit, p = 2, 3, 4, dense and packed (%s)', async (binary) => {
    const heap = new Heap(await loadWasm(binary));
    const k = bindKernels(heap.wasm);
    for (const [p, n] of [[2, 13], [3, 11], [4, 7]] as const) {
      for (const sorted of [0, 1]) {
        const mark = heap.mark();
        const count = sorted ? couplingCount(p, n, 'packed') : n ** p;
        const kPtr = heap.allocF32(count);
        if (sorted) k.pspin_fill_packed_f32(kPtr, n, p, 0, 5, 2); else k.pspin_fill_dense_f32(kPtr, n, p, 0, 5, 2);
        const w16 = Float32Array.from({ length: 16 * n }, (_, i) => Math.sin(0.91 * i + p) * 1.4);
        const [wa, wb] = halves(w16, n);
        const w = heap.allocF32(16 * n, w16), g = heap.allocF32(16 * n), e = heap.allocF32(16);
        k.pspin_eg_f32x16(e, g, kPtr, w, n, p, sorted);
        const e16 = heap.readF32(e, 16), g16 = heap.readF32(g, 16 * n);
        const w8 = heap.allocF32(8 * n), g8 = heap.allocF32(8 * n), e8 = heap.allocF32(8);
        const e8s: number[] = [], g8s: Float32Array[] = [];
        for (const half of [wa, wb]) {
          heap.f32(w8, 8 * n).set(half);
          k.pspin_eg_f32x8(e8, g8, kPtr, w8, n, p, sorted);
          e8s.push(...heap.readF32(e8, 8));
          g8s.push(heap.readF32(g8, 8 * n));
        }
        expect(bits(e16)).toEqual(bits(Float32Array.from(e8s)));
        const [ga, gb] = halves(g16, n);
        expect(bits(ga)).toEqual(bits(g8s[0]));
        expect(bits(gb)).toEqual(bits(g8s[1]));
        heap.release(mark);
      }
    }
  });

  it('the scalar binary gives the simd binary\'s bytes at both widths (p = 3, packed)', async () => {
    const out: Record<string, number[][]> = {};
    for (const binary of ['simd', 'scalar'] as Binary[]) {
      const heap = new Heap(await loadWasm(binary));
      const k = bindKernels(heap.wasm);
      const n = 11, p = 3;
      const kPtr = heap.allocF32(couplingCount(p, n, 'packed'));
      k.pspin_fill_packed_f32(kPtr, n, p, 0, 5, 2);
      const w16 = Float32Array.from({ length: 16 * n }, (_, i) => Math.cos(0.77 * i) * 1.2);
      const w = heap.allocF32(16 * n, w16), g = heap.allocF32(16 * n), e = heap.allocF32(16);
      k.pspin_eg_f32x16(e, g, kPtr, w, n, p, 1);
      const r16 = [bits(heap.readF32(e, 16)), bits(heap.readF32(g, 16 * n))];
      k.pspin_eg_f32x8(e, g, kPtr, w, n, p, 1); // the first 8·n values as an [n][8] batch
      out[binary] = [...r16, bits(heap.readF32(e, 8)), bits(heap.readF32(g, 8 * n))];
    }
    expect(out.scalar).toEqual(out.simd);
  });

  it('descend16 equals two descend8 runs: points, steps, flags, norms and energies', async () => {
    const heap = new Heap(await loadWasm('simd'));
    const k = bindKernels(heap.wasm);
    const p = 3, n = 12;
    const kPtr = heap.allocF32(couplingCount(p, n, 'packed'));
    k.pspin_fill_packed_f32(kPtr, n, p, 0, 9, 4);
    const w16 = new Float32Array(16 * n);
    for (let l = 0; l < 16; l++) {
      let s = 0;
      for (let i = 0; i < n; i++) { const v = Math.cos(1.3 * i * (l + 1) + l); w16[i * 16 + l] = v; s += v * v; }
      for (let i = 0; i < n; i++) w16[i * 16 + l] *= Math.sqrt(n / s);
    }
    const S16 = descentState(16), S8 = descentState(8);
    const w = heap.allocF32(16 * n, w16), g = heap.allocF32(16 * n), st = heap.alloc(S16.bytes);
    heap.u32(st, S16.bytes / 4).fill(0);
    heap.u32(st + S16.converged, 16)[3] = 1; // a frozen lane never moves
    const ran16 = k.pspin_descend_f32x16(kPtr, 0, 1, w, g, st, n, p, 1, 0.05, 0.01, 0, 1e-3, 1, 60);
    const out16 = { w: heap.readF32(w, 16 * n), steps: Array.from(heap.u32(st, 16)), conv: Array.from(heap.u32(st + S16.converged, 16)), gn: bits(heap.readF32(st + S16.gradNorm, 16)), e: bits(heap.readF32(st + S16.energy, 16)) };
    const [wa, wb] = halves(w16, n);
    const w8 = heap.allocF32(8 * n), g8 = heap.allocF32(8 * n), st8 = heap.alloc(S8.bytes);
    const parts = [wa, wb].map((half, h) => {
      heap.f32(w8, 8 * n).set(half);
      heap.u32(st8, S8.bytes / 4).fill(0);
      if (h === 0) heap.u32(st8 + S8.converged, 8)[3] = 1;
      k.pspin_descend_f32x8(kPtr, 0, 1, w8, g8, st8, n, p, 1, 0.05, 0.01, 0, 1e-3, 1, 60);
      return { w: heap.readF32(w8, 8 * n), steps: Array.from(heap.u32(st8, 8)), conv: Array.from(heap.u32(st8 + S8.converged, 8)), gn: bits(heap.readF32(st8 + S8.gradNorm, 8)), e: bits(heap.readF32(st8 + S8.energy, 8)) };
    });
    const [a, b] = halves(out16.w, n);
    expect(bits(a)).toEqual(bits(parts[0].w));
    expect(bits(b)).toEqual(bits(parts[1].w));
    expect(out16.steps).toEqual([...parts[0].steps, ...parts[1].steps]);
    expect(out16.conv).toEqual([...parts[0].conv, ...parts[1].conv]);
    // a lane's last norm and energy are only defined where it still moved at the last step
    expect(out16.e).toEqual([...parts[0].e, ...parts[1].e]);
    expect(ran16).toBeGreaterThan(0);
  });
});

describe('p-spin batch width: whole tasks give the same lines', () => {
  const saved = process.env.LANDSCAPE_PSPIN_WIDTH;
  afterEach(() => { if (saved === undefined) delete process.env.LANDSCAPE_PSPIN_WIDTH; else process.env.LANDSCAPE_PSPIN_WIDTH = saved; });

  async function runAll(width: '8' | '16', overrides: object) {
    process.env.LANDSCAPE_PSPIN_WIDTH = width;
    const heap = new Heap(await loadWasm('simd'));
    const s = resolveSettings(pspinDescriptor, 'smoke', overrides as never);
    const ctx: TaskContext = { wasm: heap.wasm, heap, binary: 'simd', progress() {}, resident: (_key, init) => { heap.reset(); return init(); } };
    const lines = [];
    for (const t of pspinTaskList(s)) {
      const out = await pspinBatch(ctx, { ...t, params: t.params });
      lines.push(...(Array.isArray(out) ? out : out.lines));
    }
    return JSON.stringify(lines);
  }

  it.each([
    ['gd', { ns: [9, 12], restarts: 21, index: true }],
    ['sgd', { ns: [10], restarts: 19, method: 'sgd', pieces: 2, maxIter: 400 }],
    ['anneal', { ns: [10], restarts: 19, method: 'anneal', annealSteps: 40, maxIter: 400 }],
  ])('%s: width 16 gives the bytes of width 8', async (_m, overrides) => {
    const a = await runAll('8', overrides), b = await runAll('16', overrides);
    expect(b).toBe(a);
    expect(JSON.parse(a).length).toBeGreaterThan(15);
  });

  it('calibrates once per size and instance, and honours the forcing variable', async () => {
    delete process.env.LANDSCAPE_PSPIN_WIDTH;
    const heap = new Heap(await loadWasm('simd'));
    const k = bindKernels(heap.wasm);
    const n = 20, p = 3, kPtr = heap.allocF32(couplingCount(p, n, 'packed'));
    k.pspin_fill_packed_f32(kPtr, n, p, 0, 1, 1);
    const mark = heap.mark();
    const r = pspinWidth(heap.wasm, heap, kPtr, n, p, 1);
    expect(r.how).toBe('calibrated');
    expect([8, 16]).toContain(r.width);
    expect(r.seconds!.every((t) => t > 0)).toBe(true);
    expect(heap.mark()).toBe(mark);
    expect(pspinWidth(heap.wasm, heap, kPtr, n, p, 1)).toBe(r);
    process.env.LANDSCAPE_PSPIN_WIDTH = '16';
    expect(pspinWidth(heap.wasm, heap, kPtr, n, p, 1)).toEqual({ width: 16, how: 'forced' });
    process.env.LANDSCAPE_PSPIN_WIDTH = '12';
    expect(() => pspinWidth(heap.wasm, heap, kPtr, n, p, 1)).toThrow(/LANDSCAPE_PSPIN_WIDTH must be 8, 16/);
  });
});
