// The data side of a training run, kept apart from the ReLU MLP's kernels (mlp.ts): the initial
// weights, the per-epoch shuffle and the gather of a shuffled epoch. Scalar and integer only, so
// their bytes are the same in every binary and engine.
import { uniformAt, normalAt, wordAt } from './rng';
import { MAXL, width } from './mlp';

/**
 * Weights from stream (seed, stream): the k-th weight of the net (in params order, biases not
 * counted, so a net with and without biases draws the same weights) is
 *   scheme 0: a·(2U[k] − 1), uniform in the cube [−a, a] ([P2] §5)
 *   scheme 1: a·√(6/(n_in + n_out))·(2U[k] − 1), Glorot uniform with gain a
 *   scheme 2: a·√(2/n_in)·Z[k], He normal with gain a
 * with U and Z the f64 samplers of rng.ts, rounded once to f32; biases are 0. No SIMD, so the
 * bytes are the same in every binary and engine.
 */
export function mlp_init_f32(paramsPtr: usize, layersPtr: usize, L: i32, bias: i32, scheme: i32, a: f64, seed: f64, stream: f64): void {
  if (L < 1 || L > MAXL || scheme < 0 || scheme > 2) unreachable();
  const s = <u64>seed, t = <u64>stream;
  let p = paramsPtr;
  let k: u64 = 0;
  for (let l = 0; l < L; l++) {
    const nIn = width(layersPtr, l), nOut = width(layersPtr, l + 1);
    const count = <usize>nOut * <usize>nIn;
    const scale = scheme == 0 ? a : scheme == 1 ? a * Math.sqrt(6.0 / <f64>(nIn + nOut)) : a * Math.sqrt(2.0 / <f64>nIn);
    for (let i: usize = 0; i < count; i++, k++) {
      const v = scheme == 2 ? normalAt(s, t, k, i == 0 || (k & 1) == 0) : 2 * uniformAt(s, t, k) - 1;
      store<f32>(p + (i << 2), <f32>(scale * v));
    }
    p += count << 2;
    if (bias) {
      memory.fill(p, 0, <usize>nOut << 2);
      p += <usize>nOut << 2;
    }
  }
}

/**
 * Fisher–Yates shuffle of the u32 array idx[0..n) in place, with words w = offset, offset+1, …
 * of Philox stream (seed, stream): position i swaps with j uniform in [0, i], drawn exactly by
 * Lemire's multiply-and-reject. Returns the number of words used. The per-epoch sample order of
 * a training run, the same in every engine and worker.
 */
export function mlp_shuffle_u32(idxPtr: usize, n: i32, seed: f64, stream: f64, offset: f64): f64 {
  const s = <u64>seed, t = <u64>stream;
  let w = <u64>offset;
  for (let i = n - 1; i > 0; i--) {
    const range = <u32>(i + 1);
    let m = <u64>wordAt(s, t, w++) * <u64>range;
    if (<u32>m < range) {
      const threshold: u32 = (<u32>0 - range) % range; // 2^32 mod range: reject the low values that would bias j
      while (<u32>m < threshold) m = <u64>wordAt(s, t, w++) * <u64>range;
    }
    const j = <i32>(m >> 32);
    const pi = idxPtr + (<usize>i << 2), pj = idxPtr + (<usize>j << 2);
    const tmp = load<u32>(pi);
    store<u32>(pi, load<u32>(pj));
    store<u32>(pj, tmp);
  }
  return <f64>(w - <u64>offset);
}

/**
 * Rows idx[0..count) of (x: rows of d f32, y: i32 labels) copied to (dstX, dstY) in that order:
 * a shuffled epoch laid out contiguously, so each minibatch is one slice and one kernel call.
 */
export function mlp_gather_rows_f32(dstX: usize, dstY: usize, srcX: usize, srcY: usize, idxPtr: usize, count: i32, d: i32): void {
  const rowBytes = <usize>d << 2;
  for (let i = 0; i < count; i++) {
    const r = <usize>load<u32>(idxPtr + (<usize>i << 2));
    memory.copy(dstX + <usize>i * rowBytes, srcX + r * rowBytes, rowBytes);
    store<i32>(dstY + (<usize>i << 2), load<i32>(srcY + (r << 2)));
  }
}
