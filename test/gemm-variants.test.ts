// Every tile sweep of gemm_f32 (assembly/gemm_variants.ts) writes the same bytes as the default
// sweep, in the simd binary and, among themselves, in the relaxed one (fused, so other bits than
// simd); and the load-time choice (src/gemm-tile.ts) only ever picks among them.
import { describe, it, expect, afterEach } from 'vitest';
import { loadWasm, type Binary, type WasmExports } from '../src/wasm.js';
import { Heap } from '../src/heap.js';
import { gemmPtr } from '../src/linalg/gemm.js';
import { chooseGemmTile, gemmTile, gemmTileReport, setGemmTile } from '../src/gemm-tile.js';

const DIMS = [1, 3, 7, 8, 9, 17, 64, 100, 129];
const FORMS = [[false, false], [false, true], [true, false], [true, true]] as const; // NN NT TN TT
// Past the blockings (KC 256, MC 128), a 4 KiB row stride of B (the streamed path) and padded ld.
const EXTRA = [[130, 40, 300, 0], [33, 24, 260, 0], [6, 1024, 20, 0], [12, 1024, 20, 0], [20, 72, 33, 5]] as const;

function fill(v: Float32Array, seed: number): void {
  let s = seed >>> 0;
  for (let i = 0; i < v.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    v[i] = s / 2 ** 31 - 1;
  }
}

/** Runs every (shape, form) under sweep v; returns all of C, concatenated, as bytes. */
function runAll(heap: Heap, v: number, buf: { a: number; b: number; c: number; c0: number; w: number }): Uint8Array {
  setGemmTile(heap.wasm, v);
  const shapes: [number, number, number, number][] = [];
  for (const m of DIMS) for (const n of DIMS) for (const k of DIMS) shapes.push([m, n, k, 0]);
  shapes.push(...EXTRA.map((s) => [...s] as [number, number, number, number]));
  const out: Uint8Array[] = [];
  for (const [m, n, k, pad] of shapes) {
    for (const [transA, transB] of FORMS) {
      const lda = (transA ? m : k) + pad, ldb = (transB ? k : n) + pad, ldc = n + pad;
      const len = (m - 1) * ldc + n;
      heap.f32(buf.c, len).set(heap.f32(buf.c0, len)); // beta ≠ 0 reads C: start each run from the same C
      gemmPtr(heap, buf.c, buf.a, buf.b, m, n, k, { transA, transB, lda, ldb, ldc, alpha: 0.75, beta: pad ? 0 : -1.5 }, buf.w);
      out.push(new Uint8Array(heap.memory.buffer.slice(buf.c, buf.c + 4 * len)));
    }
  }
  const all = new Uint8Array(out.reduce((s, x) => s + x.length, 0));
  let o = 0;
  for (const x of out) { all.set(x, o); o += x.length; }
  return all;
}

async function setup(bin: Binary) {
  const wasm = await loadWasm(bin, undefined, { gemmTile: 0 });
  const heap = new Heap(wasm);
  const big = 1100 * 1100, cLen = 1100 * 1100;
  const buf = { a: heap.allocF32(big), b: heap.allocF32(big), c: heap.allocF32(cLen), c0: heap.allocF32(cLen), w: heap.alloc(4 << 20, 'gemm workspace') };
  fill(heap.f32(buf.a, big), 1);
  fill(heap.f32(buf.b, big), 2);
  fill(heap.f32(buf.c0, cLen), 3);
  return { wasm, heap, buf };
}

function firstDiff(x: Uint8Array, y: Uint8Array): number {
  if (x.length !== y.length) return -2;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return i;
  return -1;
}

describe('gemm_f32 tile sweeps give identical bytes', () => {
  for (const bin of ['simd', 'relaxed'] as Binary[]) {
    it(`${bin}: every sweep equals sweep 0 on ragged shapes, NN NT TN TT`, async () => {
      const { wasm, heap, buf } = await setup(bin);
      const { count } = gemmTile(wasm);
      expect(count).toBeGreaterThanOrEqual(3);
      const want = runAll(heap, 0, buf);
      const diffs: number[] = [];
      for (let v = 1; v < count; v++) diffs.push(firstDiff(runAll(heap, v, buf), want));
      expect(diffs).toEqual(new Array(count - 1).fill(-1));
    }, 60_000);
  }
});

describe('choosing the sweep', () => {
  afterEach(() => { delete process.env.LANDSCAPE_GEMM_TILE; });

  it('calibrates to a valid sweep, recorded with its timings, and leaves the heap as it was', async () => {
    const wasm = await loadWasm('simd', undefined, { gemmTile: 0 });
    const before = new Heap(wasm).wasm.heap_mark();
    const r = chooseGemmTile(wasm, 'calibrate');
    expect([r.how, r.seconds?.length, gemmTile(wasm).variant]).toEqual(['calibrated', r.count, r.variant]);
    expect([(wasm as WasmExports & { heap_mark(): number }).heap_mark(), gemmTileReport(wasm)]).toEqual([before, r]);
  });

  it('LANDSCAPE_GEMM_TILE forces a sweep; out of range is a RangeError; scalar has one sweep', async () => {
    process.env.LANDSCAPE_GEMM_TILE = '2';
    const wasm = await loadWasm('simd');
    expect([gemmTile(wasm).variant, gemmTileReport(wasm)?.how]).toEqual([2, 'forced']);
    expect(() => setGemmTile(wasm, 99)).toThrow(RangeError);
    delete process.env.LANDSCAPE_GEMM_TILE;
    expect(gemmTile(await loadWasm('scalar'))).toEqual({ variant: 0, count: 1 });
  });
});
