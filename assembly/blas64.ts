// f64 level-1/2 BLAS for the Hessian work (eigensolvers, inertia counts, Lanczos): dot, axpy,
// gemv, symv on row-major matrices (ld in elements). f64x2 paths in SIMD binaries; every
// kernel keeps a `_scalar` twin. Summation order differs between the two, never within one.

@inline function at(ptr: usize, i: i32): f64 { return load<f64>(ptr + (<usize>i << 3)); }

export function dot_f64_scalar(xPtr: usize, yPtr: usize, n: i32): f64 {
  let s: f64 = 0;
  for (let i = 0; i < n; i++) s += at(xPtr, i) * at(yPtr, i);
  return s;
}

/** Σ x_i·y_i. Two f64x2 accumulators, then the lanes in a fixed order. */
export function dot_f64(xPtr: usize, yPtr: usize, n: i32): f64 {
  if (!ASC_FEATURE_SIMD) return dot_f64_scalar(xPtr, yPtr, n);
  let a0 = f64x2.splat(0);
  let a1 = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 3;
    a0 = f64x2.add(a0, f64x2.mul(v128.load(xPtr + o), v128.load(yPtr + o)));
    a1 = f64x2.add(a1, f64x2.mul(v128.load(xPtr + o, 16), v128.load(yPtr + o, 16)));
  }
  const a = f64x2.add(a0, a1);
  let s = f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1);
  for (; i < n; i++) s += at(xPtr, i) * at(yPtr, i);
  return s;
}

export function axpy_f64_scalar(yPtr: usize, xPtr: usize, n: i32, alpha: f64): void {
  for (let i = 0; i < n; i++) store<f64>(yPtr + (<usize>i << 3), at(yPtr, i) + alpha * at(xPtr, i));
}

/** y ← alpha·x + y. y may be x (elementwise, so aliasing is safe). */
export function axpy_f64(yPtr: usize, xPtr: usize, n: i32, alpha: f64): void {
  if (!ASC_FEATURE_SIMD) { axpy_f64_scalar(yPtr, xPtr, n, alpha); return; }
  const va = f64x2.splat(alpha);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = <usize>i << 3;
    v128.store(yPtr + o, f64x2.add(v128.load(yPtr + o), f64x2.mul(va, v128.load(xPtr + o))));
  }
  for (; i < n; i++) store<f64>(yPtr + (<usize>i << 3), at(yPtr, i) + alpha * at(xPtr, i));
}

@inline function finishY(yPtr: usize, i: i32, acc: f64, alpha: f64, beta: f64): void {
  store<f64>(yPtr + (<usize>i << 3), beta == 0 ? alpha * acc : beta * at(yPtr, i) + alpha * acc);
}

export function gemv_f64_scalar(yPtr: usize, aPtr: usize, xPtr: usize, m: i32, n: i32, lda: i32, trans: i32, alpha: f64, beta: f64): void {
  const rows = trans ? n : m;
  const cols = trans ? m : n;
  for (let i = 0; i < rows; i++) {
    let s: f64 = 0;
    for (let j = 0; j < cols; j++) s += (trans ? at(aPtr, j * lda + i) : at(aPtr, i * lda + j)) * at(xPtr, j);
    finishY(yPtr, i, s, alpha, beta);
  }
}

/**
 * y ← alpha·op(A)·x + beta·y, A m×n. trans = 0: y has m entries; trans = 1: y = alpha·Aᵀx + beta·y
 * has n. beta = 0 never reads y. y must not overlap A or x.
 */
export function gemv_f64(yPtr: usize, aPtr: usize, xPtr: usize, m: i32, n: i32, lda: i32, trans: i32, alpha: f64, beta: f64): void {
  if (!ASC_FEATURE_SIMD) { gemv_f64_scalar(yPtr, aPtr, xPtr, m, n, lda, trans, alpha, beta); return; }
  if (!trans) {
    for (let i = 0; i < m; i++) finishY(yPtr, i, dot_f64(aPtr + (<usize>i * lda << 3), xPtr, n), alpha, beta);
    return;
  }
  // Aᵀx: accumulate rows of A scaled by x_i, so A is read row by row (contiguous).
  for (let j = 0; j < n; j++) store<f64>(yPtr + (<usize>j << 3), beta == 0 ? 0 : beta * at(yPtr, j));
  for (let i = 0; i < m; i++) axpy_f64(yPtr, aPtr + (<usize>i * lda << 3), n, alpha * at(xPtr, i));
}

export function symv_f64_scalar(yPtr: usize, aPtr: usize, xPtr: usize, n: i32, lda: i32, alpha: f64, beta: f64): void {
  for (let i = 0; i < n; i++) {
    let s: f64 = 0;
    for (let j = 0; j < n; j++) s += (j <= i ? at(aPtr, i * lda + j) : at(aPtr, j * lda + i)) * at(xPtr, j);
    finishY(yPtr, i, s, alpha, beta);
  }
}

/**
 * y ← alpha·A·x + beta·y for symmetric A, reading only the lower triangle (j ≤ i), so the
 * upper triangle may hold anything. y must not overlap A or x.
 */
export function symv_f64(yPtr: usize, aPtr: usize, xPtr: usize, n: i32, lda: i32, alpha: f64, beta: f64): void {
  if (!ASC_FEATURE_SIMD) { symv_f64_scalar(yPtr, aPtr, xPtr, n, lda, alpha, beta); return; }
  // Row i of the lower triangle gives y_i += L[i,0..i]·x[0..i] (a dot) and, by symmetry,
  // y[0..i) += x_i·L[i,0..i) (an axpy); the diagonal is counted once.
  for (let i = 0; i < n; i++) store<f64>(yPtr + (<usize>i << 3), beta == 0 ? 0 : beta * at(yPtr, i));
  for (let i = 0; i < n; i++) {
    const row = aPtr + (<usize>i * lda << 3);
    const xi = at(xPtr, i);
    const yi = dot_f64(row, xPtr, i) + at(row, i) * xi;
    axpy_f64(yPtr, row, i, alpha * xi);
    store<f64>(yPtr + (<usize>i << 3), at(yPtr, i) + alpha * yi);
  }
}
