// The oracle for assembly/mlp.ts: a plain f64 ReLU MLP, forward, four losses and backprop, written
// to be read (micrograd-style), not to be fast. Same parameter layout and label conventions as the
// kernels: per layer l, W_l (n_l × n_{l−1}, row-major) then b_l (n_l) if bias; x is batch × n_0.

/** Loss names in kernel-code order (the i32 `loss` argument of the wasm kernels). */
export const MLP_LOSSES = ['cross-entropy', 'multiclass-hinge', 'binary-absolute', 'binary-hinge'] as const;
export type MlpLoss = (typeof MLP_LOSSES)[number];
export const MAX_WEIGHT_LAYERS = 8;

export const lossCode = (loss: MlpLoss): number => MLP_LOSSES.indexOf(loss);
/** The binary losses take one output and labels ±1; the others take class indices 0..C−1. */
export const isBinaryLoss = (loss: MlpLoss): boolean => loss === 'binary-absolute' || loss === 'binary-hinge';

export interface MlpSpec {
  /** Widths n_0 (inputs) .. n_L (outputs). */
  layers: readonly number[];
  bias: boolean;
  loss: MlpLoss;
}

export interface LayerSlice {
  nIn: number;
  nOut: number;
  /** Offset of W_l in the params buffer (elements). */
  w: number;
  /** Offset of b_l, or −1 without biases. */
  b: number;
}

export function layerSlices(layers: readonly number[], bias: boolean): LayerSlice[] {
  const out: LayerSlice[] = [];
  let off = 0;
  for (let l = 1; l < layers.length; l++) {
    const nIn = layers[l - 1], nOut = layers[l];
    const w = off;
    off += nOut * nIn;
    const b = bias ? off : -1;
    if (bias) off += nOut;
    out.push({ nIn, nOut, w, b });
  }
  return out;
}

export function paramCount(layers: readonly number[], bias: boolean): number {
  let n = 0;
  for (let l = 1; l < layers.length; l++) n += layers[l] * layers[l - 1] + (bias ? layers[l] : 0);
  return n;
}

export interface SampleLoss {
  loss: number;
  /** ∂ℓ/∂z, a subgradient taking 0 at every kink. */
  dz: number[];
  error: boolean;
}

/**
 * One sample's loss on logits z with label y.
 *   cross-entropy      log Σ_j e^{z_j} − z_y                  y ∈ 0..C−1; error when argmax z ≠ y (first max)
 *   multiclass-hinge   Σ_{j≠y} max(0, 1 + z_j − z_y)  (Weston–Watkins)
 *   binary-absolute    |y − f|,  f = z_0                       y ∈ {−1, +1}; error when y·f ≤ 0
 *   binary-hinge       max(0, 1 − y·f)
 */
export function sampleLoss(loss: MlpLoss, z: readonly number[], y: number): SampleLoss {
  if (isBinaryLoss(loss)) {
    const f = z[0];
    const error = y * f <= 0;
    if (loss === 'binary-absolute') return { loss: Math.abs(y - f), dz: [Math.sign(f - y)], error };
    const margin = 1 - y * f;
    return { loss: Math.max(0, margin), dz: [margin > 0 ? -y : 0], error };
  }
  let arg = 0;
  z.forEach((v, j) => { if (v > z[arg]) arg = j; });
  const error = arg !== y;
  if (loss === 'cross-entropy') {
    const top = Math.max(...z);
    const e = z.map((v) => Math.exp(v - top));
    const s = e.reduce((a, b) => a + b, 0);
    return { loss: Math.log(s) + top - z[y], dz: e.map((v, j) => v / s - (j === y ? 1 : 0)), error };
  }
  const dz = z.map(() => 0);
  let total = 0;
  z.forEach((v, j) => {
    const margin = 1 + v - z[y];
    if (j === y || margin <= 0) return;
    total += margin;
    dz[j] = 1;
    dz[y] -= 1;
  });
  return { loss: total, dz, error };
}

/** Activations of one sample: acts[0] = x, acts[l] = relu(z_l) for hidden l, acts[L] = z_L. */
function forwardSample(spec: MlpSpec, params: ArrayLike<number>, x: ArrayLike<number>, row: number): number[][] {
  const acts = [Array.from({ length: spec.layers[0] }, (_, j) => x[row * spec.layers[0] + j])];
  const slices = layerSlices(spec.layers, spec.bias);
  slices.forEach(({ nIn, nOut, w, b }, l) => {
    const a = acts[l];
    const z = Array.from({ length: nOut }, (_, i) => {
      let s = b >= 0 ? params[b + i] : 0;
      for (let j = 0; j < nIn; j++) s += params[w + i * nIn + j] * a[j];
      return s;
    });
    acts.push(l < slices.length - 1 ? z.map((v) => Math.max(v, 0)) : z);
  });
  return acts;
}

/** Logits of every sample, batch × n_L. */
export function predict(spec: MlpSpec, params: ArrayLike<number>, x: ArrayLike<number>, batch: number): number[][] {
  return Array.from({ length: batch }, (_, i) => forwardSample(spec, params, x, i).at(-1)!);
}

/** Σ of the loss over the batch and the number of errors. */
export function forwardLoss(spec: MlpSpec, params: ArrayLike<number>, x: ArrayLike<number>, y: ArrayLike<number>, batch: number): { loss: number; errors: number } {
  let loss = 0, errors = 0;
  for (let i = 0; i < batch; i++) {
    const r = sampleLoss(spec.loss, forwardSample(spec, params, x, i).at(-1)!, y[i]);
    loss += r.loss;
    errors += r.error ? 1 : 0;
  }
  return { loss, errors };
}

/** The mean loss over the batch and its gradient in the params layout, by backprop. */
export function gradient(spec: MlpSpec, params: ArrayLike<number>, x: ArrayLike<number>, y: ArrayLike<number>, batch: number): { loss: number; grad: Float64Array } {
  const slices = layerSlices(spec.layers, spec.bias);
  const grad = new Float64Array(paramCount(spec.layers, spec.bias));
  let loss = 0;
  for (let i = 0; i < batch; i++) {
    const acts = forwardSample(spec, params, x, i);
    const r = sampleLoss(spec.loss, acts.at(-1)!, y[i]);
    loss += r.loss / batch;
    let delta = r.dz; // ∂ℓ/∂z_l, starting at the output
    for (let l = slices.length - 1; l >= 0; l--) {
      const { nIn, nOut, w, b } = slices[l];
      const a = acts[l];
      for (let o = 0; o < nOut; o++) {
        for (let j = 0; j < nIn; j++) grad[w + o * nIn + j] += (delta[o] * a[j]) / batch;
        if (b >= 0) grad[b + o] += delta[o] / batch;
      }
      // a_{l} = relu(z_l) > 0 exactly when z_l > 0: ReLU's derivative, 0 at the kink.
      delta = Array.from({ length: nIn }, (_, j) => {
        if (l === 0 || !(a[j] > 0)) return 0;
        let s = 0;
        for (let o = 0; o < nOut; o++) s += delta[o] * params[w + o * nIn + j];
        return s;
      });
    }
  }
  return { loss, grad };
}

/** Central differences of the mean batch loss, f64: the check on `gradient`. */
export function finiteDifferenceGradient(spec: MlpSpec, params: ArrayLike<number>, x: ArrayLike<number>, y: ArrayLike<number>, batch: number, h = 1e-6): Float64Array {
  const p = Float64Array.from(params);
  const mean = () => forwardLoss(spec, p, x, y, batch).loss / batch;
  return p.map((v, k) => {
    p[k] = v + h;
    const up = mean();
    p[k] = v - h;
    const down = mean();
    p[k] = v;
    return (up - down) / (2 * h);
  });
}
