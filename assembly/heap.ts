// One bump allocator shared by JS and the kernels (runtime stub): JS owns the heap, so a job
// is alloc → write → run → read → reset. Blocks are 16-byte aligned, which v128 loads want.

/** Allocates `bytes` bytes, 16-byte aligned; grows memory as needed (traps when it cannot). */
export function alloc(bytes: usize): usize {
  return heap.alloc(bytes);
}

/** Frees every block at once; the next alloc returns the first address again. */
export function reset(): void {
  heap.reset();
}
