// The p-spin energy+gradient of 16 restarts at once ([n][16] f32, restart innermost): the walk
// and every lane's summation order are those of pspin_eg_f32x8, so each restart gets the same
// bytes; only the batch width differs. Why a second width: in the 8-lane kernel the two
// accumulators a0, a1 (Σ_k K·w_k) are each one dependent add per coupling, so the inner loop is
// bound by the add latency; four independent chains cover it, and each coupling (and its splat)
// is loaded once per 16 restarts instead of 8. The caller chooses the width by a calibration
// (src/pspin/width.ts) among widths that give identical bytes.
import { pre, nextPrefix, resetPrefix, MAXP } from './pspin_tuples';
import { egScalarLanes } from './pspin';

const others16: usize = memory.data(64 * MAXP, 16); // per prefix position a: Π_{b≠a} w (4 × v128)

/** Energies (16 f32) and Euclidean gradients ([n][16] f32) of 16 restarts; g may not alias w. */
export function pspin_eg_f32x16(ePtr: usize, gPtr: usize, kPtr: usize, wPtr: usize, n: i32, p: i32, sorted: i32): void {
  if (ASC_FEATURE_SIMD) eg16Simd(ePtr, gPtr, kPtr, wPtr, n, p, sorted);
  else egScalarLanes(16, ePtr, gPtr, kPtr, wPtr, n, p, sorted);
}

function eg16Simd(ePtr: usize, gPtr: usize, kPtr: usize, wPtr: usize, n: i32, p: i32, sorted: i32): void {
  const len = p - 1;
  const scale = <f32>Math.pow(<f64>n, -0.5 * <f64>(p - 1));
  memory.fill(gPtr, 0, <usize>n << 6);
  let e0 = f32x4.splat(0), e1 = f32x4.splat(0), e2 = f32x4.splat(0), e3 = f32x4.splat(0);
  resetPrefix(len);
  let kOff: usize = kPtr;
  do {
    let p0 = f32x4.splat(1), p1 = f32x4.splat(1), p2 = f32x4.splat(1), p3 = f32x4.splat(1);
    for (let a = 0; a < len; a++) {
      let o0 = f32x4.splat(1), o1 = f32x4.splat(1), o2 = f32x4.splat(1), o3 = f32x4.splat(1);
      for (let b = 0; b < len; b++) {
        if (b == a) continue;
        const wb = wPtr + (<usize>pre(b) << 6);
        o0 = f32x4.mul(o0, v128.load(wb));
        o1 = f32x4.mul(o1, v128.load(wb, 16));
        o2 = f32x4.mul(o2, v128.load(wb, 32));
        o3 = f32x4.mul(o3, v128.load(wb, 48));
      }
      const oa = others16 + (<usize>a << 6);
      v128.store(oa, o0);
      v128.store(oa, o1, 16);
      v128.store(oa, o2, 32);
      v128.store(oa, o3, 48);
      const wa = wPtr + (<usize>pre(a) << 6);
      p0 = f32x4.mul(p0, v128.load(wa));
      p1 = f32x4.mul(p1, v128.load(wa, 16));
      p2 = f32x4.mul(p2, v128.load(wa, 32));
      p3 = f32x4.mul(p3, v128.load(wa, 48));
    }
    const start = sorted && len > 0 ? pre(len - 1) : 0;
    let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
    let wk = wPtr + (<usize>start << 6);
    let gk = gPtr + (<usize>start << 6);
    for (let k = start; k < n; k++) {
      const kv = v128.load32_splat(kOff);
      a0 = f32x4.add(a0, f32x4.mul(kv, v128.load(wk)));
      a1 = f32x4.add(a1, f32x4.mul(kv, v128.load(wk, 16)));
      a2 = f32x4.add(a2, f32x4.mul(kv, v128.load(wk, 32)));
      a3 = f32x4.add(a3, f32x4.mul(kv, v128.load(wk, 48)));
      v128.store(gk, f32x4.add(v128.load(gk), f32x4.mul(kv, p0)));
      v128.store(gk, f32x4.add(v128.load(gk, 16), f32x4.mul(kv, p1)), 16);
      v128.store(gk, f32x4.add(v128.load(gk, 32), f32x4.mul(kv, p2)), 32);
      v128.store(gk, f32x4.add(v128.load(gk, 48), f32x4.mul(kv, p3)), 48);
      kOff += 4;
      wk += 64;
      gk += 64;
    }
    e0 = f32x4.add(e0, f32x4.mul(p0, a0));
    e1 = f32x4.add(e1, f32x4.mul(p1, a1));
    e2 = f32x4.add(e2, f32x4.mul(p2, a2));
    e3 = f32x4.add(e3, f32x4.mul(p3, a3));
    for (let a = 0; a < len; a++) {
      const ga = gPtr + (<usize>pre(a) << 6);
      const oa = others16 + (<usize>a << 6);
      v128.store(ga, f32x4.add(v128.load(ga), f32x4.mul(v128.load(oa), a0)));
      v128.store(ga, f32x4.add(v128.load(ga, 16), f32x4.mul(v128.load(oa, 16), a1)), 16);
      v128.store(ga, f32x4.add(v128.load(ga, 32), f32x4.mul(v128.load(oa, 32), a2)), 32);
      v128.store(ga, f32x4.add(v128.load(ga, 48), f32x4.mul(v128.load(oa, 48), a3)), 48);
    }
  } while (len > 0 && nextPrefix(n, len, sorted != 0));
  const vs = f32x4.splat(scale);
  v128.store(ePtr, f32x4.mul(e0, vs));
  v128.store(ePtr, f32x4.mul(e1, vs), 16);
  v128.store(ePtr, f32x4.mul(e2, vs), 32);
  v128.store(ePtr, f32x4.mul(e3, vs), 48);
  for (let i: usize = 0; i < (<usize>n << 2); i++) {
    const gi = gPtr + (i << 4);
    v128.store(gi, f32x4.mul(v128.load(gi), vs));
  }
}
