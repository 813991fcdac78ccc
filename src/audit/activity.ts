// A1p (one activation rate ρ for every path) and A6u (path terms independent), SCIENCE.md §8,
// from the resident masks. In a fully connected net every hidden unit (H = 2) or unit pair (H = 3)
// carries the same number of paths, n_0·n_H, so weighting by multiplicity is exact and uniform.
import { symEigvalsKeepingHeap } from '../linalg/eigen.js';
import { RngStream } from '../rng.js';
import { architecture } from './architecture.js';
import type { Resident } from './resident.js';
import { type Summary, marchenkoPastur, pointMassDistances, weightedSummary } from './stats.js';

export interface A1pResult {
  H: number;
  /** ρ_π over all Ψ paths (each distinct ρ weighted by its paths). */
  rho: Summary;
  /** Distance from one common ρ: sd (L2 from the best ρ, the mean), W1 to δ_median (primary), KS to the best point mass. */
  distance: { sd: number; w1: number; ks: number };
  /** ρ per hidden unit (H = 2, n_1) or unit pair (H = 3, n_1 × n_2 row-major). */
  rhoByUnit: Float64Array;
  /** Paths per entry of rhoByUnit: n_0·n_H. */
  pathsPerUnit: number;
}

function checkDepth(r: Resident, what: string): void {
  if (r.L !== 2 && r.L !== 3) throw new RangeError(`audit: ${what} is written for H = 2 and 3 weight layers, got ${r.L}`);
}

/** Co-activation counts of hidden layers 1 and 2, n_1 × n_2 (H = 3), by paths_coact_u8. */
export function coactivation(r: Resident): Float64Array {
  const [, n1, n2] = r.net.layers;
  return r.scratch(() => {
    const out = r.heap.allocF64(n1 * n2, new Float64Array(n1 * n2), 'audit: co-activation');
    const list = r.heap.alloc(4 * (n1 + n2), 'audit: active lists');
    r.k.paths_coact_u8(out, r.maskPtr, r.h, r.maskPtr + n1, r.h, n1, n2, r.S, list);
    return r.heap.readF64(out, n1 * n2);
  });
}

export function a1p(r: Resident): A1pResult {
  checkDepth(r, 'A1p');
  const n = r.net.layers;
  const rhoByUnit = (r.L === 2 ? r.counts.slice() : coactivation(r)).map((c) => c / r.S);
  const rho = weightedSummary(rhoByUnit);
  const pathsPerUnit = n[0] * n[r.L];
  rho.weight *= pathsPerUnit;
  const { w1, ks } = pointMassDistances(rhoByUnit);
  return { H: r.L, rho, distance: { sd: rho.sd, w1, ks }, rhoByUnit, pathsPerUnit };
}

export interface A6uOptions {
  /** Paths sampled for the spectrum (default 200), distinct, uniform over all Ψ. */
  paths?: number;
  seed?: number;
  stream?: number;
}

export interface A6uResult {
  shareCommonInput: number;
  shareCommonNode: number;
  /** Sampled paths, as (i, j_1, …, k). */
  sampled: number[][];
  /** Paths kept: those whose term x_i·A_π varies over the samples. */
  kept: number;
  /** Eigenvalues of the kept terms' sample correlation matrix, ascending. */
  eigenvalues: Float64Array;
  top: number;
  /** Marchenko–Pastur support for kept × S independent terms. */
  mp: { lower: number; upper: number; ratio: number };
  /** Eigenvalues above the MP edge, and their share. */
  aboveEdge: number;
  /** top / MP upper edge. */
  topOverEdge: number;
}

/** Decodes path index t < Ψ into (i, j_1, …, k), input slowest. */
export function decodePath(layers: readonly number[], t: number): number[] {
  const out = new Array<number>(layers.length);
  for (let l = layers.length - 1; l >= 0; l--) { out[l] = t % layers[l]; t = Math.floor(t / layers[l]); }
  return out;
}

/** Distinct path indices, seeded Philox uniforms (stream (seed, stream)), in draw order. */
export function samplePaths(r: Resident, P: number, seed: number, stream: number): number[][] {
  const psi = architecture(r.net.layers).psi;
  const want = Math.min(P, psi), seen = new Set<number>(), rng = new RngStream(r.heap, seed, stream);
  while (seen.size < want) for (const u of rng.uniform(2 * (want - seen.size))) { if (seen.size < want) seen.add(Math.floor(u * psi)); }
  return [...seen].map((t) => decodePath(r.net.layers, t));
}

/**
 * A6u: the closed-form overlap shares and the spectrum of the sample correlation of P path terms
 * t_π(s) = x_i(s)·A_π(s) against Marchenko–Pastur. w_π is left out: it scales a column by a constant,
 * which flips signs of a correlation's rows and columns together and leaves the eigenvalues alone.
 */
export function a6u(r: Resident, opts: A6uOptions = {}): A6uResult {
  checkDepth(r, 'A6u');
  const { paths = 200, seed = 1, stream = 0 } = opts;
  const arch = architecture(r.net.layers);
  const sampled = samplePaths(r, paths, seed, stream);
  const P = sampled.length, n1 = r.net.layers[1];
  const { cov, sum } = r.scratch(() => {
    const pp = r.heap.alloc(12 * P, 'audit: sampled paths');
    new Int32Array(r.heap.memory.buffer, pp, 3 * P).set(sampled.flatMap((p) => [p[0], p[1], r.L === 3 ? n1 + p[2] : -1]));
    const covPtr = r.heap.allocF64(P * P, new Float64Array(P * P), 'audit: term moments');
    const sumPtr = r.heap.allocF64(P, new Float64Array(P), 'audit: term sums');
    const term = r.heap.allocF64(P, undefined, 'audit: terms');
    r.k.paths_term_moments_f64(covPtr, sumPtr, pp, P, r.maskPtr, r.h, r.xPtr, r.d, r.S, term);
    return { cov: r.heap.readF64(covPtr, P * P), sum: r.heap.readF64(sumPtr, P) };
  });
  const mean = sum.map((s) => s / r.S);
  const c = (p: number, q: number) => cov[Math.min(p, q) * P + Math.max(p, q)] / r.S - mean[p] * mean[q];
  const keep = [...Array(P).keys()].filter((p) => c(p, p) > 1e-12 * Math.max(1, (cov[p * P + p] / r.S)));
  const K = keep.length;
  const R = new Float64Array(K * K);
  for (let a = 0; a < K; a++) for (let b = 0; b < K; b++) R[a * K + b] = c(keep[a], keep[b]) / Math.sqrt(c(keep[a], keep[a]) * c(keep[b], keep[b]));
  const eigenvalues = K > 0 ? symEigvalsKeepingHeap(r.heap, R, K) : new Float64Array(0);
  const mp = marchenkoPastur(K, r.S);
  const top = K > 0 ? eigenvalues[K - 1] : NaN;
  return {
    shareCommonInput: arch.shareCommonInput, shareCommonNode: arch.shareCommonNode, sampled, kept: K,
    eigenvalues, top, mp, aboveEdge: eigenvalues.filter((e) => e > mp.upper).length, topOverEdge: top / mp.upper,
  };
}
