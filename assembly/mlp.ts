// ReLU MLP, f32: a_0 = x, z_l = a_{l−1}·W_lᵀ + b_l, a_l = relu(z_l), f = z_L; backprop by GEMM
// (δ_{l−1} = (δ_l·W_l) ⊙ [z_{l−1} > 0], ∇W_l = δ_lᵀ·a_{l−1} / B; Rumelhart, Hinton & Williams 1986).
// Params in one buffer, per layer l: W_l (n_l × n_{l−1}, row-major) then b_l (n_l) if bias.
// Rows are samples: x is batch × n_0 row-major; labels are i32 (see lossRows). Kernels never
// allocate: the caller passes a workspace of mlp_work_bytes(layers, L, batch) bytes.
import { gemm_f32, gemm_f32_scalar, gemm_f32_work_bytes } from './gemm';

export const MAXL = 8; // the most weight layers a net may have (mlp_data.ts checks it too)
const wTab: usize = memory.data(4 * MAXL, 16); // W_l address, per weight layer
const bTab: usize = memory.data(4 * MAXL, 16); // b_l address (0 without bias)
const aTab: usize = memory.data(4 * (MAXL + 1), 16); // a_l address (a_0 = x), batch × n_l
let gemmWork: usize = 0;
let delta0: usize = 0;
let delta1: usize = 0;
let errors: f64 = 0;

@inline export function width(layersPtr: usize, l: i32): i32 { return load<i32>(layersPtr + (<usize>l << 2)); }
@inline function tab(t: usize, l: i32): usize { return load<usize>(t + (<usize>l << 2)); }
@inline function setTab(t: usize, l: i32, v: usize): void { store<usize>(t + (<usize>l << 2), v); }
@inline function up16(b: u64): u64 { return (b + 15) & ~15; }

function gemm(c: usize, a: usize, b: usize, m: i32, n: i32, k: i32, lda: i32, ldb: i32, ldc: i32, tA: i32, tB: i32, alpha: f32, beta: f32, simd: bool): void {
  if (simd) gemm_f32(c, a, b, m, n, k, lda, ldb, ldc, tA, tB, alpha, beta, gemmWork);
  else gemm_f32_scalar(c, a, b, m, n, k, lda, ldb, ldc, tA, tB, alpha, beta, gemmWork);
}

/**
 * Lays the workspace out from `base` (16-byte aligned): gemm scratch for the three products of
 * every layer, activations a_1..a_L, two δ buffers of batch × max n_l. Returns its size in bytes,
 * as f64 since a large batch can pass 4 GiB. Traps on a depth outside 1..8.
 */
function plan(layersPtr: usize, L: i32, batch: i32, base: u64): f64 {
  if (L < 1 || L > MAXL) unreachable();
  let g: u64 = 0;
  let wide: u64 = 0;
  for (let l = 0; l < L; l++) {
    const nIn = width(layersPtr, l), nOut = width(layersPtr, l + 1);
    const f = <u64>gemm_f32_work_bytes(batch, nOut, nIn); // forward
    const d = <u64>gemm_f32_work_bytes(batch, nIn, nOut); // δ·W
    const w = <u64>gemm_f32_work_bytes(nOut, nIn, batch); // δᵀ·a
    g = max(g, max(f, max(d, w)));
    wide = max(wide, <u64>nOut);
  }
  let off = base + up16(g);
  gemmWork = <usize>base;
  for (let l = 1; l <= L; l++) {
    setTab(aTab, l, <usize>off);
    off += up16(<u64>batch * <u64>width(layersPtr, l) << 2);
  }
  const dBytes = up16(<u64>batch * wide << 2);
  delta0 = <usize>off;
  delta1 = <usize>(off + dBytes);
  return <f64>(off + 2 * dBytes - base);
}

/** Workspace bytes the kernels below need for this net and batch (16 extra to align workPtr). */
export function mlp_work_bytes(layersPtr: usize, L: i32, batch: i32): f64 {
  return plan(layersPtr, L, batch, 0) + 16;
}

function layout(paramsPtr: usize, layersPtr: usize, L: i32, bias: i32, x: usize, batch: i32, workPtr: usize): void {
  plan(layersPtr, L, batch, <u64>((workPtr + 15) & ~15));
  setTab(aTab, 0, x);
  let p = paramsPtr;
  for (let l = 0; l < L; l++) {
    const nIn = width(layersPtr, l), nOut = width(layersPtr, l + 1);
    setTab(wTab, l, p);
    p += <usize>nOut * <usize>nIn << 2;
    setTab(bTab, l, bias ? p : 0);
    if (bias) p += <usize>nOut << 2;
  }
}

/** z ← z + b (per row; b = 0: none), then max(z, 0) when relu. f32x4.max and f32.max agree on NaN and ±0. */
function biasRelu(z: usize, b: usize, m: i32, n: i32, relu: bool, simd: bool): void {
  if (!b && !relu) return;
  const zero = <f32>0;
  for (let i = 0; i < m; i++) {
    const row = z + (<usize>i * <usize>n << 2);
    let j = 0;
    if (ASC_FEATURE_SIMD && simd) {
      for (; j + 4 <= n; j += 4) {
        const at = row + (<usize>j << 2);
        let v = v128.load(at);
        if (b) v = f32x4.add(v, v128.load(b + (<usize>j << 2)));
        if (relu) v = f32x4.max(v, f32x4.splat(0));
        v128.store(at, v);
      }
    }
    for (; j < n; j++) {
      const at = row + (<usize>j << 2);
      let v = load<f32>(at);
      if (b) v += load<f32>(b + (<usize>j << 2));
      if (relu) v = max<f32>(v, zero);
      store<f32>(at, v);
    }
  }
}

/** δ ← δ ⊙ [a > 0] over count entries: ReLU's derivative, 0 at the kink. */
function reluMask(d: usize, a: usize, count: usize, simd: bool): void {
  let i: usize = 0;
  if (ASC_FEATURE_SIMD && simd) {
    for (; i + 4 <= count; i += 4) {
      const o = i << 2;
      v128.store(d + o, v128.and(v128.load(d + o), f32x4.gt(v128.load(a + o), f32x4.splat(0))));
    }
  }
  for (; i < count; i++) if (!(load<f32>(a + (i << 2)) > 0)) store<f32>(d + (i << 2), 0);
}

/** t_j ← alpha·Σ_i δ[i, j] + beta·t_j (beta = 0 never reads t): the bias row of the GEMM update, rows summed in order. */
function colSum(t: usize, d: usize, m: i32, n: i32, alpha: f32, beta: f32, simd: bool): void {
  const rs = <usize>n << 2;
  let j = 0;
  if (ASC_FEATURE_SIMD && simd) {
    for (; j + 4 <= n; j += 4) {
      let s = f32x4.splat(0);
      for (let i = 0; i < m; i++) s = f32x4.add(s, v128.load(d + <usize>i * rs + (<usize>j << 2)));
      const at = t + (<usize>j << 2);
      const v = f32x4.mul(f32x4.splat(alpha), s);
      v128.store(at, beta == 0 ? v : f32x4.add(f32x4.mul(f32x4.splat(beta), v128.load(at)), v));
    }
  }
  for (; j < n; j++) {
    let s: f32 = 0;
    for (let i = 0; i < m; i++) s += load<f32>(d + <usize>i * rs + (<usize>j << 2));
    const at = t + (<usize>j << 2);
    store<f32>(at, beta == 0 ? alpha * s : beta * load<f32>(at) + alpha * s);
  }
}

/** w ← w − lr·v over count entries. */
function axpyDown(w: usize, v: usize, count: usize, lr: f32, simd: bool): void {
  let i: usize = 0;
  if (ASC_FEATURE_SIMD && simd) {
    const vlr = f32x4.splat(lr);
    for (; i + 4 <= count; i += 4) {
      const o = i << 2;
      v128.store(w + o, f32x4.sub(v128.load(w + o), f32x4.mul(vlr, v128.load(v + o))));
    }
  }
  for (; i < count; i++) store<f32>(w + (i << 2), load<f32>(w + (i << 2)) - lr * load<f32>(v + (i << 2)));
}

/** Leaves the logits f = z_L in a_L. */
function forward(layersPtr: usize, L: i32, batch: i32, simd: bool): void {
  for (let l = 0; l < L; l++) {
    const nIn = width(layersPtr, l), nOut = width(layersPtr, l + 1);
    const z = tab(aTab, l + 1);
    gemm(z, tab(aTab, l), tab(wTab, l), batch, nOut, nIn, nIn, nIn, nOut, 0, 1, 1, 0, simd);
    biasRelu(z, tab(bTab, l), batch, nOut, l < L - 1, simd);
  }
}

/**
 * Σ over the batch of the loss of logits z (batch × c), in f64; counts errors; writes ∂ℓ_i/∂z_i
 * (f32) to d unless d = 0. Labels y (i32) and losses:
 *   0 cross-entropy   ℓ = log Σ_j e^{z_j} − z_y              y ∈ 0..c−1, error: argmax z ≠ y (first max)
 *   1 multi-class hinge, Weston–Watkins: ℓ = Σ_{j≠y} max(0, 1 + z_j − z_y)   y, error as above
 *   2 binary absolute ℓ = |y − f|,  c = 1                    y ∈ {−1, +1}, error: y·f ≤ 0
 *   3 binary hinge    ℓ = max(0, 1 − y·f),  c = 1            y, error as for 2
 * Subgradients take 0 at every kink. A label or code outside these traps.
 */
function lossRows(z: usize, y: usize, batch: i32, c: i32, code: i32, d: usize): f64 {
  if (code < 0 || code > 3 || (code >= 2 && c != 1)) unreachable();
  let sum: f64 = 0;
  errors = 0;
  for (let i = 0; i < batch; i++) {
    const zi = z + (<usize>i * <usize>c << 2);
    const di = d + (<usize>i * <usize>c << 2);
    const yi = load<i32>(y + (<usize>i << 2));
    if (code >= 2) {
      if (yi != 1 && yi != -1) unreachable();
      const f = <f64>load<f32>(zi), t = <f64>yi;
      if (t * f <= 0) errors += 1;
      if (code == 2) {
        sum += Math.abs(t - f);
        if (d) store<f32>(di, f > t ? 1 : f < t ? -1 : 0);
      } else {
        const margin = 1 - t * f;
        sum += margin > 0 ? margin : 0;
        if (d) store<f32>(di, margin > 0 ? <f32>-t : 0);
      }
      continue;
    }
    if (<u32>yi >= <u32>c) unreachable();
    const zy = <f64>load<f32>(zi + (<usize>yi << 2));
    let top = zy;
    let arg = yi;
    for (let j = 0; j < c; j++) {
      const v = <f64>load<f32>(zi + (<usize>j << 2));
      if (v > top || (v == top && j < arg)) { top = v; arg = j; }
    }
    if (arg != yi) errors += 1;
    if (code == 0) {
      // Shifted by the max so no exp overflows; the gradient is softmax − onehot.
      let s: f64 = 0;
      for (let j = 0; j < c; j++) s += Math.exp(<f64>load<f32>(zi + (<usize>j << 2)) - top);
      sum += Math.log(s) + top - zy;
      if (d) for (let j = 0; j < c; j++) {
        const p = Math.exp(<f64>load<f32>(zi + (<usize>j << 2)) - top) / s;
        store<f32>(di + (<usize>j << 2), <f32>(j == yi ? p - 1 : p));
      }
    } else {
      let active: f64 = 0;
      for (let j = 0; j < c; j++) {
        if (j == yi) continue;
        const margin = 1 + <f64>load<f32>(zi + (<usize>j << 2)) - zy;
        if (margin > 0) { sum += margin; active += 1; }
        if (d) store<f32>(di + (<usize>j << 2), margin > 0 ? 1 : 0);
      }
      if (d) store<f32>(di + (<usize>yi << 2), <f32>-active);
    }
  }
  return sum;
}

// Backward modes: what the δᵀ·a product accumulates into.
const GRAD = 0; // grad ← ∇ (mean over the batch)
const SGD = 1; // W ← W − lr·∇, fused into the GEMM as beta = 1
const MOMENTUM = 2; // v ← μ·v + ∇, W ← W − lr·v

/** δ_L is in delta0. Layer l's δ·W_l is formed before W_l changes, so updating in place is safe. */
function backward(layersPtr: usize, L: i32, batch: i32, mode: i32, tPtr: usize, paramsPtr: usize, lr: f32, mu: f32, simd: bool): void {
  const alpha: f32 = mode == SGD ? -lr / <f32>batch : <f32>1 / <f32>batch;
  const beta: f32 = mode == SGD ? 1 : mode == MOMENTUM ? mu : 0;
  let cur = delta0, nxt = delta1;
  for (let l = L - 1; l >= 0; l--) {
    const nIn = width(layersPtr, l), nOut = width(layersPtr, l + 1);
    const w = tab(wTab, l), b = tab(bTab, l);
    if (l > 0) {
      gemm(nxt, cur, w, batch, nIn, nOut, nOut, nIn, nIn, 0, 0, 1, 0, simd);
      reluMask(nxt, tab(aTab, l), <usize>batch * <usize>nIn, simd);
    }
    // The same offsets in the target buffer as in params (gradient and velocity share the layout).
    const tw = mode == SGD ? w : tPtr + (w - paramsPtr);
    gemm(tw, cur, tab(aTab, l), nOut, nIn, batch, nOut, nIn, nIn, 1, 0, alpha, beta, simd);
    const count = <usize>nOut * <usize>nIn + (b ? <usize>nOut : 0);
    if (b) colSum(tw + (<usize>nOut * <usize>nIn << 2), cur, batch, nOut, alpha, beta, simd);
    if (mode == MOMENTUM) axpyDown(w, tw, count, lr, simd);
    const t = cur; cur = nxt; nxt = t;
  }
}

function forwardLoss(paramsPtr: usize, layersPtr: usize, L: i32, bias: i32, xPtr: usize, yPtr: usize, batch: i32, loss: i32, workPtr: usize, outPtr: usize, simd: bool): f64 {
  layout(paramsPtr, layersPtr, L, bias, xPtr, batch, workPtr);
  forward(layersPtr, L, batch, simd);
  const sum = lossRows(tab(aTab, L), yPtr, batch, width(layersPtr, L), loss, 0);
  store<f64>(outPtr, errors);
  return sum;
}

/**
 * Σ_i ℓ_i over the batch (f64); the error count goes to outPtr (f64). Layers: L + 1 i32 widths
 * n_0..n_L at layersPtr, 1 ≤ L ≤ 8; bias 0/1; loss code and labels as in lossRows. workPtr:
 * mlp_work_bytes(layersPtr, L, batch) bytes, which may not overlap any other buffer.
 */
export function mlp_forward_loss_f32(paramsPtr: usize, layersPtr: usize, L: i32, bias: i32, xPtr: usize, yPtr: usize, batch: i32, loss: i32, workPtr: usize, outPtr: usize): f64 {
  return forwardLoss(paramsPtr, layersPtr, L, bias, xPtr, yPtr, batch, loss, workPtr, outPtr, true);
}

/** mlp_forward_loss_f32 with plain loops and gemm_f32_scalar, in every binary. */
export function mlp_forward_loss_f32_scalar(paramsPtr: usize, layersPtr: usize, L: i32, bias: i32, xPtr: usize, yPtr: usize, batch: i32, loss: i32, workPtr: usize, outPtr: usize): f64 {
  return forwardLoss(paramsPtr, layersPtr, L, bias, xPtr, yPtr, batch, loss, workPtr, outPtr, false);
}

function run(mode: i32, tPtr: usize, paramsPtr: usize, layersPtr: usize, L: i32, bias: i32, xPtr: usize, yPtr: usize, batch: i32, loss: i32, lr: f32, mu: f32, workPtr: usize, simd: bool): f64 {
  layout(paramsPtr, layersPtr, L, bias, xPtr, batch, workPtr);
  forward(layersPtr, L, batch, simd);
  const sum = lossRows(tab(aTab, L), yPtr, batch, width(layersPtr, L), loss, delta0);
  backward(layersPtr, L, batch, mode, tPtr, paramsPtr, lr, mu, simd);
  return sum / <f64>batch;
}

/**
 * The mean gradient of the batch loss, in the params layout, to gradPtr (which may not overlap
 * params or the workspace); returns the mean loss. Arguments as mlp_forward_loss_f32.
 */
export function mlp_grad_f32(gradPtr: usize, paramsPtr: usize, layersPtr: usize, L: i32, bias: i32, xPtr: usize, yPtr: usize, batch: i32, loss: i32, workPtr: usize): f64 {
  return run(GRAD, gradPtr, paramsPtr, layersPtr, L, bias, xPtr, yPtr, batch, loss, 0, 0, workPtr, true);
}

export function mlp_grad_f32_scalar(gradPtr: usize, paramsPtr: usize, layersPtr: usize, L: i32, bias: i32, xPtr: usize, yPtr: usize, batch: i32, loss: i32, workPtr: usize): f64 {
  return run(GRAD, gradPtr, paramsPtr, layersPtr, L, bias, xPtr, yPtr, batch, loss, 0, 0, workPtr, false);
}

/**
 * One SGD step on one minibatch, in place: with g the mean gradient, p ← p − lr·g when
 * momentum = 0 (velPtr unused, may be 0), else v ← momentum·v + g, p ← p − lr·v (velPtr: params
 * layout, zero at the start of a run). Returns the minibatch mean loss before the step.
 */
export function mlp_sgd_step_f32(paramsPtr: usize, velPtr: usize, layersPtr: usize, L: i32, bias: i32, xPtr: usize, yPtr: usize, batch: i32, loss: i32, lr: f32, momentum: f32, workPtr: usize): f64 {
  return run(momentum == 0 ? SGD : MOMENTUM, velPtr, paramsPtr, layersPtr, L, bias, xPtr, yPtr, batch, loss, lr, momentum, workPtr, true);
}

export function mlp_sgd_step_f32_scalar(paramsPtr: usize, velPtr: usize, layersPtr: usize, L: i32, bias: i32, xPtr: usize, yPtr: usize, batch: i32, loss: i32, lr: f32, momentum: f32, workPtr: usize): f64 {
  return run(momentum == 0 ? SGD : MOMENTUM, velPtr, paramsPtr, layersPtr, L, bias, xPtr, yPtr, batch, loss, lr, momentum, workPtr, false);
}
