// Summaries the audit reports, platform-neutral f64: exact weighted quantiles, a fixed-grid
// histogram summary for tens of millions of values, the normal CDF, KS distances, plug-in mutual
// information with the Miller–Madow correction (Miller 1955; Paninski, Neural Comput. 15, 2003),
// and the Marchenko–Pastur edges (Marchenko & Pastur 1967).

export interface Summary {
  mean: number;
  sd: number;
  q05: number;
  q50: number;
  q95: number;
  /** Total weight (paths, for path statistics). */
  weight: number;
}

/** Exact weighted summary: quantile p is the smallest value whose cumulative weight reaches p·W. */
export function weightedSummary(values: ArrayLike<number>, weights?: ArrayLike<number>): Summary {
  const n = values.length;
  const w = (i: number) => (weights ? weights[i] : 1);
  let W = 0, m = 0;
  for (let i = 0; i < n; i++) { W += w(i); m += w(i) * values[i]; }
  if (!(W > 0)) return { mean: NaN, sd: NaN, q05: NaN, q50: NaN, q95: NaN, weight: 0 };
  m /= W;
  let v = 0;
  for (let i = 0; i < n; i++) v += w(i) * (values[i] - m) ** 2;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a] - values[b]);
  const q = (p: number) => {
    let c = 0;
    for (const i of order) { c += w(i); if (c >= p * W * (1 - 1e-15)) return values[i]; }
    return values[order[n - 1]];
  };
  return { mean: m, sd: Math.sqrt(v / W), q05: q(0.05), q50: q(0.5), q95: q(0.95), weight: W };
}

/**
 * Streaming summary over [lo, hi]: mean and sd exact (f64 sums), quantiles from a grid of `bins`
 * cells, so good to (hi − lo)/bins; values outside the range land in the end cells.
 */
export class GridSummary {
  private readonly h: Float64Array;
  private W = 0;
  private s1 = 0;
  private s2 = 0;
  constructor(readonly lo: number, readonly hi: number, readonly bins = 20000) { this.h = new Float64Array(bins); }

  add(v: number, w = 1): void {
    this.W += w; this.s1 += w * v; this.s2 += w * v * v;
    const c = Math.min(this.bins - 1, Math.max(0, Math.floor(((v - this.lo) / (this.hi - this.lo)) * this.bins)));
    this.h[c] += w;
  }

  /** Replaces the state with one accumulated elsewhere by add's operations in add's order (paths_corr_grid_f64). */
  load(h: ArrayLike<number>, W: number, s1: number, s2: number): void {
    this.h.set(h); this.W = W; this.s1 = s1; this.s2 = s2;
  }

  summary(): Summary {
    const W = this.W;
    if (!(W > 0)) return { mean: NaN, sd: NaN, q05: NaN, q50: NaN, q95: NaN, weight: 0 };
    const mean = this.s1 / W;
    const q = (p: number) => {
      let c = 0;
      for (let i = 0; i < this.bins; i++) { c += this.h[i]; if (c >= p * W * (1 - 1e-15)) return this.lo + ((i + 0.5) * (this.hi - this.lo)) / this.bins; }
      return this.hi;
    };
    return { mean, sd: Math.sqrt(Math.max(0, this.s2 / W - mean * mean)), q05: q(0.05), q50: q(0.5), q95: q(0.95), weight: W };
  }
}

/** erfc by the Chebyshev fit of Numerical Recipes §6.2 (fractional error < 1.2e-7 everywhere). */
function erfc(x: number): number {
  const z = Math.abs(x), t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? r : 2 - r;
}

export const normalCdf = (x: number): number => 0.5 * erfc(-x / Math.SQRT2);

/** sup_t |F_n(t) − Φ(t)| of the sample (sorted in place). */
export function ksNormal(sample: Float64Array): number {
  sample.sort();
  const n = sample.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = normalCdf(sample[i]);
    d = Math.max(d, (i + 1) / n - f, f - i / n);
  }
  return d;
}

/**
 * Distances of a weighted distribution from a point mass (one ρ for every path, A1p), each at its
 * best point: W1 = E|ρ − median| (the Wasserstein-1 distance to δ_median, the primary one: it is 0
 * exactly when all ρ agree and grows with the spread), and KS = min_c sup_t |F(t) − 1[t ≥ c]|,
 * = min_c max(F(c⁻), 1 − F(c)): ½(1 − the largest atom) or more, so it measures whether a common
 * value is shared by many paths rather than how far apart they are.
 */
export function pointMassDistances(values: ArrayLike<number>, weights?: ArrayLike<number>): { w1: number; ks: number } {
  const n = values.length;
  const w = (i: number) => (weights ? weights[i] : 1);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a] - values[b]);
  let W = 0;
  for (let i = 0; i < n; i++) W += w(i);
  let c = 0, med = values[order[n - 1]];
  for (const i of order) { c += w(i); if (c >= 0.5 * W) { med = values[i]; break; } }
  let w1 = 0;
  for (let i = 0; i < n; i++) w1 += (w(i) * Math.abs(values[i] - med)) / W;
  let ks = 1, below = 0;
  for (let a = 0; a < n; ) {
    let b = a, atom = 0;
    while (b < n && values[order[b]] === values[order[a]]) atom += w(order[b++]);
    ks = Math.min(ks, Math.max(below / W, 1 - (below + atom) / W));
    below += atom;
    a = b;
  }
  return { w1, ks };
}

/**
 * I(A; X) in nats from a 2 × B table (n1[b]: A = 1 and bin b; nb[b]: bin b in all), plug-in plus the
 * Miller–Madow correction applied to each entropy of I = H(A) + H(X) − H(A, X), i.e.
 * + [(m_A − 1) + (m_X − 1) − (m_AX − 1)] / (2S) with m the occupied cells. Unbiased to O(1/S) for
 * independent pairs, so it can come out slightly negative.
 */
export function miMillerMadow(n1: ArrayLike<number>, nb: ArrayLike<number>, S: number, offset = 0, B = nb.length): number {
  let a1 = 0;
  for (let b = 0; b < B; b++) a1 += n1[offset + b];
  const a0 = S - a1;
  let I = 0, mX = 0, mAX = 0;
  for (let b = 0; b < B; b++) {
    const t = nb[b];
    if (t === 0) continue;
    mX++;
    const c1 = n1[offset + b], c0 = t - c1;
    if (c1 > 0) { I += c1 * Math.log((c1 * S) / (a1 * t)); mAX++; }
    if (c0 > 0) { I += c0 * Math.log((c0 * S) / (a0 * t)); mAX++; }
  }
  const mA = (a1 > 0 ? 1 : 0) + (a0 > 0 ? 1 : 0);
  return I / S + (mA - 1 + (mX - 1) - (mAX - 1)) / (2 * S);
}

/** Marchenko–Pastur support [λ−, λ+] of a P × P sample correlation of S independent unit-variance columns' rows. */
export function marchenkoPastur(P: number, S: number): { lower: number; upper: number; ratio: number } {
  const g = P / S;
  return { lower: (1 - Math.sqrt(g)) ** 2, upper: (1 + Math.sqrt(g)) ** 2, ratio: g };
}

/** Pearson correlation of two equal-length series (NaN when either is constant). */
export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0, mb = 0;
  for (let i = 0; i < n; i++) { ma += a[i]; mb += b[i]; }
  ma /= n; mb /= n;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) { const x = a[i] - ma, y = b[i] - mb; sab += x * y; saa += x * x; sbb += y * y; }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : NaN;
}
