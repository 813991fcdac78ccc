// Exact f64 Hessian-vector products H·V of L(θ) = (1/S) Σ_s ℓ(f(x_s; θ), y_s) for the ReLU MLP of
// mlp.ts by Pearlmutter's R-op (Neural Computation 6, 1994): a forward R-pass Rz_l = Ra_{l−1}·W_lᵀ +
// a_{l−1}·dW_lᵀ + db_l, Ra_l = Rz_l ⊙ 1[z_l > 0], Rδ_L = ∇²ℓ(f)·Rf, and a backward R-pass
// Rδ_{l−1} = (Rδ_l·W_l + δ_l·dW_l) ⊙ 1[z_{l−1} > 0], R∇W_l = (Rδ_lᵀ·a_{l−1} + δ_lᵀ·Ra_{l−1}) / S.
// ReLU's indicator is fixed by the forward pass (σ'' = 0 a.e.). Params f64 in the mlp.ts layout
// (per layer W_l n_l × n_{l−1} row-major, then b_l), x f64 S × n_0. Blocks of k directions are
// laid out sample-major, S × k × n_l, so products with W_l see one (S·k) × n_l matrix and products
// with a_{l−1} see S × (k·n_l). Every product goes through the packed 4×4 f64 GEMM of gemm64.ts.

import { KC, gemm, setPackBuffers } from './gemm64';
const MAXL = 8;
const KINK: f64 = 1e-6;

const wTab: usize = memory.data(4 * MAXL, 16); // W_l, f64
const bTab: usize = memory.data(4 * MAXL, 16); // b_l (0 without bias)
const wtTab: usize = memory.data(4 * MAXL, 16); // W_lᵀ copy, n_{l−1} × n_l
const aTab: usize = memory.data(4 * (MAXL + 1), 16); // a_0 = x, a_l = relu(z_l), a_L = f; S × n_l
const dTab: usize = memory.data(4 * (MAXL + 1), 16); // δ_l = ∂ℓ_s/∂z_l, S × n_l
const raTab: usize = memory.data(4 * (MAXL + 1), 16); // Ra_l (Rf for l = L), S × k × n_l
const oTab: usize = memory.data(4 * MAXL, 16); // element offset of W_l in params
let probs: usize = 0;
let rd0: usize = 0;
let rd1: usize = 0;
let tscr: usize = 0;
let hiddenKinks: f64 = 0;
let lossKinks: f64 = 0;

@inline function width(layersPtr: usize, l: i32): i32 { return load<i32>(layersPtr + (<usize>l << 2)); }
@inline function tab(t: usize, l: i32): usize { return load<usize>(t + (<usize>l << 2)); }
@inline function setTab(t: usize, l: i32, v: usize): void { store<usize>(t + (<usize>l << 2), v); }
@inline function up16(b: u64): u64 { return (b + 15) & ~15; }
@inline function at(p: usize, i: usize): f64 { return load<f64>(p + (i << 3)); }
@inline function put(p: usize, i: usize, v: f64): void { store<f64>(p + (i << 3), v); }
@inline function addTo(p: usize, i: usize, v: f64): void { store<f64>(p + (i << 3), load<f64>(p + (i << 3)) + v); }

// ---- Workspace and the forward/backward pass shared by every kernel.

/** Lays the workspace out from base; returns its size in bytes (f64: a large block can pass 4 GiB). */
function plan(layersPtr: usize, L: i32, S: i32, k: i32, base: u64): f64 {
  if (L < 1 || L > MAXL || S < 1 || k < 1) unreachable();
  let off = base;
  let wide: i32 = 0, wideR: i32 = 0, wMax: u64 = 0;
  for (let l = 0; l <= L; l++) wide = max(wide, width(layersPtr, l));
  for (let l = 1; l <= L; l++) {
    wideR = max(wideR, width(layersPtr, l));
    const w = <u64>width(layersPtr, l) * <u64>width(layersPtr, l - 1);
    wMax = max(wMax, w);
    setTab(wtTab, l - 1, <usize>off);
    off += up16(w << 3);
  }
  const sk = <u64>S * <u64>k;
  for (let l = 1; l <= L; l++) {
    const n = <u64>width(layersPtr, l);
    setTab(aTab, l, <usize>off); off += up16(<u64>S * n << 3);
    setTab(dTab, l, <usize>off); off += up16(<u64>S * n << 3);
    setTab(raTab, l, <usize>off); off += up16(sk * n << 3);
  }
  probs = <usize>off; off += up16(<u64>S * <u64>width(layersPtr, L) << 3);
  rd0 = <usize>off; off += up16(sk * <u64>wideR << 3);
  rd1 = <usize>off; off += up16(sk * <u64>wideR << 3);
  tscr = <usize>off; off += up16(wMax << 3);
  const packA = <usize>off; off += up16((<u64>KC * 4 + 16) << 3);
  const packB = <usize>off; off += up16(<u64>KC * <u64>((wide + 3) & ~3) << 3);
  setPackBuffers(packA, packB);
  return <f64>(off - base);
}

/** Workspace bytes for blocks of up to k directions on S samples (16 extra to align workPtr). */
export function hess_work_bytes(layersPtr: usize, L: i32, S: i32, k: i32): f64 {
  return plan(layersPtr, L, S, k, 0) + 16;
}

function layout(paramsPtr: usize, layersPtr: usize, L: i32, bias: i32, x: usize, S: i32, k: i32, workPtr: usize): void {
  plan(layersPtr, L, S, k, <u64>((workPtr + 15) & ~15));
  setTab(aTab, 0, x);
  let p = paramsPtr;
  for (let l = 0; l < L; l++) {
    const nIn = width(layersPtr, l), nOut = width(layersPtr, l + 1);
    setTab(wTab, l, p);
    setTab(oTab, l, (p - paramsPtr) >> 3);
    const wt = tab(wtTab, l);
    for (let o = 0; o < nOut; o++) for (let i = 0; i < nIn; i++) put(wt, <usize>(i * nOut + o), at(p, <usize>(o * nIn + i)));
    p += <usize>nOut * <usize>nIn << 3;
    setTab(bTab, l, bias ? p : 0);
    if (bias) p += <usize>nOut << 3;
  }
}

/** a_l for every layer, the kink count of the hidden pre-activations, then δ_l, p and the loss sum. */
function forwardBackward(layersPtr: usize, L: i32, S: i32, y: usize, code: i32, simd: bool): f64 {
  hiddenKinks = 0;
  for (let l = 0; l < L; l++) {
    const nIn = width(layersPtr, l), nOut = width(layersPtr, l + 1);
    const z = tab(aTab, l + 1), b = tab(bTab, l);
    gemm(z, nOut, tab(aTab, l), nIn, 1, tab(wtTab, l), nOut, S, nOut, nIn, 1, 0, simd);
    const count = <usize>S * <usize>nOut;
    for (let e: usize = 0; e < count; e++) {
      let v = at(z, e);
      if (b) v += at(b, e % <usize>nOut);
      if (l < L - 1) {
        if (Math.abs(v) < KINK) hiddenKinks += 1;
        if (!(v > 0)) v = 0;
      }
      put(z, e, v);
    }
  }
  const sum = lossRows(tab(aTab, L), y, S, width(layersPtr, L), code, tab(dTab, L));
  for (let l = L - 1; l >= 1; l--) {
    const nIn = width(layersPtr, l), nOut = width(layersPtr, l + 1);
    const d = tab(dTab, l), a = tab(aTab, l);
    gemm(d, nIn, tab(dTab, l + 1), nOut, 1, tab(wTab, l), nIn, S, nIn, nOut, 1, 0, simd);
    const count = <usize>S * <usize>nIn;
    for (let e: usize = 0; e < count; e++) if (!(at(a, e) > 0)) put(d, e, 0);
  }
  return sum;
}

/**
 * Σ_s ℓ_s of logits f (S × c) in f64; δ_L = ∂ℓ_s/∂f to d, softmax to probs, loss kinks counted
 * (hinge margins or |f − y| within 1e-6 of their kink). The losses and labels of mlp.ts lossRows:
 * 0 cross-entropy, 1 Weston–Watkins hinge, 2 |y − f|, 3 max(0, 1 − y·f); subgradient 0 at kinks.
 */
function lossRows(z: usize, y: usize, S: i32, c: i32, code: i32, d: usize): f64 {
  if (code < 0 || code > 3 || (code >= 2 && c != 1)) unreachable();
  let sum: f64 = 0;
  lossKinks = 0;
  for (let s = 0; s < S; s++) {
    const zs = z + (<usize>s * <usize>c << 3), ds = d + (<usize>s * <usize>c << 3);
    const ys = load<i32>(y + (<usize>s << 2));
    if (code >= 2) {
      if (ys != 1 && ys != -1) unreachable();
      const f = at(zs, 0), t = <f64>ys;
      if (code == 2) {
        sum += Math.abs(t - f);
        if (Math.abs(t - f) < KINK) lossKinks += 1;
        put(ds, 0, f > t ? 1 : f < t ? -1 : 0);
      } else {
        const margin = 1 - t * f;
        sum += margin > 0 ? margin : 0;
        if (Math.abs(margin) < KINK) lossKinks += 1;
        put(ds, 0, margin > 0 ? -t : 0);
      }
      continue;
    }
    if (<u32>ys >= <u32>c) unreachable();
    const zy = at(zs, <usize>ys);
    if (code == 0) {
      let top = zy;
      for (let j = 0; j < c; j++) top = max(top, at(zs, <usize>j));
      let e: f64 = 0;
      for (let j = 0; j < c; j++) e += Math.exp(at(zs, <usize>j) - top);
      sum += Math.log(e) + top - zy;
      const ps = probs + (<usize>s * <usize>c << 3);
      for (let j = 0; j < c; j++) {
        const p = Math.exp(at(zs, <usize>j) - top) / e;
        put(ps, <usize>j, p);
        put(ds, <usize>j, j == ys ? p - 1 : p);
      }
    } else {
      let active: f64 = 0;
      for (let j = 0; j < c; j++) {
        if (j == ys) continue;
        const margin = 1 + at(zs, <usize>j) - zy;
        if (Math.abs(margin) < KINK) lossKinks += 1;
        if (margin > 0) { sum += margin; active += 1; }
        put(ds, <usize>j, margin > 0 ? 1 : 0);
      }
      put(ds, <usize>ys, -active);
    }
  }
  return sum;
}

/**
 * The mean loss (returned) and its gradient (P f64 to gradPtr) over all S samples; outPtr gets
 * two f64: hidden pre-activations with |z| < 1e-6, and loss kinks. params f64, x f64 S × n_0,
 * y i32; workPtr: hess_work_bytes(layers, L, S, 1) bytes or more. No buffer may overlap another.
 */
export function hess_grad_f64(gradPtr: usize, paramsPtr: usize, layersPtr: usize, L: i32, bias: i32, xPtr: usize, yPtr: usize, S: i32, loss: i32, workPtr: usize, outPtr: usize): f64 {
  layout(paramsPtr, layersPtr, L, bias, xPtr, S, 1, workPtr);
  const sum = forwardBackward(layersPtr, L, S, yPtr, loss, true);
  const inv = 1.0 / <f64>S;
  for (let l = 0; l < L; l++) {
    const nIn = width(layersPtr, l), nOut = width(layersPtr, l + 1);
    const d = tab(dTab, l + 1), g = gradPtr + (tab(oTab, l) << 3);
    gemm(g, nIn, d, 1, nOut, tab(aTab, l), nIn, nOut, nIn, S, inv, 0, true);
    if (bias) {
      const gb = g + (<usize>nOut * <usize>nIn << 3);
      for (let o = 0; o < nOut; o++) {
        let s: f64 = 0;
        for (let r = 0; r < S; r++) s += at(d, <usize>(r * nOut + o));
        put(gb, <usize>o, s * inv);
      }
    }
  }
  store<f64>(outPtr, hiddenKinks);
  store<f64>(outPtr, lossKinks, 8);
  return sum * inv;
}

// ---- The R-passes. A block of k directions is either general (V: k × P at vPtr, row stride P) or
// the unit vectors e_{j0..j0+k} (vPtr = 0), whose dW terms are single columns added in O(S·k).

/** Where direction q falls in layer l: W index o·n_{l−1} + i (≥ 0), bias o (−1 − o), or none (MIN). */
@inline function unitAt(q: i32, l: i32, nIn: i32, nOut: i32, bias: i32): i32 {
  const r = q - <i32>tab(oTab, l);
  if (r >= 0 && r < nOut * nIn) return r;
  if (bias && r >= nOut * nIn && r < nOut * nIn + nOut) return -1 - (r - nOut * nIn);
  return i32.MIN_VALUE;
}

function rForward(layersPtr: usize, L: i32, bias: i32, S: i32, k: i32, vPtr: usize, j0: i32, P: i32, simd: bool): void {
  for (let l = 0; l < L; l++) {
    const nIn = width(layersPtr, l), nOut = width(layersPtr, l + 1);
    const rz = tab(raTab, l + 1), a = tab(aTab, l);
    const ldr = k * nOut;
    if (l > 0) gemm(rz, nOut, tab(raTab, l), nIn, 1, tab(wtTab, l), nOut, S * k, nOut, nIn, 1, 0, simd);
    else memory.fill(rz, 0, <usize>S * <usize>ldr << 3);
    for (let t = 0; t < k; t++) {
      if (vPtr) {
        const v = vPtr + ((<usize>t * <usize>P + tab(oTab, l)) << 3);
        for (let o = 0; o < nOut; o++) for (let i = 0; i < nIn; i++) put(tscr, <usize>(i * nOut + o), at(v, <usize>(o * nIn + i)));
        gemm(rz + (<usize>(t * nOut) << 3), ldr, a, nIn, 1, tscr, nOut, S, nOut, nIn, 1, 1, simd);
        if (bias) {
          const vb = v + (<usize>nOut * <usize>nIn << 3);
          for (let s = 0; s < S; s++) {
            const row = rz + (<usize>(s * ldr + t * nOut) << 3);
            for (let o = 0; o < nOut; o++) addTo(row, <usize>o, at(vb, <usize>o));
          }
        }
      } else {
        const u = unitAt(j0 + t, l, nIn, nOut, bias);
        if (u == i32.MIN_VALUE) continue;
        const o = u >= 0 ? u / nIn : -1 - u, i = u >= 0 ? u % nIn : -1;
        for (let s = 0; s < S; s++) addTo(rz, <usize>(s * ldr + t * nOut + o), i >= 0 ? at(a, <usize>(s * nIn + i)) : 1);
      }
    }
    if (l < L - 1) {
      const act = tab(aTab, l + 1);
      for (let s = 0; s < S; s++) for (let t = 0; t < k; t++) {
        const row = rz + (<usize>(s * ldr + t * nOut) << 3), ar = act + (<usize>(s * nOut) << 3);
        for (let o = 0; o < nOut; o++) if (!(at(ar, <usize>o) > 0)) put(row, <usize>o, 0);
      }
    }
  }
}

/** Rδ_L = ∇²ℓ(f)·Rf per sample: (diag p − ppᵀ)·r for cross-entropy, 0 for the piecewise-linear losses. */
function rLoss(cur: usize, rf: usize, S: i32, k: i32, c: i32, code: i32): void {
  if (code != 0) { memory.fill(cur, 0, <usize>S * <usize>k * <usize>c << 3); return; }
  for (let s = 0; s < S; s++) {
    const ps = probs + (<usize>(s * c) << 3);
    for (let t = 0; t < k; t++) {
      const e = <usize>((s * k + t) * c);
      let pr: f64 = 0;
      for (let j = 0; j < c; j++) pr += at(ps, <usize>j) * at(rf, e + <usize>j);
      for (let j = 0; j < c; j++) put(cur, e + <usize>j, at(ps, <usize>j) * (at(rf, e + <usize>j) - pr));
    }
  }
}

function rBackward(hvPtr: usize, ldo: i32, layersPtr: usize, L: i32, bias: i32, S: i32, k: i32, code: i32, vPtr: usize, j0: i32, P: i32, simd: bool): void {
  let cur = rd0, nxt = rd1;
  rLoss(cur, tab(raTab, L), S, k, width(layersPtr, L), code);
  const inv = 1.0 / <f64>S;
  for (let l = L - 1; l >= 0; l--) {
    const nIn = width(layersPtr, l), nOut = width(layersPtr, l + 1);
    const a = tab(aTab, l), d = tab(dTab, l + 1), ldr = k * nOut, ldi = k * nIn;
    for (let t = 0; t < k; t++) {
      const hv = hvPtr + ((<usize>t * <usize>ldo + tab(oTab, l)) << 3);
      const ct = cur + (<usize>(t * nOut) << 3);
      gemm(hv, nIn, ct, 1, ldr, a, nIn, nOut, nIn, S, inv, 0, simd);
      if (l > 0) gemm(hv, nIn, d, 1, nOut, tab(raTab, l) + (<usize>(t * nIn) << 3), ldi, nOut, nIn, S, inv, 1, simd);
      if (bias) {
        const hb = hv + (<usize>nOut * <usize>nIn << 3);
        for (let o = 0; o < nOut; o++) {
          let s: f64 = 0;
          for (let r = 0; r < S; r++) s += at(ct, <usize>(r * ldr + o));
          put(hb, <usize>o, s * inv);
        }
      }
    }
    if (l == 0) break;
    gemm(nxt, nIn, cur, nOut, 1, tab(wTab, l), nIn, S * k, nIn, nOut, 1, 0, simd);
    for (let t = 0; t < k; t++) {
      if (vPtr) {
        const v = vPtr + ((<usize>t * <usize>P + tab(oTab, l)) << 3);
        gemm(nxt + (<usize>(t * nIn) << 3), ldi, d, nOut, 1, v, nIn, S, nIn, nOut, 1, 1, simd);
      } else {
        const u = unitAt(j0 + t, l, nIn, nOut, bias);
        if (u < 0) continue; // not in W_l (a bias never enters δ)
        const o = u / nIn, i = u % nIn;
        for (let s = 0; s < S; s++) addTo(nxt, <usize>(s * ldi + t * nIn + i), at(d, <usize>(s * nOut + o)));
      }
    }
    const act = tab(aTab, l);
    for (let s = 0; s < S; s++) for (let t = 0; t < k; t++) {
      const row = nxt + (<usize>(s * ldi + t * nIn) << 3), ar = act + (<usize>(s * nIn) << 3);
      for (let i = 0; i < nIn; i++) if (!(at(ar, <usize>i) > 0)) put(row, <usize>i, 0);
    }
    const tmp = cur; cur = nxt; nxt = tmp;
  }
}

function paramTotal(layersPtr: usize, L: i32, bias: i32): i32 {
  let n = 0;
  for (let l = 1; l <= L; l++) n += width(layersPtr, l) * width(layersPtr, l - 1) + (bias ? width(layersPtr, l) : 0);
  return n;
}

function hvpRun(hvPtr: usize, vPtr: usize, j0: i32, k: i32, paramsPtr: usize, layersPtr: usize, L: i32, bias: i32, xPtr: usize, yPtr: usize, S: i32, loss: i32, workPtr: usize, simd: bool): f64 {
  layout(paramsPtr, layersPtr, L, bias, xPtr, S, k, workPtr);
  const P = paramTotal(layersPtr, L, bias);
  if (!vPtr && (j0 < 0 || j0 + k > P)) unreachable();
  const sum = forwardBackward(layersPtr, L, S, yPtr, loss, simd);
  rForward(layersPtr, L, bias, S, k, vPtr, j0, P, simd);
  rBackward(hvPtr, P, layersPtr, L, bias, S, k, loss, vPtr, j0, P, simd);
  return sum / <f64>S;
}

/**
 * HV ← H·V for k directions: V and HV are k × P f64 row-major (row t is direction t), H the
 * Hessian of the mean loss over all S samples. Returns the mean loss. Arguments as hess_grad_f64;
 * workPtr: hess_work_bytes(layers, L, S, k) bytes. HV must not overlap V, params, x or the workspace.
 */
export function hess_hvp_f64(hvPtr: usize, vPtr: usize, k: i32, paramsPtr: usize, layersPtr: usize, L: i32, bias: i32, xPtr: usize, yPtr: usize, S: i32, loss: i32, workPtr: usize): f64 {
  if (!vPtr) unreachable();
  return hvpRun(hvPtr, vPtr, 0, k, paramsPtr, layersPtr, L, bias, xPtr, yPtr, S, loss, workPtr, true);
}

export function hess_hvp_f64_scalar(hvPtr: usize, vPtr: usize, k: i32, paramsPtr: usize, layersPtr: usize, L: i32, bias: i32, xPtr: usize, yPtr: usize, S: i32, loss: i32, workPtr: usize): f64 {
  if (!vPtr) unreachable();
  return hvpRun(hvPtr, vPtr, 0, k, paramsPtr, layersPtr, L, bias, xPtr, yPtr, S, loss, workPtr, false);
}

/**
 * Rows j0..j0+k of H (= H·e_q, H symmetric) into the P × P matrix at hPtr, by the R-op on unit
 * directions. 0 ≤ j0, j0 + k ≤ P. Other arguments as hess_hvp_f64.
 */
export function hess_rows_f64(hPtr: usize, j0: i32, k: i32, paramsPtr: usize, layersPtr: usize, L: i32, bias: i32, xPtr: usize, yPtr: usize, S: i32, loss: i32, workPtr: usize): f64 {
  const P = paramTotal(layersPtr, L, bias);
  return hvpRun(hPtr + ((<usize>j0 * <usize>P) << 3), 0, j0, k, paramsPtr, layersPtr, L, bias, xPtr, yPtr, S, loss, workPtr, true);
}

export function hess_rows_f64_scalar(hPtr: usize, j0: i32, k: i32, paramsPtr: usize, layersPtr: usize, L: i32, bias: i32, xPtr: usize, yPtr: usize, S: i32, loss: i32, workPtr: usize): f64 {
  const P = paramTotal(layersPtr, L, bias);
  return hvpRun(hPtr + ((<usize>j0 * <usize>P) << 3), 0, j0, k, paramsPtr, layersPtr, L, bias, xPtr, yPtr, S, loss, workPtr, false);
}
