// The p-spin model as data: storage layouts, their memory needs, and coupling streams. Coupling
// values come from the wasm Philox streams, so an instance is the same on every worker and platform.
import type { Heap } from '../heap.js';
import { MemoryLimitError, WASM32_LIMIT_BYTES } from '../heap.js';
import { bindKernels, DESCENT_STATE } from '../kernels.js';

export const COUPLINGS = ['gaussian', 'rademacher', 'uniform', 'exponential'] as const;
export type Coupling = (typeof COUPLINGS)[number];
export const STORAGES = ['auto', 'dense', 'packed'] as const;
export type Storage = (typeof STORAGES)[number];

/** The settings of a spin-glass run, in the order its settings file records them. */
export interface PSpinSettings {
  p: number;
  /** Sizes Λ. */
  ns: number[];
  restarts: number;
  instances: number;
  coupling: Coupling;
  method: 'gd' | 'sgd' | 'anneal';
  lr: number;
  tol: number;
  maxIter: number;
  storage: 'dense' | 'packed';
  index: boolean;
  indexTol: number;
  pieces: number;
  annealSteps: number;
  annealT0: number;
  annealStep: number;
  seed: number;
  /** A dense coupling file (.npy) to run on instead of drawing couplings (one Λ, one instance). */
  couplings?: string;
  /** Write each instance's dense couplings as couplings-L{Λ}-i{instance}.npy. */
  saveCouplings?: boolean;
  /** Write every restart's endpoint as endpoints-L{Λ}-i{instance}.npy. */
  saveEndpoints?: boolean;
  /** With index: write the tangent Hessian spectra of the first K restarts (spectra-L{Λ}-i{instance}.npy). */
  saveSpectra?: number;
  /** With index: each line also carries its tangent spectrum's semicircle fit (semicircle.ts). */
  spectrumFit?: boolean;
}

export interface PSpinSpec {
  p: number;
  n: number; // Λ
  storage: 'dense' | 'packed';
  coupling: Coupling;
}

/** Limits that keep every stream id below 2^53 (see couplingStream). */
export const MAX_N = 65535;
export const MAX_INSTANCES = 1 << 17;
export const MAX_RESTARTS = 1 << 16;

/** Stored couplings: Λ^p ordered tuples (dense) or C(Λ+p−1, p) sorted tuples (packed). */
export function couplingCount(p: number, n: number, storage: 'dense' | 'packed'): number {
  if (storage === 'dense') return n ** p;
  let c = 1;
  for (let i = 1; i <= p; i++) c = (c * (n + i - 1)) / i;
  return Math.round(c);
}

/** Bytes of wasm memory one batch of up to 16 restarts needs besides the couplings (w, g, state, the width calibration, f64 scratch). */
export function scratchBytes(n: number, withHessian: boolean): number {
  return 4 * 64 * n + 2 * DESCENT_STATE.bytes + 8 * 4 * n + (withHessian ? 8 * n * n + 8 * n * n : 0) + 4096;
}

/** Total wasm memory a batch needs; refuses before allocating when it cannot fit in wasm32. */
export function checkMemory(spec: PSpinSpec, withHessian: boolean, couplingCopies = 1, what = `p=${spec.p}, Λ=${spec.n}, ${spec.storage} couplings${couplingCopies > 1 ? ` (×${couplingCopies} with SGD pieces)` : ''}`): number {
  const bytes = 4 * couplingCount(spec.p, spec.n, spec.storage) * couplingCopies + scratchBytes(spec.n, withHessian) + 1024 * 1024;
  if (bytes > WASM32_LIMIT_BYTES) throw new MemoryLimitError(bytes, what);
  return bytes;
}

/**
 * `auto` is packed: it holds p!-fold fewer couplings and does p!-fold less work per evaluation
 * than dense, for the same H (bench/pspin measures both).
 */
export function resolveStorage(storage: Storage): 'dense' | 'packed' {
  return storage === 'dense' ? 'dense' : 'packed';
}

/** Stream of instance `instance`'s couplings: distinct for every (p, Λ, instance). */
export function couplingStream(p: number, n: number, instance: number): number {
  return (instance * 65536 + n) * 16 + p;
}

/** Initial points draw from a seed of their own, stream (coupling stream)·2^16 + restart. */
export const initSeed = (seed: number): number => Number(BigInt(seed) ^ 0x5bd1e995n);
/** Metropolis acceptance uniforms draw from a third seed, same streams as the restarts. */
export const acceptSeed = (seed: number): number => Number(BigInt(seed) ^ 0x2545f491n);
export function restartStream(p: number, n: number, instance: number, restart: number): number {
  return couplingStream(p, n, instance) * 65536 + restart;
}

/** Allocates and fills one instance's couplings; returns the pointer. */
export function buildCouplings(heap: Heap, spec: PSpinSpec, seed: number, instance: number): number {
  const count = couplingCount(spec.p, spec.n, spec.storage);
  const ptr = heap.alloc(4 * count, `p=${spec.p}, Λ=${spec.n}, ${spec.storage} couplings`);
  const law = COUPLINGS.indexOf(spec.coupling);
  const stream = couplingStream(spec.p, spec.n, instance);
  const k = bindKernels(heap.wasm);
  (spec.storage === 'dense' ? k.pspin_fill_dense_f32 : k.pspin_fill_packed_f32)(ptr, spec.n, spec.p, law, seed, stream);
  return ptr;
}
