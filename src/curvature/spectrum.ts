// The index of a critical point from its f64 Hessian (SCIENCE.md §6): the full spectrum (QL,
// symEigvalsPtr) and inertia counts of H ∓ τI (Bunch–Kaufman LDLᵀ, symInertiaPtr), so the counts at
// each τ need no eigenvalues and check them. [P2]'s normalised index: eigenvalues with |λ| < 10⁻³ set
// to 0, then the fraction negative.
import type { Heap } from '../heap.js';
import { symEigvalsPtr, symEigvalsWorkBytes, symInertiaPtr, symInertiaWorkBytes } from '../linalg/eigen.js';

export interface IndexCount {
  tau: number;
  /** λ < −τ. */
  negative: number;
  /** −τ ≤ λ < τ (so |λ| < τ, up to eigenvalues exactly at ±τ). */
  nearZero: number;
  /** λ ≥ τ. */
  positive: number;
}

export interface CurvatureIndex {
  /** Ascending, all P; empty when spectrum: false. */
  eigenvalues: Float64Array;
  /** By inertia of H + τI and H − τI, one entry per τ (empty when inertia: false). */
  counts: IndexCount[];
  /** The same counts read off the spectrum (empty without it): equal to `counts` unless an eigenvalue sits within rounding of ±τ. */
  spectrumCounts: IndexCount[];
  /** [P2]: |λ| < zeroBelow set to 0, then the fraction negative (from the spectrum, else by inertia at τ = zeroBelow). */
  normalisedIndex: number;
  /** ‖H‖_F, the scale of the default τ = 10⁻⁹·‖H‖_F. */
  norm: number;
}

export interface IndexOptions {
  /** Thresholds; default [10⁻³, 10⁻⁶, 10⁻⁹·‖H‖_F]. */
  taus?: readonly number[];
  /** [P2]'s zeroing threshold, default 10⁻³. */
  zeroBelow?: number;
  /** Compute the full spectrum (default true; about 2.5 LDLᵀ factorisations' worth). */
  spectrum?: boolean;
  /** Count by inertia, two LDLᵀ factorisations per τ (default true; with the spectrum, false skips the check). */
  inertia?: boolean;
}

/** Counts of the ascending eigenvalues against ±τ. */
export function countsFromSpectrum(eigenvalues: Float64Array, tau: number): IndexCount {
  let negative = 0, below = 0;
  for (const v of eigenvalues) {
    if (v < -tau) negative++;
    if (v < tau) below++;
  }
  return { tau, negative, nearZero: below - negative, positive: eigenvalues.length - below };
}

/**
 * Spectrum and index counts of the symmetric P × P matrix H (row-major; the lower triangle is
 * read). H is copied into wasm once per factorisation (each overwrites its copy); the heap above
 * its current mark is released after.
 */
export function curvatureIndex(heap: Heap, H: Float64Array, P: number, opts: IndexOptions = {}): CurvatureIndex {
  if (!Number.isInteger(P) || P < 1) throw new RangeError(`curvatureIndex: P must be an integer ≥ 1, got ${P}`);
  if (H.length < P * P) throw new RangeError(`curvatureIndex: H has ${H.length} entries, fewer than P·P = ${P * P}`);
  let f = 0;
  for (let i = 0; i < P * P; i++) f += H[i] * H[i];
  const norm = Math.sqrt(f);
  const { taus = [1e-3, 1e-6, 1e-9 * norm], zeroBelow = 1e-3, spectrum = true, inertia = true } = opts;
  if (!spectrum && !inertia) throw new RangeError('curvatureIndex: asked for neither the spectrum nor inertia counts');
  for (const t of [...taus, zeroBelow]) if (!(Number.isFinite(t) && t >= 0)) throw new RangeError(`curvatureIndex: thresholds must be finite and ≥ 0, got ${t}`);
  const mark = heap.mark();
  try {
    const aPtr = heap.allocF64(P * P, undefined, 'curvatureIndex: matrix');
    const work = heap.alloc(Math.max(symEigvalsWorkBytes(heap, P), symInertiaWorkBytes(heap, P)), 'curvatureIndex: workspace');
    const load = () => heap.f64(aPtr, P * P).set(H.subarray(0, P * P));
    const below = (shift: number) => (load(), symInertiaPtr(heap, aPtr, P, shift, work));
    let eigenvalues: Float64Array = new Float64Array(0);
    if (spectrum) {
      const outPtr = heap.allocF64(P, undefined, 'curvatureIndex: eigenvalues');
      load();
      symEigvalsPtr(heap, outPtr, aPtr, P, work);
      eigenvalues = heap.readF64(outPtr, P);
    }
    const counts = !inertia ? [] : taus.map((tau): IndexCount => {
      const negative = below(-tau), under = below(tau);
      return { tau, negative, nearZero: under - negative, positive: P - under };
    });
    const spectrumCounts = spectrum ? taus.map((t) => countsFromSpectrum(eigenvalues, t)) : [];
    const normalisedIndex = (spectrum ? countsFromSpectrum(eigenvalues, zeroBelow).negative : below(-zeroBelow)) / P;
    return { eigenvalues, counts, spectrumCounts, normalisedIndex, norm };
  } finally {
    heap.release(mark);
  }
}
