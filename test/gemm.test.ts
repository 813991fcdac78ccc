import { describe, it, expect } from 'vitest';
import { loadWasm, type Binary } from '../src/wasm.js';
import { Heap } from '../src/heap.js';
import { gemm, gemmPtr } from '../src/linalg/gemm.js';
import { uniformF32, RAGGED } from './support/data.js';

const BINS: Binary[] = ['scalar', 'simd', 'relaxed', 'debug'];
const FORMS = [[false, false], [false, true], [true, false], [true, true]] as const;

/** f64 oracle: alpha·op(A)·op(B) + beta·C, plus Σ|terms| per element for the error bound. */
function reference(a: Float32Array, b: Float32Array, c: Float32Array, m: number, n: number, k: number, tA: boolean, tB: boolean, alpha: number, beta: number) {
  const out = new Float64Array(m * n);
  const mag = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0, g = 0;
    for (let p = 0; p < k; p++) {
      const t = (tA ? a[p * m + i] : a[i * k + p]) * (tB ? b[j * k + p] : b[p * n + j]);
      s += t; g += Math.abs(t);
    }
    out[i * n + j] = alpha * s + beta * c[i * n + j];
    mag[i * n + j] = Math.abs(alpha) * g + Math.abs(beta * c[i * n + j]);
  }
  return { out, mag };
}

// f32 summation of k products: |error| ≤ (k+2)·u·Σ|terms| with u = 2^-24 (Higham, Thm 3.5).
// The ratio err / bound must stay below 1; we report the worst one.
function worstRatio(got: Float32Array, ref: { out: Float64Array; mag: Float64Array }, k: number): number {
  const u = 2 ** -24;
  let worst = 0;
  for (let i = 0; i < got.length; i++) {
    const bound = (k + 2) * u * ref.mag[i] + 1e-30;
    const r = Math.abs(got[i] - ref.out[i]) / bound;
    if (!(r <= worst)) worst = r; // NaN also lands here and fails the test
  }
  return worst;
}

describe.each(BINS)('gemm_f32 on the %s binary', (bin) => {
  it.each([false, true])('all four forms on ragged sizes, within the f32 bound (scalar twin: %s)', async (scalar) => {
    const heap = new Heap(await loadWasm(bin));
    let worst = 0;
    let seed = 1;
    for (const m of RAGGED) for (const n of [1, 5, 16, 17, 100]) for (const k of [1, 4, 33, 300]) {
      if (scalar && m * n * k > 200_000) continue;
      for (const [tA, tB] of FORMS) {
        const a = uniformF32(m * k, seed++), b = uniformF32(k * n, seed++), c = uniformF32(m * n, seed++);
        const got = gemm(heap, a, b, m, n, k, { transA: tA, transB: tB, alpha: 0.75, beta: -1.5, c, scalar });
        worst = Math.max(worst, worstRatio(got, reference(a, b, c, m, n, k, tA, tB, 0.75, -1.5), k));
      }
    }
    expect(worst).toBeLessThan(1);
  });

  it('beta = 0 never reads C (NaN in C is overwritten)', async () => {
    const heap = new Heap(await loadWasm(bin));
    for (const [m, n, k] of [[1, 9, 5], [17, 33, 16], [100, 100, 300]]) {
      const c = new Float32Array(m * n).fill(NaN);
      const got = gemm(heap, uniformF32(m * k, 3), uniformF32(k * n, 4), m, n, k, { c, beta: 0 });
      expect(got.every(Number.isFinite)).toBe(true);
    }
  });

  it('strided lda/ldb/ldc larger than the rows', async () => {
    const heap = new Heap(await loadWasm(bin));
    const [m, n, k, lda, ldb, ldc] = [17, 9, 33, 40, 12, 11];
    const a = uniformF32(m * lda, 5), b = uniformF32(k * ldb, 6);
    const aPtr = heap.allocF32(a.length, a), bPtr = heap.allocF32(b.length, b), cPtr = heap.allocF32(m * ldc);
    gemmPtr(heap, cPtr, aPtr, bPtr, m, n, k, { lda, ldb, ldc });
    const c = heap.f32(cPtr, m * ldc);
    let worst = 0;
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
      let s = 0, g = 0;
      for (let p = 0; p < k; p++) { s += a[i * lda + p] * b[p * ldb + j]; g += Math.abs(a[i * lda + p] * b[p * ldb + j]); }
      worst = Math.max(worst, Math.abs(c[i * ldc + j] - s) / ((k + 2) * 2 ** -24 * g));
    }
    heap.reset();
    expect(worst).toBeLessThan(1);
  });
});

describe('gemm_f32 aliasing and determinism', () => {
  it('A and B may be the same buffer (AᵀA)', async () => {
    const heap = new Heap(await loadWasm('simd'));
    const [m, k] = [17, 33];
    const a = uniformF32(k * m, 7);
    const aPtr = heap.allocF32(a.length, a), cPtr = heap.allocF32(m * m);
    gemmPtr(heap, cPtr, aPtr, aPtr, m, m, k, { transA: true });
    const want = reference(a, a, new Float32Array(m * m), m, m, k, true, false, 1, 0);
    expect(worstRatio(heap.f32(cPtr, m * m), want, k)).toBeLessThan(1);
  });

  it('refuses C overlapping A or B', async () => {
    const heap = new Heap(await loadWasm('simd'));
    const p = heap.allocF32(64);
    expect(() => gemmPtr(heap, p, p, heap.allocF32(16), 4, 4, 4)).toThrow(/C and A overlap/);
    expect(() => gemmPtr(heap, p + 16, heap.allocF32(16), p, 4, 4, 4)).toThrow(/C and B overlap/);
  });

  it('refuses bad dims with the kernel name', async () => {
    const heap = new Heap(await loadWasm('simd'));
    expect(() => gemm(heap, new Float32Array(4), new Float32Array(4), 0, 2, 2)).toThrow(/gemm_f32: m must be an integer ≥ 1/);
  });

  it('simd output is a pure function of the inputs (garbage in the workspace changes nothing)', async () => {
    const heap = new Heap(await loadWasm('simd'));
    const [m, n, k] = [33, 17, 300];
    const a = uniformF32(m * k, 8), b = uniformF32(k * n, 9);
    const aPtr = heap.allocF32(a.length, a), bPtr = heap.allocF32(b.length, b), c1 = heap.allocF32(m * n), c2 = heap.allocF32(m * n);
    const work = heap.alloc(1 << 20);
    gemmPtr(heap, c1, aPtr, bPtr, m, n, k, {}, work);
    heap.f32(work, 1 << 18).fill(NaN);
    gemmPtr(heap, c2, aPtr, bPtr, m, n, k, {}, work);
    expect(Buffer.from(heap.f32(c1, m * n).buffer, c1, 4 * m * n).equals(Buffer.from(heap.f32(c2, m * n).buffer, c2, 4 * m * n))).toBe(true);
  });
});
