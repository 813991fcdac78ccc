// f64 GEMM for the exact-curvature kernels (hessian.ts): C[m×n] = beta·C + alpha·Σ_p A(i, p)·B[p, j], A(i, p) = a[i·sai + p·sap] (any strides, so
// Aᵀ costs nothing), B row-major with ldb, C with ldc; beta = 0 never reads C. Both A and B are
// packed into zero-padded 4-wide panels, so one 4×4 tile serves every ragged edge.

// The pack buffers live in the caller's workspace (hessian.ts plan()), which sets them before use.
export const KC: i32 = 256; // a kc×4 panel of A and the kc×n B block stay in L1/L2 while C tiles are swept
let packA: usize = 0;
let packB: usize = 0;

export function setPackBuffers(a: usize, b: usize): void {
  packA = a;
  packB = b;
}

@inline function at(p: usize, i: usize): f64 { return load<f64>(p + (i << 3)); }
@inline function put(p: usize, i: usize, v: f64): void { store<f64>(p + (i << 3), v); }
@inline function addTo(p: usize, i: usize, v: f64): void { store<f64>(p + (i << 3), load<f64>(p + (i << 3)) + v); }


export function microSimd(ap: usize, bp: usize, kc: i32, c: usize, ldc: i32, mr: i32, nr: i32, alpha: f64): void {
  let c00 = f64x2.splat(0), c01 = f64x2.splat(0), c10 = f64x2.splat(0), c11 = f64x2.splat(0);
  let c20 = f64x2.splat(0), c21 = f64x2.splat(0), c30 = f64x2.splat(0), c31 = f64x2.splat(0);
  for (let p = 0; p < kc; p++) {
    const o = <usize>p << 5;
    const b0 = v128.load(bp + o), b1 = v128.load(bp + o, 16);
    const a0 = v128.load64_splat(ap + o), a1 = v128.load64_splat(ap + o, 8);
    const a2 = v128.load64_splat(ap + o, 16), a3 = v128.load64_splat(ap + o, 24);
    c00 = f64x2.add(c00, f64x2.mul(a0, b0)); c01 = f64x2.add(c01, f64x2.mul(a0, b1));
    c10 = f64x2.add(c10, f64x2.mul(a1, b0)); c11 = f64x2.add(c11, f64x2.mul(a1, b1));
    c20 = f64x2.add(c20, f64x2.mul(a2, b0)); c21 = f64x2.add(c21, f64x2.mul(a2, b1));
    c30 = f64x2.add(c30, f64x2.mul(a3, b0)); c31 = f64x2.add(c31, f64x2.mul(a3, b1));
  }
  const t = packA + (<usize>KC << 5); // 16 f64 of spill room after the A panel
  v128.store(t, c00); v128.store(t, c01, 16); v128.store(t, c10, 32); v128.store(t, c11, 48);
  v128.store(t, c20, 64); v128.store(t, c21, 80); v128.store(t, c30, 96); v128.store(t, c31, 112);
  for (let r = 0; r < mr; r++) {
    const row = c + (<usize>r * <usize>ldc << 3);
    for (let j = 0; j < nr; j++) addTo(row, <usize>j, alpha * at(t, <usize>(r * 4 + j)));
  }
}

export function microScalar(ap: usize, bp: usize, kc: i32, c: usize, ldc: i32, mr: i32, nr: i32, alpha: f64): void {
  for (let r = 0; r < mr; r++) {
    let s0: f64 = 0, s1: f64 = 0, s2: f64 = 0, s3: f64 = 0;
    for (let p = 0; p < kc; p++) {
      const a = at(ap, <usize>(p * 4 + r));
      const b = bp + (<usize>p << 5);
      s0 += a * at(b, 0); s1 += a * at(b, 1); s2 += a * at(b, 2); s3 += a * at(b, 3);
    }
    const row = c + (<usize>r * <usize>ldc << 3);
    addTo(row, 0, alpha * s0);
    if (nr > 1) addTo(row, 1, alpha * s1);
    if (nr > 2) addTo(row, 2, alpha * s2);
    if (nr > 3) addTo(row, 3, alpha * s3);
  }
}

export function gemm(c: usize, ldc: i32, a: usize, sai: i32, sap: i32, b: usize, ldb: i32, m: i32, n: i32, kk: i32, alpha: f64, beta: f64, simd: bool): void {
  if (beta != 1) {
    for (let i = 0; i < m; i++) {
      const row = c + (<usize>i * <usize>ldc << 3);
      for (let j = 0; j < n; j++) put(row, <usize>j, beta == 0 ? 0 : beta * at(row, <usize>j));
    }
  }
  if (alpha == 0) return;
  const nt = (n + 3) >> 2;
  for (let p0 = 0; p0 < kk; p0 += KC) {
    const kc = min(KC, kk - p0);
    for (let jt = 0; jt < nt; jt++) {
      const dst = packB + (<usize>jt * <usize>kc << 5);
      for (let p = 0; p < kc; p++) {
        const src = b + ((<usize>(p0 + p) * <usize>ldb + <usize>(jt << 2)) << 3);
        for (let q = 0; q < 4; q++) put(dst, <usize>(p * 4 + q), (jt << 2) + q < n ? at(src, <usize>q) : 0);
      }
    }
    for (let i0 = 0; i0 < m; i0 += 4) {
      const mr = min(4, m - i0);
      for (let p = 0; p < kc; p++) {
        const src = a + ((<usize>i0 * <usize>sai + <usize>(p0 + p) * <usize>sap) << 3);
        for (let r = 0; r < 4; r++) put(packA, <usize>(p * 4 + r), r < mr ? at(src, <usize>r * <usize>sai) : 0);
      }
      const crow = c + (<usize>i0 * <usize>ldc << 3);
      for (let jt = 0; jt < nt; jt++) {
        const bp = packB + (<usize>jt * <usize>kc << 5), cp = crow + (<usize>(jt << 2) << 3), nr = min(4, n - (jt << 2));
        if (ASC_FEATURE_SIMD && simd) microSimd(packA, bp, kc, cp, ldc, mr, nr, alpha);
        else microScalar(packA, bp, kc, cp, ldc, mr, nr, alpha);
      }
    }
  }
}
