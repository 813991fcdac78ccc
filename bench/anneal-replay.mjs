// Draw-for-draw check of bench/anneal.mjs's two annealers: our chain (annealNet over
// assembly/anneal.ts) and bench/peers/numpy_anneal.py fed OUR random numbers (its --replay mode,
// the "replay" field of the anneal request). The draws are computed here from the same Philox
// calls the wasm makes (assembly/anneal.ts propose() and anneal_run_f64, streams of
// src/anneal/anneal.ts): proposal t of (seed, stream) takes k = min(floor(U[2t]·P), P − 1) and the
// acceptance uniform U[2t + 1] of stream `stream`, ξ = Z[t] of stream + 1; calibration probe t takes
// U[2t] of stream + 2 and Z[t] of stream + 3. Same protocol ⇒ same T0, T_end, acceptances and losses
// (up to the last bits of the ΔL sums, which only matter if some u lands within ~1e-15 of e^{−ΔL/T};
// T0 and T_end differ by more, see probeDiff below).
// Our side runs the chain one proposal at a time through AnnealChain (the counters are explicit, so
// this is annealNet's chain) and is checked against annealNet itself. Exit code 1 on a mismatch.
// Usage: npm run build && node bench/anneal-replay.mjs [--S 1000] [--hidden 5] [--sweeps 4] [--stages 4] [--seed 1] [--impl incremental|full] [--step 0.1]
import { openPeer } from './native.mjs';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const S = Number(arg('S', 1000)), h = Number(arg('hidden', 5)), sweeps = Number(arg('sweeps', 4)), K = Number(arg('stages', 4));
const seed = Number(arg('seed', 1)), impl = arg('impl', 'incremental'), step = Number(arg('step', 0.1));

const { loadWasm } = await import('../dist/wasm.js');
const { Heap } = await import('../dist/heap.js');
const { RngStream } = await import('../dist/rng.js');
const { prepareDataset } = await import('../dist/mlp/data.js');
const { AnnealChain, annealNet } = await import('../dist/anneal/anneal.js');
const { calibrateTemperature, temperatures } = await import('../dist/anneal/schedule.js');

const data = await prepareDataset({ trainSize: S, testSize: 1, seed: 1 });
const X = Float64Array.from(data.xTrain), y = Int32Array.from(data.yTrain);
const heap = new Heap(await loadWasm('simd'));
let lcg = 12345; // bench/anneal.mjs's initial weights generator
const rand = () => ((lcg = (Math.imul(lcg, 1664525) + 1013904223) >>> 0) / 2 ** 32);

const layers = [100, h, 10], spec = { layers, bias: false, loss: 'cross-entropy' }, P = 110 * h;
const params = Array.from({ length: P }, () => 0.4 * rand() - 0.2);
const probes = Math.min(2000, 4 * P), per = Math.max(1, Math.round((sweeps / K) * P)), N = K * per;
const settings = { stages: K, sweepsPerStage: sweeps / K, step, chi0: 0.5, chiEnd: 1e-3, probes, seed, schedule: 'geometric' };

// Our draws (stream 0 of annealNet's default).
const indices = (U) => Array.from({ length: U.length / 2 }, (_, t) => Math.min(Math.floor(U[2 * t] * P), P - 1));
const Up = new RngStream(heap, seed, 2).uniform(2 * probes), Zp = new RngStream(heap, seed, 3).normal(probes);
const U = new RngStream(heap, seed, 0).uniform(2 * N), Z = new RngStream(heap, seed, 1).normal(N);
const replay = {
  probeK: indices(Up), probeXi: Array.from(Zp),
  k: indices(U), xi: Array.from(Z), u: Array.from({ length: N }, (_, t) => U[2 * t + 1]),
};

// Ours, proposal by proposal.
const mark = heap.mark();
const chain = new AnnealChain(heap, spec, params, X, y, S, [step, step], false);
const initialLoss = chain.init();
const deltas = chain.probe(probes, seed, 2);
const T0 = calibrateTemperature(deltas, 0.5), Tend = calibrateTemperature(deltas, 1e-3);
const ours = { trace: [], stages: [] };
let accepted = 0;
temperatures('geometric', T0, Tend, K).forEach((T, s) => {
  let a = 0;
  for (let q = 0; q < per; q++) {
    const t = s * per + q, ok = chain.run(1, T, seed, 0, t, 4096);
    a += ok;
    ours.trace.push([ok, chain.stats().loss]);
  }
  accepted += a;
  ours.stages.push({ T, accepted: a, loss: chain.stats().loss });
});
const finalLoss = chain.refresh();
heap.release(mark);
const net = annealNet(heap, spec, params, X, y, S, settings);
const sameAsAnnealNet = net.T0 === T0 && net.Tend === Tend && net.accepted === accepted && net.trainLoss === finalLoss;

const peer = await openPeer('numpy_anneal.py');
if (peer.unavailable) { console.log(`NumPy peer unavailable: ${peer.unavailable}`); process.exit(0); }
await peer.request({ op: 'data', X: Array.from(X), y: Array.from(y), n0: 100 });
const q = await peer.request({ op: 'anneal', impl, layers, bias: false, params, ...settings, replay, trace: true });
await peer.close();

const rel = (a, b) => Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-300);
const probeDiff = Math.max(...deltas.map((d, i) => Math.abs(d - q.probeDeltas[i])));
// The two sides' probe ΔL differ in the last bits (~1e-16 absolute, different summation orders);
// e^{−ΔL/T} then moves by a relative δΔL/T, ~1e-6 at T_end ~ 1e-10, so T0 and T_end agree only to
// ~1e-10 and ~1e-6. Checked instead: our calibration on the peer's own ΔL gives the peer's T0 and
// T_end, and no probe is uphill on one side only.
const signFlips = deltas.filter((d, i) => (d > 0) !== (q.probeDeltas[i] > 0)).length;
const T0onPeer = calibrateTemperature(q.probeDeltas, 0.5), TendOnPeer = calibrateTemperature(q.probeDeltas, 1e-3);
console.log(`[100, ${h}, 10] bias-free cross-entropy, S = ${S}, seed ${seed}, step ${step}, ${probes} probes, ${K} geometric stages × ${per} proposals; NumPy peer (${impl}) replaying our Philox draws`);
console.log(`  ours step by step = annealNet: ${sameAsAnnealNet}`);
console.log(`  initial loss   ours ${initialLoss}  numpy ${q.initialLoss}`);
console.log(`  probe ΔL       max |ours − numpy| = ${probeDiff.toExponential(2)}`);
console.log(`  T0             ours ${T0}  numpy ${q.T0}  (rel ${rel(T0, q.T0).toExponential(2)})`);
console.log(`  T_end          ours ${Tend}  numpy ${q.Tend}  (rel ${rel(Tend, q.Tend).toExponential(2)})`);
console.log(`  calibration    probes uphill on one side only: ${signFlips}; ours on the peer's ΔL: T0 rel ${rel(T0onPeer, q.T0).toExponential(2)}, T_end rel ${rel(TendOnPeer, q.Tend).toExponential(2)}`);
ours.stages.forEach((st, s) => {
  const [, l, , T, a] = q.stages[s];
  console.log(`  stage ${s}: T ours ${st.T.toPrecision(12)} numpy ${T.toPrecision(12)}; accepted ours ${st.accepted} numpy ${a}; loss ours ${st.loss.toPrecision(15)} numpy ${l.toPrecision(15)}`);
});
console.log(`  accepted       ours ${accepted}  numpy ${q.accepted}`);
console.log(`  final loss     ours ${finalLoss}  numpy ${q.finalLoss}  (rel ${rel(finalLoss, q.finalLoss).toExponential(2)})`);
const first = ours.trace.findIndex(([ok, l], t) => ok !== q.trace[t][0] || rel(l, q.trace[t][2]) > 1e-9);
if (first >= 0) {
  const k = replay.k[first];
  console.log(`  FIRST DIFFERENCE at proposal ${first} (stage ${Math.floor(first / per)}): k = ${k} (${k < 100 * h ? `W1[${Math.floor(k / 100)}, ${k % 100}]` : `W2[${Math.floor((k - 100 * h) / h)}, ${(k - 100 * h) % h}]`}), ξ = ${replay.xi[first]}, u = ${replay.u[first]}; `
    + `ours accepted ${ours.trace[first][0]}, loss after ${ours.trace[first][1]}; numpy accepted ${q.trace[first][0]}, ΔL ${q.trace[first][1]}, loss after ${q.trace[first][2]}`);
}
const ok = first < 0 && sameAsAnnealNet && probeDiff < 1e-12 && signFlips === 0 && rel(T0onPeer, q.T0) < 1e-8 && rel(TendOnPeer, q.Tend) < 1e-8
  && rel(T0, q.T0) < 1e-6 && rel(Tend, q.Tend) < 1e-4 && accepted === q.accepted && rel(finalLoss, q.finalLoss) < 1e-10;
console.log(ok ? 'AGREE: same protocol, draw for draw' : 'DISAGREE');
console.log(JSON.stringify({ S, layers, seed, step, probes, stages: K, per, impl, T0: [T0, q.T0], Tend: [Tend, q.Tend], accepted: [accepted, q.accepted], finalLoss: [finalLoss, q.finalLoss], probeDiff, signFlips, calibrationOnPeerRel: [rel(T0onPeer, q.T0), rel(TendOnPeer, q.Tend)], firstDifference: first, sameAsAnnealNet, ok }));
process.exit(ok ? 0 : 1);
