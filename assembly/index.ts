// Re-exports only: one kernel family per file.
export * from './heap';
