// The decoupled surrogate (issue #14 item 3; SCIENCE.md §8): the net's activations A_π(x_s) replaced by
// iid Bernoulli(ρ) masks B_{s,π} (assembly/surrogate.ts), so A5u and A6u hold by construction and all else
// is kept: the weights, the inputs, the labels, the softmax cross-entropy. ρ is the net's own mean path
// activation (A1p's ρ mean over all Ψ paths). Per net, on its first S' audit samples:
// (a) both losses at the trained weights; (b) R starts, Gaussian on the sphere ‖w‖ = ‖w_trained‖ (A7p, as
// the p-spin GD starts on |w|² = Λ), each descended by Riemannian GD on the surrogate and, from the same
// start, on the real net (the matched control: same data, optimiser, steps, sphere); 8 GD minima of the
// spherical p-spin at p = H, Λ = round(Ψ^{1/H}) on this net's own coupling draw (energies H/Λ);
// (c) for run 0 and N ≤ the index limit: the index of the endpoints, from the Hessian by central
// differences of the analytic gradient, projected on the sphere's tangent space.
import type { Heap } from '../heap.js';
import { bindKernels, DESCENT_STATE } from '../kernels.js';
import { symEigvalsKeepingHeap } from '../linalg/eigen.js';
import { lossCode } from '../mlp/reference.js';
import { RngStream } from '../rng.js';
import { architecture } from './architecture.js';
import { biasFreeCount, type AuditNet } from './resident.js';

export interface SurrogateOptions {
  /** Samples S' (the first of the audit's). */
  samples: number;
  /** Random starts R per net (0: no surrogate). */
  starts: number;
  /** GD steps per start. */
  steps: number;
  /** GD step size γ (Riemannian step, then back to the sphere). */
  lr: number;
  /** The index is computed (run 0 only) when the net has at most this many weights (2N gradients each). */
  indexMax: number;
}

/** What one net contributes; arrays in start order. */
export interface SurrogateLine {
  rho: number;
  samples: number;
  radius: number;
  /** Losses on the S' samples at the trained weights: the real net's and the surrogate's. */
  realAtTrained: number;
  surAtTrained: number;
  /** Final losses of the R GD runs on the real net and on the surrogate, and their final Riemannian gradient norms. */
  real: number[];
  sur: number[];
  realGrad: number[];
  surGrad: number[];
  /** p-spin at p = H, Λ = lambda: GD minima energies H/Λ (8 starts). */
  lambda: number;
  pspin: number[];
  /** Normalised index (share of the N − 1 tangent eigenvalues below −1e-3) of start 0's endpoints, when measured. */
  index?: { N: number; real: number; sur: number; realCount: number; surCount: number };
}

/** Tangent eigenvalues below this count as negative ([P2] supp. Fig. 5: |λ| < 1e-3 is zero). */
export const INDEX_TOL = 1e-3;
const PSPIN_LANES = 8;

export interface LossModel { N: number; lossGrad(w: Float64Array, grad: boolean): { loss: number; g: Float64Array } }

/** Resident data and both models of one net: 'real' by hess_grad_f64 (the ReLU net), 'sur' by the surrogate kernel. */
export function lossModels(heap: Heap, layers: readonly number[], X: ArrayLike<number>, y: Int32Array, S: number, rho: number, seed: number, stream: number): { real: LossModel; sur: LossModel } {
  const k = bindKernels(heap.wasm), L = layers.length - 1, d = layers[0], N = biasFreeCount(layers);
  const layersPtr = heap.alloc(4 * layers.length, 'surrogate: widths');
  new Int32Array(heap.memory.buffer, layersPtr, layers.length).set(layers);
  const xPtr = heap.allocF64(S * d, Array.prototype.slice.call(X, 0, S * d), 'surrogate: inputs');
  const yPtr = heap.alloc(4 * S, 'surrogate: labels');
  new Int32Array(heap.memory.buffer, yPtr, S).set(y.subarray(0, S));
  const wPtr = heap.allocF64(N, undefined, 'surrogate: params');
  const gPtr = heap.allocF64(N, undefined, 'surrogate: gradient');
  const sw = heap.alloc(k.surrogate_work_bytes(layersPtr, L), 'surrogate: workspace');
  const rw = heap.alloc(k.hess_work_bytes(layersPtr, L, S, 1), 'surrogate: real-net workspace');
  const out = heap.allocF64(2, undefined, 'surrogate: kinks');
  const run = (f: (grad: number) => number) => (w: Float64Array, grad: boolean) => {
    heap.f64(wPtr, N).set(w);
    const loss = f(grad ? gPtr : 0);
    return { loss, g: grad ? heap.readF64(gPtr, N) : new Float64Array(0) };
  };
  const ce = lossCode('cross-entropy');
  return {
    real: { N, lossGrad: run((g) => k.hess_grad_f64(g || gPtr, wPtr, layersPtr, L, 0, xPtr, yPtr, S, ce, rw, out)) },
    sur: { N, lossGrad: run((g) => k.surrogate_loss_grad_f64(g, wPtr, layersPtr, L, xPtr, yPtr, S, rho, seed, stream, sw)) },
  };
}

const dot = (a: Float64Array, b: Float64Array) => { let s = 0; for (let i = 0; i < a.length; i++) s += a[i] * b[i]; return s; };

/** The Riemannian gradient g − (⟨g, w⟩/r²) w on the sphere ‖w‖ = r. */
function tangent(g: Float64Array, w: Float64Array, r2: number): Float64Array {
  const c = dot(g, w) / r2;
  return g.map((v, i) => v - c * w[i]);
}

/** `steps` Riemannian GD steps w ← r·(w − γ g_R)/‖·‖ from w0 (on the sphere); the final loss and ‖g_R‖. */
export function sphereDescent(m: LossModel, w0: Float64Array, lr: number, steps: number): { w: Float64Array; loss: number; gradNorm: number } {
  const r = Math.sqrt(dot(w0, w0)), r2 = r * r;
  let w = w0.slice();
  for (let t = 0; t < steps; t++) {
    const gr = tangent(m.lossGrad(w, true).g, w, r2);
    const v = w.map((x, i) => x - lr * gr[i]), s = r / Math.sqrt(dot(v, v));
    w = v.map((x) => x * s);
  }
  const { loss, g } = m.lossGrad(w, true), gr = tangent(g, w, r2);
  return { w, loss, gradNorm: Math.sqrt(dot(gr, gr)) };
}

/**
 * Tangent index at w: the Hessian by central differences of the gradient (step h, symmetrised), the
 * Riemannian Hessian P(∇²L − (⟨∇L, w⟩/r²) I)P with P = I − wwᵀ/r², and its eigenvalues below −INDEX_TOL
 * (the radial direction, an exact 0 of the projection, is not counted). 2N gradient calls, N² f64.
 * The surrogate is smooth; for the real net a difference that straddles a ReLU kink is not the a.e.
 * Hessian (curvature/hessian.ts has the exact one), and GD endpoints are not critical points: read
 * the index with the endpoints' gradient norms.
 */
export function sphereIndex(heap: Heap, m: LossModel, w: Float64Array, h = 1e-5): { count: number; share: number } {
  const N = m.N, r2 = dot(w, w), H = new Float64Array(N * N);
  for (let j = 0; j < N; j++) {
    const wp = w.slice(), wm = w.slice();
    wp[j] += h; wm[j] -= h;
    const gp = m.lossGrad(wp, true).g, gm = m.lossGrad(wm, true).g;
    for (let i = 0; i < N; i++) H[i * N + j] = (gp[i] - gm[i]) / (2 * h);
  }
  const g = m.lossGrad(w, true).g, lam = dot(g, w) / r2;
  for (let i = 0; i < N; i++) for (let j = i; j < N; j++) { const v = 0.5 * (H[i * N + j] + H[j * N + i]); H[i * N + j] = H[j * N + i] = v; }
  for (let i = 0; i < N; i++) H[i * N + i] -= lam;
  // P H P = H − u uᵀH − H u uᵀ + u (uᵀHu) uᵀ with u = w/r.
  const u = w.map((x) => x / Math.sqrt(r2)), Hu = new Float64Array(N);
  for (let i = 0; i < N; i++) { let s = 0; for (let j = 0; j < N; j++) s += H[i * N + j] * u[j]; Hu[i] = s; }
  const uHu = dot(u, Hu);
  for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) H[i * N + j] += -u[i] * Hu[j] - Hu[i] * u[j] + u[i] * uHu * u[j];
  const ev = symEigvalsKeepingHeap(heap, H, N);
  const count = ev.filter((e) => e < -INDEX_TOL).length;
  return { count, share: count / (N - 1) };
}

/** GD minima energies H/Λ of the spherical p-spin (dense Gaussian couplings of (seed, stream), 8 starts, γ = 0.2, ‖g_R‖ < 0.01 or 5000 steps) as pspin --method gd. */
export function pspinMinima(heap: Heap, p: number, n: number, seed: number, stream: number, starts: RngStream): number[] {
  const k = bindKernels(heap.wasm), mark = heap.mark();
  try {
    const kPtr = heap.alloc(4 * n ** p, 'surrogate: p-spin couplings');
    k.pspin_fill_dense_f32(kPtr, n, p, 0, seed, stream);
    const wPtr = heap.allocF32(PSPIN_LANES * n), gPtr = heap.allocF32(PSPIN_LANES * n), state = heap.alloc(DESCENT_STATE.bytes);
    new Uint8Array(heap.memory.buffer, state, DESCENT_STATE.bytes).fill(0);
    const z = starts.normal(PSPIN_LANES * n);
    const w = heap.f32(wPtr, PSPIN_LANES * n);
    for (let l = 0; l < PSPIN_LANES; l++) {
      let s2 = 0;
      for (let i = 0; i < n; i++) s2 += z[l * n + i] ** 2;
      for (let i = 0; i < n; i++) w[i * PSPIN_LANES + l] = z[l * n + i] * Math.sqrt(n / s2);
    }
    k.pspin_descend_f32x8(kPtr, 0, 1, wPtr, gPtr, state, n, p, 0, 0.2, 0, 0, 0.01, 1, 5000);
    const x = heap.allocF64(n), g = heap.allocF64(n), out: number[] = [];
    for (let l = 0; l < PSPIN_LANES; l++) {
      const wl = heap.f32(wPtr, PSPIN_LANES * n), xs = heap.f64(x, n);
      for (let i = 0; i < n; i++) xs[i] = wl[i * PSPIN_LANES + l];
      out.push(k.pspin_eg_f64(g, kPtr, x, n, p, 0) / n);
    }
    return out;
  } finally {
    heap.release(mark);
  }
}

/** Wasm bytes of one net's surrogate besides the audit's own: data, workspaces, the p-spin couplings, an index Hessian. */
export function surrogateBytes(layers: readonly number[], o: SurrogateOptions): number {
  if (!o.starts) return 0;
  const a = architecture(layers), N = a.N, S = o.samples;
  return 8 * S * layers[0] + 4 * S + 32 * N + a.psi + 16 * layers[1] * layers[0] + 4 * Math.round(a.lambda) ** a.H + (N <= o.indexMax ? 8 * N * N * 2 : 0) + 2 ** 20;
}

/** Every surrogate measurement on one net (the resident heap is left as found). */
export function surrogateStats(heap: Heap, net: AuditNet, X: ArrayLike<number>, y: Int32Array, S0: number, rho: number, o: SurrogateOptions, seed: number, streams: { masks: number; starts: number; couplings: number }, withIndex: boolean): SurrogateLine {
  const { layers } = net, a = architecture(layers), S = Math.min(S0, o.samples), mark = heap.mark();
  try {
    const { real, sur } = lossModels(heap, layers, X, y, S, rho, seed, streams.masks);
    const trained = Float64Array.from(net.params), radius = Math.sqrt(dot(trained, trained));
    const rng = new RngStream(heap, seed, streams.starts);
    const line: SurrogateLine = {
      rho, samples: S, radius, realAtTrained: real.lossGrad(trained, false).loss, surAtTrained: sur.lossGrad(trained, false).loss,
      real: [], sur: [], realGrad: [], surGrad: [], lambda: Math.round(a.lambda), pspin: [],
    };
    let first: { real: Float64Array; sur: Float64Array } | null = null;
    for (let r = 0; r < o.starts; r++) {
      const z = rng.normal(a.N), s = radius / Math.sqrt(dot(z, z)), w0 = z.map((v) => v * s);
      const er = sphereDescent(real, w0, o.lr, o.steps), es = sphereDescent(sur, w0, o.lr, o.steps);
      line.real.push(er.loss); line.sur.push(es.loss); line.realGrad.push(er.gradNorm); line.surGrad.push(es.gradNorm);
      if (r === 0) first = { real: er.w, sur: es.w };
    }
    line.pspin = pspinMinima(heap, a.H, line.lambda, seed, streams.couplings, rng);
    if (withIndex && first && a.N <= o.indexMax) {
      const ir = sphereIndex(heap, real, first.real), is = sphereIndex(heap, sur, first.sur);
      line.index = { N: a.N, real: ir.share, sur: is.share, realCount: ir.count, surCount: is.count };
    }
    return line;
  } finally {
    heap.release(mark);
  }
}
