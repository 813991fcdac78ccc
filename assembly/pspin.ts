// Spherical p-spin glass H(w) = Λ^{-(p-1)/2} Σ J_{i1..ip} w_{i1}···w_{ip} on |w|² = Λ (Choromanska
// et al. 2015 §4; Auffinger, Ben Arous & Černý 2013). Couplings in f32, in one of two layouts:
// dense over all Λ^p ordered tuples (index ((i1·Λ+i2)·Λ+…)·Λ+ip), or packed over sorted tuples
// i1 ≤ … ≤ ip in lexicographic order, K_t = Σ_{distinct orderings σ of t} J_σ, which keeps H and
// its law (Var H = Λ) exactly. Both walk (p−1)-index prefixes with the last index innermost, so
// the inner loop reads couplings contiguously. Batched kernels keep 8 restarts in two f32x4
// lanes ([Λ][8] layout), so each coupling is read once per 8 restarts.
import { pre, nextPrefix, resetPrefix, MAXP } from './pspin_tuples';

const others: usize = memory.data(64 * MAXP, 16); // per prefix position a: Π_{b≠a} w (2 × v128; 16 scalar lanes in egScalarLanes)

/**
 * Energies and Euclidean gradients of 8 restarts at once. w, g: [n][8] f32 (restart innermost);
 * e: 8 f32. sorted = 1 for packed couplings, 0 for dense. g may not alias w.
 */
export function pspin_eg_f32x8(ePtr: usize, gPtr: usize, kPtr: usize, wPtr: usize, n: i32, p: i32, sorted: i32): void {
  if (ASC_FEATURE_SIMD) egSimd(ePtr, gPtr, kPtr, wPtr, n, p, sorted);
  else pspin_eg_f32x8_scalar(ePtr, gPtr, kPtr, wPtr, n, p, sorted);
}

const lanesP: usize = memory.data(64, 16); // up to 16 lanes
const lanesA: usize = memory.data(64, 16);
const lanesE: usize = memory.data(64, 16);

@inline function lane(ptr: usize, l: i32): f32 { return load<f32>(ptr + (<usize>l << 2)); }
@inline function setLane(ptr: usize, l: i32, v: f32): void { store<f32>(ptr + (<usize>l << 2), v); }

/** The same walk with scalar lanes (same summation order per lane as egSimd). */
export function pspin_eg_f32x8_scalar(ePtr: usize, gPtr: usize, kPtr: usize, wPtr: usize, n: i32, p: i32, sorted: i32): void {
  egScalarLanes(8, ePtr, gPtr, kPtr, wPtr, n, p, sorted);
}

/**
 * The walk with W scalar lanes ([n][W] f32, W ≤ 16): each lane's summation order is egSimd's (and
 * the 16-lane kernel's), so the scalar binary gives the same bytes per restart at either width.
 */
export function egScalarLanes(W: i32, ePtr: usize, gPtr: usize, kPtr: usize, wPtr: usize, n: i32, p: i32, sorted: i32): void {
  const len = p - 1;
  const row: usize = <usize>W << 2;
  const scale = <f32>Math.pow(<f64>n, -0.5 * <f64>(p - 1));
  memory.fill(gPtr, 0, <usize>n * row);
  memory.fill(lanesE, 0, row);
  resetPrefix(len);
  let kOff: usize = kPtr;
  do {
    for (let l = 0; l < W; l++) {
      let prod: f32 = 1;
      for (let a = 0; a < len; a++) {
        let o: f32 = 1;
        for (let b = 0; b < len; b++) if (b != a) o *= lane(wPtr + <usize>pre(b) * row, l);
        setLane(others + <usize>a * row, l, o);
        prod *= lane(wPtr + <usize>pre(a) * row, l);
      }
      setLane(lanesP, l, prod);
    }
    memory.fill(lanesA, 0, row);
    const start = sorted && len > 0 ? pre(len - 1) : 0;
    for (let k = start; k < n; k++) {
      const kv = load<f32>(kOff);
      const wk = wPtr + <usize>k * row;
      const gk = gPtr + <usize>k * row;
      for (let l = 0; l < W; l++) {
        setLane(lanesA, l, lane(lanesA, l) + kv * lane(wk, l));
        setLane(gk, l, lane(gk, l) + kv * lane(lanesP, l));
      }
      kOff += 4;
    }
    for (let l = 0; l < W; l++) {
      setLane(lanesE, l, lane(lanesE, l) + lane(lanesP, l) * lane(lanesA, l));
      for (let a = 0; a < len; a++) {
        const ga = gPtr + <usize>pre(a) * row;
        setLane(ga, l, lane(ga, l) + lane(others + <usize>a * row, l) * lane(lanesA, l));
      }
    }
  } while (len > 0 && nextPrefix(n, len, sorted != 0));
  for (let l = 0; l < W; l++) setLane(ePtr, l, lane(lanesE, l) * scale);
  for (let i = 0; i < n * W; i++) setLane(gPtr, i, lane(gPtr, i) * scale);
}

function egSimd(ePtr: usize, gPtr: usize, kPtr: usize, wPtr: usize, n: i32, p: i32, sorted: i32): void {
  const len = p - 1;
  const scale = <f32>Math.pow(<f64>n, -0.5 * <f64>(p - 1));
  memory.fill(gPtr, 0, <usize>n << 5);
  let e0 = f32x4.splat(0);
  let e1 = f32x4.splat(0);
  resetPrefix(len);
  let kOff: usize = kPtr;
  do {
    // P = Π prefix w, others[a] = Π_{b≠a} prefix w (two vectors each: 8 restarts).
    let p0 = f32x4.splat(1);
    let p1 = f32x4.splat(1);
    for (let a = 0; a < len; a++) {
      let o0 = f32x4.splat(1);
      let o1 = f32x4.splat(1);
      for (let b = 0; b < len; b++) {
        if (b == a) continue;
        const wb = wPtr + (<usize>pre(b) << 5);
        o0 = f32x4.mul(o0, v128.load(wb));
        o1 = f32x4.mul(o1, v128.load(wb, 16));
      }
      v128.store(others + (<usize>a << 5), o0);
      v128.store(others + (<usize>a << 5), o1, 16);
      const wa = wPtr + (<usize>pre(a) << 5);
      p0 = f32x4.mul(p0, v128.load(wa));
      p1 = f32x4.mul(p1, v128.load(wa, 16));
    }
    const start = sorted && len > 0 ? pre(len - 1) : 0;
    let a0 = f32x4.splat(0);
    let a1 = f32x4.splat(0);
    let wk = wPtr + (<usize>start << 5);
    let gk = gPtr + (<usize>start << 5);
    for (let k = start; k < n; k++) {
      const kv = v128.load32_splat(kOff);
      a0 = f32x4.add(a0, f32x4.mul(kv, v128.load(wk)));
      a1 = f32x4.add(a1, f32x4.mul(kv, v128.load(wk, 16)));
      v128.store(gk, f32x4.add(v128.load(gk), f32x4.mul(kv, p0)));
      v128.store(gk, f32x4.add(v128.load(gk, 16), f32x4.mul(kv, p1)), 16);
      kOff += 4;
      wk += 32;
      gk += 32;
    }
    e0 = f32x4.add(e0, f32x4.mul(p0, a0));
    e1 = f32x4.add(e1, f32x4.mul(p1, a1));
    for (let a = 0; a < len; a++) {
      const ga = gPtr + (<usize>pre(a) << 5);
      const oa = others + (<usize>a << 5);
      v128.store(ga, f32x4.add(v128.load(ga), f32x4.mul(v128.load(oa), a0)));
      v128.store(ga, f32x4.add(v128.load(ga, 16), f32x4.mul(v128.load(oa, 16), a1)), 16);
    }
  } while (len > 0 && nextPrefix(n, len, sorted != 0));
  const vs = f32x4.splat(scale);
  v128.store(ePtr, f32x4.mul(e0, vs));
  v128.store(ePtr, f32x4.mul(e1, vs), 16);
  for (let i: usize = 0; i < (<usize>n << 1); i++) {
    const gi = gPtr + (i << 4);
    v128.store(gi, f32x4.mul(v128.load(gi), vs));
  }
}

@inline function w64(ptr: usize, i: i32): f64 { return load<f64>(ptr + (<usize>i << 3)); }

/**
 * One configuration in f64 (couplings still f32): returns H(w) and writes ∇H to gPtr (n f64).
 * Accumulating in f64 is what keeps reported energies within 1e-6 of an all-f64 reference.
 */
export function pspin_eg_f64(gPtr: usize, kPtr: usize, wPtr: usize, n: i32, p: i32, sorted: i32): f64 {
  const len = p - 1;
  const scale = Math.pow(<f64>n, -0.5 * <f64>(p - 1));
  memory.fill(gPtr, 0, <usize>n << 3);
  let e: f64 = 0;
  resetPrefix(len);
  let kOff: usize = kPtr;
  do {
    let prod: f64 = 1;
    for (let a = 0; a < len; a++) prod *= w64(wPtr, pre(a));
    const start = sorted && len > 0 ? pre(len - 1) : 0;
    let acc: f64 = 0;
    for (let k = start; k < n; k++) {
      const kv = <f64>load<f32>(kOff);
      acc += kv * w64(wPtr, k);
      const gk = gPtr + (<usize>k << 3);
      store<f64>(gk, load<f64>(gk) + kv * prod);
      kOff += 4;
    }
    e += prod * acc;
    for (let a = 0; a < len; a++) {
      let o: f64 = 1;
      for (let b = 0; b < len; b++) if (b != a) o *= w64(wPtr, pre(b));
      const ga = gPtr + (<usize>pre(a) << 3);
      store<f64>(ga, load<f64>(ga) + o * acc);
    }
  } while (len > 0 && nextPrefix(n, len, sorted != 0));
  for (let i = 0; i < n; i++) store<f64>(gPtr + (<usize>i << 3), w64(gPtr, i) * scale);
  return e * scale;
}

/**
 * Euclidean Hessian ∇²H (n×n f64, row-major) of one configuration. Every tuple adds
 * K·Π_{c≠a,b} w_{t_c} to entries (t_a, t_b) and (t_b, t_a) for each pair of positions a < b.
 */
export function pspin_hess_f64(hPtr: usize, kPtr: usize, wPtr: usize, n: i32, p: i32, sorted: i32): void {
  const len = p - 1;
  const scale = Math.pow(<f64>n, -0.5 * <f64>(p - 1));
  memory.fill(hPtr, 0, <usize>n * <usize>n << 3);
  resetPrefix(len);
  let kOff: usize = kPtr;
  const oth = others; // reused as f64 scratch: Π_{c≠a} prefix w for each prefix position a
  do {
    for (let a = 0; a < len; a++) {
      let o: f64 = 1;
      for (let b = 0; b < len; b++) if (b != a) o *= w64(wPtr, pre(b));
      store<f64>(oth + (<usize>a << 3), o);
    }
    const start = sorted && len > 0 ? pre(len - 1) : 0;
    let acc: f64 = 0;
    for (let k = start; k < n; k++) {
      const kv = <f64>load<f32>(kOff);
      acc += kv * w64(wPtr, k);
      // pairs (prefix a, last position)
      for (let a = 0; a < len; a++) {
        const v = kv * load<f64>(oth + (<usize>a << 3));
        const ia = pre(a);
        const x = hPtr + ((<usize>ia * n + k) << 3);
        const y = hPtr + ((<usize>k * n + ia) << 3);
        store<f64>(x, load<f64>(x) + v);
        store<f64>(y, load<f64>(y) + v);
      }
      kOff += 4;
    }
    // pairs inside the prefix (a < b): K·w_k summed in acc, times the other prefix entries
    for (let a = 0; a < len; a++) {
      for (let b = a + 1; b < len; b++) {
        let o: f64 = acc;
        for (let c = 0; c < len; c++) if (c != a && c != b) o *= w64(wPtr, pre(c));
        const ia = pre(a);
        const ib = pre(b);
        const x = hPtr + ((<usize>ia * n + ib) << 3);
        const y = hPtr + ((<usize>ib * n + ia) << 3);
        store<f64>(x, load<f64>(x) + o);
        store<f64>(y, load<f64>(y) + o);
      }
    }
  } while (len > 0 && nextPrefix(n, len, sorted != 0));
  const total = n * n;
  for (let i = 0; i < total; i++) store<f64>(hPtr + (<usize>i << 3), w64(hPtr, i) * scale);
}

/**
 * In place: M ← P(M − shift·I)P with P = I − w wᵀ/|w|², the Riemannian Hessian on the sphere when
 * shift = p·H/Λ. workPtr: n f64. The radial direction w becomes an exact zero-eigenvector.
 */
export function pspin_project_hess_f64(hPtr: usize, wPtr: usize, n: i32, shift: f64, workPtr: usize): void {
  let nw: f64 = 0;
  for (let i = 0; i < n; i++) nw += w64(wPtr, i) * w64(wPtr, i);
  const inv = 1.0 / Math.sqrt(nw);
  for (let i = 0; i < n; i++) {
    const d = hPtr + ((<usize>i * n + i) << 3);
    store<f64>(d, load<f64>(d) - shift);
  }
  // mu = M u with u = w/|w|; then PMP = M − u muᵀ − mu uᵀ + (uᵀ M u) u uᵀ.
  let umu: f64 = 0;
  for (let i = 0; i < n; i++) {
    let s: f64 = 0;
    const row = hPtr + (<usize>i * n << 3);
    for (let j = 0; j < n; j++) s += load<f64>(row + (<usize>j << 3)) * w64(wPtr, j) * inv;
    store<f64>(workPtr + (<usize>i << 3), s);
    umu += s * w64(wPtr, i) * inv;
  }
  for (let i = 0; i < n; i++) {
    const ui = w64(wPtr, i) * inv;
    const mi = w64(workPtr, i);
    const row = hPtr + (<usize>i * n << 3);
    for (let j = 0; j < n; j++) {
      const uj = w64(wPtr, j) * inv;
      const x = row + (<usize>j << 3);
      store<f64>(x, load<f64>(x) - ui * w64(workPtr, j) - mi * uj + umu * ui * uj);
    }
  }
}
