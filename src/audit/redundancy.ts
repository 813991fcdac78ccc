// A3p, redundancy (SCIENCE.md §8; [P2] Thm 3.2): quantise each weight layer to s levels and compare
// the quantised net's outputs with the net's own, corr(sign Y_s, sign Y) ≥ (1 − 2ε)/(1 + 2ε) in
// [P2]. The quantiser is the ternary annealer's snap (src/anneal/anneal.ts snapTernary) for any s:
// per layer, s equal cells over [−m, m], m = max |w| of the layer, each weight replaced by the centre
// of its cell, −m + (b + ½)·2m/s. So s = 3 puts a weight on {−2m/3, 0, +2m/3} exactly where
// snapTernary puts it on {−c, 0, +c}; the two differ by one positive factor per layer, which scales
// a bias-free ReLU net's Y by a positive constant and leaves sign(Y) unchanged. Even s has no zero
// level (s = 2 is sign(w)·m/2). |w − Q_s(w)| ≤ m/s.
import { sampleLoss, type MlpLoss } from '../mlp/reference.js';
import { pearson } from './stats.js';

/** The level counts s audited (A3p and A4p). */
export const LEVELS = [2, 3, 4, 8, 16, 32, 64] as const;
/** The sign correlation at which s counts as enough (A3p's smallest s). */
export const SIGN_TARGET = 0.95;
/** [P2]'s ternary case: the s of the verdicts. */
export const TERNARY = 3;

export interface Quantised {
  /** The quantised params (bias-free layout, f64). */
  params: Float64Array;
  /** Cell index 0..s−1 of every weight. */
  index: Int32Array;
  /** m = max |w| per layer. */
  range: number[];
}

/** Per layer: s equal cells over [−m, m], every weight to its cell's centre (a layer of zeros stays zero, in the middle cell). */
export function quantise(layers: readonly number[], params: ArrayLike<number>, s: number): Quantised {
  if (!Number.isInteger(s) || s < 2) throw new RangeError(`audit: s must be an integer ≥ 2, got ${s}`);
  const out = new Float64Array(params.length), index = new Int32Array(params.length), range: number[] = [];
  let o = 0;
  for (let l = 1; l < layers.length; l++) {
    const end = o + layers[l] * layers[l - 1];
    let m = 0;
    for (let i = o; i < end; i++) m = Math.max(m, Math.abs(params[i]));
    range.push(m);
    for (let i = o; i < end; i++) {
      const b = m > 0 ? Math.min(s - 1, Math.max(0, Math.floor((s * (params[i] + m)) / (2 * m)))) : s >> 1;
      index[i] = b;
      out[i] = m > 0 ? -m + ((b + 0.5) * 2 * m) / s : 0;
    }
    o = end;
  }
  return { params: out, index, range };
}

/** Y (S × n_H) of a bias-free ReLU net, plain f64 (the audit's sizes need no wasm: S·N multiply-adds). */
export function forwardF64(layers: readonly number[], params: ArrayLike<number>, X: ArrayLike<number>, S: number): Float64Array {
  const H = layers.length - 1, d = layers[0], nH = layers[H], wide = Math.max(...layers);
  const Y = new Float64Array(S * nH);
  let a = new Float64Array(wide), b = new Float64Array(wide);
  for (let s = 0; s < S; s++) {
    for (let i = 0; i < d; i++) a[i] = X[s * d + i];
    let o = 0;
    for (let l = 1; l <= H; l++) {
      const nIn = layers[l - 1], nOut = layers[l];
      for (let j = 0; j < nOut; j++) {
        let z = 0;
        const row = o + j * nIn;
        for (let i = 0; i < nIn; i++) z += params[row + i] * a[i];
        b[j] = l < H && z < 0 ? 0 : z;
      }
      o += nIn * nOut;
      [a, b] = [b, a];
    }
    for (let k = 0; k < nH; k++) Y[s * nH + k] = a[k];
  }
  return Y;
}

/** Per-sample losses and the error rate of outputs Y with labels y (as the loss takes them). */
export function sampleLosses(Y: Float64Array, y: ArrayLike<number>, S: number, loss: MlpLoss): { losses: Float64Array; errorRate: number } {
  const nH = Y.length / S, losses = new Float64Array(S);
  let errors = 0;
  for (let s = 0; s < S; s++) {
    const r = sampleLoss(loss, Array.from(Y.subarray(s * nH, (s + 1) * nH)), y[s]);
    losses[s] = r.loss;
    errors += r.error ? 1 : 0;
  }
  return { losses, errorRate: errors / S };
}

export interface A3pStats {
  /** The level counts, LEVELS. */
  s: number[];
  /** corr(sign Y_s, sign Y) over every (sample, output), Pearson (as [P2] Thm 3.2's corr). */
  signCorr: number[];
  /** Share of (sample, output) entries whose sign is unchanged. */
  agree: number[];
  /** corr of the per-sample losses, quantised against full precision. */
  lossCorr: number[];
  /** Error rate of the quantised net on the audited samples. */
  errorRate: number[];
  /** Error rate of the net itself on the same samples. */
  errorFull: number;
  /** Smallest s of LEVELS with signCorr ≥ SIGN_TARGET; null when none reaches it. */
  sMin: number | null;
}

export function a3p(layers: readonly number[], params: ArrayLike<number>, X: ArrayLike<number>, y: ArrayLike<number>, S: number, loss: MlpLoss, levels: readonly number[] = LEVELS): A3pStats {
  const Y = forwardF64(layers, params, X, S), full = sampleLosses(Y, y, S, loss);
  const sign = Float64Array.from(Y, Math.sign);
  const out: A3pStats = { s: [...levels], signCorr: [], agree: [], lossCorr: [], errorRate: [], errorFull: full.errorRate, sMin: null };
  for (const s of levels) {
    const Ys = forwardF64(layers, quantise(layers, params, s).params, X, S), q = sampleLosses(Ys, y, S, loss);
    const sq = Float64Array.from(Ys, Math.sign);
    let same = 0;
    for (let i = 0; i < sq.length; i++) same += sq[i] === sign[i] ? 1 : 0;
    out.signCorr.push(pearson(sq, sign));
    out.agree.push(same / sq.length);
    out.lossCorr.push(pearson(q.losses, full.losses));
    out.errorRate.push(q.errorRate);
  }
  const first = out.signCorr.findIndex((c) => c >= SIGN_TARGET);
  out.sMin = first >= 0 ? levels[first] : null;
  return out;
}
