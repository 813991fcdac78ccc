// Spin-glass suite: energy+gradient evaluations per second of the p = 3 model (dense and packed
// couplings; B = 1, 16, 64 configurations per batch, our kernel taking 8 per call), beside the
// plain JS reference and, in Node, a batched NumPy version (bench/peers/numpy_pspin.py); then
// the whole GD ensemble to convergence at Λ = 100 on 1 and 2 workers, in restart-evaluations per
// second, beside NumPy's batched GD steps. Timed: kernel calls on resident couplings only.
import { median, medianRate, sig } from './timing.mjs';
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
        const wPtr = heap.allocF32(8 * n), gPtr = heap.allocF32(8 * n), ePtr = heap.allocF32(8);
        const wv = heap.f32(wPtr, 8 * n);
        for (let i = 0; i < 8 * n; i++) wv[i] = Math.sin(i * 0.37) + 0.1;
        const sorted = storage === 'packed' ? 1 : 0;
        for (const B of [1, 16, 64]) {
          const calls = Math.ceil(B / 8);
          const ours = rate(() => { for (let c = 0; c < calls; c++) w.pspin_eg_f32x8(ePtr, gPtr, kPtr, wPtr, n, 3, sorted); }, B, timing);
          let np = null;
          if (peer && storage === 'packed') np = (await peer.request({ op: 'eg', n, B, minMs: timing.minMs })).evalsPerSec;
          rows.push({ suite: name, case: `eg Λ=${n} B=${B}`, storage, n, B, couplings: count, binary: 'simd', ours: sig(ours), unit: 'evals/s',
            peer: np ? 'numpy' : null, peerValue: sig(np), ratio: np ? sig(ours / np, 3) : null });
          log(`pspin eg Λ=${n} ${storage.padEnd(6)} B=${String(B).padStart(2)}: ${ours.toFixed(0)} evals/s${np ? `, numpy ${np.toFixed(0)} (${(ours / np).toFixed(2)}×)` : ''}`);
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
    const ens = {};
    for (const workers of [1, 2]) {
      const pool = await lib.createPool({ workers });
      try {
        await pool.run(tasks.slice(0, workers)); // warm: couplings resident in every worker
        const rates = [];
        for (let s = 0; s < (quick ? 1 : 3); s++) {
          const t = performance.now();
          const res = await pool.run(tasks);
          const evals = res.flat().reduce((a, r) => a + r.iterations + 1, 0);
          rates.push(evals / ((performance.now() - t) / 1000));
        }
        ens[workers] = median(rates);
      } finally {
        await pool.terminate();
      }
      log(`pspin GD ensemble Λ=100, ${restarts} restarts, ${workers} worker(s): ${ens[workers].toFixed(0)} restart-evaluations/s`);
    }
    const npGd = peer ? (await peer.request({ op: 'gd', n: 100, B: 64, minMs: timing.minMs })).evalsPerSec : null;
    const gdCouplings = w.pspin_packed_count(100, 3);
    rows.push({ suite: name, case: 'GD ensemble Λ=100', workers: 1, n: 100, couplings: gdCouplings, binary: 'simd', ours: sig(ens[1]), unit: 'restart-evals/s', peer: npGd ? 'numpy' : null, peerValue: sig(npGd), ratio: npGd ? sig(ens[1] / npGd, 3) : null });
    rows.push({ suite: name, case: 'GD ensemble Λ=100', workers: 2, n: 100, couplings: gdCouplings, binary: 'simd', ours: sig(ens[2]), unit: 'restart-evals/s', peer: '1 worker', peerValue: sig(ens[1]), ratio: sig(ens[2] / ens[1], 3) });
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
  return { flops, bytes: (4 * row.couplings) / Math.min(row.B, 8), precision: 'f32', workers: 1 };
}

export function format(rows) {
  const rs = rows.filter((r) => r.suite === name);
  if (!rs.length) return [];
  const lines = ['', title];
  lines.push(`  %peak: of the roofline bound, min(f32 compute peak, coupling stream × read bandwidth) (bound shown); 4 flops per coupling per restart`);
  for (const r of rs) {
    const peak = r.fractionOfPeak == null ? '' : `${pct(r.fractionOfPeak)} of ${r.peak.bound === 'bandwidth' ? 'bw' : 'cpu'}`;
    lines.push(`  ${r.case.padEnd(22)} ${(r.storage ?? '').padEnd(7)} ${(r.workers ? `${r.workers}w` : r.binary).padEnd(13)} ${String(r.ours).padStart(10)} ${r.unit.padEnd(15)} ${peak.padEnd(12)}${r.peer ? `   ${r.peer} ${r.peerValue}  → ${r.ratio}×` : ''}`);
  }
  return lines;
}

export function targets(rows) {
  const rs = rows.filter((r) => r.suite === name);
  const out = [];
  for (const n of [100, 200]) {
    const r = rs.filter((x) => x.peer === 'numpy' && x.case === `eg Λ=${n} B=64`)[0];
    if (r) out.push({ target: `pspin eg ≥ 2× NumPy batched per core (Λ=${n}, B=64, packed)`, goal: 2, worst: r.ratio, at: r.case, pass: r.ratio >= 2 });
  }
  const gd = rs.find((x) => x.case === 'GD ensemble Λ=100' && x.workers === 1 && x.peer === 'numpy');
  if (gd) out.push({ target: 'pspin GD ensemble ≥ 2× NumPy batched GD per core (Λ=100)', goal: 2, worst: gd.ratio, at: gd.case, pass: gd.ratio >= 2 });
  const sc = rs.find((x) => x.case === 'GD ensemble Λ=100' && x.workers === 2);
  if (sc) out.push({ target: 'pspin 2 workers ≥ 1.8× one', goal: 1.8, worst: sc.ratio, at: sc.case, pass: sc.ratio >= 1.8 });
  return out;
}
