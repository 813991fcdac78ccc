// The kernel table: one declaration per wasm export family (src/kernels/<family>.ts), checked at
// load time against the module's exports, and bound per instance with traps turned into errors
// naming the kernel and its arguments. No other file names a kernel by string.
import type { WasmExports } from './wasm.js';
import { isOptional, type KernelFamily, type KernelFn } from './kernels/declare.js';
import { heapKernels } from './kernels/heap.js';
import { rngKernels } from './kernels/rng.js';
import { gemmKernels } from './kernels/gemm.js';
import { blas64Kernels } from './kernels/blas64.js';
import { eigenKernels } from './kernels/eigen.js';
import { pspinKernels } from './kernels/pspin.js';
import { mlpKernels } from './kernels/mlp.js';
import { hessianKernels } from './kernels/hessian.js';
import { rooflineKernels } from './kernels/roofline.js';
import { annealKernels } from './kernels/anneal.js';
import { pathsKernels } from './kernels/paths.js';
import { surrogateKernels } from './kernels/surrogate.js';

export { optional, type KernelFamily } from './kernels/declare.js';
export { DESCENT_STATE, descentState } from './kernels/pspin.js';

/** Every export family of assembly/index.ts, one per kernel file. */
export const KERNEL_FAMILIES = {
  heap: heapKernels,
  rng: rngKernels,
  gemm: gemmKernels,
  blas64: blas64Kernels,
  eigen: eigenKernels,
  pspin: pspinKernels,
  mlp: mlpKernels,
  hessian: hessianKernels,
  roofline: rooflineKernels,
  anneal: annealKernels,
  paths: pathsKernels,
  surrogate: surrogateKernels,
} as const;

export type FamilyName = keyof typeof KERNEL_FAMILIES;
export type KernelTable = Readonly<Record<string, KernelFamily>>;

/** All kernels by export name, with the declared signatures. */
export type Kernels = typeof heapKernels & typeof rngKernels & typeof gemmKernels & typeof blas64Kernels &
  typeof eigenKernels & typeof pspinKernels & typeof mlpKernels & typeof hessianKernels & typeof rooflineKernels &
  typeof pathsKernels & typeof annealKernels & typeof surrogateKernels;
export type KernelName = keyof Kernels;

/** Exports that are not kernels, with their kind; every binary carries them. */
const OTHER_EXPORTS: Readonly<Record<string, WebAssembly.ImportExportKind>> = { memory: 'memory' };

function declared(table: KernelTable): Map<string, KernelFn> {
  const all = new Map<string, KernelFn>();
  for (const [family, kernels] of Object.entries(table)) {
    for (const [name, f] of Object.entries(kernels)) {
      if (all.has(name) || name in OTHER_EXPORTS) throw new Error(`kernel table: ${name} is declared twice (again in family ${family})`);
      all.set(name, f);
    }
  }
  return all;
}

const DECLARED = declared(KERNEL_FAMILIES);

/**
 * What differs between a binary's exports and the table: missing or undeclared exports, wrong
 * kinds, and (given an instance's exports, whose functions carry .length) wrong arities.
 */
export function exportProblems(source: WebAssembly.Module | Readonly<Record<string, unknown>>, table: KernelTable = KERNEL_FAMILIES): string[] {
  const want = table === KERNEL_FAMILIES ? DECLARED : declared(table);
  const have = new Map<string, { kind: string; arity?: number }>();
  if (source instanceof WebAssembly.Module) {
    for (const e of WebAssembly.Module.exports(source)) have.set(e.name, { kind: e.kind });
  } else {
    for (const [name, v] of Object.entries(source)) {
      if (typeof v === 'function') have.set(name, { kind: 'function', arity: v.length });
      else have.set(name, { kind: v instanceof WebAssembly.Memory ? 'memory' : typeof v });
    }
  }
  const problems: string[] = [];
  for (const [name, f] of want) {
    const got = have.get(name);
    if (!got) {
      if (!isOptional(f)) problems.push(`missing kernel ${name}`);
    } else if (got.kind !== 'function') {
      problems.push(`${name} is a ${got.kind}, declared a kernel`);
    } else if (got.arity !== undefined && got.arity !== f.length) {
      problems.push(`kernel ${name} takes ${got.arity} arguments, declared ${f.length}`);
    }
  }
  for (const [name, kind] of Object.entries(OTHER_EXPORTS)) {
    const got = have.get(name);
    if (!got) problems.push(`missing ${kind} export ${name}`);
    else if (got.kind !== kind) problems.push(`${name} is a ${got.kind}, declared a ${kind}`);
  }
  for (const [name, { kind }] of have) {
    if (!want.has(name) && !(name in OTHER_EXPORTS)) problems.push(`undeclared ${kind} export ${name}`);
  }
  return problems;
}

/** Refuses a binary whose exports differ from the table, naming every difference. */
export function checkExports(source: WebAssembly.Module | Readonly<Record<string, unknown>>, what = 'this wasm binary', table: KernelTable = KERNEL_FAMILIES): void {
  const problems = exportProblems(source, table);
  if (problems.length) throw new Error(`${what} does not match the kernel table (src/kernels/): ${problems.join('; ')}`);
}

const missing = (name: string) => () => {
  throw new Error(`this wasm binary has no kernel ${name}`);
};

/** Calls through to the export; a trap becomes an Error naming the kernel and its arguments. */
function wrap(name: string, fn: KernelFn): KernelFn {
  return (...args: number[]) => {
    try {
      return fn(...args);
    } catch (e) {
      const err = e as Error;
      throw Object.assign(new Error(`${name}(${args.join(', ')}): ${err.message}`), { name: err.name, cause: e });
    }
  };
}

const bound = new WeakMap<WasmExports, Kernels>();

/**
 * Every kernel of this instance, typed by the table, wrapped so that a trap becomes an Error
 * naming the kernel and its arguments. Built once per instance. A kernel the exports lack (an
 * optional one, or a hand-made fake in a test) throws when called.
 */
export function bindKernels(wasm: WasmExports): Kernels {
  let k = bound.get(wasm);
  if (!k) {
    const out: Record<string, KernelFn> = {};
    for (const [name] of DECLARED) {
      const f = wasm[name];
      out[name] = typeof f === 'function' ? wrap(name, f as KernelFn) : missing(name);
    }
    k = out as unknown as Kernels;
    bound.set(wasm, k);
  }
  return k;
}

const raw = new WeakMap<WasmExports, Map<FamilyName, KernelFamily>>();

/**
 * One family's exports as they are, for hot paths that check their arguments and report traps
 * themselves (gemmPtr: a small product costs tens of nanoseconds). Throws naming the first
 * declared, non-optional kernel the exports lack.
 */
export function rawKernels<F extends FamilyName>(wasm: WasmExports, family: F): (typeof KERNEL_FAMILIES)[F] {
  let families = raw.get(wasm);
  if (!families) raw.set(wasm, (families = new Map()));
  let g = families.get(family);
  if (!g) {
    const out: Record<string, KernelFn> = {};
    for (const [name, decl] of Object.entries(KERNEL_FAMILIES[family] as KernelFamily)) {
      const f = wasm[name];
      if (typeof f === 'function') out[name] = f as KernelFn;
      else if (isOptional(decl)) out[name] = missing(name);
      else throw new Error(`this wasm binary has no kernel ${name}`);
    }
    families.set(family, (g = out));
  }
  return g as (typeof KERNEL_FAMILIES)[F];
}

/** Throws when the byte ranges [a, a+aBytes) and [b, b+bBytes) overlap. */
export function refuseOverlap(kernelName: string, what: string, a: number, aBytes: number, b: number, bBytes: number): void {
  if (a < b + bBytes && b < a + aBytes) throw new RangeError(`${kernelName}: ${what} overlap, which this kernel does not allow`);
}

export function checkDim(kernelName: string, name: string, v: number, min = 1): void {
  if (!Number.isInteger(v) || v < min || v > 0x7fffffff) throw new RangeError(`${kernelName}: ${name} must be an integer ≥ ${min}, got ${v}`);
}
