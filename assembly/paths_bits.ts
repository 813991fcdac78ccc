// Bit-packed path statistics (SCIENCE.md §8): a 0/1 column over S samples is W = ⌈S/64⌉ u64 words
// (sample s is bit s & 63 of word s >> 6, pad bits 0), so a count Σ_s a_s·b_s is Σ_w popcnt(a_w & b_w)
// and the contingency tables of paths_mi_counts_u8 become an integer-exact popcount GEMM
// (units × W)·(W × d·B), 64 samples per AND. The label sums stay sparse, in ascending sample order,
// so they are bit-identical to paths_mi_counts_u8's.

@inline function at(p: usize, i: usize): f64 { return load<f64>(p + (i << 3)); }
@inline function put(p: usize, i: usize, v: f64): void { store<f64>(p + (i << 3), v); }

/**
 * Column bitsets of a u8 S × n matrix (rows ld bytes apart), row r = perm[s] (permPtr ≠ 0, u32 S) or s.
 * V = 1: n bitsets, bit s of c set iff src[r, c] ≠ 0. V ≥ 2: n·V bitsets, bit s of c·V + v set iff
 * src[r, c] = v (values ≥ V set nothing). bitsPtr: 8·W·n·max(V, 1) bytes, overwritten.
 */
export function paths_bits_u8(bitsPtr: usize, srcPtr: usize, ld: i32, n: i32, V: i32, permPtr: usize, S: i32): void {
  const W = (<usize>S + 63) >> 6, nV = <usize>n * <usize>max(V, 1);
  memory.fill(bitsPtr, 0, (nV * W) << 3);
  const ldU = <usize>ld;
  for (let s = 0; s < S; s++) {
    const r = permPtr != 0 ? <usize>load<u32>(permPtr + (<usize>s << 2)) : <usize>s;
    const row = srcPtr + r * ldU, word = (<usize>s >> 6) << 3, bit = <u64>1 << <u64>(s & 63);
    for (let c: usize = 0; c < <usize>n; c++) {
      const v = <usize>load<u8>(row + c);
      let t: usize;
      if (V <= 1) { if (v == 0) continue; t = c; } else { if (v >= <usize>V) continue; t = c * <usize>V + v; }
      const p = bitsPtr + t * (W << 3) + word;
      store<u64>(p, load<u64>(p) | bit);
    }
  }
}

/** Pair bitsets out[(j1 − a0)·nb + j2] = a[j1] & b[j2] for j1 ∈ [a0, a1), j2 < nb (W words each). */
export function paths_bits_and(outPtr: usize, aPtr: usize, a0: i32, a1: i32, bPtr: usize, nb: i32, W: i32): void {
  const w8 = <usize>W << 3;
  let o = outPtr;
  for (let j1 = a0; j1 < a1; j1++) {
    const a = aPtr + <usize>j1 * w8;
    for (let j2 = 0; j2 < nb; j2++) {
      const b = bPtr + <usize>j2 * w8;
      for (let w: usize = 0; w < w8; w += 8) store<u64>(o + w, load<u64>(a + w) & load<u64>(b + w));
      o += w8;
    }
  }
}

/**
 * out[p, q] = Σ_w popcnt(a[p]_w & b[q]_w) (u32, m × n row-major, overwritten) for bitsets of W words,
 * a m of them, b n of them. A 2 × 4 tile keeps 8 counts and 6 words in x64's 16 general registers.
 */
export function paths_popcount_u32(outPtr: usize, aPtr: usize, m: i32, bPtr: usize, n: i32, W: i32): void {
  const w8 = <usize>W << 3, nU = <usize>n;
  let p = 0;
  for (; p + 2 <= m; p += 2) {
    const a0 = aPtr + <usize>p * w8, a1 = a0 + w8;
    const o0 = outPtr + ((<usize>p * nU) << 2), o1 = o0 + (nU << 2);
    let q = 0;
    for (; q + 4 <= n; q += 4) {
      const b0 = bPtr + <usize>q * w8, b1 = b0 + w8, b2 = b1 + w8, b3 = b2 + w8;
      let c00: u64 = 0, c01: u64 = 0, c02: u64 = 0, c03: u64 = 0, c10: u64 = 0, c11: u64 = 0, c12: u64 = 0, c13: u64 = 0;
      for (let w: usize = 0; w < w8; w += 8) {
        const x0 = load<u64>(a0 + w), x1 = load<u64>(a1 + w);
        const y0 = load<u64>(b0 + w), y1 = load<u64>(b1 + w), y2 = load<u64>(b2 + w), y3 = load<u64>(b3 + w);
        c00 += popcnt(x0 & y0); c01 += popcnt(x0 & y1); c02 += popcnt(x0 & y2); c03 += popcnt(x0 & y3);
        c10 += popcnt(x1 & y0); c11 += popcnt(x1 & y1); c12 += popcnt(x1 & y2); c13 += popcnt(x1 & y3);
      }
      const q4 = <usize>q << 2;
      store<u32>(o0 + q4, <u32>c00); store<u32>(o0 + q4, <u32>c01, 4); store<u32>(o0 + q4, <u32>c02, 8); store<u32>(o0 + q4, <u32>c03, 12);
      store<u32>(o1 + q4, <u32>c10); store<u32>(o1 + q4, <u32>c11, 4); store<u32>(o1 + q4, <u32>c12, 8); store<u32>(o1 + q4, <u32>c13, 12);
    }
    for (; q < n; q++) {
      const b = bPtr + <usize>q * w8;
      let c0: u64 = 0, c1: u64 = 0;
      for (let w: usize = 0; w < w8; w += 8) { const y = load<u64>(b + w); c0 += popcnt(load<u64>(a0 + w) & y); c1 += popcnt(load<u64>(a1 + w) & y); }
      store<u32>(o0 + (<usize>q << 2), <u32>c0); store<u32>(o1 + (<usize>q << 2), <u32>c1);
    }
  }
  for (; p < m; p++) {
    const a = aPtr + <usize>p * w8, o = outPtr + ((<usize>p * nU) << 2);
    for (let q = 0; q < n; q++) {
      const b = bPtr + <usize>q * w8;
      let c: u64 = 0;
      for (let w: usize = 0; w < w8; w += 8) c += popcnt(load<u64>(a + w) & load<u64>(b + w));
      store<u32>(o + (<usize>q << 2), <u32>c);
    }
  }
}

/**
 * Label tables of U units given as bitsets (W words each): for every set bit s of unit u, in ascending
 * s, with row r = perm[s] (permPtr ≠ 0) or s: cls[u, y_r] += 1 (f64 U × C) and sum[u, y_r, i] += x[r, i]
 * (f64 U × C × d); y i32 classes < C (yPtr = 0: all class 0). The same additions in the same order as
 * paths_mi_counts_u8, so the same bits; f64x2 over i in the SIMD binaries (lanes are separate sums).
 */
export function paths_label_sums_f64(clsPtr: usize, sumPtr: usize, bitsPtr: usize, U: i32, W: i32, xPtr: usize, yPtr: usize, permPtr: usize, d: i32, C: i32): void {
  const dd = <usize>d, CU = <usize>C;
  for (let u: usize = 0; u < <usize>U; u++) {
    const bits = bitsPtr + ((u * <usize>W) << 3);
    for (let w = 0; w < W; w++) {
      let word = load<u64>(bits + (<usize>w << 3));
      while (word != 0) {
        const s = (<usize>w << 6) + <usize>ctz(word);
        word &= word - 1;
        const r = permPtr != 0 ? <usize>load<u32>(permPtr + (s << 2)) : s;
        const c = yPtr != 0 ? <usize>load<i32>(yPtr + (r << 2)) : 0;
        put(clsPtr, u * CU + c, at(clsPtr, u * CU + c) + 1);
        const su = sumPtr + (((u * CU + c) * dd) << 3), xrow = xPtr + ((r * dd) << 3);
        let i: usize = 0;
        if (ASC_FEATURE_SIMD) {
          for (; i + 4 <= dd; i += 4) {
            const o = i << 3;
            v128.store(su + o, f64x2.add(v128.load(su + o), v128.load(xrow + o)));
            v128.store(su + o, f64x2.add(v128.load(su + o, 16), v128.load(xrow + o, 16)), 16);
          }
        }
        for (; i < dd; i++) put(su, i, at(su, i) + at(xrow, i));
      }
    }
  }
}

/** Sort key of an f64 whose unsigned order is the numeric order (−0 before +0, as JS sorts) with every NaN last. */
@inline function sortKey(x: f64): u64 {
  if (x != x) return <u64>-1;
  const u = reinterpret<u64>(x);
  return (u >> 63) != 0 ? ~u : u | (<u64>1 << 63);
}

@inline function fromKey(k: u64): f64 {
  return reinterpret<f64>((k >> 63) != 0 ? k ^ (<u64>1 << 63) : ~k);
}

/** Work bytes of paths_quantile_bins_f64. */
export function paths_quantile_bins_work_bytes(S: i32): f64 {
  return 16 * <f64>S + 2048 + 1024 + 8 * 513 * 4;
}

/**
 * Places the keys of ranks tg[r0..r1) (ascending positions in [lo, hi)) of src[lo, hi) where a sort would
 * put them: MSD radix select on byte g (and below) of the key, recursing only into buckets that hold a
 * wanted rank; short segments are insertion-sorted. lv: per byte, 257 bucket starts and 256 cursors (u32).
 */
function selectRanks(src: usize, tmp: usize, lo: usize, hi: usize, g: i32, tg: usize, r0: i32, r1: i32, lv: usize): void {
  if (r0 >= r1) return;
  if (hi - lo <= 32 || g < 0) {
    for (let i = lo + 1; i < hi; i++) {
      const k = load<u64>(src + (i << 3));
      let j = i;
      while (j > lo && load<u64>(src + ((j - 1) << 3)) > k) { store<u64>(src + (j << 3), load<u64>(src + ((j - 1) << 3))); j--; }
      store<u64>(src + (j << 3), k);
    }
    return;
  }
  const shift = <u64>(g << 3), start = lv + <usize>g * (513 << 2), cur = start + (257 << 2);
  memory.fill(cur, 0, 1024);
  for (let i = lo; i < hi; i++) {
    const c = cur + (<usize>((load<u64>(src + (i << 3)) >> shift) & 255) << 2);
    store<u32>(c, load<u32>(c) + 1);
  }
  if (load<u32>(cur + (<usize>((load<u64>(src + (lo << 3)) >> shift) & 255) << 2)) == <u32>(hi - lo)) {
    selectRanks(src, tmp, lo, hi, g - 1, tg, r0, r1, lv);
    return;
  }
  let t = <u32>lo;
  for (let b: usize = 0; b < 256; b++) { const c = load<u32>(cur + (b << 2)); store<u32>(start + (b << 2), t); store<u32>(cur + (b << 2), t); t += c; }
  store<u32>(start + (256 << 2), <u32>hi);
  for (let i = lo; i < hi; i++) {
    const k = load<u64>(src + (i << 3));
    const c = cur + (<usize>((k >> shift) & 255) << 2), at = load<u32>(c);
    store<u32>(c, at + 1);
    store<u64>(tmp + (<usize>at << 3), k);
  }
  memory.copy(src + (lo << 3), tmp + (lo << 3), (hi - lo) << 3);
  let p = r0;
  for (let b: usize = 0; b < 256 && p < r1; b++) {
    const blo = <usize>load<u32>(start + (b << 2)), bhi = <usize>load<u32>(start + ((b + 1) << 2));
    const q0 = p;
    while (p < r1 && <usize>load<u32>(tg + (<usize>p << 2)) < bhi) p++;
    if (p > q0) selectRanks(src, tmp, blo, bhi, g - 1, tg, q0, p, lv);
  }
}

/**
 * Quantile bins per coordinate of x (f64 S × d row-major): edges e_b = sorted column [⌊(b + 1)·S/B⌋],
 * b < B − 1, and bins[s, i] = the number of leading edges ≤ x[s, i] (u8 S × d; ties share a bin, B ≤ 255),
 * as dependence.ts quantileBins. The B − 1 order statistics come from an MSD radix select on sortKey
 * (selectRanks), not a full sort: it touches only buckets holding a wanted rank. workPtr:
 * paths_quantile_bins_work_bytes, 8-aligned.
 */
export function paths_quantile_bins_f64(binsPtr: usize, xPtr: usize, S: i32, d: i32, B: i32, workPtr: usize): void {
  const n = <usize>S, dd = <usize>d;
  const edges = workPtr, tg = edges + 2048, lv = tg + 1024, ka = lv + 8 * 513 * 4, kb = ka + (n << 3);
  for (let b = 0; b < B - 1; b++) store<u32>(tg + (<usize>b << 2), <u32>((<u64>(b + 1) * <u64>S) / <u64>B));
  for (let i: usize = 0; i < dd; i++) {
    for (let s: usize = 0; s < n; s++) store<u64>(ka + (s << 3), sortKey(load<f64>(xPtr + ((s * dd + i) << 3))));
    selectRanks(ka, kb, 0, n, 7, tg, 0, B - 1, lv);
    for (let b = 0; b < B - 1; b++) store<f64>(edges + (<usize>b << 3), fromKey(load<u64>(ka + (<usize>load<u32>(tg + (<usize>b << 2)) << 3))));
    for (let s: usize = 0; s < n; s++) {
      const x = load<f64>(xPtr + ((s * dd + i) << 3));
      let b = 0;
      while (b < B - 1 && x >= load<f64>(edges + (<usize>b << 3))) b++;
      store<u8>(binsPtr + s * dd + i, <u8>b);
    }
  }
}

/**
 * dependence.ts corrUnit in wasm: corr(ỹ_k x_i, A_u) for U units from their label sums (f64 U × C × d),
 * EA_u = active[u]/S (f64 U), E[Z] and 1/sd(Z) (f64 d × K), each defined value v added to a grid summary
 * with GridSummary.add's operations in its order: state f64 [W, s1, s2, Σ|v|, n, undefined], hist f64
 * `bins` cells over [lo, hi], both carried across calls. keepPtr ≠ 0: v (NaN when undefined) to
 * keep[u·d·K + i·K + k]. Plain IEEE add/mul/div/sqrt, no FMA: the same bits as the JS.
 */
export function paths_corr_grid_f64(statePtr: usize, histPtr: usize, bins: i32, lo: f64, hi: f64, keepPtr: usize, sumPtr: usize, activePtr: usize, ezPtr: usize, izPtr: usize, U: i32, S: i32, d: i32, C: i32, K: i32): void {
  let W = at(statePtr, 0), s1 = at(statePtr, 1), s2 = at(statePtr, 2), absT = at(statePtr, 3), nT = at(statePtr, 4), undefT = at(statePtr, 5);
  const Sf = <f64>S, dd = <usize>d, CU = <usize>C, KU = <usize>K, top = <f64>(bins - 1), nb = <f64>bins;
  for (let u: usize = 0; u < <usize>U; u++) {
    const EA = at(activePtr, u) / Sf, varA = EA * (1 - EA), invA = varA > 0 ? 1 / Math.sqrt(varA) : 0;
    const base = sumPtr + ((u * CU * dd) << 3);
    let abs: f64 = 0, n: f64 = 0, undef: f64 = 0;
    for (let i: usize = 0; i < dd; i++) {
      let all: f64 = 0;
      for (let c: usize = 0; c < CU; c++) all += at(base, c * dd + i);
      for (let k: usize = 0; k < KU; k++) {
        const iz = at(izPtr, i * KU + k);
        let rho = NaN;
        if (invA > 0 && iz > 0) {
          rho = ((2 * at(base, k * dd + i) - all) / Sf - at(ezPtr, i * KU + k) * EA) * iz * invA;
          W += 1; s1 += rho; s2 += rho * rho;
          const cell = <usize>min(top, max(0, Math.floor(((rho - lo) / (hi - lo)) * nb)));
          put(histPtr, cell, at(histPtr, cell) + 1);
          abs += Math.abs(rho); n++;
        } else undef++;
        if (keepPtr != 0) put(keepPtr, (u * dd + i) * KU + k, rho);
      }
    }
    absT += abs; nT += n; undefT += undef;
  }
  put(statePtr, 0, W); put(statePtr, 1, s1); put(statePtr, 2, s2); put(statePtr, 3, absT); put(statePtr, 4, nT); put(statePtr, 5, undefT);
}

/**
 * dependence.ts's input tallies, in its order (s, then i): binTot[i·B + bins[s, i]] += 1, colSum[i·C + y_s]
 * += x[s, i], sumX2[i] += x[s, i]² (f64; y i32 classes < C, yPtr = 0: all class 0). Accumulates.
 */
export function paths_input_moments_f64(binTotPtr: usize, colSumPtr: usize, sumX2Ptr: usize, binsPtr: usize, xPtr: usize, yPtr: usize, S: i32, d: i32, B: i32, C: i32): void {
  const dd = <usize>d, BU = <usize>B, CU = <usize>C;
  for (let s: usize = 0; s < <usize>S; s++) {
    const c = yPtr != 0 ? <usize>load<i32>(yPtr + (s << 2)) : 0;
    const xrow = xPtr + ((s * dd) << 3), brow = binsPtr + s * dd;
    for (let i: usize = 0; i < dd; i++) {
      const x = at(xrow, i), t = i * BU + <usize>load<u8>(brow + i);
      put(binTotPtr, t, at(binTotPtr, t) + 1);
      put(colSumPtr, i * CU + c, at(colSumPtr, i * CU + c) + x);
      put(sumX2Ptr, i, at(sumX2Ptr, i) + x * x);
    }
  }
}
