// Packing op(A) for gemm.ts's sweeps: 4-row slivers of kc steps (16 bytes a step), from A stored
// k×m (transposed, v128 copies) or m×k (four strided scalars a step, for the sweep that packs A in
// every layout). Packing moves values only, so it never changes a result's bytes.

/** A stored m×k (not transposed): rows i0..i0+mc (mc a multiple of 4) → slivers of kc steps × 4 rows. */
export function packAN(dst: usize, aPtr: usize, lda: i32, p0: i32, kc: i32, i0: i32, mc: i32): void {
  const ld = <usize>lda << 2;
  for (let ip = 0; ip < mc; ip += 4) {
    const r0 = aPtr + ((<usize>(i0 + ip) * lda + p0) << 2);
    const d = dst + (<usize>ip * kc << 2);
    for (let p = 0; p < kc; p++) {
      const q = d + (<usize>p << 4), o = r0 + (<usize>p << 2);
      store<f32>(q, load<f32>(o));
      store<f32>(q, load<f32>(o + ld), 4);
      store<f32>(q, load<f32>(o + 2 * ld), 8);
      store<f32>(q, load<f32>(o + 3 * ld), 12);
    }
  }
}

/** A stored k×m: op(A) rows i0..i0+mc (mc a multiple of 4) → slivers of kc steps × 4 rows. */
export function packA(dst: usize, aPtr: usize, lda: i32, p0: i32, kc: i32, i0: i32, mc: i32): void {
  const ld = <usize>lda << 2;
  for (let ip = 0; ip < mc; ip += 4) {
    let src = aPtr + ((<usize>p0 * lda + i0 + ip) << 2);
    const d = dst + (<usize>ip * kc << 2);
    for (let p = 0; p < kc; p++) {
      v128.store(d + (<usize>p << 4), v128.load(src));
      src += ld;
    }
  }
}
