// Curvature suite: the f64 kernels of `landscape hessian` against the machine's f64 peak, one
// thread, in Node and in the browser: the structured exact Hessian of a [100, h, 10] bias-free
// ReLU net (cross-entropy, S samples), one blocked LDLᵀ inertia count of it (the index), and its
// full spectrum (blocked tridiagonal reduction + QL). The peers (torch.autograd.functional.hessian,
// numpy eigvalsh) are in bench/hessian.mjs, minutes long; this suite is the roofline view.
//
// Work counts (useful flops, so fractionOfPeak says how close the kernel is to the f64 limit):
//   Hessian: the GEMMs of assembly/hessian_structured.ts over the samples its ReLU masks keep:
//     W1–W1 pair a ≤ b: 2·#{s: m_a m_b = 1}·d²; W2–W2: 2·S·pairs(n1)·pairs(10);
//     W1–W2 unit j: 2·#{s: m_j = 1}·(10·n1)·d. The per-sample rows (softmax, A_s, W2ᵀA_s) are left out.
//   LDLᵀ (Bunch–Kaufman): n³/3. Spectrum: 4n³/3 (the tridiagonal reduction; QL is O(n²)).
import { median, sig } from './timing.mjs';

export const name = 'curvature';
export const title = 'Curvature kernels (f64, one thread): exact Hessian, LDLᵀ inertia, full spectrum';

const pairs = (n) => (n * (n + 1)) / 2;

/** Useful flops of the structured assembly for these params and samples (bias-free, d = 100, c = 10). */
export function structuredFlops(params, X, S, d, n1, c) {
  const on = new Uint8Array(S * n1);
  for (let s = 0; s < S; s++) {
    for (let j = 0; j < n1; j++) {
      let z = 0;
      for (let i = 0; i < d; i++) z += params[j * d + i] * X[s * d + i];
      on[s * n1 + j] = z > 0 ? 1 : 0;
    }
  }
  let f = 2 * S * pairs(n1) * pairs(c);
  for (let a = 0; a < n1; a++) {
    let ca = 0;
    for (let s = 0; s < S; s++) ca += on[s * n1 + a];
    f += 2 * ca * c * n1 * d;
    for (let b = a; b < n1; b++) {
      let cab = 0;
      for (let s = 0; s < S; s++) cab += on[s * n1 + a] & on[s * n1 + b];
      f += 2 * cab * d * d;
    }
  }
  return f;
}

export async function run(ctx) {
  const { lib, quick, log } = ctx;
  if (!lib.exactHessian) return []; // an older bundle without the curvature exports
  const h = quick ? 10 : 25, S = quick ? 500 : 2000, d = 100, c = 10, reps = quick ? 1 : 3;
  let seed = 12345;
  const u = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const P = d * h + h * c;
  const params = Float64Array.from({ length: P }, () => Math.fround(0.4 * u() - 0.2));
  const X = Float64Array.from({ length: S * d }, () => Math.fround(u()));
  const y = Int32Array.from({ length: S }, () => Math.floor(10 * u()));
  const heap = new lib.Heap(await lib.loadWasm('simd'));
  const spec = { layers: [d, h, c], bias: false, loss: 'cross-entropy' };
  const time = (f) => {
    const ts = [];
    let out;
    for (let r = 0; r < reps; r++) {
      const t0 = performance.now();
      out = f();
      ts.push((performance.now() - t0) / 1000);
    }
    return [median(ts), out];
  };
  const rows = [];
  const [tH, res] = time(() => lib.exactHessian(heap, spec, params, X, y, S));
  const flopsH = structuredFlops(params, X, S, d, h, c);
  rows.push({ suite: name, case: `Hessian [100,${h},10] S=${S}`, binary: 'simd', n: P, seconds: sig(tH), ours: sig(flopsH / tH / 1e9), unit: 'GFLOPS', peer: null, peerValue: null, ratio: null });
  log(`curvature Hessian [100,${h},10] S=${S} (P = ${P}): ${tH.toFixed(3)} s, ${(flopsH / tH / 1e9).toFixed(2)} GFLOPS useful`);
  const H = res.H;
  const [tI, neg] = time(() => lib.symInertia(heap, H, P, -1e-3));
  rows.push({ suite: name, case: `LDLᵀ inertia n=${P}`, binary: 'simd', n: P, seconds: sig(tI), ours: sig(P ** 3 / 3 / tI / 1e9), unit: 'GFLOPS', negative: neg, peer: null, peerValue: null, ratio: null });
  log(`curvature LDLᵀ inertia n=${P}: ${tI.toFixed(3)} s (${neg} below −1e-3)`);
  const [tE, ev] = time(() => lib.symEigvals(heap, H, P));
  const below = ev.filter((x) => x < -1e-3).length;
  rows.push({ suite: name, case: `spectrum n=${P}`, binary: 'simd', n: P, seconds: sig(tE), ours: sig((4 * P ** 3) / 3 / tE / 1e9), unit: 'GFLOPS', negative: below, agree: below === neg, peer: null, peerValue: null, ratio: null });
  log(`curvature spectrum n=${P}: ${tE.toFixed(3)} s (${below} below −1e-3, ${below === neg ? 'agrees with' : 'DIFFERS from'} the inertia)`);
  heap.reset();
  return rows;
}

export function work(row) {
  if (row.unit !== 'GFLOPS') return null;
  return { flops: 1e9, precision: 'f64', workers: 1 };
}

export function format(rows) {
  const rs = rows.filter((r) => r.suite === name);
  if (!rs.length) return [];
  const lines = ['', title, '  %peak: of the f64x2 mul+add peak; useful flops (see bench/curvature.mjs)'];
  for (const r of rs) {
    const pk = r.fractionOfPeak == null ? '-' : `${(100 * r.fractionOfPeak).toFixed(0)}%`;
    lines.push(`  ${r.case.padEnd(28)} ${String(r.seconds).padStart(8)} s ${String(r.ours).padStart(8)} GFLOPS ${pk.padStart(5)} of peak${r.negative != null ? `   index count ${r.negative}${r.agree === false ? ' (DIFFERS from the inertia)' : ''}` : ''}`);
  }
  return lines;
}
