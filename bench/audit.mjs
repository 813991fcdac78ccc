// Audit suite (standalone, one thread): the A1p + A5u path statistics of a bias-free ReLU net in wasm,
// streamed over samples (masks, co-activation, MI contingency counts as a popcount GEMM of sample
// bitsets, label sums, MI and corr(Z, A) from the tables; no permutation null), against
// bench/peers/numpy_audit.py, the same statistics written the obvious vectorised NumPy way (one-hot
// matrix products, float64, one BLAS thread like ours). Throughput in paths·samples per second: Ψ·S over
// the seconds of one pass. One cold pass each, then --repeat warm passes, ours and the peer's
// interleaved (the machine is shared, so both see the same neighbours); medians and bests of the warm ones,
// and the median process CPU time (less sensitive than wall time to a loaded machine; ours includes V8's GC threads).
// Usage: npm run build && node bench/audit.mjs [--S 1000] [--B 8] [--repeat 5] [--nets 784,100,10/196,64,64,10]
import os from 'node:os';
import { openPeer } from './native.mjs';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const S = Number(arg('S', 1000)), B = Number(arg('B', 8)), repeat = Number(arg('repeat', 5)), seed = 12345;
const nets = String(arg('nets', '784,100,10/196,64,64,10')).split('/').map((s) => s.split(',').map(Number));

const { loadWasm } = await import('../dist/wasm.js');
const { Heap } = await import('../dist/heap.js');
const { Resident } = await import('../dist/audit/resident.js');
const { a1p } = await import('../dist/audit/activity.js');
const { a5u } = await import('../dist/audit/dependence.js');
const { architecture } = await import('../dist/audit/architecture.js');

/** The LCG the NumPy peer repeats, so both sides see the same net and inputs. */
function data(layers) {
  let s = seed;
  const u = (n) => Float64Array.from({ length: n }, () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const d = layers[0];
  const X = u(S * d).map((v) => Math.max(0, v - 0.6) * 2.5);
  const params = [];
  for (let l = 1; l < layers.length; l++) for (const v of u(layers[l] * layers[l - 1])) params.push((v - 0.5) * 2 * Math.sqrt(3 / layers[l - 1]));
  const y = Int32Array.from(u(S), (v) => Math.floor(v * layers.at(-1)));
  return { X, params: Float64Array.from(params), y };
}

const median = (v) => { const w = [...v].sort((x, y) => x - y), m = w.length >> 1; return w.length % 2 ? w[m] : (w[m - 1] + w[m]) / 2; };

const heap = new Heap(await loadWasm('simd'));
const peer = await openPeer('numpy_audit.py');
const out = { node: process.version, cores: os.cpus().length, cpu: os.cpus()[0]?.model, load: os.loadavg(), S, B, repeat, peer: peer.unavailable ? { unavailable: peer.unavailable } : { python: peer.python, env: peer.env }, rows: [] };
console.log(`audit paths: S = ${S}, B = ${B}; ${out.cores} cores (${out.cpu}), shared, load ${out.load.map((v) => v.toFixed(1)).join(' ')}; Node ${out.node}; 1 cold + ${repeat} warm passes, interleaved; ` +
  (peer.unavailable ? `numpy unavailable (${peer.unavailable})` : `${peer.python}, numpy ${peer.env.numpy}, OPENBLAS_CORETYPE ${peer.env.OPENBLAS_CORETYPE ?? 'unset'}`));

function ours(layers, X, params, y) {
  const mark = heap.mark(), t0 = performance.now(), c0 = process.cpuUsage();
  const r = new Resident(heap, { layers, params }, { X, S, y });
  const rho = a1p(r).rho.mean, res = a5u(r, { bins: B, repeats: 0 });
  const seconds = (performance.now() - t0) / 1000, cpu = process.cpuUsage(c0);
  heap.release(mark);
  return { seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, check: [rho, res.mi.mean, res.meanAbsCorr] };
}

for (const layers of nets) {
  const { X, params, y } = data(layers), arch = architecture(layers), psiS = arch.psi * S;
  const loadBefore = os.loadavg()[0];
  const mine = [], theirs = [];
  for (let t = 0; t <= repeat; t++) {
    mine.push(ours(layers, X, params, y));
    if (!peer.unavailable) theirs.push(await peer.request({ op: 'stats', layers, S, B, seed }));
  }
  const side = (runs) => {
    const warm = runs.slice(1).map((r) => r.seconds);
    const cpu = runs.slice(1).map((r) => r.cpuSeconds);
    return { coldSeconds: runs[0].seconds, medianSeconds: median(warm), bestSeconds: Math.min(...warm), medianCpuSeconds: median(cpu), pathSamplesPerSec: psiS / median(warm), check: runs.at(-1).check };
  };
  const row = { layers, psi: arch.psi, lambda: arch.lambda, q: arch.q, N: arch.N, load: [loadBefore, os.loadavg()[0]], ours: side(mine), numpy: theirs.length ? side(theirs) : null };
  row.ratio = row.numpy ? row.numpy.medianSeconds / row.ours.medianSeconds : null;
  row.ratioBest = row.numpy ? row.numpy.bestSeconds / row.ours.bestSeconds : null;
  row.ratioCpu = row.numpy ? row.numpy.medianCpuSeconds / row.ours.medianCpuSeconds : null;
  out.rows.push(row);
  const f = (v) => v.toExponential(2), ms = (v) => (1000 * v).toFixed(1);
  const o = row.ours, n = row.numpy;
  console.log(`[${layers}] Ψ = ${arch.psi}, Λ = ${arch.lambda.toFixed(1)}, q = ${arch.q.toExponential(3)}, N = ${arch.N}; load ${row.load.map((v) => v.toFixed(1)).join(' → ')}`);
  console.log(`  wasm  median ${ms(o.medianSeconds)} ms, best ${ms(o.bestSeconds)} ms, cold ${ms(o.coldSeconds)} ms, CPU median ${ms(o.medianCpuSeconds)} ms: ${f(o.pathSamplesPerSec)} paths·samples/s; check ρ̄ ${o.check[0].toFixed(5)}, Ī ${o.check[1].toExponential(4)}, |corr| ${o.check[2].toFixed(5)}`);
  if (n) {
    console.log(`  numpy median ${ms(n.medianSeconds)} ms, best ${ms(n.bestSeconds)} ms, cold ${ms(n.coldSeconds)} ms, CPU median ${ms(n.medianCpuSeconds)} ms: ${f(n.pathSamplesPerSec)} paths·samples/s; check ρ̄ ${n.check[0].toFixed(5)}, Ī ${n.check[1].toExponential(4)}, |corr| ${n.check[2].toFixed(5)}`);
    console.log(`  ours/numpy: ${row.ratio.toFixed(2)}× (wall medians), ${row.ratioBest.toFixed(2)}× (wall bests), ${row.ratioCpu.toFixed(2)}× (CPU-time medians)`);
  }
}
if (!peer.unavailable) await peer.close();
console.log(JSON.stringify(out));
