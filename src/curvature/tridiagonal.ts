// The symmetric tridiagonal eigenproblem of a Lanczos run (SCIENCE.md §6): the implicit QL method
// (EISPACK tql2) in plain IEEE operations in a fixed order, so the same α, β give the same bytes in
// every engine; Ritz pairs of a run's leading block. Split from lanczos.ts, which builds T.

const EPS = 2 ** -52;

export interface Tridiagonal {
  /** Steps taken (≤ the steps asked: fewer after a breakdown). */
  steps: number;
  /** Diagonal α_0 … α_{m−1} of T. */
  alpha: Float64Array;
  /** β_j = ‖r_j‖, the coupling of q_j to q_{j+1}: β_0 … β_{m−2} are T's off-diagonal, β_{m−1} the residual coupling (0 after a breakdown). */
  beta: Float64Array;
  /** The run ended on an invariant subspace. */
  breakdown: boolean;
}

export interface RitzPairs {
  /** Eigenvalues θ_i of T, ascending. */
  values: Float64Array;
  /** s_{0,i}: first components of the eigenvectors of T (signs as computed); τ_i = s_{0,i}². */
  first: Float64Array;
  /** s_{m−1,i}: last components. */
  last: Float64Array;
  /** |β_{m−1} · s_{m−1,i}| = ‖A y_i − θ_i y_i‖ in exact arithmetic (y_i = Q s_i). */
  residuals: Float64Array;
  /** m × m row-major eigenvectors of T (column i ↔ values[i]) when asked for. */
  vectors?: Float64Array;
}

/** √(a² + b²) without overflow, in plain IEEE operations (Math.hypot is not specified to the last bit). */
function hypot(a: number, b: number): number {
  a = Math.abs(a); b = Math.abs(b);
  if (a < b) { const t = a; a = b; b = t; }
  if (a === 0) return 0;
  const r = b / a;
  return a * Math.sqrt(1 + r * r);
}

/**
 * Eigen-decomposition of the symmetric tridiagonal matrix with diagonal alpha[0..m) and
 * off-diagonal beta[0..m−1) (beta[j] couples j and j+1) by implicit QL with Wilkinson shifts
 * (EISPACK tql2, as in JAMA). Eigenvector rows are rotated independently, so without `vectors`
 * only the first and last rows are tracked (O(m²) instead of O(m³)).
 */
export function tridiagonalEigen(alpha: ArrayLike<number>, beta: ArrayLike<number>, m: number, vectors = false): Omit<RitzPairs, 'residuals'> {
  if (!Number.isInteger(m) || m < 0) throw new RangeError(`tridiagonalEigen: m must be an integer ≥ 0, got ${m}`);
  if (alpha.length < m || beta.length < m - 1) throw new RangeError(`tridiagonalEigen: need ${m} diagonal and ${m - 1} off-diagonal entries`);
  const d = new Float64Array(m), e = new Float64Array(m);
  for (let i = 0; i < m; i++) d[i] = alpha[i];
  for (let i = 0; i + 1 < m; i++) e[i] = beta[i];
  // Rows of the eigenvector matrix that are tracked: all of them, or the first and the last.
  const rows = vectors ? m : Math.min(m, 2);
  const rowIndex = vectors ? Array.from({ length: m }, (_, i) => i) : m === 1 ? [0] : [0, m - 1];
  const Z = new Float64Array(rows * m);
  rowIndex.forEach((r, k) => { Z[k * m + r] = 1; });
  let f = 0, tst1 = 0;
  for (let l = 0; l < m; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let n = l;
    while (n < m - 1 && Math.abs(e[n]) > EPS * tst1) n++;
    if (n > l) {
      for (let iter = 0; ; iter++) {
        if (iter > 60 * m + 60) throw new Error('tridiagonalEigen: QL did not converge');
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < m; i++) d[i] -= h;
        f += h;
        p = d[n];
        let c = 1, c2 = 1, c3 = 1, s = 0, s2 = 0;
        const el1 = e[l + 1];
        for (let i = n - 1; i >= l; i--) {
          c3 = c2; c2 = c; s2 = s;
          g = c * e[i]; h = c * p;
          r = hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r; c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          for (let k = 0; k < rows; k++) {
            const o = k * m;
            const zh = Z[o + i + 1];
            Z[o + i + 1] = s * Z[o + i] + c * zh;
            Z[o + i] = c * Z[o + i] - s * zh;
          }
        }
        p = -s * s2 * c3 * el1 * e[l] / dl1;
        e[l] = s * p;
        d[l] = c * p;
        if (!(Math.abs(e[l]) > EPS * tst1)) break;
      }
    }
    d[l] += f;
    e[l] = 0;
  }
  // Ascending, stable on ties (index order), so the order is deterministic.
  const order = Array.from({ length: m }, (_, i) => i).sort((a, b) => d[a] - d[b] || a - b);
  const values = Float64Array.from(order, (i) => d[i]);
  const first = Float64Array.from(order, (i) => Z[i]);
  const lastRow = rows === 1 ? 0 : rows - 1;
  const last = Float64Array.from(order, (i) => Z[lastRow * m + i]);
  if (!vectors) return { values, first, last };
  const V = new Float64Array(m * m);
  for (let r = 0; r < m; r++) for (let c = 0; c < m; c++) V[r * m + c] = Z[r * m + order[c]];
  return { values, first, last, vectors: V };
}

/** Ritz pairs of the leading steps × steps block of a run's T (a Lanczos run of fewer steps gives the same α, β). */
export function ritzPairs(t: Tridiagonal, steps = t.steps, vectors = false): RitzPairs {
  const m = Math.min(steps, t.steps);
  if (!Number.isInteger(m) || m < 1) throw new RangeError(`ritzPairs: steps must be an integer ≥ 1, got ${steps}`);
  const eig = tridiagonalEigen(t.alpha, t.beta, m, vectors);
  const b = t.beta[m - 1];
  return { ...eig, residuals: eig.last.map((s) => Math.abs(b * s)) };
}
