// The exact Hessian index of an end point of `landscape anneal-nets` (SCIENCE.md §6, [P2] supp.
// Fig. 5): the f64 Hessian of the mean loss over the training subset the net was trained or
// annealed on (src/curvature/hessian.ts), and [P2]'s normalised index (|λ| < 10⁻³ zeroed, the
// fraction negative) by the inertia of one LDLᵀ factorisation of H + 10⁻³·I (src/curvature/
// spectrum.ts), which needs no eigenvalues: about a third of the cost of the spectrum.
import type { Heap } from '../heap.js';
import type { MlpSpec } from '../mlp/reference.js';
import { exactHessian } from '../curvature/hessian.js';
import { curvatureIndex } from '../curvature/spectrum.js';
import { tMeanCI, type MeanCI } from './stats.js';

/**
 * Widths with more parameters than this get no index: the Hessian is P² f64 (three copies
 * resident, 216 MB at 3000), and its R-op assembly and factorisation cost ≈ 3e-10 s·S·P² +
 * 1.4e-10 s·P³ (6 s per end point at P = 3000, S = 1000 on this project's EPYC).
 */
export const INDEX_MAX_PARAMS = 3000;

/** [P2]'s zeroing threshold of the normalised index. */
export const INDEX_TAU = 1e-3;

export interface EndpointIndex {
  /** ‖∇L‖ over the training subset, f64: no optimiser's end point is an exact critical point. */
  gradNorm: number;
  /** Eigenvalues below −10⁻³ (by LDLᵀ inertia). */
  negative: number;
  /** negative / P. */
  normalisedIndex: number;
  /** Hidden pre-activations within 10⁻⁶ of the ReLU kink, as a fraction of all: where many, H is not informative. */
  fractionNearKink: number;
}

/** The index of the net `params` over the S samples (X: S × n_0, y: classes or ±1). The heap above its mark is released. */
export function endpointIndex(heap: Heap, spec: MlpSpec, params: ArrayLike<number>, X: ArrayLike<number>, y: Int32Array, S: number): EndpointIndex {
  const h = exactHessian(heap, spec, params, X, y, S);
  const idx = curvatureIndex(heap, h.H, h.P, { taus: [], zeroBelow: INDEX_TAU, spectrum: false, inertia: true });
  // normalisedIndex is (count)/P, so the count is recovered exactly.
  const negative = Math.round(idx.normalisedIndex * h.P);
  return { gradNorm: h.gradNorm, negative, normalisedIndex: negative / h.P, fractionNearKink: h.fractionNearKink };
}

export interface IndexStats {
  nets: number;
  /** Mean normalised index with its 95% t CI, and the largest. */
  normalisedIndex: MeanCI;
  max: number;
  /** Nets with no eigenvalue below −10⁻³. */
  minima: number;
  gradNorm: MeanCI;
  gradNormMedian: number;
  fractionNearKink: number;
}

/** One optimiser's end points at one width. */
export function indexStats(points: readonly EndpointIndex[]): IndexStats {
  const ni = points.map((p) => p.normalisedIndex), g = points.map((p) => p.gradNorm);
  const sorted = [...g].sort((a, b) => a - b), h = sorted.length >> 1;
  return {
    nets: points.length, normalisedIndex: tMeanCI(ni), max: Math.max(...ni), minima: points.filter((p) => p.negative === 0).length,
    gradNorm: tMeanCI(g), gradNormMedian: sorted.length % 2 ? sorted[h] : (sorted[h - 1] + sorted[h]) / 2,
    fractionNearKink: points.reduce((a, p) => a + p.fractionNearKink, 0) / points.length,
  };
}
