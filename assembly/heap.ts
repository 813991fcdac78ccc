// One bump allocator shared by JS and the kernels: JS owns the heap, so a job is
// alloc → write → run → read → reset. Ours rather than the stub runtime's so that JS can also
// release back to a mark, which keeps resident data (couplings, datasets) below per-task scratch.
// Blocks are 16-byte aligned, which v128 loads want. Kernels never allocate.

const BASE: usize = (__heap_base + 15) & ~15;
let top: usize = BASE;

/** Allocates `bytes` bytes, 16-byte aligned, growing memory as needed; traps when it cannot. */
export function alloc(bytes: usize): usize {
  const ptr = top;
  const end = (ptr + bytes + 15) & ~15;
  if (end < ptr) unreachable(); // wrapped past 4 GiB
  const have = <usize>memory.size() << 16;
  if (end > have) {
    const pages = <i32>((end - have + 0xffff) >> 16);
    if (memory.grow(pages) < 0) unreachable();
  }
  top = end;
  return ptr;
}

/** Frees every block at once; the next alloc returns the first address again. */
export function reset(): void {
  top = BASE;
}

/** The current top, to release back to later. */
export function heap_mark(): usize {
  return top;
}

/** Frees everything allocated after `mark`. */
export function heap_release(mark: usize): void {
  if (mark >= BASE && mark <= top) top = mark;
}
