// Audit suite (standalone, one thread): the A1p + A5u path statistics of a bias-free ReLU net in wasm,
// streamed over samples (masks, co-activation, MI contingency counts with label sums, MI and
// corr(Z, A) from the tables; no permutation null), against bench/peers/numpy_audit.py, the same
// statistics written the obvious vectorised NumPy way (one-hot matrix products, float64, one BLAS
// thread like ours). Throughput in paths·samples per second: Ψ·S over the seconds of one pass, the
// fastest of --repeat (the machine is shared: the others measure the neighbours' load).
// Usage: npm run build && node bench/audit.mjs [--S 1000] [--B 8] [--repeat 2] [--nets 784,100,10/196,64,64,10]
import os from 'node:os';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { peerEnv } from './native.mjs';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const S = Number(arg('S', 1000)), B = Number(arg('B', 8)), repeat = Number(arg('repeat', 2)), seed = 12345;
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

function python() {
  for (const p of [process.env.LANDSCAPE_BENCH_PYTHON, '/usr/bin/python3', 'python3'].filter(Boolean)) {
    try { execFileSync(p, ['-c', 'import numpy'], { stdio: 'ignore' }); return p; } catch { /* next */ }
  }
  return null;
}

const heap = new Heap(await loadWasm('simd'));
const py = python();
const out = { node: process.version, cores: os.cpus().length, cpu: os.cpus()[0]?.model, load: os.loadavg(), S, B, repeat, python: py, rows: [] };
console.log(`audit paths: S = ${S}, B = ${B}; ${out.cores} cores (${out.cpu}), shared, load ${out.load[0].toFixed(1)}; Node ${out.node}; best of ${repeat}; python ${py ?? 'none with numpy'}`);
for (const layers of nets) {
  const { X, params, y } = data(layers), arch = architecture(layers);
  let best = Infinity, check;
  for (let t = 0; t < repeat; t++) {
    const mark = heap.mark(), t0 = performance.now();
    const r = new Resident(heap, { layers, params }, { X, S, y });
    const rho = a1p(r).rho.mean, res = a5u(r, { bins: B, repeats: 0 });
    best = Math.min(best, (performance.now() - t0) / 1000);
    check = [rho, res.mi.mean, res.meanAbsCorr];
    heap.release(mark);
  }
  const row = { layers, psi: arch.psi, lambda: arch.lambda, q: arch.q, N: arch.N, seconds: best, pathSamplesPerSec: (arch.psi * S) / best, check, numpy: null, ratio: null };
  if (py) {
    const reply = JSON.parse(execFileSync(py, [fileURLToPath(new URL('./peers/numpy_audit.py', import.meta.url))], {
      input: JSON.stringify({ layers, S, B, seed, repeat }), env: peerEnv(), maxBuffer: 1 << 20,
    }).toString().trim().split('\n').at(-1));
    row.numpy = { seconds: reply.seconds, pathSamplesPerSec: (arch.psi * S) / reply.seconds, check: reply.check, env: reply.env };
    row.ratio = reply.seconds / best;
  }
  out.rows.push(row);
  const f = (v) => v.toExponential(2);
  console.log(`[${layers}] Ψ = ${arch.psi}, Λ = ${arch.lambda.toFixed(1)}, q = ${arch.q.toExponential(3)}, N = ${arch.N}: wasm ${best.toFixed(3)} s (${f(row.pathSamplesPerSec)} paths·samples/s)` +
    (row.numpy ? `, numpy ${row.numpy.seconds.toFixed(3)} s (${f(row.numpy.pathSamplesPerSec)}) → ${row.ratio.toFixed(2)}×` : '') +
    `; check ρ̄ ${check[0].toFixed(4)}, Ī ${check[1].toExponential(3)}, |corr| ${check[2].toFixed(4)}` + (row.numpy ? ` vs numpy ${row.numpy.check.map((v) => v.toPrecision(5)).join(', ')}` : ''));
}
console.log(JSON.stringify(out));
