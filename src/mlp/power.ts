// How many nets per width would separate neighbouring widths ([P2] Table 1 and the mean test loss)
// by non-overlapping 95% CIs, from the correlations and spreads of a run in hand. Fisher: atanh r has
// sd 1/√(n − 3), so two CIs of half-width 1.96/√(n − 3) part when |Δ atanh r| > 2·1.96/√(n − 3);
// for means, when |Δμ| > 1.96(σ₁ + σ₂)/√n. A planning figure (normal approximations), not a test.
const Z = 1.959963984540054;

export interface SeparationNeed {
  from: number;
  to: number;
  /** Nets per width for the two widths' Pearson CIs to part (Infinity when r is equal). */
  pearson: number;
  /** Nets per width for the two widths' mean-test-loss CIs to part. */
  mean: number;
}

export function runsToSeparate(gs: { hidden: number; r: number; mean: number; sd: number }[]): SeparationNeed[] {
  const sorted = [...gs].sort((a, b) => a.hidden - b.hidden);
  const out: SeparationNeed[] = [];
  for (let i = 0; i + 1 < sorted.length; i++) {
    const a = sorted[i], b = sorted[i + 1];
    const dz = Math.abs(Math.atanh(a.r) - Math.atanh(b.r)), dm = Math.abs(a.mean - b.mean);
    out.push({ from: a.hidden, to: b.hidden, pearson: dz > 0 ? Math.ceil(3 + ((2 * Z) / dz) ** 2) : Infinity, mean: dm > 0 ? Math.ceil(((Z * (a.sd + b.sd)) / dm) ** 2) : Infinity });
  }
  return out;
}
