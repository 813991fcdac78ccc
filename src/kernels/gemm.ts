// assembly/gemm.ts: C = alpha·op(A)·op(B) + beta·C, f32 row-major; C may not alias A or B.
// assembly/gemm_variants.ts: the tile sweep, chosen per instance (src/gemm-tile.ts).
import { optional } from './declare.js';

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
  /** Optional (a binary without sweeps has one, src/gemm-tile.ts). Tile sweep v (0..count−1) for every later gemm_f32 of this instance; returns v, or −1 if out of range. Every sweep writes the same bytes. */
  gemm_f32_set_variant: optional((v: number): number => 0),
  /** The current sweep | (count << 8). */
  gemm_f32_variant: optional((): number => 0),
};
