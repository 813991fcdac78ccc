// Coupling tensors of the p-spin glass: dense draws over ordered tuples (f32, or f64 unrounded
// for --save-couplings), packed sums over sorted tuples (drawn, or from a given dense tensor),
// and the coupling-split SGD pieces. Laws all mean 0 and variance 1 (SCIENCE.md §1).
import { normalAt, uniformAt } from './rng';
import { perm, pre, nextPerm, nextPrefix, resetPrefix, multiplicity } from './pspin_tuples';

/** Number of sorted p-tuples over n indices: C(n+p−1, p) (f64: it can pass 2^32). */
export function pspin_packed_count(n: i32, p: i32): f64 {
  let c: f64 = 1;
  for (let i = 1; i <= p; i++) c = (c * <f64>(n + i - 1)) / <f64>i;
  return Math.round(c);
}

// Coupling laws, all mean 0 and variance 1: 0 gaussian, 1 rademacher, 2 uniform [−√3, √3], 3 Exp(1) − 1.
@inline function draw(law: i32, s: u64, t: u64, v: u64): f64 {
  if (law == 0) return normalAt(s, t, v, true);
  const u = uniformAt(s, t, v);
  if (law == 1) return u < 0.5 ? -1.0 : 1.0;
  if (law == 2) return (2.0 * u - 1.0) * 1.7320508075688772;
  return -Math.log(u) - 1.0;
}

/** Dense couplings: J[idx] is value idx of stream (seed, stream) under the law. */
export function pspin_fill_dense_f32(jPtr: usize, n: i32, p: i32, law: i32, seed: f64, stream: f64): void {
  const s = <u64>seed;
  const t = <u64>stream;
  let total: u64 = 1;
  for (let a = 0; a < p; a++) total *= <u64>n;
  for (let v: u64 = 0; v < total; v++) store<f32>(jPtr + (<usize>v << 2), <f32>draw(law, s, t, v));
}

/** The same dense draws in f64, unrounded: what --save-couplings writes, so a file run can rebuild K exactly. */
export function pspin_fill_dense_f64(jPtr: usize, n: i32, p: i32, law: i32, seed: f64, stream: f64): void {
  const s = <u64>seed;
  const t = <u64>stream;
  let total: u64 = 1;
  for (let a = 0; a < p; a++) total *= <u64>n;
  for (let v: u64 = 0; v < total; v++) store<f64>(jPtr + (<usize>v << 3), draw(law, s, t, v));
}

/**
 * Packed couplings from the SAME underlying J as pspin_fill_dense_f32 with the same stream:
 * K_t sums the dense draws at the linear index of every distinct ordering of t (counter-based
 * draws are random-access), so both layouts give the same H for one (seed, stream).
 */
export function pspin_fill_packed_f32(kPtr: usize, n: i32, p: i32, law: i32, seed: f64, stream: f64): void {
  packSums(kPtr, 0, n, p, law, <u64>seed, <u64>stream);
}

/**
 * K_t = Σ over the distinct orderings σ of each sorted tuple t (lexicographic order) of J_σ,
 * drawn (jPtr = 0) or read from a dense f64 tensor at jPtr, summed in f64 in the same order
 * either way, so the draws written by pspin_fill_dense_f64 give back the very same f32 K.
 */
function packSums(kPtr: usize, jPtr: usize, n: i32, p: i32, law: i32, s: u64, t: u64): void {
  const len = p - 1;
  resetPrefix(len);
  let off: usize = 0;
  do {
    const last = len > 0 ? pre(len - 1) : 0;
    for (let k = last; k < n; k++) {
      for (let a = 0; a < len; a++) store<i32>(perm + (<usize>a << 2), pre(a));
      store<i32>(perm + (<usize>len << 2), k);
      let sum: f64 = 0;
      do {
        let v: u64 = 0;
        for (let a = 0; a < p; a++) v = v * <u64>n + <u64>load<i32>(perm + (<usize>a << 2));
        sum += jPtr ? load<f64>(jPtr + (<usize>v << 3)) : draw(law, s, t, v);
      } while (nextPerm(p));
      store<f32>(kPtr + (off << 2), <f32>sum);
      off++;
    }
  } while (len > 0 && nextPrefix(n, len, true));
}

/** Packed couplings from a dense f64 tensor J in memory (Λ^p, ordered-tuple index), see packSums. */
export function pspin_pack_f64(kPtr: usize, jPtr: usize, n: i32, p: i32): void {
  packSums(kPtr, jPtr, n, p, 0, 0, 0);
}

/**
 * Coupling-split SGD pieces (SCIENCE.md §4): Y_q = K/P + √(m/P)·(Z_q − Z̄), q < P, written to
 * dst + q·count·4, where m is each stored coupling's number of orderings (1 when dense) and Z
 * are fresh normals from (seed, stream) at offset c·P + q. Then Σ_q Y_q = K exactly, and √P·Y_q
 * are independent with the law of K when K is Gaussian (a Gaussian bridge).
 */
export function pspin_split_pieces_f32(dstPtr: usize, kPtr: usize, n: i32, p: i32, sorted: i32, pieces: i32, seed: f64, stream: f64): void {
  const s = <u64>seed;
  const t = <u64>stream;
  const len = p - 1;
  const P = <f64>pieces;
  let count: usize = 1;
  if (sorted) count = <usize>pspin_packed_count(n, p);
  else for (let a = 0; a < p; a++) count *= <usize>n;
  resetPrefix(len);
  let c: usize = 0;
  do {
    const start = sorted && len > 0 ? pre(len - 1) : 0;
    for (let k = start; k < n; k++) {
      const m = sorted ? multiplicity(len, k) : 1.0;
      const kv = <f64>load<f32>(kPtr + (c << 2));
      let zbar: f64 = 0;
      for (let q = 0; q < pieces; q++) zbar += normalAt(s, t, <u64>c * <u64>pieces + <u64>q, true);
      zbar /= P;
      const sd = Math.sqrt(m / P);
      for (let q = 0; q < pieces; q++) {
        const z = normalAt(s, t, <u64>c * <u64>pieces + <u64>q, true);
        store<f32>(dstPtr + ((<usize>q * count + c) << 2), <f32>(kv / P + sd * (z - zbar)));
      }
      c++;
    }
  } while (len > 0 && nextPrefix(n, len, sorted != 0));
}
