// Brute-force f64 oracles for the weight-side estimators (A3p, A4p) on tiny nets: quantised by
// nearest cell centre, outputs by listing every path (reference.ts), multiplicities by listing every
// path's tuple of level indices. Nothing shared with redundancy.ts or uniformity.ts.
import { sampleLoss, type MlpLoss } from '../mlp/reference.js';
import { allPaths, pathSumBrute } from './reference.js';
import { pearson } from './stats.js';
import type { AuditNet } from './resident.js';

/** Each weight to the nearest of its layer's s centres −m + (2b + 1)m/s, m = max |w| of the layer. */
export function quantiseBrute(layers: readonly number[], params: ArrayLike<number>, s: number): { params: number[]; index: number[] } {
  const out: number[] = [], index: number[] = [];
  let o = 0;
  for (let l = 1; l < layers.length; l++) {
    const w = Array.prototype.slice.call(params, o, o + layers[l] * layers[l - 1]) as number[];
    const m = Math.max(...w.map(Math.abs)), centres = Array.from({ length: s }, (_, b) => -m + ((2 * b + 1) * m) / s);
    for (const v of w) {
      let best = 0;
      centres.forEach((c, b) => { if (Math.abs(v - c) < Math.abs(v - centres[best])) best = b; });
      index.push(m > 0 ? best : s >> 1);
      out.push(m > 0 ? centres[best] : 0);
    }
    o += w.length;
  }
  return { params: out, index };
}

/** corr(sign Y_s, sign Y) and the per-sample loss correlation, every path listed. */
export function a3pBrute(net: AuditNet, X: ArrayLike<number>, S: number, y: ArrayLike<number>, loss: MlpLoss, s: number): { signCorr: number; lossCorr: number } {
  const nH = net.layers.at(-1)!;
  const Y = pathSumBrute(net, X, S), Ys = pathSumBrute({ layers: net.layers, params: quantiseBrute(net.layers, net.params, s).params }, X, S);
  const losses = (Z: Float64Array) => Array.from({ length: S }, (_, i) => sampleLoss(loss, Array.from(Z.subarray(i * nH, (i + 1) * nH)), y[i]).loss);
  return { signCorr: pearson(Array.from(Ys, Math.sign), Array.from(Y, Math.sign)), lossCorr: pearson(losses(Ys), losses(Y)) };
}

/** t per level tuple (b_1 slowest), counting the tuple of every one of the Ψ paths. */
export function multiplicitiesBrute(layers: readonly number[], index: ArrayLike<number>, s: number): number[] {
  const H = layers.length - 1, t = new Array<number>(s ** H).fill(0);
  const offsets = layers.slice(1).map((_, l) => layers.slice(1, l + 1).reduce((a, n, k) => a + n * layers[k], 0));
  for (const p of allPaths(layers)) {
    let key = 0;
    for (let l = 1; l <= H; l++) key = key * s + index[offsets[l - 1] + p[l] * layers[l - 1] + p[l - 1]];
    t[key]++;
  }
  return t;
}
