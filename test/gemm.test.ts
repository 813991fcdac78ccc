import { describe, it, expect } from 'vitest';
import { loadWasm, WasmTrap, type Binary, type WasmExports } from '../src/wasm.js';
import { Heap } from '../src/heap.js';
import { gemm, gemmPtr, gemmWorkBytes } from '../src/linalg/gemm.js';
import { FORMS, makeCase, run, worstRatio, uniform, oracle, type Case } from './support/gemm-cases.js';

const BINS: Binary[] = ['scalar', 'simd', 'relaxed', 'debug'];
const KERNELS = [false, true]; // opts.scalar: gemm_f32, then gemm_f32_scalar
const RAGGED = [1, 3, 4, 5, 16, 17, 33, 100];

// Built once and shared by every binary, so each oracle is computed once. k = 100 ≥ 48 reaches
// the dot-product path for narrow n; k = 300 > 256 adds kc blocks into C.
let seed = 1;
const RAGGED_CASES: Case[] = [];
for (const m of RAGGED) for (const n of RAGGED) for (const k of [1, 4, 17, 100, 300]) {
  for (const [tA, tB] of FORMS) RAGGED_CASES.push(makeCase(m, n, k, tA, tB, (seed += 3)));
}
// Edges of every block: mc = 128 rows, nc = 2048 columns, kc = 256 steps.
const BLOCK_CASES: Case[] = FORMS.slice(0, 3).map(([tA, tB]) => makeCase(130, 2051, 260, tA, tB, (seed += 3)));
// Strided rows; the shapes reach the direct, dot-product, panel and packed-A paths.
const STRIDED_CASES: Case[] = [[3, 40, 100], [17, 9, 33], [20, 10, 100], [33, 20, 300]].flatMap(([m, n, k]) =>
  FORMS.map(([tA, tB]) => makeCase(m, n, k, tA, tB, (seed += 3), 3)));
// beta = 0 with NaN in C, over the same paths.
const NAN_C_CASES: Case[] = [[1, 9, 5], [2, 33, 100], [3, 17, 100], [17, 10, 100], [17, 33, 16], [100, 100, 300]].flatMap(([m, n, k]) =>
  FORMS.map(([tA, tB]) => {
    const t = makeCase(m, n, k, tA, tB, (seed += 3), 0, 1.25, 0);
    t.c.fill(NaN);
    return t;
  }));

// Operands placed flush against the end of wasm memory, over every path and form: a read past
// A or B traps instead of passing unnoticed.
const EDGE_CASES: Case[] = [[1, 9, 5], [2, 33, 100], [3, 17, 100], [1, 1024, 20], [4, 1024, 9], [5, 1024, 9], [5, 7, 50], [9, 33, 20], [17, 10, 100], [17, 33, 16], [33, 20, 300]].flatMap(([m, n, k]) =>
  FORMS.map(([tA, tB]) => makeCase(m, n, k, tA, tB, (seed += 3))));

describe.each(BINS)('gemm_f32 on the %s binary', (bin) => {
  it.each(KERNELS)('NN, NT, TN and TT on ragged sizes, alpha = 0.75, beta = −1.5, within the f32 bound (scalar twin: %s)', async (scalar) => {
    const wasm = await loadWasm(bin);
    expect(wasm.binary).toBe(bin);
    const heap = new Heap(wasm);
    let worst = 0;
    for (const t of RAGGED_CASES) worst = Math.max(worst, worstRatio(t, run(heap, t, scalar)));
    expect(worst).toBeLessThan(1);
  });

  it.each(KERNELS)('blocks over k, m and n (130×2051×260, NN/NT/TN) (scalar twin: %s)', async (scalar) => {
    const heap = new Heap(await loadWasm(bin));
    let worst = 0;
    for (const t of BLOCK_CASES) worst = Math.max(worst, worstRatio(t, run(heap, t, scalar)));
    expect(worst).toBeLessThan(1);
  });

  it.each(KERNELS)('beta = 0 never reads C: NaN there is overwritten (scalar twin: %s)', async (scalar) => {
    const heap = new Heap(await loadWasm(bin));
    let worst = 0;
    for (const t of NAN_C_CASES) worst = Math.max(worst, worstRatio(t, run(heap, t, scalar)));
    expect(worst).toBeLessThan(1);
  });

  it.each(KERNELS)('strided lda/ldb/ldc: correct, and the row padding of C and the bytes past it stay untouched (scalar twin: %s)', async (scalar) => {
    const heap = new Heap(await loadWasm(bin));
    let worst = 0, touched = 0;
    for (const t of STRIDED_CASES) {
      const guard = 64;
      const aPtr = heap.allocF32(t.a.length, t.a), bPtr = heap.allocF32(t.b.length, t.b);
      const cPtr = heap.allocF32(t.c.length + guard, [...t.c, ...new Float32Array(guard).fill(7)]);
      gemmPtr(heap, cPtr, aPtr, bPtr, t.m, t.n, t.k, { transA: t.tA, transB: t.tB, alpha: t.alpha, beta: t.beta, lda: t.lda, ldb: t.ldb, ldc: t.ldc, scalar });
      const got = heap.readF32(cPtr, t.c.length + guard);
      heap.reset();
      worst = Math.max(worst, worstRatio(t, got));
      for (let i = 0; i < got.length; i++) {
        const inside = i < t.c.length && i % t.ldc < t.n;
        if (!inside && got[i] !== (i < t.c.length ? t.c[i] : 7)) touched++;
      }
    }
    expect({ worst: worst < 1, touched }).toEqual({ worst: true, touched: 0 });
  });

  it.each(KERNELS)('reads nothing past A or B: each placed flush against the end of wasm memory (scalar twin: %s)', async (scalar) => {
    const heap = new Heap(await loadWasm(bin));
    let worst = 0;
    for (const t of EDGE_CASES) for (const aLast of [true, false]) {
      const cPtr = heap.allocF32(t.c.length, t.c);
      const work = heap.alloc(gemmWorkBytes(heap.wasm, t.m, t.n, t.k));
      const top = heap.alloc(16) + 16, need = 4 * (t.a.length + t.b.length) + 32;
      if (heap.memory.buffer.byteLength - top < need) heap.memory.grow(Math.ceil(need / 65536));
      const [lower, upper] = aLast ? [t.b, t.a] : [t.a, t.b];
      const upperPtr = heap.memory.buffer.byteLength - 4 * upper.length;
      const lowerPtr = (upperPtr - 4 * lower.length) & ~15;
      heap.f32(lowerPtr, lower.length).set(lower);
      heap.f32(upperPtr, upper.length).set(upper);
      const [aPtr, bPtr] = aLast ? [upperPtr, lowerPtr] : [lowerPtr, upperPtr];
      gemmPtr(heap, cPtr, aPtr, bPtr, t.m, t.n, t.k, { transA: t.tA, transB: t.tB, alpha: t.alpha, beta: t.beta, scalar }, work);
      worst = Math.max(worst, worstRatio(t, heap.readF32(cPtr, t.c.length)));
      heap.reset();
    }
    expect(worst).toBeLessThan(1);
  });

  it.each(KERNELS)('A and B may be the same buffer: XᵀX and XXᵀ (scalar twin: %s)', async (scalar) => {
    const heap = new Heap(await loadWasm(bin));
    let worst = 0;
    for (const [r, q] of [[33, 17], [100, 5], [300, 40]]) {
      // X is r×q, read as both operands: XᵀX is TN (q×q, k = r), XXᵀ is NT (r×r, k = q).
      const x = uniform(r * q, (seed += 3));
      const xPtr = heap.allocF32(x.length, x);
      for (const [tA, tB, n, k] of [[true, false, q, r], [false, true, r, q]] as const) {
        const t: Case = { m: n, n, k, tA, tB, lda: q, ldb: q, ldc: n, alpha: 1, beta: 0, a: x, b: x, c: new Float32Array(n * n) };
        const cPtr = heap.allocF32(n * n);
        gemmPtr(heap, cPtr, xPtr, xPtr, n, n, k, { transA: tA, transB: tB, scalar });
        worst = Math.max(worst, worstRatio(t, heap.readF32(cPtr, n * n)));
      }
      heap.reset();
    }
    expect(worst).toBeLessThan(1);
  });
});

describe('gemm_f32 wrapper and determinism', () => {
  it('refuses C overlapping A or B, naming both', async () => {
    const heap = new Heap(await loadWasm('simd'));
    const p = heap.allocF32(64), q = heap.allocF32(64);
    expect(() => gemmPtr(heap, p, p, q, 4, 4, 4)).toThrow(/^gemm_f32: C overlaps A/);
    expect(() => gemmPtr(heap, p + 60, q, p, 4, 4, 4)).toThrow(/^gemm_f32: C overlaps B/);
    expect(() => gemmPtr(heap, p, q, q + 192, 4, 4, 4, { scalar: true }, p + 32)).toThrow(/^gemm_f32_scalar: the workspace overlaps C/);
  });

  it('refuses bad dims and short leading dimensions with the kernel name', async () => {
    const heap = new Heap(await loadWasm('simd'));
    const p = heap.allocF32(64), q = heap.allocF32(64), r = heap.allocF32(64);
    expect(() => gemm(heap, new Float32Array(4), new Float32Array(4), 0, 2, 2)).toThrow(/gemm_f32: m must be an integer ≥ 1, got 0/);
    expect(() => gemmPtr(heap, r, p, q, 2, 2, 2.5)).toThrow(/gemm_f32: k must be an integer/);
    expect(() => gemmPtr(heap, r, p, q, 4, 4, 4, { transA: true, lda: 3 })).toThrow(/gemm_f32: lda must be an integer ≥ 4/);
    expect(() => gemm(heap, new Float32Array(5), new Float32Array(6), 2, 3, 3)).toThrow(/gemm_f32: A holds 5 floats, needs 6/);
  });

  it('turns a trap into a WasmTrap naming the kernel and the dims', () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const fake = {
      memory, alloc: () => 1024, reset: () => {}, gemm_f32_work_bytes: () => 16, gemm_f32_scalar: () => {},
      gemm_f32: () => { throw new WebAssembly.RuntimeError('memory access out of bounds'); },
    } as unknown as WasmExports;
    const heap = new Heap(fake);
    expect(() => gemmPtr(heap, 0, 256, 512, 2, 3, 4, {}, 2048)).toThrow(WasmTrap);
    expect(() => gemmPtr(heap, 0, 256, 512, 2, 3, 4, {}, 2048)).toThrow('gemm_f32 (m=2,n=3,k=4): memory access out of bounds');
  });

  it('gemm() resets the heap: the next allocation starts where the first did', async () => {
    const heap = new Heap(await loadWasm('simd'));
    const first = heap.alloc(16);
    heap.reset();
    gemm(heap, uniform(33 * 17, 1), uniform(17 * 9, 2), 33, 9, 17);
    expect(heap.alloc(16)).toBe(first);
  });

  it('simd output is a pure function of the inputs: garbage in the workspace changes no byte', async () => {
    const heap = new Heap(await loadWasm('simd'));
    const shapes = [[1, 50, 100], [3, 10, 100, 0, 1], [17, 10, 100], [33, 17, 300], [36, 40, 300, 1, 0], [9, 33, 20, 1, 1]];
    let differing = 0;
    for (const [m, n, k, tA = 0, tB = 0] of shapes) {
      const a = uniform(m * k, m), b = uniform(k * n, n);
      const aPtr = heap.allocF32(a.length, a), bPtr = heap.allocF32(b.length, b);
      const c1 = heap.allocF32(m * n), c2 = heap.allocF32(m * n);
      const bytes = gemmWorkBytes(heap.wasm, m, n, k), work = heap.alloc(bytes);
      heap.f32(work, bytes >> 2).set(uniform(bytes >> 2, 99).map((x) => x * 1e30));
      gemmPtr(heap, c1, aPtr, bPtr, m, n, k, { transA: !!tA, transB: !!tB }, work);
      heap.f32(work, bytes >> 2).fill(NaN);
      gemmPtr(heap, c2, aPtr, bPtr, m, n, k, { transA: !!tA, transB: !!tB }, work);
      const x = new Uint32Array(heap.readF32(c1, m * n).buffer), y = new Uint32Array(heap.readF32(c2, m * n).buffer);
      differing += x.filter((v, i) => v !== y[i]).length;
      heap.reset();
    }
    expect(differing).toBe(0);
  });

  it.each(['simd', 'relaxed'] as const)('%s: the bytes of C depend on the values only, not on lda/ldb/ldc (which pick the paths)', async (bin) => {
    const heap = new Heap(await loadWasm(bin));
    // ldb a multiple of 1024 streams B by rows (m < 8) instead of reading it in place, and a
    // padded A or B switches between packed and unpacked tiles; the sums must not change order.
    const shapes = [[1, 1000, 100], [2, 1003, 37], [3, 1000, 300], [5, 1001, 64], [7, 1000, 300], [3, 40, 100], [17, 10, 100], [40, 33, 300]];
    let differing = 0;
    for (const [m, n, k] of shapes) for (const [tA, tB] of FORMS) {
      const t = makeCase(m, n, k, tA, tB, (seed += 3));
      const [aCols, bCols] = [tA ? m : k, tB ? k : n];
      const outs = [0, 3, 1024].map((pad) => {
        const lda = aCols + (pad % 5), ldb = pad === 1024 ? 1024 * Math.ceil((bCols + 1) / 1024) : bCols + pad, ldc = n + (pad % 7);
        const a = new Float32Array(((tA ? k : m) - 1) * lda + aCols), b = new Float32Array(((tB ? n : k) - 1) * ldb + bCols);
        for (let r = 0; r < (tA ? k : m); r++) a.set(t.a.subarray(r * aCols, (r + 1) * aCols), r * lda);
        for (let r = 0; r < (tB ? n : k); r++) b.set(t.b.subarray(r * bCols, (r + 1) * bCols), r * ldb);
        const c = gemm(heap, a, b, m, n, k, { transA: tA, transB: tB, lda, ldb, ldc, alpha: 0.5 });
        return new Uint32Array(Float32Array.from({ length: m * n }, (_, i) => c[Math.floor(i / n) * ldc + (i % n)]).buffer);
      });
      for (const o of outs.slice(1)) differing += o.filter((v, i) => v !== outs[0][i]).length;
    }
    expect(differing).toBe(0);
  });

  it('simd gemm_f32 agrees with gemm_f32_scalar within twice the bound (not bit for bit)', async () => {
    const heap = new Heap(await loadWasm('simd'));
    let worst = 0;
    for (const t of RAGGED_CASES.filter((_, i) => i % 7 === 0)) {
      const fast = run(heap, t, false), slow = run(heap, t, true);
      const { mag } = oracle(t);
      for (let i = 0; i < t.m; i++) for (let j = 0; j < t.n; j++) {
        const r = Math.abs(fast[i * t.ldc + j] - slow[i * t.ldc + j]) / (2 * (t.k + 2) * 2 ** -24 * mag[i * t.n + j] + 1e-35);
        if (!(r <= worst)) worst = r;
      }
    }
    expect(worst).toBeLessThan(1);
  });
});
