// The decoupled surrogate of a bias-free net (SCIENCE.md §8, [P1]): Y_k(x_s) = Σ_π x_{s,i} B_{s,π} w_π with
// B_{s,π} = 1[hi32(splitmix64(key + s·Ψ + t_π)) < ρ·2^32], iid Bernoulli(ρ) over samples and paths (A5u, A6u
// by construction), t_π = (i·U + u)·n_L + k the path index input-slowest (u = j_1, or j_1·n_2 + j_2).
// Params f64 as assembly/paths.ts (W_l n_l × n_{l−1}, no biases), x f64 S × n_0, labels i32, L = 2 or 3.
// Counter-based masks: nothing Ψ × S is stored, one sample's Ψ mask bytes at a time (layout [u][k][i]).

@inline function width(layersPtr: usize, l: i32): i32 { return load<i32>(layersPtr + (<usize>l << 2)); }
@inline function at(p: usize, i: usize): f64 { return load<f64>(p + (i << 3)); }
@inline function put(p: usize, i: usize, v: f64): void { store<f64>(p + (i << 3), v); }

@inline function mix64(z: u64): u64 {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
  z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
  return z ^ (z >> 31);
}

/** The stream's key: splitmix64(splitmix64(seed + γ) ^ stream), seed and stream integers below 2^53. */
@inline function keyOf(seed: f64, stream: f64): u64 { return mix64(mix64(<u64>seed + 0x9e3779b97f4a7c15) ^ <u64>stream); }

/** ρ·2^32 as the strict upper bound of the accepted hi words (ρ ≥ 1: every path on). */
@inline function thresholdOf(rho: f64): u64 { return rho >= 1 ? <u64>0x100000000 : rho <= 0 ? 0 : <u64>Math.floor(rho * 4294967296.0); }

function check(layersPtr: usize, L: i32): void {
  if (L != 2 && L != 3) unreachable();
  for (let l = 0; l <= L; l++) if (width(layersPtr, l) < 1) unreachable();
}

/** Hidden tuples U = n_1 (L = 2) or n_1·n_2 (L = 3). */
@inline function tuples(layersPtr: usize, L: i32): usize {
  return <usize>width(layersPtr, 1) * (L == 3 ? <usize>width(layersPtr, 2) : 1);
}

/** Workspace bytes: one sample's masks (Ψ u8), x_i·W1[j, i] and its W1 gradient row sums (2·n_1·n_0 f64), t_{u,k} (U·n_L f64), Y and dY. */
export function surrogate_work_bytes(layersPtr: usize, L: i32): f64 {
  check(layersPtr, L);
  const n0 = <f64>width(layersPtr, 0), n1 = <f64>width(layersPtr, 1), nL = <f64>width(layersPtr, L), U = <f64>tuples(layersPtr, L);
  return Math.ceil((n0 * U * nL) / 8) * 8 + 16 * n1 * n0 + 8 * U * nL + 16 * nL + 16;
}

/** The product of layers ≥ 2 along (u, k): W2[k, j1] (L = 2) or W2[j2, j1]·W3[k, j2] (L = 3). */
@inline function tail(w2: usize, w3: usize, L: i32, n1: usize, n2: usize, u: usize, k: usize): f64 {
  if (L == 2) return at(w2, k * n1 + u);
  const j1 = u / n2, j2 = u % n2;
  return at(w2, j2 * n1 + j1) * at(w3, k * n2 + j2);
}

/**
 * One sample's forward pass through the surrogate, the masks drawn as they are used: masks to m
 * ([u][k][i], contiguous in i), x_i·W1[j, i] to xw, t_{u,k} = Σ_i x_i W1[j1, i] B to tu (U·n_L f64), Y to y.
 */
function forward(paramsPtr: usize, layersPtr: usize, L: i32, x: usize, key: u64, thr: u64, s: i32, m: usize, xw: usize, tu: usize, y: usize): void {
  const n0 = <usize>width(layersPtr, 0), n1 = <usize>width(layersPtr, 1), nL = <usize>width(layersPtr, L);
  const n2 = L == 3 ? <usize>width(layersPtr, 2) : 1, U = n1 * n2, UK = U * nL;
  const w1 = paramsPtr, w2 = w1 + ((n1 * n0) << 3), w3 = w2 + ((n2 * n1) << 3);
  const base = key + <u64>s * <u64>(n0 * UK);
  for (let j: usize = 0; j < n1; j++) for (let i: usize = 0; i < n0; i++) put(xw, j * n0 + i, at(x, i) * at(w1, j * n0 + i));
  for (let k: usize = 0; k < nL; k++) put(y, k, 0);
  for (let u: usize = 0; u < U; u++) {
    const r = xw + (((L == 2 ? u : u / n2) * n0) << 3);
    for (let k: usize = 0; k < nL; k++) {
      const uk = u * nL + k, mr = m + uk * n0, c0 = base + <u64>uk, step = <u64>UK;
      let t: f64 = 0;
      let c = c0;
      for (let i: usize = 0; i < n0; i++) {
        const b = <u32>((mix64(c) >> 32) < thr);
        store<u8>(mr + i, <u8>b);
        t += at(r, i) * <f64>b;
        c += step;
      }
      put(tu, uk, t);
      put(y, k, at(y, k) + tail(w2, w3, L, n1, n2, u, k) * t);
    }
  }
}

/** Y (f64 S × n_L) of the surrogate with masks of stream (seed, stream) at rate ρ; workPtr: surrogate_work_bytes. */
export function surrogate_forward_f64(yPtr: usize, paramsPtr: usize, layersPtr: usize, L: i32, xPtr: usize, S: i32, rho: f64, seed: f64, stream: f64, workPtr: usize): void {
  check(layersPtr, L);
  const n0 = <usize>width(layersPtr, 0), n1 = <usize>width(layersPtr, 1), nL = <usize>width(layersPtr, L);
  const U = tuples(layersPtr, L), psi = n0 * U * nL;
  const m = workPtr, xw = m + ((psi + 7) & ~7), tu = xw + ((2 * n1 * n0) << 3);
  const key = keyOf(seed, stream), thr = thresholdOf(rho);
  for (let s = 0; s < S; s++) forward(paramsPtr, layersPtr, L, xPtr + ((<usize>s * n0) << 3), key, thr, s, m, xw, tu, yPtr + ((<usize>s * nL) << 3));
}

/**
 * The mean softmax cross-entropy of the surrogate over S samples (returned) and, when gradPtr ≠ 0, its
 * gradient (overwritten, P f64). The surrogate is multilinear in the layers, so ∂Y_k/∂W1[j, i] =
 * x_i Σ_{u∋j} B·tail(u, k), ∂Y_k/∂tail(u, k) = t_{u,k}, streamed per sample. labels i32 < n_L.
 */
export function surrogate_loss_grad_f64(gradPtr: usize, paramsPtr: usize, layersPtr: usize, L: i32, xPtr: usize, yPtr: usize, S: i32, rho: f64, seed: f64, stream: f64, workPtr: usize): f64 {
  check(layersPtr, L);
  const n0 = <usize>width(layersPtr, 0), n1 = <usize>width(layersPtr, 1), nL = <usize>width(layersPtr, L);
  const n2 = L == 3 ? <usize>width(layersPtr, 2) : 1, U = n1 * n2, psi = n0 * U * nL;
  const m = workPtr, xw = m + ((psi + 7) & ~7), gw = xw + ((n1 * n0) << 3), tu = gw + ((n1 * n0) << 3), y = tu + ((U * nL) << 3), dy = y + (nL << 3);
  const w1 = paramsPtr, w2 = w1 + ((n1 * n0) << 3), w3 = w2 + ((n2 * n1) << 3);
  const g1 = gradPtr, g2 = g1 + ((n1 * n0) << 3), g3 = g2 + ((n2 * n1) << 3);
  const P = n1 * n0 + (L == 2 ? nL * n1 : n2 * n1 + nL * n2);
  if (gradPtr != 0) for (let p: usize = 0; p < P; p++) put(gradPtr, p, 0);
  const key = keyOf(seed, stream), thr = thresholdOf(rho), invS = 1.0 / <f64>S;
  let loss: f64 = 0;
  for (let s = 0; s < S; s++) {
    const x = xPtr + ((<usize>s * n0) << 3);
    forward(paramsPtr, layersPtr, L, x, key, thr, s, m, xw, tu, y);
    let mx = at(y, 0);
    for (let k: usize = 1; k < nL; k++) mx = max(mx, at(y, k));
    let z: f64 = 0;
    for (let k: usize = 0; k < nL; k++) z += Math.exp(at(y, k) - mx);
    const c = <usize>load<i32>(yPtr + (<usize>s << 2));
    loss += mx + Math.log(z) - at(y, c);
    if (gradPtr == 0) continue;
    for (let k: usize = 0; k < nL; k++) put(dy, k, (Math.exp(at(y, k) - mx) / z - (k == c ? 1 : 0)) * invS);
    for (let p: usize = 0; p < n1 * n0; p++) put(gw, p, 0);
    for (let u: usize = 0; u < U; u++) {
      const j1 = L == 2 ? u : u / n2, j2 = u % n2;
      const gr = gw + ((j1 * n0) << 3);
      for (let k: usize = 0; k < nL; k++) {
        const mr = m + (u * nL + k) * n0, d = at(dy, k);
        const dc = d * at(tu, u * nL + k);
        if (L == 2) {
          put(g2, k * n1 + j1, at(g2, k * n1 + j1) + dc);
        } else {
          put(g2, j2 * n1 + j1, at(g2, j2 * n1 + j1) + dc * at(w3, k * n2 + j2));
          put(g3, k * n2 + j2, at(g3, k * n2 + j2) + dc * at(w2, j2 * n1 + j1));
        }
        const a = d * tail(w2, w3, L, n1, n2, u, k);
        if (a == 0) continue;
        for (let i: usize = 0; i < n0; i++) put(gr, i, at(gr, i) + a * <f64>load<u8>(mr + i));
      }
    }
    for (let j: usize = 0; j < n1; j++) for (let i: usize = 0; i < n0; i++) put(g1, j * n0 + i, at(g1, j * n0 + i) + at(x, i) * at(gw, j * n0 + i));
  }
  return loss * invS;
}

/** Every mask B_{s,π} of samples 0..S−1 (u8 S × Ψ, path index t_π fastest), for tests and small nets. */
export function surrogate_masks_u8(outPtr: usize, layersPtr: usize, L: i32, S: i32, rho: f64, seed: f64, stream: f64): void {
  check(layersPtr, L);
  const psi = <u64>width(layersPtr, 0) * <u64>tuples(layersPtr, L) * <u64>width(layersPtr, L);
  const key = keyOf(seed, stream), thr = thresholdOf(rho);
  const n = <u64>S * psi;
  for (let c: u64 = 0; c < n; c++) store<u8>(outPtr + <usize>c, <u8>((mix64(key + c) >> 32) < thr));
}
