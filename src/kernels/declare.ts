// How a kernel family is declared: an object of prototype functions, one per wasm export, whose
// named parameters give TypeScript the signature and whose .length gives the arity checked at
// load time. The bodies never run; the real function comes from the instance.

/** Every kernel takes and returns numbers only (byte addresses, counts, dims and scalars). */
export type KernelFn = (...args: number[]) => number | void;
export type KernelFamily = Record<string, KernelFn>;

const optionalKernels = new WeakSet<KernelFn>();

/** Marks a declared kernel that some binaries may lack; calling it where it is missing throws. */
export function optional<F extends KernelFn>(f: F): F {
  optionalKernels.add(f);
  return f;
}

export const isOptional = (f: KernelFn): boolean => optionalKernels.has(f);
