// Curvature suite (standalone, one thread): the exact f64 Hessian of a [100, 25, 10] bias-free ReLU
// net, softmax cross-entropy, over S = 2000 random MNIST-like samples (P = 2750), by R-op row blocks
// of several sizes; then the full spectrum (QL) and one inertia count (LDLᵀ of H − τI) at P = 2750.
// Each job is timed --repeat times (default 2; seconds each, so timer noise is nil) and the fastest kept. JSON to stdout's
// last line. Usage: npm run build && node bench/hessian.mjs [--S 2000] [--hidden 25] [--blocks 16,32,64] [--repeat 2]
import os from 'node:os';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const S = Number(arg('S', 2000)), hidden = Number(arg('hidden', 25));
const blocks = String(arg('blocks', '16,32,64')).split(',').map(Number);
const repeat = Number(arg('repeat', 2));
const binary = arg('binary', 'simd');

const { loadWasm } = await import('../dist/wasm.js');
const { Heap } = await import('../dist/heap.js');
const { exactHessian, lossGradient } = await import('../dist/curvature/hessian.js');
const { curvatureIndex } = await import('../dist/curvature/spectrum.js');

let seed = 12345;
const u = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
const layers = [100, hidden, 10];
const spec = { layers, bias: false, loss: 'cross-entropy' };
const P = 100 * hidden + hidden * 10;
const X = Float32Array.from({ length: S * 100 }, u);
const y = Int32Array.from({ length: S }, () => Math.floor(10 * u()));
const params = Float32Array.from({ length: P }, () => Math.fround(0.4 * u() - 0.2));

const heap = new Heap(await loadWasm(binary));
// The fastest of `repeat` runs: on a shared machine the others measure the neighbours' load.
const secs = (f) => {
  let best = Infinity, r;
  for (let i = 0; i < repeat; i++) {
    const t = performance.now();
    r = f();
    best = Math.min(best, (performance.now() - t) / 1000);
  }
  return [best, r];
};

// Multiply-adds of the R-op per Hessian row: Rδ_lᵀ·a_{l−1} and δ_lᵀ·Ra_{l−1} (n_l·n_{l−1}·S each,
// the second from layer 2), Ra·W_lᵀ and Rδ·W_l (S·n_l·n_{l−1} each, from layer 2).
const macPerRow = S * (100 * hidden + 4 * hidden * 10);
const out = { node: process.version, cores: os.cpus().length, cpu: os.cpus()[0]?.model, load: os.loadavg()[0], repeat, binary, layers, S, P, hessian: [], eigen: null };

const [gradS, g] = secs(() => lossGradient(heap, spec, params, X, y, S));
console.log(`[${layers}] bias-free, cross-entropy, S = ${S}, P = ${P}; ${binary}; ${out.cores} cores (${out.cpu}), load ${out.load.toFixed(1)}; Node ${out.node}; best of ${repeat}`);
console.log(`loss+gradient f64: ${gradS.toFixed(4)} s   loss ${g.loss.toFixed(6)}, ‖∇L‖ ${g.gradNorm.toExponential(3)}, kinks ${g.kinks}`);
let H;
for (const block of blocks) {
  const [t, r] = secs(() => exactHessian(heap, spec, params, X, y, S, { block }));
  H = r.H;
  const row = { block, seconds: t, gmacPerSecond: (macPerRow * P) / t / 1e9, asymmetry: r.asymmetry };
  out.hessian.push(row);
  console.log(`exact Hessian, block ${String(block).padStart(3)}: ${t.toFixed(2)} s  (${row.gmacPerSecond.toFixed(2)} GMAC/s of R-op products), ‖H−Hᵀ‖/‖H‖ = ${r.asymmetry.toExponential(2)}`);
}
const [eigS, spec1] = secs(() => curvatureIndex(heap, H, P, { taus: [] }));
const [inS] = secs(() => curvatureIndex(heap, H, P, { taus: [1e-3], spectrum: false }));
const t0 = performance.now();
const idx = curvatureIndex(heap, H, P); // once: it is the sum of the two above
const allS = (performance.now() - t0) / 1000;
out.eigen = { spectrumSeconds: eigS, inertiaSeconds: (inS) / 3, indexSeconds: allS, normalisedIndex: idx.normalisedIndex, counts: idx.counts, lambdaMin: spec1.eigenvalues[0], lambdaMax: spec1.eigenvalues[P - 1] };
console.log(`full spectrum (QL), P = ${P}: ${eigS.toFixed(2)} s   λ ∈ [${spec1.eigenvalues[0].toExponential(3)}, ${spec1.eigenvalues[P - 1].toExponential(3)}]`);
console.log(`one inertia count (LDLᵀ of H − τI): ${(inS / 3).toFixed(2)} s   (index at τ = 1e-3 is 3 of them: ${inS.toFixed(2)} s)`);
console.log(`curvatureIndex with the default τ (spectrum + 7 factorisations): ${allS.toFixed(2)} s; normalised index ${idx.normalisedIndex.toFixed(4)}; counts ${idx.counts.map((c) => `τ=${c.tau.toExponential(0)}: ${c.negative}/${c.nearZero}/${c.positive}`).join(', ')}`);
console.log(JSON.stringify(out));
