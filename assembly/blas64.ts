// f64 level-1/2 BLAS for the Hessian work (Lanczos, eigensolvers, inertia counts): dot, axpy,
// y ← αAx + βy (gemv) and its symmetric form (symv), A row-major with row stride lda (elements).
// f64x2 paths in SIMD binaries, `_scalar` twins always compiled. Only dot's summation order differs
// between a kernel and its twin (eight partial sums vs one running sum), so gemv with trans = 1 and
// axpy match their twins bit for bit. As in reference BLAS, beta = 0 never reads y and alpha = 0
// never reads A or x.

@inline function at(ptr: usize, i: i32): f64 { return load<f64>(ptr + (<usize>i << 3)); }
@inline function put(ptr: usize, i: i32, v: f64): void { store<f64>(ptr + (<usize>i << 3), v); }
@inline function row(aPtr: usize, i: i32, lda: i32): usize { return aPtr + ((<usize>i * <usize>lda) << 3); }

/** y ← beta·y over len entries; beta = 0 writes zeros without reading y (NaN there is ignored). */
@inline function scaleY(yPtr: usize, len: i32, beta: f64): void {
  if (beta == 0) { for (let i = 0; i < len; i++) put(yPtr, i, 0); }
  else if (beta != 1) { for (let i = 0; i < len; i++) put(yPtr, i, beta * at(yPtr, i)); }
}

@inline function finishY(yPtr: usize, i: i32, acc: f64, alpha: f64, beta: f64): void {
  put(yPtr, i, beta == 0 ? alpha * acc : beta * at(yPtr, i) + alpha * acc);
}

export function dot_f64_scalar(xPtr: usize, yPtr: usize, n: i32): f64 {
  let s: f64 = 0;
  for (let i = 0; i < n; i++) s += at(xPtr, i) * at(yPtr, i);
  return s;
}

/** Σ x_i·y_i. Four f64x2 accumulators (add latency), summed in a fixed order, then the tail. */
export function dot_f64(xPtr: usize, yPtr: usize, n: i32): f64 {
  if (!ASC_FEATURE_SIMD) return dot_f64_scalar(xPtr, yPtr, n);
  let a0 = f64x2.splat(0);
  let a1 = f64x2.splat(0);
  let a2 = f64x2.splat(0);
  let a3 = f64x2.splat(0);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const x = xPtr + (<usize>i << 3);
    const y = yPtr + (<usize>i << 3);
    a0 = f64x2.add(a0, f64x2.mul(v128.load(x), v128.load(y)));
    a1 = f64x2.add(a1, f64x2.mul(v128.load(x, 16), v128.load(y, 16)));
    a2 = f64x2.add(a2, f64x2.mul(v128.load(x, 32), v128.load(y, 32)));
    a3 = f64x2.add(a3, f64x2.mul(v128.load(x, 48), v128.load(y, 48)));
  }
  for (; i + 2 <= n; i += 2) {
    const o = <usize>i << 3;
    a0 = f64x2.add(a0, f64x2.mul(v128.load(xPtr + o), v128.load(yPtr + o)));
  }
  const a = f64x2.add(f64x2.add(a0, a1), f64x2.add(a2, a3));
  let s = f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1);
  if (i < n) s += at(xPtr, i) * at(yPtr, i);
  return s;
}

export function axpy_f64_scalar(yPtr: usize, xPtr: usize, n: i32, alpha: f64): void {
  for (let i = 0; i < n; i++) put(yPtr, i, at(yPtr, i) + alpha * at(xPtr, i));
}

/** y ← alpha·x + y. y may be x (elementwise, each entry read before it is written). */
export function axpy_f64(yPtr: usize, xPtr: usize, n: i32, alpha: f64): void {
  if (!ASC_FEATURE_SIMD) { axpy_f64_scalar(yPtr, xPtr, n, alpha); return; }
  const va = f64x2.splat(alpha);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = <usize>i << 3;
    v128.store(yPtr + o, f64x2.add(v128.load(yPtr + o), f64x2.mul(va, v128.load(xPtr + o))));
  }
  if (i < n) put(yPtr, i, at(yPtr, i) + alpha * at(xPtr, i));
}

export function gemv_f64_scalar(yPtr: usize, aPtr: usize, xPtr: usize, m: i32, n: i32, lda: i32, trans: i32, alpha: f64, beta: f64): void {
  if (alpha == 0) { scaleY(yPtr, trans ? n : m, beta); return; }
  if (!trans) {
    for (let i = 0; i < m; i++) finishY(yPtr, i, dot_f64_scalar(row(aPtr, i, lda), xPtr, n), alpha, beta);
    return;
  }
  scaleY(yPtr, n, beta);
  for (let i = 0; i < m; i++) axpy_f64_scalar(yPtr, row(aPtr, i, lda), n, alpha * at(xPtr, i));
}

/**
 * y ← alpha·op(A)·x + beta·y, A m×n row-major. trans = 0: y has m entries, x has n; trans = 1:
 * y ← alpha·Aᵀx + beta·y has n entries, x has m. y must not overlap A or x (x may overlap A).
 */
export function gemv_f64(yPtr: usize, aPtr: usize, xPtr: usize, m: i32, n: i32, lda: i32, trans: i32, alpha: f64, beta: f64): void {
  if (!ASC_FEATURE_SIMD) { gemv_f64_scalar(yPtr, aPtr, xPtr, m, n, lda, trans, alpha, beta); return; }
  if (alpha == 0) { scaleY(yPtr, trans ? n : m, beta); return; }
  if (!trans) {
    for (let i = 0; i < m; i++) finishY(yPtr, i, dot_f64(row(aPtr, i, lda), xPtr, n), alpha, beta);
    return;
  }
  // Aᵀx as a sum of rows of A scaled by x_i, so A is read row by row (contiguous) in both forms.
  scaleY(yPtr, n, beta);
  for (let i = 0; i < m; i++) axpy_f64(yPtr, row(aPtr, i, lda), n, alpha * at(xPtr, i));
}

// symv sweeps the lower triangle once, row by row: row i of L gives y_i += L[i,0..i]·x[0..i]
// (a dot) and, by symmetry, y[0..i) += x_i·L[i,0..i) (an axpy). The diagonal counts once, the
// strict upper triangle is never read, and A is read contiguously.

export function symv_f64_scalar(yPtr: usize, aPtr: usize, xPtr: usize, n: i32, lda: i32, alpha: f64, beta: f64): void {
  scaleY(yPtr, n, beta);
  if (alpha == 0) return;
  for (let i = 0; i < n; i++) {
    const r = row(aPtr, i, lda);
    const xi = at(xPtr, i);
    const yi = dot_f64_scalar(r, xPtr, i) + at(r, i) * xi;
    axpy_f64_scalar(yPtr, r, i, alpha * xi);
    put(yPtr, i, at(yPtr, i) + alpha * yi);
  }
}

/**
 * y ← alpha·A·x + beta·y for symmetric n×n A, reading only the lower triangle (j ≤ i): the
 * strict upper triangle may hold anything, NaN included. y must not overlap A or x.
 */
export function symv_f64(yPtr: usize, aPtr: usize, xPtr: usize, n: i32, lda: i32, alpha: f64, beta: f64): void {
  if (!ASC_FEATURE_SIMD) { symv_f64_scalar(yPtr, aPtr, xPtr, n, lda, alpha, beta); return; }
  scaleY(yPtr, n, beta);
  if (alpha == 0) return;
  for (let i = 0; i < n; i++) {
    const r = row(aPtr, i, lda);
    const xi = at(xPtr, i);
    const yi = dot_f64(r, xPtr, i) + at(r, i) * xi;
    axpy_f64(yPtr, r, i, alpha * xi);
    put(yPtr, i, at(yPtr, i) + alpha * yi);
  }
}
