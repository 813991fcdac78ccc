// Re-exports only: one kernel family per file.
export * from './heap';
export * from './rng';
export * from './gemm';
export * from './blas64';
export * from './pspin';
export * from './eigen';
export * from './mlp';
