// Chance or RNG? Final training loss of our chain (annealNet, Philox) and of the NumPy peer
// (bench/peers/numpy_anneal.py, PCG64) over many seeds, from ONE set of initial weights, under
// bench/anneal.mjs's protocol (40 geometric stages, --sweeps sweeps, step 0.1, χ 0.5 → 1e-3,
// min(2000, 4P) probes). bench/anneal-replay.mjs shows the two chains agree draw for draw when fed
// the same draws, so any difference in these distributions is the random streams' doing.
// Usage: npm run build && node bench/anneal-ensemble.mjs [--S 1000] [--hidden 5] [--sweeps 40] [--seeds 20] [--init 0] [--seed0 0] [--impl incremental]
// (seeds seed0 + 1 .. seed0 + seeds on both sides)
import { openPeer } from './native.mjs';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const S = Number(arg('S', 1000)), h = Number(arg('hidden', 5)), sweeps = Number(arg('sweeps', 40)), seeds = Number(arg('seeds', 20));
const skip = Number(arg('init', 0)), impl = arg('impl', 'incremental'), seed0 = Number(arg('seed0', 0)), K = 40;

const { loadWasm } = await import('../dist/wasm.js');
const { Heap } = await import('../dist/heap.js');
const { prepareDataset } = await import('../dist/mlp/data.js');
const { annealNet } = await import('../dist/anneal/anneal.js');

const data = await prepareDataset({ trainSize: S, testSize: 1, seed: 1 });
const X = Float64Array.from(data.xTrain), y = Int32Array.from(data.yTrain);
const heap = new Heap(await loadWasm('simd'));
let lcg = 12345; // bench/anneal.mjs's generator; --init n skips n draws first (another start)
const rand = () => ((lcg = (Math.imul(lcg, 1664525) + 1013904223) >>> 0) / 2 ** 32);
for (let i = 0; i < skip; i++) rand();
const layers = [100, h, 10], spec = { layers, bias: false, loss: 'cross-entropy' }, P = 110 * h;
const params = Array.from({ length: P }, () => 0.4 * rand() - 0.2);
const settings = { stages: K, sweepsPerStage: sweeps / K, step: 0.1, chi0: 0.5, chiEnd: 1e-3, probes: Math.min(2000, 4 * P), schedule: 'geometric' };

const peer = await openPeer('numpy_anneal.py');
if (peer.unavailable) { console.log(`NumPy peer unavailable: ${peer.unavailable}`); process.exit(0); }
await peer.request({ op: 'data', X: Array.from(X), y: Array.from(y), n0: 100 });
const ours = [], numpy = [], oursT0 = [], numpyT0 = [];
for (let seed = seed0 + 1; seed <= seed0 + seeds; seed++) {
  const a = annealNet(heap, spec, params, X, y, S, { ...settings, seed });
  const q = await peer.request({ op: 'anneal', impl, layers, bias: false, params, ...settings, seed });
  ours.push(a.trainLoss); numpy.push(q.finalLoss); oursT0.push(a.T0); numpyT0.push(q.T0);
  console.log(`seed ${seed}: final loss ours ${a.trainLoss.toFixed(4)} (T0 ${a.T0.toPrecision(4)}, accepted ${a.accepted}), numpy ${q.finalLoss.toFixed(4)} (T0 ${q.T0.toPrecision(4)}, accepted ${q.accepted})`);
}
await peer.close();
const mean = (v) => v.reduce((s, x) => s + x, 0) / v.length;
const sd = (v) => Math.sqrt(v.reduce((s, x) => s + (x - mean(v)) ** 2, 0) / (v.length - 1));
// Mann–Whitney U (normal approximation, no ties expected).
let Ustat = 0;
for (const a of ours) for (const b of numpy) Ustat += a > b ? 1 : a === b ? 0.5 : 0;
const n = seeds, mu = (n * n) / 2, sigma = Math.sqrt((n * n * (2 * n + 1)) / 12), z = (Ustat - mu) / sigma;
const higher = ours.filter((a, i) => a > numpy[i]).length;
const summary = { S, layers, sweeps, seeds, seed0, init: skip, impl, initialLoss: annealNet(heap, spec, params, X, y, S, { ...settings, seed: 1, stages: 1, sweepsPerStage: 0 }).initialLoss,
  ours: { mean: mean(ours), sd: sd(ours), min: Math.min(...ours), max: Math.max(...ours), meanT0: mean(oursT0) },
  numpy: { mean: mean(numpy), sd: sd(numpy), min: Math.min(...numpy), max: Math.max(...numpy), meanT0: mean(numpyT0) },
  oursHigherInPairs: higher, mannWhitneyU: Ustat, z };
console.log(`ours  mean ${summary.ours.mean.toFixed(4)} ± ${summary.ours.sd.toFixed(4)} (sd) [${summary.ours.min.toFixed(4)}, ${summary.ours.max.toFixed(4)}]`);
console.log(`numpy mean ${summary.numpy.mean.toFixed(4)} ± ${summary.numpy.sd.toFixed(4)} (sd) [${summary.numpy.min.toFixed(4)}, ${summary.numpy.max.toFixed(4)}]`);
console.log(`ours higher in ${higher} of ${n} seed pairs; Mann–Whitney z = ${z.toFixed(2)} (|z| > 2: the distributions differ)`);
console.log(JSON.stringify({ ...summary, oursLosses: ours, numpyLosses: numpy, oursT0, numpyT0 }));
