// Spin-glass arrays that leave or enter the project as .npy (FORMATS.md "Spin glass"): the dense
// coupling tensor J (f64, the unrounded draws, so a run from the file rebuilds the same f32
// couplings bit for bit), every restart's endpoint and the tangent Hessian spectra. Platform-neutral.
import type { Heap } from '../heap.js';
import { bindKernels } from '../kernels.js';
import { readBytes } from '../platform.js';
import { NpyError, readNpy, toFloat64, writeNpy } from '../io/npy.js';
import { symEigvalsKeepingHeap } from '../linalg/eigen.js';
import { couplingCount, type PSpinSpec } from './model.js';

export const couplingsName = (n: number, instance: number) => `couplings-L${n}-i${instance}.npy`;
export const endpointsName = (n: number, instance: number) => `endpoints-L${n}-i${instance}.npy`;
export const spectraName = (n: number, instance: number) => `spectra-L${n}-i${instance}.npy`;
/** A task's share of a per-(Λ, instance) array, joined by the descriptor's finish step. */
export const partName = (full: string, firstRestart: number) => full.replace(/\.npy$/, `.part${firstRestart}.npy`);

/** Bytes of a dense f64 tensor Λ^p, refused above this (a file and a copy must fit in memory). */
export const MAX_DENSE_F64_BYTES = 2 ** 31;

/** Reads and checks a coupling file: p equal dimensions, a float dtype. Returns Λ and p. */
export function checkCouplings(bytes: Uint8Array, what: string): { n: number; p: number; data: Float64Array } {
  const arr = readNpy(bytes, what);
  if (arr.dtype !== 'f32' && arr.dtype !== 'f64') throw new NpyError(what, `dtype ${arr.dtype}, expected a float tensor (f4 or f8)`);
  const [n] = arr.shape;
  if (arr.shape.length < 2 || arr.shape.length > 5 || arr.shape.some((d) => d !== n) || n < 2) {
    throw new NpyError(what, `shape (${arr.shape.join(', ')}), expected a dense coupling tensor (Λ, Λ, …) of rank p = 2..5 with Λ ≥ 2`);
  }
  return { n, p: arr.shape.length, data: toFloat64(arr) };
}

const cache = new Map<string, Promise<Float64Array>>();

/** The coupling tensor of a file, read once per worker. */
export function loadCouplings(path: string): Promise<Float64Array> {
  let hit = cache.get(path);
  if (!hit) {
    hit = readBytes(path).then((b) => checkCouplings(b, path).data);
    cache.set(path, hit);
    hit.catch(() => cache.delete(path));
  }
  return hit;
}

/** Stores J (dense f64) in the run's layout: f32 of each entry (dense), or packed sums. */
export function uploadCouplings(heap: Heap, spec: PSpinSpec, J: Float64Array): number {
  const count = couplingCount(spec.p, spec.n, spec.storage);
  const ptr = heap.alloc(4 * count, `p=${spec.p}, Λ=${spec.n}, ${spec.storage} couplings`);
  if (spec.storage === 'dense') {
    heap.f32(ptr, count).set(J);
    return ptr;
  }
  const mark = heap.mark();
  const j = heap.allocF64(J.length, J, 'the dense coupling tensor');
  bindKernels(heap.wasm).pspin_pack_f64(ptr, j, spec.n, spec.p);
  heap.release(mark);
  return ptr;
}

/** The unrounded dense draws of one instance (what --save-couplings writes). */
export function drawnCouplings(heap: Heap, spec: PSpinSpec, law: number, seed: number, stream: number): Float64Array {
  const mark = heap.mark();
  const total = spec.n ** spec.p;
  const j = heap.allocF64(total, undefined, 'the dense coupling tensor');
  bindKernels(heap.wasm).pspin_fill_dense_f64(j, spec.n, spec.p, law, seed, stream);
  const out = heap.readF64(j, total);
  heap.release(mark);
  return out;
}

export const npyOf = (data: Float64Array, shape: number[]) => writeNpy(data, shape);

/**
 * Ascending eigenvalues of the projected Hessian M = P(∇²H − (pH/Λ)I)P on the tangent space:
 * a Householder reflection R maps w/|w| to e1, and the spectrum of (RMR)[1:, 1:] is the Λ − 1
 * tangent eigenvalues (the radial zero is dropped by construction, not by a threshold).
 */
export function tangentSpectrum(heap: Heap, mPtr: number, w: Float64Array, n: number): Float64Array {
  const M = heap.readF64(mPtr, n * n);
  // The kernels keep the lower triangle; mirror it so the reflections see the whole matrix.
  for (let r = 0; r < n; r++) for (let c = r + 1; c < n; c++) M[r * n + c] = M[c * n + r];
  let norm = 0;
  for (let i = 0; i < n; i++) norm += w[i] * w[i];
  norm = Math.sqrt(norm);
  const v = Float64Array.from(w, (x) => x / norm);
  const sign = v[0] >= 0 ? 1 : -1; // v = u + sign(u₀)e1 avoids cancellation
  v[0] += sign;
  let vv = 0;
  for (let i = 0; i < n; i++) vv += v[i] * v[i];
  const reflect = (rows: Float64Array) => {
    // rows ← rows·R for the n×n row-major matrix: x ← x − 2(x·v)v/|v|² per row
    for (let r = 0; r < n; r++) {
      let d = 0;
      for (let i = 0; i < n; i++) d += rows[r * n + i] * v[i];
      const c = (2 * d) / vv;
      for (let i = 0; i < n; i++) rows[r * n + i] -= c * v[i];
    }
  };
  reflect(M); // M R
  const T = new Float64Array(n * n); // transpose, reflect again: (R M R) is symmetric
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) T[c * n + r] = M[r * n + c];
  reflect(T);
  const m = n - 1;
  const block = new Float64Array(m * m);
  for (let r = 0; r < m; r++) for (let c = 0; c < m; c++) block[r * m + c] = 0.5 * (T[(r + 1) * n + c + 1] + T[(c + 1) * n + r + 1]);
  return symEigvalsKeepingHeap(heap, block, m); // the couplings live in the heap
}
