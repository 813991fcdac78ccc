// Spin-glass suite: energy+gradient evaluations per second of the p = 3 model (dense and packed
// couplings; B = 1, 16, 64 configurations per batch, our kernels taking 8 or 16 per call, timed
// round-robin so their ratio is load-robust), beside the
// plain JS reference and, in Node, a batched NumPy version (bench/peers/numpy_pspin.py); then
// the whole GD ensemble to convergence at Λ = 100 on 1 and 2 workers, in restart-evaluations per
// second, beside NumPy's batched GD steps. Timed: kernel calls on resident couplings only.
import { compare, local, median, medianRate, pairedSpeedup, sig } from './timing.mjs';
import { pct } from './peak.mjs';

export const name = 'pspin';
export const title = 'Spin glass (p = 3): energy + gradient evaluations per second';

const rate = medianRate;

export async function run(ctx) {
  const { lib, quick, log } = ctx;
  const timing = quick ? { minMs: 20, samples: 3 } : { minMs: 60, samples: 5 };
  const sizes = quick ? [100] : [100, 200, 400];
  const rows = [];
  const w = await lib.loadWasm('simd');
  const heap = new lib.Heap(w);
  let peer = null;
  if (ctx.platform === 'node' && ctx.native !== false && ctx.openPeer) {
    peer = await ctx.openPeer('numpy_pspin.py', { log });
    if (peer.unavailable || peer.env?.unavailable) { // the script starts without numpy and says so in its env
      log(`peer numpy (pspin) unavailable: ${peer.unavailable ?? peer.env.unavailable}`);
      await peer.close?.();
      peer = null;
    } else ctx.env.peers.numpyPspin = peer.env;
  }
  try {
    for (const n of sizes) {
      for (const storage of ['packed', 'dense']) {
        if (storage === 'dense' && n > 200 && quick) continue;
        heap.reset();
        const count = storage === 'packed' ? w.pspin_packed_count(n, 3) : n ** 3;
        const kPtr = heap.allocF32(count);
        w[storage === 'packed' ? 'pspin_fill_packed_f32' : 'pspin_fill_dense_f32'](kPtr, n, 3, 0, 1, 1);
        const wPtr = heap.allocF32(16 * n), gPtr = heap.allocF32(16 * n), ePtr = heap.allocF32(16);
        const wv = heap.f32(wPtr, 16 * n);
        for (let i = 0; i < 16 * n; i++) wv[i] = Math.sin(i * 0.37) + 0.1;
        const sorted = storage === 'packed' ? 1 : 0;
        for (const B of [1, 16, 64]) {
          // Width 8 (pspin_eg_f32x8) and, from B = 16, width 16 (pspin_eg_f32x16), sampled round-robin.
          const impls = [8, ...(B >= 16 ? [16] : [])].map((width) => {
            const calls = Math.ceil(B / width), eg = width === 16 ? w.pspin_eg_f32x16 : w.pspin_eg_f32x8;
            return local(`x${width}`, () => { for (let c = 0; c < calls; c++) eg(ePtr, gPtr, kPtr, wPtr, n, 3, sorted); });
          });
          const timed = await compare(impls, timing);
          let np = null;
          if (peer && storage === 'packed') np = (await peer.request({ op: 'eg', n, B, minMs: timing.minMs })).evalsPerSec;
          for (const impl of impls) {
            const width = Number(impl.name.slice(1));
            const ours = (B * 1000) / timed[impl.name].warmMs;
            const vs8 = width === 16 ? pairedSpeedup(timed.x16, timed.x8) : null;
            rows.push({ suite: name, case: `eg Λ=${n} B=${B}`, storage, n, B, width, couplings: count, binary: width === 16 ? 'simd x16' : 'simd', ours: sig(ours), unit: 'evals/s',
              peer: np ? 'numpy' : null, peerValue: sig(np), ratio: np ? sig(ours / np, 3) : null, ...(vs8 ? { vsWidth8: sig(vs8, 3) } : {}) });
            log(`pspin eg Λ=${n} ${storage.padEnd(6)} B=${String(B).padStart(2)} width ${String(width).padStart(2)}: ${ours.toFixed(0)} evals/s${np ? `, numpy ${np.toFixed(0)} (${(ours / np).toFixed(2)}×)` : ''}${vs8 ? `, ${vs8.toFixed(2)}× width 8 (paired)` : ''}`);
          }
        }
        if (storage === 'dense' && n <= 100) {
          const { energy, gradient } = await import('../dist/pspin/reference.js').catch(() => ({}));
          if (energy) {
            const J = Float64Array.from(heap.f32(kPtr, count));
            const x = Array.from({ length: n }, (_, i) => Math.sin(i) + 0.1);
            const js = rate(() => { energy({ p: 3, n, J }, x); gradient({ p: 3, n, J }, x); }, 1, { minMs: timing.minMs, samples: 3 });
            rows.push({ suite: name, case: `eg Λ=${n} B=1`, storage: 'dense', n, B: 1, couplings: count, binary: 'js-reference', ours: sig(js), unit: 'evals/s', peer: null, peerValue: null, ratio: null });
            log(`pspin eg Λ=${n} plain JS f64 reference: ${js.toFixed(1)} evals/s`);
          }
        }
      }
    }
    // The GD ensemble to convergence at Λ = 100 through the pool, 1 and 2 workers.
    const restarts = quick ? 128 : 512; // 4 or 16 tasks of 32: enough to balance 2 workers whose restarts converge at different speeds
    const params = { p: 3, n: 100, storage: 'packed', coupling: 'gaussian', instance: 0, method: 'gd', lr: 0.2, tol: 0.01, maxIter: 20000,
      index: false, indexTol: 1e-3, pieces: 4, annealSteps: 0, annealT0: 1, annealStep: 0.05 };
    const tasks = Array.from({ length: restarts / 32 }, (_, i) => ({ kind: 'pspin-batch', seed: 1, stream: i, params: { ...params, firstRestart: 32 * i, count: 32 } }));
    // Each worker calibrates its width (8 or 16); in Node a third run forces width 8 for comparison.
    const env = globalThis.process?.env;
    const configs = [{ workers: 1 }, { workers: 2 }, ...(ctx.platform === 'node' && env ? [{ workers: 1, forced: 8 }] : [])];
    const ens = [];
    for (const c of configs) {
      const saved = env?.LANDSCAPE_PSPIN_WIDTH;
      if (c.forced) env.LANDSCAPE_PSPIN_WIDTH = String(c.forced);
      const pool = await lib.createPool({ workers: c.workers });
      try {
        await pool.run(tasks.slice(0, c.workers)); // warm: couplings resident in every worker
        const rates = [];
        for (let s = 0; s < (quick ? 1 : 3); s++) {
          const t = performance.now();
          const res = await pool.run(tasks);
          const evals = res.flat().reduce((a, r) => a + r.iterations + 1, 0);
          rates.push(evals / ((performance.now() - t) / 1000));
        }
        ens.push({ ...c, rate: median(rates) });
      } finally {
        await pool.terminate();
        if (c.forced) { if (saved === undefined) delete env.LANDSCAPE_PSPIN_WIDTH; else env.LANDSCAPE_PSPIN_WIDTH = saved; }
      }
      log(`pspin GD ensemble Λ=100, ${restarts} restarts, ${c.workers} worker(s)${c.forced ? `, width forced to ${c.forced}` : ''}: ${ens.at(-1).rate.toFixed(0)} restart-evaluations/s`);
    }
    const npGd = peer ? (await peer.request({ op: 'gd', n: 100, B: 64, minMs: timing.minMs })).evalsPerSec : null;
    const gdCouplings = w.pspin_packed_count(100, 3);
    const [one, two, eight] = ens;
    const row = (c, extra) => ({ suite: name, case: 'GD ensemble Λ=100', workers: c.workers, ...(c.forced ? { forced: c.forced } : {}), n: 100, couplings: gdCouplings, binary: 'simd', ours: sig(c.rate), unit: 'restart-evals/s', ...extra });
    rows.push(row(one, { peer: npGd ? 'numpy' : null, peerValue: sig(npGd), ratio: npGd ? sig(one.rate / npGd, 3) : null }));
    rows.push(row(two, { peer: '1 worker', peerValue: sig(one.rate), ratio: sig(two.rate / one.rate, 3) }));
    if (eight) rows.push(row(eight, { peer: 'calibrated', peerValue: sig(one.rate), ratio: sig(eight.rate / one.rate, 3) }));
  } finally {
    heap.reset();
    await peer?.close();
  }
  return rows;
}

/**
 * fractionOfPeak. Flops per energy+gradient evaluation = 4 per coupling (the inner loop of
 * pspin_eg_f32x8 per restart: a += K·w_k and g_k += K·Π, a mul and an add each); the O(Λ²)
 * per-prefix work (~7% more at Λ = 100) is not counted. One call streams the couplings (4 bytes
 * each) once for its 8 restarts, so a useful evaluation costs 4·count / min(B, 8) bytes: the bound
 * is min(f32 mul+add peak, that intensity × read bandwidth); at B = 1 seven lanes of eight are idle.
 * GD ensemble: the same count per restart-evaluation (its step adds O(Λ)), couplings resident,
 * against the compute peak of that many workers. The plain-JS reference: f64, against the f64 peak.
 */
export function work(row) {
  if (!row.couplings) return null;
  const flops = 4 * row.couplings;
  if (row.unit === 'restart-evals/s') return { flops, precision: 'f32', workers: row.workers };
  if (row.binary === 'js-reference') return { flops, precision: 'f64', workers: 1 };
  return { flops, bytes: (4 * row.couplings) / Math.min(row.B, row.width ?? 8), precision: 'f32', workers: 1 };
}

export function format(rows) {
  const rs = rows.filter((r) => r.suite === name);
  if (!rs.length) return [];
  const lines = ['', title];
  lines.push(`  %peak: of the roofline bound, min(f32 compute peak, coupling stream × read bandwidth) (bound shown); 4 flops per coupling per restart`);
  for (const r of rs) {
    const peak = r.fractionOfPeak == null ? '' : `${pct(r.fractionOfPeak)} of ${r.peak.bound === 'bandwidth' ? 'bw' : 'cpu'}`;
    lines.push(`  ${r.case.padEnd(22)} ${(r.storage ?? '').padEnd(7)} ${(r.workers ? `${r.workers}w${r.forced ? ` x${r.forced}` : ''}` : r.binary).padEnd(13)} ${String(r.ours).padStart(10)} ${r.unit.padEnd(15)} ${peak.padEnd(12)}${r.peer ? `   ${r.peer} ${r.peerValue}  → ${r.ratio}×` : ''}${r.vsWidth8 ? `   (${r.vsWidth8}× width 8)` : ''}`);
  }
  return lines;
}

export function targets(rows) {
  const rs = rows.filter((r) => r.suite === name);
  const out = [];
  for (const n of [100, 200, 400]) {
    // The faster width at B = 64, packed: what the descent uses after its calibration.
    const best = rs.filter((x) => x.case === `eg Λ=${n} B=64` && x.storage === 'packed' && x.binary !== 'js-reference').sort((a, b) => b.ours - a.ours)[0];
    if (!best) continue;
    if (best.ratio != null) out.push({ target: `pspin eg ≥ 1.5× NumPy batched per core (Λ=${n}, B=64, packed, width ${best.width})`, goal: 1.5, worst: best.ratio, at: best.case, pass: best.ratio >= 1.5 });
    if (best.fractionOfPeak != null) out.push({ target: `pspin eg ≥ 0.8 of peak (Λ=${n}, B=64, packed, width ${best.width})`, goal: 0.8, worst: best.fractionOfPeak, at: best.case, pass: best.fractionOfPeak >= 0.8 });
  }
  const gd = rs.find((x) => x.case === 'GD ensemble Λ=100' && x.workers === 1 && !x.forced && x.peer === 'numpy');
  if (gd) out.push({ target: 'pspin GD ensemble ≥ 1.5× NumPy batched GD per core (Λ=100)', goal: 1.5, worst: gd.ratio, at: gd.case, pass: gd.ratio >= 1.5 });
  const sc = rs.find((x) => x.case === 'GD ensemble Λ=100' && x.workers === 2 && !x.forced);
  if (sc) out.push({ target: 'pspin 2 workers ≥ 1.8× one', goal: 1.8, worst: sc.ratio, at: sc.case, pass: sc.ratio >= 1.8 });
  return out;
}
