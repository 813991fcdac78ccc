// Annealing suite (standalone, one thread): Metropolis proposals per second on [100, n_h, 10] ReLU
// nets (no biases, softmax cross-entropy) over a 1 000-image MNIST training subset (10×10), for
// n_h = 5 and 25, side by side in this process:
//   incremental   assembly/anneal.ts: ΔL from the resident f64 pre-activations, O(S·(1 + C)) per move
//   full f64      the same chain, each ΔL by a full f64 forward pass over the subset, O(S·P)
//   full f32 simd one mlp_forward_loss_f32 call per proposal (the project's fastest subset loss)
// Each runs at the calibrated start temperature T0 (acceptance highest, so commits cost most).
// Then (unless --no-peers) wall time to a fixed final loss against bench/peers/numpy_anneal.py:
// see peerTimeToTarget below. JSON to stdout's last line.
// Usage: npm run build && node bench/anneal.mjs [--S 1000] [--hidden 5,25] [--quick] [--no-peers] [--sweeps 40] [--reps 3]
import os from 'node:os';
import { compare, local, median, pairedSpeedup, sig, FULL, QUICK } from './timing.mjs';
import { openPeer } from './native.mjs';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const S = Number(arg('S', 1000));
const hiddens = String(arg('hidden', '5,25')).split(',').map(Number);
const timing = process.argv.includes('--quick') ? QUICK : FULL;
const binary = arg('binary', 'simd');

const { loadWasm } = await import('../dist/wasm.js');
const { Heap } = await import('../dist/heap.js');
const { bindKernels } = await import('../dist/kernels.js');
const { prepareDataset } = await import('../dist/mlp/data.js');
const { AnnealChain } = await import('../dist/anneal/anneal.js');
const { calibrateTemperature } = await import('../dist/anneal/schedule.js');
const { annealNet, ANNEAL_DEFAULTS } = await import('../dist/anneal/anneal.js');

const data = await prepareDataset({ trainSize: S, testSize: 1, seed: 1 });
const X = Float64Array.from(data.xTrain), y = Int32Array.from(data.yTrain);
const wasm = await loadWasm(binary);
const heap = new Heap(wasm);
const k = bindKernels(wasm);
const out = { node: process.version, cores: os.cpus().length, cpu: os.cpus()[0]?.model, load: os.loadavg()[0], binary: wasm.binary, S, rows: [] };
console.log(`anneal proposals/s, [100, n_h, 10] bias-free cross-entropy, MNIST 10×10 subset S = ${S}; ${wasm.binary}; ${out.cores} cores (${out.cpu}), load ${out.load.toFixed(1)}; Node ${out.node}`);

let u = 12345;
const rand = () => ((u = (Math.imul(u, 1664525) + 1013904223) >>> 0) / 2 ** 32);

for (const h of hiddens) {
  const layers = [100, h, 10], spec = { layers, bias: false, loss: 'cross-entropy' };
  const P = 100 * h + 10 * h;
  const params = Float64Array.from({ length: P }, () => 0.4 * rand() - 0.2);
  const mark = heap.mark();
  const step = [0.05, 0.05];
  const inc = new AnnealChain(heap, spec, params, X, y, S, step, false);
  const full = new AnnealChain(heap, spec, params, X, y, S, step, false);
  inc.init();
  full.init();
  const T = calibrateTemperature(inc.probe(Math.min(2000, 4 * P), 1, 2), 0.5);
  // The f32 baseline: resident f32 params, x and labels, one proposal = set, forward, restore.
  const layersPtr = heap.alloc(12);
  new Int32Array(heap.memory.buffer, layersPtr, 3).set(layers);
  const pPtr = heap.allocF32(P, params), xPtr = heap.allocF32(S * 100, data.xTrain), yPtr = heap.alloc(4 * S);
  new Int32Array(heap.memory.buffer, yPtr, S).set(y);
  const work = heap.alloc(k.mlp_work_bytes(layersPtr, 2, S)), errPtr = heap.allocF64(1);
  const BATCH = 64;
  let ti = 0, tf = 0, tg = 0, acc = 0;
  const impls = [
    local('incremental', () => { acc += inc.run(BATCH, T, 1, 0, ti, 4096); ti += BATCH; }),
    local('full f64', () => { full.run(1, T, 1, 0, tf++, 4096, true); }),
    local('full f32 simd', () => {
      const q = Math.floor(rand() * P), v = heap.f32(pPtr, P), old = v[q];
      v[q] = old + 0.05 * (rand() - 0.5);
      k.mlp_forward_loss_f32(pPtr, layersPtr, 2, 0, xPtr, yPtr, S, 0, work, errPtr);
      heap.f32(pPtr, P)[q] = old;
      tg++;
    }),
  ];
  const r = await compare(impls, timing);
  const rate = (name, per) => (1000 * per) / r[name].warmMs;
  const row = {
    layers, P, T0: sig(T), acceptance: sig(acc / ti),
    incremental: sig(rate('incremental', BATCH)), fullF64: sig(rate('full f64', 1)), fullF32Simd: sig(rate('full f32 simd', 1)),
    speedupVsFullF64: sig(pairedSpeedup(r['incremental'], r['full f64']) * BATCH),
    speedupVsFullF32Simd: sig(pairedSpeedup(r['incremental'], r['full f32 simd']) * BATCH),
    coldMs: { incremental: sig(r['incremental'].coldMs), fullF64: sig(r['full f64'].coldMs), fullF32Simd: sig(r['full f32 simd'].coldMs) },
    spread: { incremental: sig(r['incremental'].spread, 2), fullF64: sig(r['full f64'].spread, 2), fullF32Simd: sig(r['full f32 simd'].spread, 2) },
    drift: sig(inc.stats().drift, 2),
  };
  out.rows.push(row);
  console.log(`n_h = ${String(h).padStart(2)} (P = ${P}): incremental ${row.incremental} /s (acceptance ${row.acceptance}), full f64 ${row.fullF64} /s, full f32 simd ${row.fullF32Simd} /s; `
    + `incremental ÷ full f64 = ${row.speedupVsFullF64}×, ÷ full f32 simd = ${row.speedupVsFullF32Simd}× (goal ≥ 20×); max drift ${row.drift}`);
  heap.release(mark);
}
if (!process.argv.includes('--no-peers')) {
  out.timeToTarget = await peerTimeToTarget({ heap, X, y, S, hiddens, sweeps: Number(arg('sweeps', 40)), reps: Number(arg('reps', 3)), log: console.log });
}
console.log(JSON.stringify(out));

/**
 * Wall time to a fixed final training loss: ours (annealNet, the chain of `landscape anneal-nets`)
 * and the NumPy peer's two annealers each run the whole protocol — calibration probes, then 40
 * geometric stages of sweeps/40 sweeps at step 0.1 — from the same initial weights on the same
 * subset, `reps` times (seeds 1..reps). The target is the highest final loss of all those runs, so
 * every run reaches it; a run's time to target is the wall time at the first stage end with loss ≤
 * target (clocks start before the chain is built). Medians over the reps; ratio = peer / ours. Both
 * are single-threaded, so each one's CPU time (this process's; the peer's process_time) is given too:
 * on a shared machine it is the steadier estimate of the unloaded wall time.
 */
async function peerTimeToTarget({ heap, X, y, S, hiddens, sweeps, reps, log }) {
  const peer = await openPeer('numpy_anneal.py', { log });
  if (peer.unavailable) { log(`NumPy peer unavailable: ${peer.unavailable}`); return { unavailable: peer.unavailable }; }
  const res = { env: peer.env, python: peer.python, sweeps, reps, stages: ANNEAL_DEFAULTS.stages, step: ANNEAL_DEFAULTS.step, rows: [] };
  log(`time to a fixed final loss: ${sweeps} sweeps in ${res.stages} geometric stages, step ${res.step}, χ0 0.5 → χ_end 1e-3, ${reps} reps; NumPy ${peer.env.numpy}, OPENBLAS_CORETYPE ${peer.env.OPENBLAS_CORETYPE}, ${peer.env.threads} thread`);
  await peer.request({ op: 'data', X: Array.from(X), y: Array.from(y), n0: 100 });
  for (const h of hiddens) {
    const layers = [100, h, 10], spec = { layers, bias: false, loss: 'cross-entropy' }, P = 110 * h;
    const params = Array.from({ length: P }, () => 0.4 * rand() - 0.2);
    const check = (await peer.request({ op: 'loss', layers, bias: false, params })).loss;
    const runs = { ours: [], 'numpy incremental': [], 'numpy full': [] };
    const settings = { stages: res.stages, sweepsPerStage: sweeps / res.stages, step: res.step, chi0: 0.5, chiEnd: 1e-3, probes: Math.min(2000, 4 * P) };
    for (let r = 1; r <= reps; r++) {
      const t0 = performance.now(), c0 = process.cpuUsage(), stages = [];
      const cpu = () => { const c = process.cpuUsage(c0); return (c.user + c.system) / 1e6; };
      const a = annealNet(heap, spec, params, X, y, S, { ...settings, seed: r, onStage: (st) => stages.push([(performance.now() - t0) / 1000, st.loss, cpu()]) });
      runs.ours.push({ stages, initialLoss: a.initialLoss, finalLoss: a.trainLoss, load: os.loadavg()[0] });
      for (const impl of ['incremental', 'full']) {
        const q = await peer.request({ op: 'anneal', impl, layers, bias: false, params, schedule: 'geometric', seed: r, ...settings });
        runs[`numpy ${impl}`].push({ ...q, load: os.loadavg()[0] });
      }
      log(`  n_h = ${h} rep ${r}: final loss ours ${a.trainLoss.toFixed(4)} (${stages.at(-1)[0].toFixed(2)} s), numpy incremental ${runs['numpy incremental'].at(-1).finalLoss.toFixed(4)} (${runs['numpy incremental'].at(-1).seconds.toFixed(2)} s), numpy full ${runs['numpy full'].at(-1).finalLoss.toFixed(4)} (${runs['numpy full'].at(-1).seconds.toFixed(2)} s); load ${os.loadavg()[0].toFixed(2)}`);
    }
    // Stage-end losses on both sides (ours: the incremental value; the peer's: its running one), so
    // every run's last stage meets the target exactly, whatever the last bits of a recomputation.
    const target = Math.max(...Object.values(runs).flat().map((q) => q.stages.at(-1)[1]));
    const toTarget = (q, col = 0) => q.stages.find(([, l]) => l <= target)?.[col] ?? null;
    const row = { layers, P, proposals: Math.round(sweeps * P), target: sig(target, 6), initialLoss: { ours: sig(runs.ours[0].initialLoss, 12), numpy: sig(check, 12) }, impls: {} };
    for (const [name, qs] of Object.entries(runs)) {
      const ts = qs.map((q) => toTarget(q));
      const cs = qs.map((q) => toTarget(q, 2));
      row.impls[name] = { secondsToTarget: sig(median(ts)), cpuSecondsToTarget: sig(median(cs)), cpuTimes: cs.map((t) => sig(t)), seconds: sig(median(qs.map((q) => q.stages.at(-1)[0]))), times: ts.map((t) => sig(t)), finalLoss: qs.map((q) => sig(q.finalLoss, 5)), loads: qs.map((q) => sig(q.load, 3)) };
    }
    const ours = row.impls.ours.secondsToTarget;
    row.ratioIncremental = sig(row.impls['numpy incremental'].secondsToTarget / ours, 3);
    row.ratioFull = sig(row.impls['numpy full'].secondsToTarget / ours, 3);
    const oursCpu = row.impls.ours.cpuSecondsToTarget;
    row.cpuRatioIncremental = sig(row.impls['numpy incremental'].cpuSecondsToTarget / oursCpu, 3);
    row.cpuRatioFull = sig(row.impls['numpy full'].cpuSecondsToTarget / oursCpu, 3);
    res.rows.push(row);
    log(`n_h = ${String(h).padStart(2)} (P = ${P}, ${row.proposals} proposals): target train loss ${row.target} (the highest final loss of all runs); `
      + `initial loss ours ${row.initialLoss.ours} vs numpy ${row.initialLoss.numpy}; median time to target: ours ${ours} s, numpy incremental ${row.impls['numpy incremental'].secondsToTarget} s, numpy full ${row.impls['numpy full'].secondsToTarget} s; `
      + `numpy full ÷ ours = ${row.ratioFull}× (goal ≥ 10×), numpy incremental ÷ ours = ${row.ratioIncremental}×; `
      + `median CPU seconds to target (steadier than wall time on a loaded machine): ours ${oursCpu}, numpy incremental ${row.impls['numpy incremental'].cpuSecondsToTarget}, numpy full ${row.impls['numpy full'].cpuSecondsToTarget}: numpy full ÷ ours = ${row.cpuRatioFull}×, numpy incremental ÷ ours = ${row.cpuRatioIncremental}×`);
  }
  await peer.close();
  return res;
}
