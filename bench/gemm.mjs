// GEMM suite: GFLOPS of our scalar / simd / relaxed binaries beside TF.js-wasm (XNNPACK), the
// plain JS reference and, in Node, NumPy/PyTorch. Platform-neutral: the caller passes the
// library (dist/ in Node, bundle/ in a page) and the peers it could load.
import { measure } from './timing.mjs';

export function shapes(quick) {
  const out = [];
  const squares = quick ? [64, 256] : [64, 128, 256, 512, 1024];
  for (const s of squares) out.push({ m: s, n: s, k: s, tA: false, tB: false, group: 'square' });
  const batches = quick ? [1, 100] : [1, 10, 100];
  const hidden = quick ? [25, 500] : [25, 50, 100, 250, 500];
  for (const B of batches) for (const h of hidden) {
    out.push({ m: B, n: h, k: 100, tA: false, tB: false, group: 'forward (B×100)·(100×h)' });
    out.push({ m: B, n: 10, k: h, tA: false, tB: false, group: 'forward (B×h)·(h×10)' });
  }
  // Backprop at batch 100: weight gradient Xᵀ·δ (TN) and input gradient δ·Wᵀ (NT).
  for (const h of hidden) {
    out.push({ m: 100, n: h, k: 100, tA: true, tB: false, group: 'backward Xᵀ·δ (TN)' });
    out.push({ m: 100, n: h, k: 10, tA: false, tB: true, group: 'backward δ·W2ᵀ (NT)' });
  }
  return out;
}

export const caseName = (s) => `${s.m}x${s.n}x${s.k}${s.tA ? ' TN' : s.tB ? ' NT' : ''}`;

function fill(n, seed) {
  const a = new Float32Array(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) { x = (Math.imul(x, 1664525) + 1013904223) >>> 0; a[i] = x / 2 ** 32 - 0.5; }
  return a;
}

/** i-k-j loops on Float32Array: what a careful JS author writes without wasm. */
export function jsGemm(c, a, b, m, n, k, tA, tB) {
  c.fill(0);
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const av = tA ? a[p * m + i] : a[i * k + p];
      const row = i * n;
      if (tB) for (let j = 0; j < n; j++) c[row + j] += av * b[j * k + p];
      else { const bRow = p * n; for (let j = 0; j < n; j++) c[row + j] += av * b[bRow + j]; }
    }
  }
}

const gflops = (s, ms) => (2 * s.m * s.n * s.k) / ms / 1e6;

/**
 * ctx: { lib, heaps: {scalar, simd, relaxed}, tf?, native?: Map(caseName → {numpy, torch}), quick, log, platform }
 * Returns rows in the shared JSON shape, one per (case, binary) against tfjs-wasm, plus extra peers.
 */
export async function run(ctx) {
  const { lib, heaps, tf, quick, log } = ctx;
  const opts = quick ? { minMs: 15, samples: 3 } : { minMs: 40, samples: 5 };
  const rows = [];
  for (const s of shapes(quick)) {
    const name = caseName(s);
    const a = fill(s.m * s.k, 1), b = fill(s.k * s.n, 2);
    const ours = {};
    for (const [bin, heap] of Object.entries(heaps)) {
      if (!heap) continue;
      if (bin === 'scalar' && s.m * s.n * s.k > 300 ** 3) { ours[bin] = null; continue; } // seconds per call
      heap.reset();
      const aPtr = heap.allocF32(a.length, a), bPtr = heap.allocF32(b.length, b), cPtr = heap.allocF32(s.m * s.n);
      const work = heap.alloc(lib.gemmWorkBytes(heap.wasm, s.m, s.n, s.k));
      const o = { transA: s.tA, transB: s.tB };
      const t = measure(() => lib.gemmPtr(heap, cPtr, aPtr, bPtr, s.m, s.n, s.k, o, work), opts);
      ours[bin] = { gflops: gflops(s, t.warmMs), coldMs: t.coldMs, warmMs: t.warmMs };
      heap.reset();
    }
    let tfv = null;
    if (tf) {
      const ta = tf.tensor2d(a, s.tA ? [s.k, s.m] : [s.m, s.k]);
      const tb = tf.tensor2d(b, s.tB ? [s.n, s.k] : [s.k, s.n]);
      // Timed: matMul plus dataSync, the least a caller must do to get the product out.
      const t = measure(() => { const c = tf.matMul(ta, tb, s.tA, s.tB); c.dataSync(); c.dispose(); }, opts);
      tfv = { gflops: gflops(s, t.warmMs), coldMs: t.coldMs, warmMs: t.warmMs };
      ta.dispose(); tb.dispose();
    }
    let jsv = null;
    if (s.m * s.n * s.k <= 256 ** 3) {
      const c = new Float32Array(s.m * s.n);
      const t = measure(() => jsGemm(c, a, b, s.m, s.n, s.k, s.tA, s.tB), opts);
      jsv = { gflops: gflops(s, t.warmMs), coldMs: t.coldMs, warmMs: t.warmMs };
    }
    const native = ctx.native?.get(name) ?? {};
    for (const bin of ['simd', 'relaxed', 'scalar']) {
      const o = ours[bin];
      if (!o) continue;
      const base = { suite: 'gemm', case: name, group: s.group, binary: bin, ours: round(o.gflops), unit: 'GFLOPS', coldMs: round(o.coldMs), warmMs: round(o.warmMs, 4) };
      rows.push({ ...base, peer: 'tfjs-wasm', peerValue: tfv ? round(tfv.gflops) : null, ratio: tfv ? round(o.gflops / tfv.gflops) : null });
      if (bin === 'simd' && jsv) rows.push({ ...base, peer: 'js', peerValue: round(jsv.gflops), ratio: round(o.gflops / jsv.gflops) });
      for (const [peer, v] of Object.entries(native)) if (v) rows.push({ ...base, peer, peerValue: round(v), ratio: round(o.gflops / v) });
    }
    log(`gemm ${name.padEnd(16)} simd ${fmt(ours.simd?.gflops)} relaxed ${fmt(ours.relaxed?.gflops)} scalar ${fmt(ours.scalar?.gflops)} | tfjs ${fmt(tfv?.gflops)} js ${fmt(jsv?.gflops)}${Object.entries(native).map(([p, v]) => ` ${p} ${fmt(v)}`).join('')}`);
  }
  return rows;
}

const round = (x, d = 2) => (x == null ? null : Math.round(x * 10 ** d) / 10 ** d);
const fmt = (x) => (x == null ? '   -  ' : x.toFixed(1).padStart(6));
