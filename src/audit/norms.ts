// A7p, the spherical constraint (SCIENCE.md §8): (1/Λ) Σ w² = const. Measured along training as each
// layer's mean square ‖W_l‖²/(n_l n_{l−1}) and the whole net's Σ w²/N at every epoch (epoch 0 = the
// initial weights), recorded by trainRun's onEpoch hook. (1/Λ) Σ w² is N/Λ times Σ w²/N, so the two
// drift alike. The statistic: the relative drift from init to end, mean square at the end over
// that at init, minus 1, per layer and for the net.

/** ‖W_l‖²/(n_l n_{l−1}) of each weight layer (bias-free layout). */
export function layerMeanSquares(layers: readonly number[], params: ArrayLike<number>): number[] {
  const out: number[] = [];
  let o = 0;
  for (let l = 1; l < layers.length; l++) {
    const n = layers[l] * layers[l - 1];
    let s = 0;
    for (let i = o; i < o + n; i++) s += params[i] * params[i];
    out.push(s / n);
    o += n;
  }
  return out;
}

export interface A7pStats {
  /** Per layer, per epoch 0..E: ‖W_l‖²/count. */
  meanSquare: number[][];
  /** Per epoch: Σ w²/N over every weight. */
  total: number[];
  /** Per layer: meanSquare at the end / at init − 1. */
  drift: number[];
  /** The same for Σ w²/N. */
  totalDrift: number;
  /** max over layers of |drift| (the verdict's statistic). */
  maxDrift: number;
}

/** From the per-epoch layer mean squares, history[e][l] (e = 0: init). */
export function a7p(layers: readonly number[], history: readonly (readonly number[])[]): A7pStats {
  const L = layers.length - 1, count = layers.slice(1).map((n, l) => n * layers[l]), N = count.reduce((a, b) => a + b, 0);
  if (!history.length || history.some((h) => h.length !== L)) throw new RangeError(`audit: A7p needs ${L} mean squares per epoch`);
  const meanSquare = Array.from({ length: L }, (_, l) => history.map((h) => h[l]));
  const total = history.map((h) => h.reduce((a, v, l) => a + v * count[l], 0) / N);
  const drift = meanSquare.map((m) => m[m.length - 1] / m[0] - 1);
  return { meanSquare, total, drift, totalDrift: total[total.length - 1] / total[0] - 1, maxDrift: Math.max(...drift.map(Math.abs)) };
}
