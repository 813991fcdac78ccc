// The GEMM tests' cases and their f64 oracle, shared by test/gemm*.test.ts.
import { type Heap } from '../../src/heap.js';
import { gemm } from '../../src/linalg/gemm.js';

export const FORMS = [[false, false], [false, true], [true, false], [true, true]] as const; // NN NT TN TT

/** mulberry32: seeded test data that leans on nothing in the code under test. */
export function uniform(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    out[i] = 2 * (((t ^ (t >>> 14)) >>> 0) / 4294967296) - 1;
  }
  return out;
}

export interface Case {
  m: number; n: number; k: number; tA: boolean; tB: boolean;
  lda: number; ldb: number; ldc: number; alpha: number; beta: number;
  a: Float32Array; b: Float32Array; c: Float32Array;
}

export function makeCase(m: number, n: number, k: number, tA: boolean, tB: boolean, seed: number, pad = 0, alpha = 0.75, beta = -1.5): Case {
  const lda = (tA ? m : k) + pad, ldb = (tB ? k : n) + 2 * pad, ldc = n + 3 * pad;
  return {
    m, n, k, tA, tB, lda, ldb, ldc, alpha, beta,
    a: uniform(((tA ? k : m) - 1) * lda + (tA ? m : k), seed),
    b: uniform(((tB ? n : k) - 1) * ldb + (tB ? k : n), seed + 1),
    c: uniform((m - 1) * ldc + n, seed + 2),
  };
}

// The oracle, in f64: alpha·op(A)·op(B) + beta·C, and the magnitude |alpha|·Σ|a·b| + |beta·c|.
const oracles = new WeakMap<Case, { want: Float64Array; mag: Float64Array }>();
export function oracle(t: Case) {
  let o = oracles.get(t);
  if (o) return o;
  const { m, n, k, tA, tB, lda, ldb, ldc, a, b, c, alpha, beta } = t;
  o = { want: new Float64Array(m * n), mag: new Float64Array(m * n) };
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0, g = 0;
    for (let p = 0; p < k; p++) {
      const x = (tA ? a[p * lda + i] : a[i * lda + p]) * (tB ? b[j * ldb + p] : b[p * ldb + j]);
      s += x;
      g += Math.abs(x);
    }
    const cij = beta === 0 ? 0 : beta * c[i * ldc + j];
    o.want[i * n + j] = alpha * s + cij;
    o.mag[i * n + j] = Math.abs(alpha) * g + Math.abs(cij);
  }
  oracles.set(t, o);
  return o;
}

// Tolerance: each entry of C is k f32 products summed in some order (blocks over k add their
// partial sums into C), scaled by alpha and added to beta·c. Every term passes through at most
// k + 2 roundings, so |got − want| ≤ (k + 2)·u·mag with u = 2⁻²⁴, to first order (Higham,
// Accuracy and Stability, §3.1); fused multiply-add only removes roundings. We report
// max |err| / bound over all entries and assert it is below 1 once.
export function worstRatio(t: Case, got: Float32Array): number {
  const { want, mag } = oracle(t);
  const u = 2 ** -24;
  let worst = 0;
  for (let i = 0; i < t.m; i++) for (let j = 0; j < t.n; j++) {
    const r = Math.abs(got[i * t.ldc + j] - want[i * t.n + j]) / ((t.k + 2) * u * mag[i * t.n + j] + 1e-35);
    if (!(r <= worst)) worst = r; // a NaN lands here too, and fails
  }
  return worst;
}

export const run = (heap: Heap, t: Case, scalar: boolean) =>
  gemm(heap, t.a, t.b, t.m, t.n, t.k, { transA: t.tA, transB: t.tB, alpha: t.alpha, beta: t.beta, lda: t.lda, ldb: t.ldb, ldc: t.ldc, c: t.c, scalar });

