// A5u: does a path's activation depend on its input (SCIENCE.md §8)? A_π depends on π only through its
// hidden units u (a unit for H = 2, a pair for H = 3), so every statistic is formed per (u, input i)
// (and per output k for the label form) and each counts for n_H paths (n_0·n_H for I(A; y)): in a fully
// connected net the path weights are uniform and the summaries below are exact path averages.
// - I(A_u; x_i), x_i cut into B quantile bins of its own sample, plug-in + Miller–Madow, in nats.
// - Permutation null: R seeded Philox permutations (mlp_shuffle_u32, stream (seed, stream)) of the
//   samples, applied to inputs and labels together against the fixed masks; p = (1 + #{null ≥ obs})/(R + 1).
// - corr(Z_π, A_π) with Z_π = ỹ_k·x_i: ỹ = y for a one-output ±1 net; for C classes ỹ_k = +1 if the
//   label is k, the output the path ends at, else −1 (one-vs-rest, so Z has the binary form per output).
// Counts stream over samples in wasm in blocks of units that fit blockBytes: contingency counts as a popcount
// GEMM of unit and (input, bin) bitsets (paths_popcount_u32), label sums over each unit's active samples.
import { coactivation } from './activity.js';
import type { Resident } from './resident.js';
import { GridSummary, miMillerMadow, type Summary } from './stats.js';

export interface A5uOptions {
  /** Quantile bins per input (2..255, default 8). */
  bins?: number;
  /** Permutations for the null (default 20; 0 skips it). */
  repeats?: number;
  seed?: number;
  stream?: number;
  /** Largest count block in wasm memory (default 64 MiB). */
  blockBytes?: number;
  /** Return the per-(u, i) arrays too (small nets). */
  keep?: boolean;
}

export interface A5uResult {
  bins: number;
  repeats: number;
  /** I(A_π; X_π) over paths (nats). Quantiles on a 20000-cell grid over [−0.05, ln B]. */
  mi: Summary;
  /** Mean null I over paths and permutations: the estimator's floor at this S and B. */
  nullMean: number;
  /** mi.mean − nullMean. */
  excess: number;
  /** Share of paths with permutation p ≤ 0.05 (needs repeats ≥ 19 to mean anything). */
  shareSignificant: number;
  /** I(A_π; y) over paths (nats), when labels were given. */
  miLabel?: Summary;
  /** corr(Z_π, A_π) over paths with both varying (grid over [−1, 1]), when labels were given. */
  corr?: Summary;
  meanAbsCorr?: number;
  /** Paths left out of corr: A or Z constant over the samples. */
  corrUndefined?: number;
  /** With keep: U × d arrays (u = unit or pair j_1·n_2 + j_2), corr U × d × K (K = 1 for one output). */
  byPair?: { mi: Float64Array; nullMean: Float64Array; p: Float64Array; miLabel?: Float64Array; corr?: Float64Array };
}

/**
 * miMillerMadow for the 2 × B tables of one count block, with x·ln x tabulated for the integers 0..S:
 * S·I = Σ_b [c1 ln c1 + c0 ln c0] − a1 ln a1 − a0 ln a0 − Σ_b t_b ln t_b + S ln S.
 */
class BinnedMI {
  private readonly xlx: Float64Array;
  private readonly hX: Float64Array;
  private readonly mX: Int32Array;
  constructor(private readonly totals: Float64Array, private readonly S: number, d: number, private readonly B: number) {
    this.xlx = Float64Array.from({ length: S + 1 }, (_, n) => (n > 0 ? n * Math.log(n) : 0));
    this.hX = new Float64Array(d);
    this.mX = new Int32Array(d);
    for (let i = 0; i < d; i++) for (let b = 0; b < B; b++) { const t = totals[i * B + b]; this.hX[i] += this.xlx[t]; if (t > 0) this.mX[i]++; }
  }

  /** I(A_u; x_i) of table t (cells t·B…) with a1 = Σ_b cells, the unit's active count. */
  table(cnt: Uint32Array, t: number, a1: number, i: number): number {
    const { xlx, S, B, totals } = this;
    let sum = 0, mAX = 0;
    for (let b = 0, o = t * B, q = i * B; b < B; b++) {
      const c1 = cnt[o + b], c0 = totals[q + b] - c1;
      sum += xlx[c1] + xlx[c0];
      mAX += (c1 > 0 ? 1 : 0) + (c0 > 0 ? 1 : 0);
    }
    const a0 = S - a1, mA = (a1 > 0 ? 1 : 0) + (a0 > 0 ? 1 : 0);
    return (sum - xlx[a1] - xlx[a0] - this.hX[i] + xlx[S]) / S + (mA - 1 + (this.mX[i] - 1) - (mAX - 1)) / (2 * S);
  }
}

/**
 * Per-coordinate quantile bins: edges at the sample's k/B quantiles, bin = #{edges ≤ x} (ties share a bin).
 * One row-major pass transposes X, so each coordinate is sorted and binned from a contiguous column.
 */
export function quantileBins(X: ArrayLike<number>, S: number, d: number, B: number): Uint8Array {
  const bins = new Uint8Array(S * d), cols = new Float64Array(S * d), edges = new Float64Array(B - 1);
  for (let s = 0, o = 0; s < S; s++) for (let i = 0; i < d; i++, o++) cols[i * S + s] = X[o];
  const sorted = new Float64Array(S);
  for (let i = 0; i < d; i++) {
    const col = cols.subarray(i * S, (i + 1) * S);
    sorted.set(col);
    sorted.sort();
    for (let b = 0; b < B - 1; b++) edges[b] = sorted[Math.floor(((b + 1) * S) / B)];
    for (let s = 0; s < S; s++) {
      const x = col[s];
      let b = 0;
      while (b < B - 1 && x >= edges[b]) b++;
      bins[s * d + i] = b;
    }
  }
  return bins;
}

/** quantileBins of the resident inputs, by paths_quantile_bins_f64 (a radix sort per column; the same bins). */
export function wasmQuantileBins(r: Resident, B: number): Uint8Array {
  return r.scratch(() => {
    const p = r.heap.alloc(r.S * r.d, 'audit: input bins'), work = r.heap.alloc(r.k.paths_quantile_bins_work_bytes(r.S), 'audit: bin workspace');
    r.k.paths_quantile_bins_f64(p, r.xPtr, r.S, r.d, B, work);
    return new Uint8Array(r.heap.memory.buffer, p, r.S * r.d).slice();
  });
}

/** R permutations of 0..S−1 (u32, S each, back to back) in wasm memory: Fisher–Yates on Philox stream (seed, stream), one after another. */
function writePermutations(r: Resident, S: number, R: number, seed: number, stream: number): number {
  const permPtr = r.heap.alloc(4 * S * Math.max(R, 1), 'audit: permutations');
  let offset = 0;
  for (let t = 0; t < R; t++) {
    const p = permPtr + 4 * S * t;
    r.heap.u32(p, S).set(Uint32Array.from({ length: S }, (_, s) => s));
    offset += r.k.mlp_shuffle_u32(p, S, seed, stream, offset);
  }
  return permPtr;
}

/** The permutations the A5u null uses, as arrays (for oracles and reruns). */
export function nullPermutations(r: Resident, R: number, seed = 1, stream = 0): Uint32Array[] {
  return r.scratch(() => {
    const p = writePermutations(r, r.S, R, seed, stream);
    return Array.from({ length: R }, (_, t) => r.heap.u32(p + 4 * r.S * t, r.S).slice());
  });
}

/** Class index per sample and the class count: ±1 → 0 (+1), 1 (−1); else the labels themselves. */
export function classesOf(y: ArrayLike<number>, S: number, nOut: number): { c: Int32Array; C: number; K: number } {
  if (nOut === 1) return { c: Int32Array.from({ length: S }, (_, s) => (y[s] === 1 ? 0 : y[s] === -1 ? 1 : badLabel(s, y[s], '±1'))), C: 2, K: 1 };
  return { c: Int32Array.from({ length: S }, (_, s) => (Number.isInteger(y[s]) && y[s] >= 0 && y[s] < nOut ? y[s] : badLabel(s, y[s], `0..${nOut - 1}`))), C: nOut, K: nOut };
}

function badLabel(s: number, v: number, want: string): never {
  throw new RangeError(`audit: label ${s} is ${v}, want ${want}`);
}

interface Tally { nullTotal: number; significant: number; absCorr: number; corrN: number; corrUndefined: number }

/** E[Z] and 1/sd(Z) of Z = ỹ_k x_i per (i, k), d × K (1/sd = 0 marks a constant Z). */
function zMoments(colSum: Float64Array, colAll: Float64Array, sumX2: Float64Array, S: number, d: number, C: number, K: number) {
  const EZ = new Float64Array(d * K), inv = new Float64Array(d * K);
  for (let i = 0; i < d; i++) for (let k = 0; k < K; k++) {
    const e = (2 * colSum[i * C + k] - colAll[i]) / S, v = sumX2[i] / S - e * e;
    EZ[i * K + k] = e;
    inv[i * K + k] = v > 1e-300 ? 1 / Math.sqrt(v) : 0;
  }
  return { EZ, inv };
}

/** corr(ỹ_k x_i, A_u) for every (i, k) of unit uu from its per-class sums (C × d at sumV): the JS reference of paths_corr_grid_f64, which a5u runs. */
export function corrUnit(sumV: Float64Array, uu: number, EA: number, z: { EZ: Float64Array; inv: Float64Array }, S: number, d: number, C: number, K: number, g: GridSummary, tally: Tally, keep?: Float64Array): void {
  const varA = EA * (1 - EA), invA = varA > 0 ? 1 / Math.sqrt(varA) : 0, base = uu * C * d;
  let abs = 0, n = 0, undef = 0;
  for (let i = 0; i < d; i++) {
    let all = 0;
    for (let c = 0; c < C; c++) all += sumV[base + c * d + i];
    for (let k = 0; k < K; k++) {
      const iz = z.inv[i * K + k];
      let rho = NaN;
      if (invA > 0 && iz > 0) {
        rho = ((2 * sumV[base + k * d + i] - all) / S - z.EZ[i * K + k] * EA) * iz * invA;
        g.add(rho); abs += Math.abs(rho); n++;
      } else undef++;
      if (keep) keep[i * K + k] = rho;
    }
  }
  tally.absCorr += abs; tally.corrN += n; tally.corrUndefined += undef;
}

export function a5u(r: Resident, opts: A5uOptions = {}): A5uResult {
  if (r.L !== 2 && r.L !== 3) throw new RangeError(`audit: A5u is written for H = 2 and 3 weight layers, got ${r.L}`);
  const { bins: B = 8, repeats: R = 20, seed = 1, stream = 0, blockBytes = 64 * 2 ** 20, keep = false } = opts;
  if (!Number.isInteger(B) || B < 2 || B > 255) throw new RangeError(`audit: bins must be an integer in 2..255, got ${B}`);
  const { heap, S, d, k } = r, layers = r.net.layers, nOut = layers[r.L];
  const y = r.data.y;
  const lab = y ? classesOf(y, S, nOut) : undefined;
  const C = lab?.C ?? 1, K = lab?.K ?? 0;
  const n1 = layers[1], nb = r.L === 3 ? layers[2] : 0, perRow = Math.max(nb, 1), U = n1 * perRow;
  const active = r.L === 2 ? r.counts.subarray(0, n1) : coactivation(r);
  const binsTS = wasmQuantileBins(r, B);
  const classTotals = new Float64Array(C);
  for (let s = 0; s < S; s++) classTotals[lab ? lab.c[s] : 0]++;
  // Bin totals, per-class input sums and Σx² in wasm (the loop order of the JS it replaced, so the same sums).
  const { binTotals, colSum, sumX2 } = r.scratch(() => {
    const bt = heap.allocF64(d * B, new Float64Array(d * B)), cs = heap.allocF64(d * C, new Float64Array(d * C)), sx = heap.allocF64(d, new Float64Array(d));
    const bp = heap.alloc(S * d, 'audit: input bins'), yp = lab ? heap.alloc(4 * S, 'audit: classes') : 0;
    new Uint8Array(heap.memory.buffer, bp, S * d).set(binsTS);
    if (lab) new Int32Array(heap.memory.buffer, yp, S).set(lab.c);
    k.paths_input_moments_f64(bt, cs, sx, bp, r.xPtr, yp, S, d, B, C);
    return { binTotals: heap.readF64(bt, d * B), colSum: heap.readF64(cs, d * C), sumX2: heap.readF64(sx, d) };
  });
  const mi = new BinnedMI(binTotals, S, d, B);
  // Σ_s ỹ_k x_si = 2·colSum[i, k] − Σ_c colSum[i, c] (one-vs-rest); for one ±1 output, k = 0 is the +1 class.
  const colAll = Float64Array.from({ length: d }, (_, i) => { let t = 0; for (let c = 0; c < C; c++) t += colSum[i * C + c]; return t; });
  const miS = new GridSummary(-0.05, Math.log(B)), corrS = new GridSummary(-1, 1, 20000), miLab = new GridSummary(-0.05, Math.log(Math.max(C, 2)));
  const tally: Tally = { nullTotal: 0, significant: 0, absCorr: 0, corrN: 0, corrUndefined: 0 };
  const zStats = lab ? zMoments(colSum, colAll, sumX2, S, d, C, K) : undefined;
  const kept = keep ? { mi: new Float64Array(U * d), nullMean: new Float64Array(U * d), p: new Float64Array(U * d), miLabel: lab ? new Float64Array(U) : undefined, corr: lab ? new Float64Array(U * d * K) : undefined } : undefined;
  const W = Math.ceil(S / 64);
  const unitBytes = 4 * d * B + 8 * C + (lab ? 8 * d * C : 0) + (nb ? 8 * W : 0);
  const rows = Math.max(1, Math.min(n1, Math.floor(blockBytes / (perRow * unitBytes))));
  const GRID = 20000;
  r.scratch(() => {
    const binsPtr = heap.alloc(S * d, 'audit: input bins');
    new Uint8Array(heap.memory.buffer, binsPtr, S * d).set(binsTS);
    const yPtr = lab ? heap.alloc(4 * S, 'audit: classes') : 0;
    if (lab) new Int32Array(heap.memory.buffer, yPtr, S).set(lab.c);
    const permPtr = writePermutations(r, S, R, seed, stream);
    const Ub = rows * perRow;
    // Bitsets over the samples: hidden masks (h), one per (input, bin) for the data and for the current permutation.
    const maskBits = heap.alloc(8 * W * Math.max(1, r.h), 'audit: mask bitsets');
    k.paths_bits_u8(maskBits, r.maskPtr, r.h, r.h, 1, 0, S);
    const obsBits = heap.alloc(8 * W * d * B, 'audit: bin bitsets'), nullBits = R ? heap.alloc(8 * W * d * B, 'audit: permuted bin bitsets') : 0;
    k.paths_bits_u8(obsBits, binsPtr, d, d, B, 0, S);
    const pairBits = nb ? heap.alloc(8 * W * Ub, 'audit: pair bitsets') : 0;
    const cnt = heap.alloc(4 * Ub * d * B, 'audit: MI counts');
    const cls = lab ? heap.allocF64(Ub * C) : 0, sum = lab ? heap.allocF64(Ub * d * C) : 0;
    // corr(Z, A) into corrS's grid in wasm (corrUnit's operations in its order), state carried across blocks.
    const grid = lab ? heap.allocF64(6, new Float64Array(6), 'audit: corr grid state') : 0, gridHist = lab ? heap.allocF64(GRID, new Float64Array(GRID), 'audit: corr grid') : 0;
    const activePtr = lab ? heap.allocF64(U, active, 'audit: active counts') : 0;
    const ezPtr = lab ? heap.allocF64(d * K, zStats!.EZ, 'audit: E[Z]') : 0, izPtr = lab ? heap.allocF64(d * K, zStats!.inv, 'audit: 1/sd(Z)') : 0;
    const keepCorr = lab && kept ? heap.allocF64(U * d * K, undefined, 'audit: corr per path') : 0;
    for (let a0 = 0; a0 < n1; a0 += rows) {
      const a1 = Math.min(n1, a0 + rows), Un = (a1 - a0) * perRow;
      let units = maskBits + 8 * W * a0;
      if (nb) { k.paths_bits_and(pairBits, maskBits, a0, a1, maskBits + 8 * W * n1, nb, W); units = pairBits; }
      const run = (perm: number, labels: boolean) => {
        if (perm) k.paths_bits_u8(nullBits, binsPtr, d, d, B, perm, S);
        k.paths_popcount_u32(cnt, units, Un, perm ? nullBits : obsBits, d * B, W);
        if (labels) {
          heap.f64(cls, Un * C).fill(0); heap.f64(sum, Un * d * C).fill(0);
          k.paths_label_sums_f64(cls, sum, units, Un, W, r.xPtr, yPtr, 0, d, C);
        }
        return heap.u32(cnt, Un * d * B); // a view: nothing allocates before it is read
      };
      const obsCnt = run(0, !!lab);
      const obs = new Float64Array(Un * d);
      for (let t = 0; t < Un * d; t++) obs[t] = mi.table(obsCnt, t, active[a0 * perRow + Math.floor(t / d)], t % d);
      const nullSum = new Float64Array(R ? Un * d : 0), ge = new Float64Array(R ? Un * d : 0);
      for (let rep = 0; rep < R; rep++) {
        const nc = run(permPtr + 4 * S * rep, false);
        for (let t = 0; t < Un * d; t++) {
          const v = mi.table(nc, t, active[a0 * perRow + Math.floor(t / d)], t % d);
          nullSum[t] += v;
          if (v >= obs[t]) ge[t]++;
        }
      }
      if (lab) k.paths_corr_grid_f64(grid, gridHist, GRID, -1, 1, keepCorr ? keepCorr + 8 * a0 * perRow * d * K : 0, sum, activePtr + 8 * a0 * perRow, ezPtr, izPtr, Un, S, d, C, K);
      const clsV = lab ? heap.f64(cls, Un * C) : undefined;
      for (let uu = 0; uu < Un; uu++) {
        const u = a0 * perRow + uu;
        if (lab) {
          const v = miMillerMadow(clsV!, classTotals, S, uu * C, C);
          miLab.add(v);
          if (kept) kept.miLabel![u] = v;
        }
        for (let i = 0; i < d; i++) {
          const t = uu * d + i, p = R ? (1 + ge[t]) / (R + 1) : 1;
          miS.add(obs[t]);
          if (R) { tally.nullTotal += nullSum[t] / R; if (p <= 0.05) tally.significant++; }
          if (kept) { kept.mi[u * d + i] = obs[t]; kept.nullMean[u * d + i] = R ? nullSum[t] / R : NaN; kept.p[u * d + i] = p; }
        }
      }
    }
    if (lab) {
      const st = heap.f64(grid, 6);
      corrS.load(heap.f64(gridHist, GRID), st[0], st[1], st[2]);
      tally.absCorr = st[3]; tally.corrN = st[4]; tally.corrUndefined = st[5];
      if (keepCorr) kept!.corr!.set(heap.f64(keepCorr, U * d * K));
    }
  });
  const pairs = U * d, miSummary = miS.summary(), paths = pairs * nOut;
  miSummary.weight = paths;
  const out: A5uResult = {
    bins: B, repeats: R, mi: miSummary, nullMean: R ? tally.nullTotal / pairs : NaN, excess: R ? miSummary.mean - tally.nullTotal / pairs : NaN,
    shareSignificant: R ? tally.significant / pairs : NaN, byPair: kept,
  };
  if (lab) {
    out.miLabel = { ...miLab.summary(), weight: paths };
    out.corr = { ...corrS.summary(), weight: tally.corrN * (nOut / K) };
    out.meanAbsCorr = tally.absCorr / tally.corrN;
    out.corrUndefined = tally.corrUndefined * (nOut / K);
  }
  return out;
}
