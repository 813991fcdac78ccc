// C −= L·Wᵀ on the lower triangle of an m×m row-major C (ldc), L and W m×kb given packed in 4-row panels (panel t at t·kb·4 f64, element (p, r) at p·4 + r, rows past m zero): the rank-kb update of a blocked LDLᵀ (L·(LD)ᵀ) or tridiagonalisation ([V W]·[W V]ᵀ), by 4×4 f64x2 register tiles.

@inline function at(p: usize, i: i32): f64 { return load<f64>(p + (<usize>i << 3)); }
@inline function put(p: usize, i: i32, v: f64): void { store<f64>(p + (<usize>i << 3), v); }

/** C(4×4 at c) −= Σ_p lp[p][r]·wp[p][j], lower part only on a diagonal tile, mr × nr of it in range. */
function tileSimd(lp: usize, wp: usize, kb: i32, c: usize, ldc: i32, mr: i32, nr: i32, diag: bool, spill: usize): void {
  let c00 = f64x2.splat(0), c01 = f64x2.splat(0), c10 = f64x2.splat(0), c11 = f64x2.splat(0);
  let c20 = f64x2.splat(0), c21 = f64x2.splat(0), c30 = f64x2.splat(0), c31 = f64x2.splat(0);
  // One splat register reused row by row: V8 issues a step's loads together, and a 15th live
  // vector spills (4×6 and 6×4 tiles measured at a third of this one's rate).
  let l = lp, w = wp;
  for (let p = 0; p < kb; p++) {
    const b0 = v128.load(w), b1 = v128.load(w, 16);
    let s = v128.load64_splat(l); c00 = f64x2.add(c00, f64x2.mul(s, b0)); c01 = f64x2.add(c01, f64x2.mul(s, b1));
    s = v128.load64_splat(l, 8); c10 = f64x2.add(c10, f64x2.mul(s, b0)); c11 = f64x2.add(c11, f64x2.mul(s, b1));
    s = v128.load64_splat(l, 16); c20 = f64x2.add(c20, f64x2.mul(s, b0)); c21 = f64x2.add(c21, f64x2.mul(s, b1));
    s = v128.load64_splat(l, 24); c30 = f64x2.add(c30, f64x2.mul(s, b0)); c31 = f64x2.add(c31, f64x2.mul(s, b1));
    l += 32;
    w += 32;
  }
  const ld = <usize>ldc << 3;
  if (!diag && mr == 4 && nr == 4) {
    v128.store(c, f64x2.sub(v128.load(c), c00)); v128.store(c, f64x2.sub(v128.load(c, 16), c01), 16);
    let r = c + ld;
    v128.store(r, f64x2.sub(v128.load(r), c10)); v128.store(r, f64x2.sub(v128.load(r, 16), c11), 16);
    r += ld;
    v128.store(r, f64x2.sub(v128.load(r), c20)); v128.store(r, f64x2.sub(v128.load(r, 16), c21), 16);
    r += ld;
    v128.store(r, f64x2.sub(v128.load(r), c30)); v128.store(r, f64x2.sub(v128.load(r, 16), c31), 16);
    return;
  }
  const t = spill;
  v128.store(t, c00); v128.store(t, c01, 16); v128.store(t, c10, 32); v128.store(t, c11, 48);
  v128.store(t, c20, 64); v128.store(t, c21, 80); v128.store(t, c30, 96); v128.store(t, c31, 112);
  for (let r = 0; r < mr; r++) {
    const row = c + <usize>r * ld;
    const je = diag ? min(nr, r + 1) : nr;
    for (let j = 0; j < je; j++) put(row, j, at(row, j) - at(t, r * 4 + j));
  }
}

function tileScalar(lp: usize, wp: usize, kb: i32, c: usize, ldc: i32, mr: i32, nr: i32, diag: bool): void {
  for (let r = 0; r < mr; r++) {
    const je = diag ? min(nr, r + 1) : nr;
    const row = c + (<usize>r * <usize>ldc << 3);
    for (let j = 0; j < je; j++) {
      let s: f64 = 0;
      for (let p = 0; p < kb; p++) s += at(lp, p * 4 + r) * at(wp, p * 4 + j);
      put(row, j, at(row, j) - s);
    }
  }
}

/** tile: 16 f64 of spill room, 16-byte aligned. */
export function lowerUpdatePacked(c: usize, ldc: i32, m: i32, lpPtr: usize, wpPtr: usize, kb: i32, tile: usize, vec: bool): void {
  const nblk = (m + 3) >> 2;
  const panelBytes = <usize>kb << 5;
  // Column chunks of about 128 KB of packed W stay in L2 while every row block below sweeps them.
  const jcb = max(1, (128 << 10) / <i32>panelBytes);
  for (let jc = 0; jc < nblk; jc += jcb) {
    const jend = min(nblk, jc + jcb);
    for (let t = jc; t < nblk; t++) {
      const mr = min(4, m - 4 * t);
      const lp = lpPtr + <usize>t * panelBytes;
      const crow = c + (<usize>(4 * t) * <usize>ldc << 3);
      const ue = min(jend, t + 1);
      for (let u = jc; u < ue; u++) {
        const nr = min(4, m - 4 * u);
        const cp = crow + (<usize>(4 * u) << 3), wp = wpPtr + <usize>u * panelBytes;
        if (ASC_FEATURE_SIMD && vec) tileSimd(lp, wp, kb, cp, ldc, mr, nr, u == t, tile);
        else tileScalar(lp, wp, kb, cp, ldc, mr, nr, u == t);
      }
    }
  }
}
