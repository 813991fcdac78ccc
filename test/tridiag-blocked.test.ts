import { describe, it, expect, beforeAll } from 'vitest';
import { loadWasm, type Binary } from '../src/wasm.js';
import { Heap } from '../src/heap.js';
import { symEigvals, symInertia } from '../src/linalg/eigen.js';
import { uniformF64 } from './support/data.js';

// sym_eigvals_f64 above n = 128 reduces in blocked panels of 32 reflections (assembly/tridiag_blocked.ts)
// before the unblocked loop finishes the last 128 rows. Sizes straddle 128 + k·32 so that one, two and
// many panels run, with ragged tails. Oracles: a planted spectrum, cyclic Jacobi, the inertia counts
// of the (independent) blocked LDLᵀ, and trace / Frobenius identities.
// Tolerance as in eigen.test.ts: |λ_i − μ_i| ≤ 16·n·u·‖A‖_F (Weyl, for backward-stable methods).

const BINS: Binary[] = ['simd', 'scalar', 'debug'];
const U = 2 ** -53;
const tol = (n: number, frob: number) => 16 * n * U * frob + 1e-300;
const frobenius = (a: Float64Array) => Math.sqrt(a.reduce((s, v) => s + v * v, 0));

function randomSym(n: number, seed: number, zeroDiag = false): Float64Array {
  const u = uniformF64(n * n, seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = zeroDiag && i === j ? 0 : u[i * n + j];
  return a;
}

/** Q·diag(λ)·Qᵀ with Q a product of four random Householder reflections. */
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

function jacobiEigvals(a: Float64Array, n: number): Float64Array {
  const m = Float64Array.from(a.subarray(0, n * n));
  const stop = (1e-17 * frobenius(m)) ** 2;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += m[p * n + q] ** 2;
    if (off <= stop) break;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) {
      const apq = m[p * n + q];
      if (apq === 0) continue;
      const theta = (m[q * n + q] - m[p * n + p]) / (2 * apq);
      const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.hypot(theta, 1));
      const c = 1 / Math.hypot(t, 1), s = t * c;
      for (let k = 0; k < n; k++) { const x = m[k * n + p], y = m[k * n + q]; m[k * n + p] = c * x - s * y; m[k * n + q] = s * x + c * y; }
      for (let k = 0; k < n; k++) { const x = m[p * n + k], y = m[q * n + k]; m[p * n + k] = c * x - s * y; m[q * n + k] = s * x + c * y; }
    }
  }
  return Float64Array.from({ length: n }, (_, i) => m[i * n + i]).sort();
}

const worst = (got: ArrayLike<number>, want: ArrayLike<number>, t: number) => {
  let w = 0;
  for (let i = 0; i < want.length; i++) w = Math.max(w, Math.abs(got[i] - want[i]) / t);
  return w;
};
const below = (eig: ArrayLike<number>, s: number) => Array.prototype.filter.call(eig, (l: number) => l < s).length;

// Jacobi oracles, once for every binary: one panel + tail (129, 161) and three panels (227).
const JACOBI = [129, 161, 227].flatMap((n) => [false, true].map((zeroDiag) => {
  const a = randomSym(n, 500 + n + (zeroDiag ? 1 : 0), zeroDiag);
  return { n, zeroDiag, a, eig: jacobiEigvals(a, n), frob: frobenius(a) };
}));

describe.each(BINS)('blocked tridiagonalisation on the %s binary', (bin) => {
  let heap: Heap;
  beforeAll(async () => { heap = new Heap(await loadWasm(bin)); });

  it.each([false, true])('random symmetric matrices (n = 129, 161, 227; zero diagonals too) match cyclic Jacobi (scalar twin: %s)', (scalar) => {
    const got = JACOBI.map(({ n, a, eig, frob }) => worst(symEigvals(heap, a, n, { scalar }), eig, tol(n, frob)));
    expect(Math.max(...got)).toBeLessThan(1);
  });

  it('a planted spectrum with multiplicities up to 4 is recovered at n = 160, 193, 300', () => {
    for (const n of [160, 193, 300]) {
      const lambda = Array.from({ length: n }, (_, i) => Math.round((i - n / 2) / 4) * 0.5).sort((x, y) => x - y);
      const a = withSpectrum(lambda, 3 * n);
      expect(worst(symEigvals(heap, a, n), lambda, tol(n, frobenius(a)))).toBeLessThan(1);
    }
  });

  it('exactly zero rows inside the panels (skipped reflections): the spectrum of B plus exact zeros', () => {
    const n = 260, m = 200, zero = new Set(Array.from({ length: n - m }, (_, k) => 130 + 2 * k));
    const idx = Array.from({ length: n }, (_, i) => i).filter((i) => !zero.has(i));
    const b = randomSym(m, 91), a = new Float64Array(n * n);
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) a[idx[i] * n + idx[j]] = b[i * m + j];
    const want = Float64Array.from([...symEigvals(heap, b, m), ...new Array(n - m).fill(0)]).sort();
    expect(worst(symEigvals(heap, a, n), want, tol(n, frobenius(a)))).toBeLessThan(1);
  });

  it('n = 400: trace = Σλ, ‖A‖_F² = Σλ², and the counts below wide-gap midpoints equal the blocked LDLᵀ inertia', () => {
    const n = 400, a = randomSym(n, 17), frob = frobenius(a), eig = symEigvals(heap, a, n);
    let trace = 0;
    for (let i = 0; i < n; i++) trace += a[i * n + i];
    expect(Math.abs(eig.reduce((s, l) => s + l, 0) - trace)).toBeLessThanOrEqual(n * tol(n, frob));
    expect(Math.abs(eig.reduce((s, l) => s + l * l, 0) - frob ** 2)).toBeLessThanOrEqual(2 * n * tol(n, frob) * frob);
    const shifts = [];
    for (let i = 0; i + 1 < n; i += 13) if (eig[i + 1] - eig[i] > 1e-6) shifts.push((eig[i] + eig[i + 1]) / 2);
    expect(shifts.map((s) => symInertia(heap, a, n, s))).toEqual(shifts.map((s) => below(eig, s)));
  });
});
