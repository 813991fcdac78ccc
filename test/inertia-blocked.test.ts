import { describe, it, expect, beforeAll } from 'vitest';
import { loadWasm, type Binary } from '../src/wasm.js';
import { Heap } from '../src/heap.js';
import { symEigvals, symInertia, symInertiaPtr, symInertiaWorkBytes } from '../src/linalg/eigen.js';
import { exactHessian } from '../src/curvature/hessian.js';
import { mulberry32, uniformF64 } from './support/data.js';

// The blocked Bunch–Kaufman LDLᵀ (sym_inertia_blocked_f64) against two oracles: the eigenvalues of
// sym_eigvals_f64 below each shift, and the unblocked sym_inertia_f64. Shifts sit at gap midpoints
// of the spectrum, so Sylvester's count is exact for any backward-stable factorisation: the
// assertions are equalities of integers.

const BINS: Binary[] = ['simd', 'scalar', 'debug'];

function randomSym(n: number, seed: number, zeroDiag = false): Float64Array {
  const u = uniformF64(n * n, seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = zeroDiag && i === j ? 0 : u[i * n + j];
  return a;
}

/** Q·diag(λ)·Qᵀ with Q a product of a few random Householder reflections. */
function withSpectrum(lambda: number[], seed: number): Float64Array {
  const n = lambda.length;
  const a = new Float64Array(n * n);
  lambda.forEach((l, i) => (a[i * n + i] = l));
  for (let r = 0; r < 4; r++) {
    const v = uniformF64(n, seed + r);
    const beta = 2 / v.reduce((s, x) => s + x * x, 0);
    const p = Float64Array.from({ length: n }, (_, i) => beta * v.reduce((s, x, j) => s + a[i * n + j] * x, 0));
    const k = (beta / 2) * p.reduce((s, x, i) => s + x * v[i], 0);
    const q = p.map((x, i) => x - k * v[i]);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] -= v[i] * q[j] + q[i] * v[j];
  }
  return a;
}

const below = (eig: ArrayLike<number>, s: number) => Array.prototype.filter.call(eig, (l: number) => l < s).length;
/** Both outsides and up to `max` gap midpoints whose gap is wide enough to be unambiguous. */
function shiftsOf(eig: Float64Array, max = 10): number[] {
  const n = eig.length, step = Math.max(1, Math.floor((n - 1) / max)), scale = Math.max(Math.abs(eig[0]), Math.abs(eig[n - 1]), 1e-300);
  const out = [eig[0] - 1, eig[n - 1] + 1];
  for (let i = 0; i + 1 < n; i += step) if (eig[i + 1] - eig[i] > 1e-8 * scale) out.push((eig[i] + eig[i + 1]) / 2);
  return out;
}

/** [blocked, blocked scalar twin, unblocked] counts against the spectrum's, at every shift. */
function countsAt(heap: Heap, a: Float64Array, n: number, shifts: number[], nb: number) {
  return shifts.map((s) => [symInertia(heap, a, n, s, { nb }), symInertia(heap, a, n, s, { nb, scalar: true }), symInertia(heap, a, n, s, { unblocked: true })]);
}
const expected = (eig: ArrayLike<number>, shifts: number[]) => shifts.map((s) => [below(eig, s), below(eig, s), below(eig, s)]);

const sizesFor = (nb: number) => [...new Set([1, 2, 3, nb - 1, nb, nb + 1, 2 * nb + 3, 300])];

describe.each(BINS)('blocked LDLᵀ inertia on the %s binary', (bin) => {
  let heap: Heap;
  beforeAll(async () => { heap = new Heap(await loadWasm(bin)); });

  it.each([8, 0])('random symmetric matrices, ragged n around nb (nb = %i; 0 = the default 64), zero diagonals too', (nb) => {
    for (const n of sizesFor(nb === 0 ? 64 : nb)) for (const zeroDiag of [false, true]) {
      const a = randomSym(n, 31 * n + (zeroDiag ? 1 : 0), zeroDiag);
      const eig = symEigvals(heap, a, n), shifts = shiftsOf(eig);
      expect({ n, zeroDiag, counts: countsAt(heap, a, n, shifts, nb) }).toEqual({ n, zeroDiag, counts: expected(eig, shifts) });
    }
  });

  it('repeated eigenvalues (multiplicity up to 5), n = 70 with nb = 16', () => {
    const n = 70;
    const lambda = Array.from({ length: n }, (_, i) => Math.round((i - n / 2) / 5) * 0.5);
    const a = withSpectrum(lambda, 9);
    const mids = [...new Set(lambda)].slice(1).map((l) => l - 0.25);
    expect(countsAt(heap, a, n, mids, 16)).toEqual(expected(lambda, mids));
  });

  it('2×2 pivots everywhere: a permuted direct sum of [[0, b], [b, 0]] blocks, n = 2·nb + 3', () => {
    const n = 2 * 8 + 3, r = mulberry32(5), perm = Array.from({ length: n }, (_, i) => i).sort(() => r() - 0.5);
    const a = new Float64Array(n * n), lambda: number[] = [0];
    for (let t = 0; t + 1 < n; t += 2) {
      const b = 0.5 + t, i = perm[t], j = perm[t + 1];
      a[i * n + j] = a[j * n + i] = b;
      lambda.push(-b, b);
    }
    const shifts = [-100, -3.5, -0.2, 0.2, 6.25, 100];
    expect(countsAt(heap, a, n, shifts, 8)).toEqual(expected(lambda, shifts));
  });

  it('exactly zero columns mid-panel: B on a scattered index set, zeros elsewhere; the exact zero pivots count as non-negative', () => {
    const n = 45, m = 30, idx = Array.from({ length: m }, (_, i) => Math.floor((i * n) / m) + (i % 2));
    const b = randomSym(m, 77), a = new Float64Array(n * n);
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) a[idx[i] * n + idx[j]] = b[i * m + j];
    const eigB = symEigvals(heap, b, m), shifts = [0, ...shiftsOf(eigB, 6)];
    const eig = [...eigB, ...new Array(n - m).fill(0)];
    expect(countsAt(heap, a, n, shifts, 8)).toEqual(expected(eig, shifts));
  });

  it('a real Hessian ([12, 6, 4] ReLU net, cross-entropy, S = 40: P = 96, near-zero eigenvalues), nb = 8 and the default', () => {
    const spec = { layers: [12, 6, 4], bias: false, loss: 'cross-entropy' as const };
    const r = mulberry32(3);
    const H = exactHessian(heap, spec, uniformF64(96, 11), uniformF64(40 * 12, 12), Int32Array.from({ length: 40 }, () => Math.floor(4 * r())), 40).H;
    const eig = symEigvals(heap, H, 96), shifts = [...shiftsOf(eig, 20), -1e-3, 1e-3].filter((s) => eig.every((l) => Math.abs(l - s) > 1e-9));
    for (const nb of [8, 0]) expect(countsAt(heap, H, 96, shifts, nb)).toEqual(expected(eig, shifts));
  });
});

describe('blocked LDLᵀ inertia: storage and errors', () => {
  let heap: Heap;
  beforeAll(async () => { heap = new Heap(await loadWasm('simd')); });

  it('reads only the lower triangle, writes nothing above it, honours lda > n, and the heap does not leak', () => {
    const n = 37, lda = 41, a = randomSym(n, 4), eig = symEigvals(heap, a, n);
    const first = heap.alloc(16);
    heap.reset();
    const strided = new Float64Array(n * lda).fill(NaN);
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) strided[i * lda + j] = a[i * n + j];
    const aPtr = heap.allocF64(n * lda, strided);
    expect(symInertiaPtr(heap, aPtr, n, 0.1, heap.alloc(symInertiaWorkBytes(heap, n)), { lda, nb: 8 })).toBe(below(eig, 0.1));
    expect(heap.readF64(aPtr, n * lda).every((v, k) => ((k % lda) > Math.floor(k / lda) ? Number.isNaN(v) : Number.isFinite(v)))).toBe(true);
    heap.reset();
    expect(heap.alloc(16)).toBe(first);
  });

  it('NaN/±∞ input, a non-finite shift, overflow while factoring, and a bad nb are errors', () => {
    expect(() => symInertia(heap, Float64Array.of(1, 0, NaN, 2), 2, 0)).toThrow(/sym_inertia_blocked_f64: .*NaN or ±Infinity/);
    expect(() => symInertia(heap, Float64Array.of(1, 0, -Infinity, 2), 2, 0, { nb: 2 })).toThrow(/NaN or ±Infinity/);
    expect(() => symInertia(heap, randomSym(3, 1), 3, Infinity)).toThrow(/shift must be finite/);
    // 1×1 pivot 1.7e308 (|a11| ≥ α·|a21|), then a22 − a21²/a11 = −∞.
    expect(() => symInertia(heap, Float64Array.of(1.7e308, 1.7e308, 1.7e308, -1.7e308), 2, 0)).toThrow(/overflow while factoring/);
    expect(() => symInertia(heap, randomSym(3, 1), 3, 0, { nb: 2.5 })).toThrow(/nb must be an integer ≥ 0/);
  });
});
