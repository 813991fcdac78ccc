// Metropolis annealing over the weights of the ReLU MLP of mlp.ts ([P2] supp. §12.2; Kirkpatrick,
// Gelatt & Vecchi 1983): one weight per proposal, w ← w + s_l·ξ or to another level of {−c_l, 0, c_l},
// accepted with min(1, e^{−ΔL/T}), ΔL the change of the mean loss over S samples. ΔL is incremental:
// the pre-activations Z_l (S × n_l, f64) stay resident, a weight of layer l moves column o of Z_l
// (O(S)), and through the ReLU only the rows of Z_{l+1..L} of the samples whose unit output changed.
// Params f64 in the mlp.ts layout (per layer W_l n_l × n_{l−1} row-major, then b_l), x f64 S × n_0,
// y i32 (class, or ±1 for the binary losses). Randomness is Philox only (rng.ts): proposal t of
// (seed, stream) takes U[2t] (which parameter) and U[2t+1] (acceptance) of stream `stream`, and
// Z[t] (continuous step) or U[t] (ternary level) of stream + 1. No SIMD or fma: the same bytes on
// every binary and engine.
import { normalAt, uniformAt } from './rng';
import { rowLoss, checkLabels } from './anneal_loss';

const MAXL = 8;
// Workspace header (f64), persistent across calls: Σ_s ℓ_s as updated incrementally, accepted moves
// since the last full recomputation, the largest |incremental − full| of the mean loss seen, and the
// number of full recomputations.
const H_SUM = 0, H_SINCE = 8, H_DRIFT = 16, H_FULLS = 24, H_BYTES = 64;

const wTab: usize = memory.data(4 * (MAXL + 1), 16); // W_l, l = 1..L
const bTab: usize = memory.data(4 * (MAXL + 1), 16); // b_l (0 without bias)
// Z_0 = xᵀ and the hidden Z_l are unit-major (n_l × S), so the column a proposal moves is contiguous;
// the logits Z_L are sample-major (S × n_L), so each sample's loss reads one row.
const zTab: usize = memory.data(4 * (MAXL + 1), 16);
const nzTab: usize = memory.data(4 * (MAXL + 1), 16); // candidate rows of Z_l (l ≥ 2), S × n_l
let nS: usize = 0;
let head: usize = 0;
let ncol: usize = 0; // candidate column o of Z_l, S
let lossS: usize = 0; // ℓ_s, S
let nlossS: usize = 0; // candidate ℓ_s, S
let flags: usize = 0; // i32 per sample: 0 untouched, 1 column only, 2 column and loss
let dvec: usize = 0; // Δa of one layer, max width
let idxv: usize = 0; // i32 indices of its nonzero entries
// The current proposal.
let pl: i32 = 0, po: i32 = 0, pi: i32 = 0; // layer 1..L, unit, input (−1: the bias)
let pAddr: usize = 0;
let pOld: f64 = 0, pNew: f64 = 0;

@inline function width(layersPtr: usize, l: i32): i32 { return load<i32>(layersPtr + (<usize>l << 2)); }
@inline function tab(t: usize, l: i32): usize { return load<usize>(t + (<usize>l << 2)); }
@inline function setTab(t: usize, l: i32, v: usize): void { store<usize>(t + (<usize>l << 2), v); }
@inline function up16(b: u64): u64 { return (b + 15) & ~15; }
@inline function at(p: usize, i: usize): f64 { return load<f64>(p + (i << 3)); }
@inline function put(p: usize, i: usize, v: f64): void { store<f64>(p + (i << 3), v); }
@inline function relu(v: f64): f64 { return v > 0 ? v : 0; }

/** Lays the workspace out from base; returns its size in bytes. */
function plan(layersPtr: usize, L: i32, S: i32, base: u64): f64 {
  if (L < 1 || L > MAXL || S < 1) unreachable();
  let off = base;
  nS = <usize>S;
  head = <usize>off; off += H_BYTES;
  let wide: i32 = 0;
  for (let l = 0; l <= L; l++) wide = max(wide, width(layersPtr, l));
  setTab(zTab, 0, <usize>off); off += up16(<u64>S * <u64>width(layersPtr, 0) << 3);
  for (let l = 1; l <= L; l++) {
    const rows = <u64>S * <u64>width(layersPtr, l) << 3;
    setTab(zTab, l, <usize>off); off += up16(rows);
    setTab(nzTab, l, <usize>off); if (l >= 2) off += up16(rows);
  }
  const col = up16(<u64>S << 3);
  ncol = <usize>off; off += col;
  lossS = <usize>off; off += col;
  nlossS = <usize>off; off += col;
  flags = <usize>off; off += up16(<u64>S << 2);
  dvec = <usize>off; off += up16(<u64>wide << 3);
  idxv = <usize>off; off += up16(<u64>wide << 2);
  return <f64>(off - base);
}

/** Workspace bytes for S samples (16 extra to align workPtr); the workspace holds the chain's state. */
export function anneal_work_bytes(layersPtr: usize, L: i32, S: i32): f64 {
  return plan(layersPtr, L, S, 0) + 16;
}

function layout(paramsPtr: usize, layersPtr: usize, L: i32, bias: i32, S: i32, workPtr: usize): void {
  plan(layersPtr, L, S, <u64>((workPtr + 15) & ~15));
  let p = paramsPtr;
  for (let l = 1; l <= L; l++) {
    const n = <usize>width(layersPtr, l) * <usize>width(layersPtr, l - 1);
    setTab(wTab, l, p);
    p += n << 3;
    setTab(bTab, l, bias ? p : 0);
    if (bias) p += <usize>width(layersPtr, l) << 3;
  }
}

/** Address of Z_l[s, o] (Z_0 = x): unit-major below the output layer, sample-major at it. */
@inline function zAddr(l: i32, L: i32, n: i32, s: i32, o: i32): usize {
  return tab(zTab, l) + ((l < L ? <usize>o * nS + <usize>s : <usize>s * <usize>n + <usize>o) << 3);
}

/**
 * Z_l and ℓ_s from the params, column by column (contiguous in s), each element summed in a fixed
 * order (bias, then inputs ascending); returns Σ_s ℓ_s.
 */
function recompute(layersPtr: usize, L: i32, yPtr: usize, S: i32, code: i32): f64 {
  for (let l = 1; l <= L; l++) {
    const nIn = width(layersPtr, l - 1), nOut = width(layersPtr, l);
    const w = tab(wTab, l), b = tab(bTab, l), a = tab(zTab, l - 1), hiddenIn = l > 1;
    for (let o = 0; o < nOut; o++) {
      const col = l < L ? zAddr(l, L, nOut, 0, o) : ncol;
      const b0: f64 = b ? at(b, <usize>o) : 0;
      for (let s = 0; s < S; s++) put(col, <usize>s, b0);
      for (let i = 0; i < nIn; i++) {
        const wi = at(w, <usize>o * <usize>nIn + <usize>i), ai = a + (<usize>i * nS << 3);
        if (hiddenIn) for (let s = 0; s < S; s++) put(col, <usize>s, at(col, <usize>s) + wi * relu(at(ai, <usize>s)));
        else for (let s = 0; s < S; s++) put(col, <usize>s, at(col, <usize>s) + wi * at(ai, <usize>s));
      }
      if (l == L) for (let s = 0; s < S; s++) store<f64>(zAddr(L, L, nOut, s, o), at(col, <usize>s));
    }
  }
  const c = width(layersPtr, L), zL = tab(zTab, L);
  let sum: f64 = 0;
  for (let s = 0; s < S; s++) {
    const ls = rowLoss(zL + (<usize>s * <usize>c << 3), c, load<i32>(yPtr + (<usize>s << 2)), code, -1, 0);
    put(lossS, <usize>s, ls);
    sum += ls;
  }
  return sum;
}

/** Picks parameter floor(U·P) of proposal t and its new value into the proposal globals. */
function propose(t: u64, seed: u64, stream: u64, layersPtr: usize, L: i32, bias: i32, scalePtr: usize, ternary: i32): void {
  let P: i32 = 0;
  for (let l = 1; l <= L; l++) P += width(layersPtr, l) * (width(layersPtr, l - 1) + (bias ? 1 : 0));
  let k = min(<i32>(uniformAt(seed, stream, t << 1) * <f64>P), P - 1);
  for (let l = 1; l <= L; l++) {
    const nIn = width(layersPtr, l - 1), nOut = width(layersPtr, l);
    if (k < nOut * nIn) {
      pl = l; po = k / nIn; pi = k % nIn;
      pAddr = tab(wTab, l) + (<usize>k << 3);
      break;
    }
    k -= nOut * nIn;
    if (bias && k < nOut) {
      pl = l; po = k; pi = -1;
      pAddr = tab(bTab, l) + (<usize>k << 3);
      break;
    }
    if (bias) k -= nOut;
  }
  pOld = load<f64>(pAddr);
  const c = load<f64>(scalePtr + (<usize>(pl - 1) << 3));
  if (ternary) {
    // The two other levels of {−1, 0, +1}, each with probability ½.
    const m = <i32>Math.round(pOld / c);
    const first = m == -1 ? 0 : -1, second = m == 1 ? 0 : 1;
    pNew = <f64>(uniformAt(seed, stream + 1, t) < 0.5 ? first : second) * c;
  } else {
    pNew = pOld + c * normalAt(seed, stream + 1, t, true);
  }
}

/**
 * Σ_s (ℓ'_s − ℓ_s) of the current proposal; writes the candidate column, the candidate rows of the
 * layers above and the candidate ℓ'_s, with per-sample flags saying what commit() must copy.
 */
function deltaSum(layersPtr: usize, L: i32, yPtr: usize, S: i32, code: i32): f64 {
  const dw = pNew - pOld, c = width(layersPtr, L);
  const nl = width(layersPtr, pl);
  // The input the weight multiplies, sample by sample: 1 (bias), x_i, or relu(Z_{l−1}) of unit i.
  const hiddenIn = pl > 1, src = pi < 0 ? 0 : zAddr(pl - 1, L, 0, 0, pi);
  const col = pl < L ? zAddr(pl, L, nl, 0, po) : 0;
  let dsum: f64 = 0;
  for (let s = 0; s < S; s++) {
    const x = pi < 0 ? 1.0 : hiddenIn ? relu(at(src, <usize>s)) : at(src, <usize>s);
    if (x == 0) { store<i32>(flags + (<usize>s << 2), 0); continue; }
    const ys = load<i32>(yPtr + (<usize>s << 2));
    let ln: f64;
    if (pl == L) {
      const zn = load<f64>(zAddr(L, L, c, s, po)) + dw * x;
      put(ncol, <usize>s, zn);
      ln = rowLoss(zAddr(L, L, c, s, 0), c, ys, code, po, zn);
    } else {
      const zo = at(col, <usize>s), zn = zo + dw * x;
      put(ncol, <usize>s, zn);
      const da = relu(zn) - relu(zo);
      if (da == 0) { store<i32>(flags + (<usize>s << 2), 1); continue; }
      // Layer pl + 1 sees one changed input; the layers above see the Δa of the one below.
      let n = width(layersPtr, pl + 1);
      const w = tab(wTab, pl + 1), nzr = tab(nzTab, pl + 1) + (<usize>s * <usize>n << 3);
      for (let j = 0; j < n; j++) put(nzr, <usize>j, load<f64>(zAddr(pl + 1, L, n, s, j)) + da * at(w, <usize>j * <usize>nl + <usize>po));
      for (let k = pl + 2; k <= L; k++) {
        const nIn = n, nzi = tab(nzTab, k - 1) + (<usize>s * <usize>nIn << 3);
        let nz: i32 = 0;
        for (let j = 0; j < nIn; j++) {
          const d = relu(at(nzi, <usize>j)) - relu(load<f64>(zAddr(k - 1, L, nIn, s, j)));
          if (d != 0) { put(dvec, <usize>nz, d); store<i32>(idxv + (<usize>nz << 2), j); nz++; }
        }
        n = width(layersPtr, k);
        const wk = tab(wTab, k), nzk = tab(nzTab, k) + (<usize>s * <usize>n << 3);
        for (let m = 0; m < n; m++) {
          let v = load<f64>(zAddr(k, L, n, s, m));
          const row = wk + (<usize>m * <usize>nIn << 3);
          for (let q = 0; q < nz; q++) v += at(row, <usize>load<i32>(idxv + (<usize>q << 2))) * at(dvec, <usize>q);
          put(nzk, <usize>m, v);
        }
      }
      ln = rowLoss(tab(nzTab, L) + (<usize>s * <usize>c << 3), c, ys, code, -1, 0);
    }
    store<i32>(flags + (<usize>s << 2), 2);
    put(nlossS, <usize>s, ln);
    dsum += ln - at(lossS, <usize>s);
  }
  return dsum;
}

/** Writes the accepted proposal into the params and the resident state. */
function commit(layersPtr: usize, L: i32, S: i32, dsum: f64): void {
  store<f64>(pAddr, pNew);
  const nl = width(layersPtr, pl);
  for (let s = 0; s < S; s++) {
    const f = load<i32>(flags + (<usize>s << 2));
    if (f == 0) continue;
    store<f64>(zAddr(pl, L, nl, s, po), at(ncol, <usize>s));
    if (f == 1) continue;
    put(lossS, <usize>s, at(nlossS, <usize>s));
    for (let k = pl + 1; k <= L; k++) {
      const n = width(layersPtr, k), nz = tab(nzTab, k) + (<usize>s * <usize>n << 3);
      for (let j = 0; j < n; j++) store<f64>(zAddr(k, L, n, s, j), at(nz, <usize>j));
    }
  }
  store<f64>(head + H_SUM, load<f64>(head + H_SUM) + dsum);
}

/** Full recomputation: records |incremental − full| of the mean loss when `check`, then resets the state to it. */
function refresh(layersPtr: usize, L: i32, yPtr: usize, S: i32, code: i32, check: bool): f64 {
  const sum = recompute(layersPtr, L, yPtr, S, code);
  if (check) {
    const drift = Math.abs(load<f64>(head + H_SUM) - sum) / <f64>S;
    store<f64>(head + H_DRIFT, max(load<f64>(head + H_DRIFT), drift));
    store<f64>(head + H_FULLS, load<f64>(head + H_FULLS) + 1);
  } else {
    store<f64>(head + H_DRIFT, 0);
    store<f64>(head + H_FULLS, 0);
  }
  store<f64>(head + H_SUM, sum);
  store<f64>(head + H_SINCE, 0);
  return sum / <f64>S;
}

/**
 * Starts a chain: the resident state from the params, drift statistics zeroed; returns the mean
 * loss. workPtr: anneal_work_bytes(layers, L, S) bytes; later calls must pass the same buffers.
 */
export function anneal_init_f64(paramsPtr: usize, layersPtr: usize, L: i32, bias: i32, xPtr: usize, yPtr: usize, S: i32, loss: i32, workPtr: usize): f64 {
  layout(paramsPtr, layersPtr, L, bias, S, workPtr);
  checkLabels(yPtr, S, width(layersPtr, L), loss);
  const n0 = width(layersPtr, 0), xT = tab(zTab, 0);
  for (let s = 0; s < S; s++) for (let i = 0; i < n0; i++) put(xT, <usize>i * nS + <usize>s, at(xPtr, <usize>s * <usize>n0 + <usize>i));
  return refresh(layersPtr, L, yPtr, S, loss, false);
}

/** A full recomputation now (drift recorded); returns the recomputed mean loss. x was copied at init; xPtr is not read here or below. */
export function anneal_refresh_f64(paramsPtr: usize, layersPtr: usize, L: i32, bias: i32, xPtr: usize, yPtr: usize, S: i32, loss: i32, workPtr: usize): f64 {
  layout(paramsPtr, layersPtr, L, bias, S, workPtr);
  return refresh(layersPtr, L, yPtr, S, loss, true);
}

/** outPtr ← 4 f64: incremental mean loss, max drift seen, full recomputations, accepted moves since the last. */
export function anneal_stats_f64(outPtr: usize, layersPtr: usize, L: i32, S: i32, workPtr: usize): void {
  plan(layersPtr, L, S, <u64>((workPtr + 15) & ~15));
  store<f64>(outPtr, load<f64>(head + H_SUM) / <f64>S);
  store<f64>(outPtr, load<f64>(head + H_DRIFT), 8);
  store<f64>(outPtr, load<f64>(head + H_FULLS), 16);
  store<f64>(outPtr, load<f64>(head + H_SINCE), 24);
}

/**
 * ΔL of proposals t0 .. t0+n−1 of (seed, stream) from the current state, none accepted, to outPtr
 * (n f64). scalePtr: L f64, the step s_l (continuous) or the level spacing c_l (ternary ≠ 0).
 */
export function anneal_probe_f64(outPtr: usize, n: i32, seed: f64, stream: f64, t0: f64, scalePtr: usize, ternary: i32,
  paramsPtr: usize, layersPtr: usize, L: i32, bias: i32, xPtr: usize, yPtr: usize, S: i32, loss: i32, workPtr: usize): void {
  layout(paramsPtr, layersPtr, L, bias, S, workPtr);
  for (let q = 0; q < n; q++) {
    propose(<u64>t0 + <u64>q, <u64>seed, <u64>stream, layersPtr, L, bias, scalePtr, ternary);
    put(outPtr, <usize>q, deltaSum(layersPtr, L, yPtr, S, loss) / <f64>S);
  }
}

/**
 * n Metropolis proposals t0 .. t0+n−1 at temperature T (T = 0: only ΔL ≤ 0 accepted); returns the
 * number accepted. A full recomputation follows every `every` accepted moves (0: never). full ≠ 0
 * computes each ΔL by a full forward pass instead (the baseline the incremental path is measured
 * against; same chain up to rounding), and leaves the state recomputed.
 */
export function anneal_run_f64(n: i32, T: f64, seed: f64, stream: f64, t0: f64, scalePtr: usize, ternary: i32, every: i32, full: i32,
  paramsPtr: usize, layersPtr: usize, L: i32, bias: i32, xPtr: usize, yPtr: usize, S: i32, loss: i32, workPtr: usize): i32 {
  layout(paramsPtr, layersPtr, L, bias, S, workPtr);
  const invS = 1.0 / <f64>S;
  let accepted: i32 = 0;
  for (let q = 0; q < n; q++) {
    const t = <u64>t0 + <u64>q;
    propose(t, <u64>seed, <u64>stream, layersPtr, L, bias, scalePtr, ternary);
    let dsum: f64;
    if (full) {
      store<f64>(pAddr, pNew);
      dsum = recompute(layersPtr, L, yPtr, S, loss) - load<f64>(head + H_SUM);
      store<f64>(pAddr, pOld);
    } else {
      dsum = deltaSum(layersPtr, L, yPtr, S, loss);
    }
    const dL = dsum * invS;
    if (!(dL <= 0 || (T > 0 && uniformAt(<u64>seed, <u64>stream, (t << 1) + 1) < Math.exp(-dL / T)))) continue;
    accepted++;
    if (full) {
      store<f64>(pAddr, pNew);
      store<f64>(head + H_SUM, load<f64>(head + H_SUM) + dsum);
    } else {
      commit(layersPtr, L, S, dsum);
    }
    const since = load<f64>(head + H_SINCE) + 1;
    store<f64>(head + H_SINCE, since);
    if (every > 0 && since >= <f64>every) refresh(layersPtr, L, yPtr, S, loss, true);
  }
  if (full) refresh(layersPtr, L, yPtr, S, loss, true);
  return accepted;
}
