// Per-layer blocks of a network Hessian (SCIENCE.md §6): the spectrum of each layer's own block
// (W_l, b_l against themselves) and the share of ‖H‖_F² the cross-layer blocks carry. For one
// hidden layer the W1-W1 and W2-W2 blocks are Gauss-Newton only; the cross block adds the term
// linear in the output residual, which is where negative curvature can come from.
import type { Heap } from '../heap.js';
import { symEigvalsKeepingHeap } from '../linalg/eigen.js';

export interface LayerBlock {
  layer: number;
  /** Parameters of the layer (weights and, with biases, its biases). */
  size: number;
  min: number;
  max: number;
  /** Eigenvalues of the block below −10⁻³. */
  negative: number;
}

export interface BlockSummary {
  layers: LayerBlock[];
  /** Σ over cross-layer blocks of ‖H_lm‖_F², over ‖H‖_F². */
  crossShare: number;
}

/** The flat parameter offsets of each weight layer (W_l then b_l), as MlpNet lays them out. */
export function layerOffsets(layers: readonly number[], bias: boolean): number[] {
  const off = [0];
  for (let l = 1; l < layers.length; l++) off.push(off[l - 1] + layers[l] * layers[l - 1] + (bias ? layers[l] : 0));
  return off;
}

export function blockSummary(heap: Heap, H: Float64Array, P: number, layers: readonly number[], bias: boolean): BlockSummary {
  const off = layerOffsets(layers, bias);
  let total = 0, diagonal = 0;
  for (let i = 0; i < P * P; i++) total += H[i] * H[i];
  const out: LayerBlock[] = [];
  for (let l = 0; l + 1 < off.length; l++) {
    const a = off[l], m = off[l + 1] - a;
    const B = new Float64Array(m * m);
    for (let r = 0; r < m; r++) for (let c = 0; c < m; c++) { const v = H[(a + r) * P + a + c]; B[r * m + c] = v; diagonal += v * v; }
    const e = symEigvalsKeepingHeap(heap, B, m);
    out.push({ layer: l + 1, size: m, min: e[0], max: e[m - 1], negative: e.filter((x) => x < -1e-3).length });
  }
  return { layers: out, crossShare: total > 0 ? (total - diagonal) / total : 0 };
}
