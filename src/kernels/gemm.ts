// assembly/gemm.ts: C = alpha·op(A)·op(B) + beta·C, f32 row-major; C may not alias A or B.
export const gemmKernels = {
  /** Bytes of workspace gemm_f32 needs at workPtr (usize: read it with >>> 0). */
  gemm_f32_work_bytes: (m: number, n: number, k: number): number => 0,
  gemm_f32: (
    cPtr: number, aPtr: number, bPtr: number, m: number, n: number, k: number, lda: number, ldb: number, ldc: number,
    transA: number, transB: number, alpha: number, beta: number, workPtr: number,
  ): void => {},
  gemm_f32_scalar: (
    cPtr: number, aPtr: number, bPtr: number, m: number, n: number, k: number, lda: number, ldb: number, ldc: number,
    transA: number, transB: number, alpha: number, beta: number, workPtr: number,
  ): void => {},
};
