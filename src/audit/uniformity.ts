// A4p, uniformity (SCIENCE.md §8; [P2] Eq. 6): with each layer quantised to s levels (redundancy.ts),
// a path's weight product is fixed by its tuple of level indices (b_1, …, b_H), one of s^H; A4p says
// each appears about equally often, Ψ/(c·s^H) ≤ t ≤ c·Ψ/s^H. (With s = Λ = Ψ^{1/H} the uniform
// multiplicity is Ψ/Λ^H = 1: every product once.) Tuples, not product values, are counted: mirror
// tuples (−b) give equal products, and a zero level makes every tuple through it 0.
// The multiplicities are counted exactly by dynamic programming over layers: P_l[j][t] is the
// number of partial paths from the inputs to unit j of layer l with level-index prefix t, so
// P_{l+1}[k][t·s + b] = Σ_j P_l[j][t]·1[b(W_{l+1}[k, j]) = b]; the cost is Σ_l n_l n_{l−1} s^{l−1},
// not Ψ. Counts stay below Ψ < 2^53, so f64 holds them exactly.
import { LEVELS, quantise } from './redundancy.js';

/** t per tuple (b_1, …, b_H), b_1 slowest, from each weight's level index (bias-free layout). */
export function multiplicities(layers: readonly number[], index: ArrayLike<number>, s: number): Float64Array {
  const H = layers.length - 1;
  if (s ** H > 2 ** 22) throw new RangeError(`audit: s^H = ${s}^${H} tuples are too many to count`);
  let P = new Float64Array(layers[0]).fill(1), width = 1, o = 0; // P[j·width + t], width = s^{l}
  for (let l = 1; l <= H; l++) {
    const nIn = layers[l - 1], nOut = layers[l], last = l === H;
    const next = new Float64Array((last ? 1 : nOut) * width * s);
    for (let k = 0; k < nOut; k++) {
      const dst = last ? 0 : k * width * s;
      for (let j = 0; j < nIn; j++) {
        const b = index[o + k * nIn + j], src = j * width;
        for (let t = 0; t < width; t++) next[dst + t * s + b] += P[src + t];
      }
    }
    o += nIn * nOut;
    P = next;
    width *= s;
  }
  return P;
}

export interface BoundFit {
  /** Smallest c with Ψ/(c·s^H) ≤ t ≤ c·Ψ/s^H for every tuple that occurs (t ≥ 1). */
  cMin: number;
  /** Share of the occurring tuples outside the bounds for c = 2. */
  outside2: number;
  /** Share of the s^H tuples that no path takes (t = 0: outside the bounds for every c). */
  absent: number;
}

/** Eq. 6 against the counts t (summing to Ψ). */
export function boundFit(t: Float64Array): BoundFit {
  let psi = 0;
  for (const v of t) psi += v;
  const mean = psi / t.length;
  let cMin = 1, outside = 0, occurring = 0;
  for (const v of t) {
    if (v === 0) continue;
    occurring++;
    const c = Math.max(v / mean, mean / v);
    cMin = Math.max(cMin, c);
    if (c > 2) outside++;
  }
  return { cMin: occurring ? cMin : NaN, outside2: occurring ? outside / occurring : NaN, absent: 1 - occurring / t.length };
}

export interface A4pStats { s: number[]; cMin: number[]; outside2: number[]; absent: number[] }

/** Eq. 6's fit per s of LEVELS (s^H capped: larger s are left NaN). */
export function a4p(layers: readonly number[], params: ArrayLike<number>, levels: readonly number[] = LEVELS): A4pStats {
  const H = layers.length - 1, out: A4pStats = { s: [...levels], cMin: [], outside2: [], absent: [] };
  for (const s of levels) {
    const f = s ** H <= 2 ** 22 ? boundFit(multiplicities(layers, quantise(layers, params, s).index, s)) : { cMin: NaN, outside2: NaN, absent: NaN };
    out.cMin.push(f.cMin);
    out.outside2.push(f.outside2);
    out.absent.push(f.absent);
  }
  return out;
}
