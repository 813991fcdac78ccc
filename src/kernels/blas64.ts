// assembly/blas64.ts: f64 dot, axpy, gemv, symv; A row-major with row stride lda (elements).
export const blas64Kernels = {
  dot_f64: (xPtr: number, yPtr: number, n: number): number => 0,
  dot_f64_scalar: (xPtr: number, yPtr: number, n: number): number => 0,
  axpy_f64: (yPtr: number, xPtr: number, n: number, alpha: number): void => {},
  axpy_f64_scalar: (yPtr: number, xPtr: number, n: number, alpha: number): void => {},
  gemv_f64: (yPtr: number, aPtr: number, xPtr: number, m: number, n: number, lda: number, trans: number, alpha: number, beta: number): void => {},
  gemv_f64_scalar: (yPtr: number, aPtr: number, xPtr: number, m: number, n: number, lda: number, trans: number, alpha: number, beta: number): void => {},
  symv_f64: (yPtr: number, aPtr: number, xPtr: number, n: number, lda: number, alpha: number, beta: number): void => {},
  symv_f64_scalar: (yPtr: number, aPtr: number, xPtr: number, n: number, lda: number, alpha: number, beta: number): void => {},
};
