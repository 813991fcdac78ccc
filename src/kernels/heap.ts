// assembly/heap.ts: the bump allocator JS drives (alloc → write → run → read → reset).
export const heapKernels = {
  /** 16-byte aligned; grows memory, traps when it cannot. */
  alloc: (bytes: number): number => 0,
  reset: (): void => {},
  heap_mark: (): number => 0,
  heap_release: (mark: number): void => {},
};
