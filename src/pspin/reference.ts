// Plain f64 reference of the spherical p-spin Hamiltonian over DENSE ordered-tuple couplings:
// H(w) = Λ^{-(p-1)/2} Σ_{i1..ip} J_{i1..ip} w_{i1}···w_{ip} on |w|² = Λ (SCIENCE.md §1).
// Layout: J[((i1·Λ + i2)·Λ + …)·Λ + ip]. It visits all Λ^p tuples, so it is the oracle for
// tests and the "JS reference" peer in benchmarks, not a fast path.

export interface PSpinDense {
  p: number;
  n: number; // Λ
  J: ArrayLike<number>;
}

function scale(p: number, n: number): number {
  return Math.pow(n, -(p - 1) / 2);
}

/** Calls visit(tuple, J) for every ordered tuple; the tuple array is reused. */
function forEachTuple(m: PSpinDense, visit: (t: Int32Array, j: number) => void): void {
  const { p, n, J } = m;
  const t = new Int32Array(p);
  const total = n ** p;
  for (let idx = 0; idx < total; idx++) {
    let r = idx;
    for (let a = p - 1; a >= 0; a--) { t[a] = r % n; r = (r - t[a]) / n; }
    visit(t, J[idx]);
  }
}

export function energy(m: PSpinDense, w: ArrayLike<number>): number {
  let s = 0;
  forEachTuple(m, (t, j) => {
    let prod = j;
    for (let a = 0; a < t.length; a++) prod *= w[t[a]];
    s += prod;
  });
  return s * scale(m.p, m.n);
}

/** Euclidean gradient ∇H. */
export function gradient(m: PSpinDense, w: ArrayLike<number>): Float64Array {
  const g = new Float64Array(m.n);
  forEachTuple(m, (t, j) => {
    for (let a = 0; a < t.length; a++) {
      let prod = j;
      for (let b = 0; b < t.length; b++) if (b !== a) prod *= w[t[b]];
      g[t[a]] += prod;
    }
  });
  const c = scale(m.p, m.n);
  for (let i = 0; i < m.n; i++) g[i] *= c;
  return g;
}

/** Euclidean Hessian ∇²H, row-major n×n. */
export function hessian(m: PSpinDense, w: ArrayLike<number>): Float64Array {
  const { n } = m;
  const h = new Float64Array(n * n);
  forEachTuple(m, (t, j) => {
    for (let a = 0; a < t.length; a++) {
      for (let b = 0; b < t.length; b++) {
        if (a === b) continue;
        let prod = j;
        for (let c = 0; c < t.length; c++) if (c !== a && c !== b) prod *= w[t[c]];
        h[t[a] * n + t[b]] += prod;
      }
    }
  });
  const c = scale(m.p, m.n);
  for (let i = 0; i < n * n; i++) h[i] *= c;
  return h;
}

export function dot(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * y[i];
  return s;
}

/** Riemannian gradient on the sphere |w|² = Λ: g = ∇H − (⟨∇H, w⟩/Λ)·w. */
export function riemannianGradient(m: PSpinDense, w: ArrayLike<number>): Float64Array {
  const g = gradient(m, w);
  const c = dot(g, w) / m.n;
  for (let i = 0; i < m.n; i++) g[i] -= c * w[i];
  return g;
}

/** Riemannian Hessian P(∇²H − (p·H/Λ)·I)P with P = I − w wᵀ/Λ, row-major n×n. */
export function riemannianHessian(m: PSpinDense, w: ArrayLike<number>): Float64Array {
  const { n, p } = m;
  const h = hessian(m, w);
  const shift = (p * energy(m, w)) / n;
  for (let i = 0; i < n; i++) h[i * n + i] -= shift;
  // P M P = M − u(uᵀM) − (Mu)uᵀ + u(uᵀMu)uᵀ with u = w/√Λ.
  const u = Float64Array.from(w, (x) => x / Math.sqrt(n));
  const mu = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) mu[i] += h[i * n + k] * u[k];
  const umu = dot(u, mu);
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) out[i * n + k] = h[i * n + k] - u[i] * mu[k] - mu[i] * u[k] + u[i] * umu * u[k];
  }
  return out;
}

/** Rescales w in place to |w|² = Λ. */
export function projectToSphere(w: Float64Array | Float32Array): void {
  const norm = Math.sqrt(dot(w, w));
  const s = Math.sqrt(w.length) / norm;
  for (let i = 0; i < w.length; i++) w[i] *= s;
}
