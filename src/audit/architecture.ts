// The counting side of the path expansion (SCIENCE.md §3): for widths n_0..n_H, Ψ = Π n_l paths
// (all outputs), Λ = Ψ^{1/H}, q = Λ^{−(H−1)/2} (the negative power: [P2] §3.1 prints the sign wrong),
// N = Σ n_l n_{l−1} weights, and the closed-form shares of path pairs that overlap (A6u).

export interface Architecture {
  /** Weight layers. */
  H: number;
  layers: number[];
  /** Paths, all outputs: Π_{l=0}^{H} n_l. */
  psi: number;
  /** Paths into one output, Π_{l=0}^{H−1} n_l (= psi for [P2]'s single-output nets). */
  psiPerOutput: number;
  lambda: number;
  q: number;
  /** Λ and q from psiPerOutput. */
  lambdaPerOutput: number;
  qPerOutput: number;
  /** Weights (bias-free). */
  N: number;
  /** Share of distinct path pairs with the same input: (Ψ/n_0 − 1)/(Ψ − 1) ≈ 1/n_0. */
  shareCommonInput: number;
  /**
   * Share of distinct path pairs that meet in some non-output node (input or hidden unit, so their
   * terms X_π A_π share a factor): 1 − Π_{l<H} n_l(n_l − 1)·n_H² / (Ψ(Ψ − 1)).
   */
  shareCommonNode: number;
}

export function architecture(layers: readonly number[]): Architecture {
  if (!Array.isArray(layers) || layers.length < 2 || layers.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new RangeError(`audit: layers must list at least 2 positive integer widths, got ${JSON.stringify(layers)}`);
  }
  const H = layers.length - 1, nH = layers[H];
  const psi = layers.reduce((a, b) => a * b, 1), per = psi / nH;
  let N = 0;
  for (let l = 1; l <= H; l++) N += layers[l] * layers[l - 1];
  const lam = (p: number) => p ** (1 / H);
  // Ψ(Ψ − 1) overflows nothing for Ψ < 2^53 but loses digits; the ratio is formed factor by factor.
  let disjoint = (nH * nH) / (psi - 1) / psi;
  for (let l = 0; l < H; l++) disjoint *= layers[l] * (layers[l] - 1);
  return {
    H, layers: [...layers], psi, psiPerOutput: per,
    lambda: lam(psi), q: lam(psi) ** (-(H - 1) / 2),
    lambdaPerOutput: lam(per), qPerOutput: lam(per) ** (-(H - 1) / 2),
    N,
    shareCommonInput: psi > 1 ? (psi / layers[0] - 1) / (psi - 1) : 0,
    shareCommonNode: psi > 1 ? 1 - disjoint : 0,
  };
}
