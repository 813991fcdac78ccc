// Typed access to raw wasm kernels by name, with traps turned into errors naming the kernel.
import type { WasmExports } from './wasm.js';

export type Kernel = (...args: number[]) => number;

export function kernel(wasm: WasmExports, name: string): Kernel {
  const f = wasm[name];
  if (typeof f !== 'function') throw new Error(`this wasm binary has no kernel ${name}`);
  const fn = f as Kernel;
  return (...args: number[]) => {
    try {
      return fn(...args);
    } catch (e) {
      const err = e as Error;
      throw Object.assign(new Error(`${name}(${args.join(', ')}): ${err.message}`), { name: err.name, cause: e });
    }
  };
}

/** Throws when the byte ranges [a, a+aBytes) and [b, b+bBytes) overlap. */
export function refuseOverlap(kernelName: string, what: string, a: number, aBytes: number, b: number, bBytes: number): void {
  if (a < b + bBytes && b < a + aBytes) throw new RangeError(`${kernelName}: ${what} overlap, which this kernel does not allow`);
}

export function checkDim(kernelName: string, name: string, v: number, min = 1): void {
  if (!Number.isInteger(v) || v < min || v > 0x7fffffff) throw new RangeError(`${kernelName}: ${name} must be an integer ≥ ${min}, got ${v}`);
}
