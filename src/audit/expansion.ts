// The path expansion of a bias-free ReLU net, verified (SCIENCE.md §3, §8). Two normalisations:
// §8's Y_k(x) = Σ_π x_i A_π(x) w_π, with no q, is the net's own output; [P2] §3.1's
// Y = q·Σ_π X_π A_π w_π is the output of the same net with every layer scaled by q^{1/H} (a bias-free
// ReLU net is positively 1-homogeneous in each layer's weights and the masks do not change), so
// scaledForQ gives the net whose forward pass the q form must equal.
import type { Heap } from '../heap.js';
import { architecture } from './architecture.js';
import { type AuditNet, type AuditSamples, withResident } from './resident.js';

export interface PathSumOptions {
  /** 'enumerate': every path's product formed and added (H = 2, 3; Ψ per sample); 'dp': the exact sum over path suffixes. Default: enumerate when Ψ ≤ 1e6. */
  method?: 'enumerate' | 'dp';
  /** Multiply by q = Λ^{−(H−1)/2} ([P2]'s form). Default false (§8's form). */
  q?: boolean;
}

/** Y (S × n_H, f64) as a sum over paths, computed in wasm, streamed over samples. */
export function pathSum(heap: Heap, net: AuditNet, data: AuditSamples, opts: PathSumOptions = {}): Float64Array {
  const arch = architecture(net.layers);
  const method = opts.method ?? (arch.psi <= 1e6 && (arch.H === 2 || arch.H === 3) ? 'enumerate' : 'dp');
  if (method === 'enumerate' && arch.H !== 2 && arch.H !== 3) throw new RangeError(`audit: path enumeration is written for H = 2 and 3, not ${arch.H}; use method 'dp'`);
  return withResident(heap, net, data, (r) => r.scratch(() => {
    const nH = net.layers[arch.H];
    const yPtr = heap.allocF64(data.S * nH, undefined, 'audit: path sums');
    r.k.paths_sum_f64(yPtr, r.paramsPtr, r.layersPtr, r.L, r.xPtr, data.S, method === 'enumerate' ? 1 : 0, r.workPtr);
    const y = heap.readF64(yPtr, data.S * nH);
    if (opts.q) for (let i = 0; i < y.length; i++) y[i] *= arch.q;
    return y;
  }));
}

/** The same net with every layer scaled by q^{1/H}: its forward pass is q·Σ_π X_π A_π w_π of the original. */
export function scaledForQ(net: AuditNet): AuditNet {
  const { q, H } = architecture(net.layers);
  const c = q ** (1 / H);
  return { layers: net.layers, params: Float64Array.from(net.params, (w) => w * c) };
}

/** max |a − b| / max |b| (0 when both vanish). */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let e = 0, m = 0;
  for (let i = 0; i < b.length; i++) { e = Math.max(e, Math.abs(a[i] - b[i])); m = Math.max(m, Math.abs(b[i])); }
  return m > 0 ? e / m : e;
}
