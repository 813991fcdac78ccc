// assembly/eigen.ts: symmetric spectra (QL) and inertia counts (Bunch–Kaufman), lower triangle read.
export const eigenKernels = {
  sym_eigvals_f64_work_bytes: (n: number): number => 0,
  /** 0 on success, −2 for a non-finite A, otherwise the QL iteration did not converge. */
  sym_eigvals_f64: (outPtr: number, aPtr: number, n: number, lda: number, workPtr: number): number => 0,
  sym_eigvals_f64_scalar: (outPtr: number, aPtr: number, n: number, lda: number, workPtr: number): number => 0,
  sym_inertia_f64_work_bytes: (n: number): number => 0,
  /** Eigenvalues below shift, or < 0 when A − shift·I is not finite. */
  sym_inertia_f64: (aPtr: number, n: number, lda: number, shift: number, workPtr: number): number => 0,
  sym_inertia_f64_scalar: (aPtr: number, n: number, lda: number, shift: number, workPtr: number): number => 0,
  // assembly/ldlt_blocked.ts: the same count by a blocked LDLᵀ (panels of nb columns, GEMM-shaped trailing update).
  sym_inertia_blocked_f64_work_bytes: (n: number): number => 0,
  /** Eigenvalues below shift, or −2 when A − shift·I is not finite; nb = 0 picks the default panel width. */
  sym_inertia_blocked_f64: (aPtr: number, n: number, lda: number, shift: number, workPtr: number, nb: number): number => 0,
  sym_inertia_blocked_f64_scalar: (aPtr: number, n: number, lda: number, shift: number, workPtr: number, nb: number): number => 0,
};
