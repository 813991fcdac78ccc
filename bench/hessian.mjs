// Curvature suite (standalone, one thread), ours side by side with the native peers in the same run
// on the same data: a [100, 25, 10] bias-free ReLU net, softmax cross-entropy (mean over samples),
// S = 2000 random MNIST-like samples in [0, 1), P = 2750; W1 (25 × 100) and W2 (10 × 25) as
// torch.nn.Linear.weight, θ = [W1, W2] row-major. The data, params and directions go to a temp
// folder as .npy (src/io/npy.ts writeNpy); each peer reads them and its loss is checked against ours.
//   1. the exact f64 Hessian: ours (--method structured, the default for one hidden layer: blocked
//      assembly by sample-chunked GEMMs; or rop: R-op row blocks) vs torch.autograd.functional.hessian,
//      float64, 1 thread (bench/peers/torch_hessian.py); H compared entrywise (--check-rop: and
//      the structured H against the R-op's).
//   2. HVPs per second (a Lanczos step): ours hvp with k = 1 and 16 directions a call vs PyTorch's
//      double-backward HVP (first-order graph retained, and rebuilt every call), interleaved
//      sample by sample (bench/timing.mjs compare).
//   3. the index at n = 2750 (this H) and n = 5500 (the Hessian of [100, 50, 10] on the same data):
//      ours, one inertia count (LDLᵀ of H + τI, τ = 1e-3: [P2]'s normalised index) vs
//      numpy.linalg.eigvalsh (OpenBLAS, 1 thread; bench/peers/numpy_eigh.py), whose counts must agree;
//      at 2750 also our full spectrum (QL) against the same eigvalsh.
// Seconds-long jobs run --repeat rounds (default 3), ours then the peer's in each round; medians and
// the median of the per-round ratios are printed. JSON to stdout's last line; --doc FILE writes the table.
// Usage: npm run build && node bench/hessian.mjs [--S 2000] [--hidden 25] [--big-hidden 50 (0: skip)]
//        [--blocks 64] [--repeat 3] [--no-peers] [--torch-vectorize] [--doc docs/bench-hessian-….txt]
//        [--only-index: section 3 alone (H computed once, no torch)] [--unblocked: at n = P also time the unblocked
//        reference sym_inertia_f64 each round]
//        [--method structured|rop] [--check-rop] [--only-hessian (section 1 only)]
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { openPeer } from './native.mjs';
import { compare, median, pairedSpeedup, FULL } from './timing.mjs';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const flag = (name) => process.argv.includes(`--${name}`);
const S = Number(arg('S', 2000)), hidden = Number(arg('hidden', 25)), bigHidden = Number(arg('big-hidden', 50));
const blocks = String(arg('blocks', '64')).split(',').map(Number);
const repeat = Number(arg('repeat', 3));
const binary = arg('binary', 'simd');
const method = arg('method', 'structured');
const docPath = arg('doc', null);
const onlyIndex = flag('only-index');
const TAU = 1e-3;

const { loadWasm } = await import('../dist/wasm.js');
const { Heap } = await import('../dist/heap.js');
const { exactHessian, hvp, lossGradient } = await import('../dist/curvature/hessian.js');
const { curvatureIndex } = await import('../dist/curvature/spectrum.js');
const { symInertia } = await import('../dist/linalg/eigen.js');
const { writeNpy, readNpy, toFloat64 } = await import('../dist/io/npy.js');

let seed = 12345;
const u = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
const paramsOf = (h) => Float64Array.from({ length: 100 * h + h * 10 }, () => Math.fround(0.4 * u() - 0.2));
const layers = [100, hidden, 10];
const spec = { layers, bias: false, loss: 'cross-entropy' };
const P = 100 * hidden + hidden * 10;
// The same stream as before the peers joined (f32-rounded values, held in f64 on both sides).
const X = Float64Array.from({ length: S * 100 }, () => Math.fround(u()));
const y = Int32Array.from({ length: S }, () => Math.floor(10 * u()));
const params = paramsOf(hidden);
const K = 16;
const V = Float64Array.from({ length: K * P }, () => 2 * u() - 1);

const tmp = mkdtempSync(join(os.tmpdir(), 'bench-hessian-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
const save = (name, data, shape) => writeFileSync(join(tmp, name), writeNpy(data, shape));
// A plain Uint8Array, not the Buffer readFileSync returns: readNpy's bytes.slice() is a view on a
// Buffer (Buffer#slice does not copy), so its .buffer would start at the file's header.
const load = (name) => toFloat64(readNpy(new Uint8Array(readFileSync(join(tmp, name))), name));
save('X.npy', X, [S, 100]);
save('y.npy', y, [S]);
save('params.npy', params, [P]);
save('V.npy', V, [K, P]);

const heap = new Heap(await loadWasm(binary));
const t = (f) => {
  const t0 = performance.now();
  const r = f();
  return [(performance.now() - t0) / 1000, r];
};
const maxAbs = (a) => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
const maxDiff = (a, b) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
const pairedRatio = (peerS, oursS) => median(peerS.map((p, i) => p / oursS[i]));
const fmt = (x, d = 2) => (x == null ? 'n/a' : x.toFixed(d));
const lines = [];
const say = (s) => { console.log(s); lines.push(s); };

const cpu = os.cpus()[0]?.model ?? '?';
const out = { node: process.version, cores: os.cpus().length, cpu, loadStart: os.loadavg(), repeat, binary, layers, S, P, peers: {}, hessian: [], hvp: [], index: [] };
const peers = flag('no-peers') ? {} : { ...(onlyIndex ? {} : { torch: await openPeer('torch_hessian.py', { log: console.error }) }), numpy: await openPeer('numpy_eigh.py', { log: console.error }) };
for (const [k, p] of Object.entries(peers)) {
  if (p.unavailable) { delete peers[k]; out.peers[k] = { unavailable: p.unavailable }; } else out.peers[k] = { python: p.python, ...p.env };
}
const ob = out.peers.numpy?.openblas;
say(`bench/hessian: [${layers}] bias-free ReLU, softmax cross-entropy (mean), S = ${S}, P = ${P}, f64; ours ${binary} wasm, 1 thread; Node ${out.node}`);
say(`machine: ${out.cores} cores, ${cpu}; SHARED with other engineers, load average ${out.loadStart.map((v) => v.toFixed(2)).join(' ')} at start`);
say(`peers: torch ${out.peers.torch?.torch ?? `unavailable (${out.peers.torch?.unavailable})`} (threads ${out.peers.torch?.threads ?? '-'}), numpy ${out.peers.numpy?.numpy ?? `unavailable (${out.peers.numpy?.unavailable})`}` +
  (ob ? ` with OpenBLAS ${ob.config?.split(' ')[1] ?? ''} core ${ob.core} (OPENBLAS_CORETYPE=${out.peers.numpy.OPENBLAS_CORETYPE ?? 'unset'}), ${ob.threads} thread(s), ${ob.library}` : ''));
say(`timing: seconds-long jobs ${repeat} rounds, ours then the peer in each round, median (and median of per-round ratios); HVPs by bench/timing.mjs compare (interleaved samples, median of ${FULL.samples})`);

// ---- loss agreement
const g = lossGradient(heap, spec, params, X, y, S);
say('');
say(`loss (mean CE): ours ${g.loss.toPrecision(17)}   ‖∇L‖ ${g.gradNorm.toPrecision(12)}   kinks ${g.kinks}`);
if (peers.torch) {
  const r = await peers.torch.request({ op: 'load', dir: tmp, layers });
  const d = Math.abs(r.loss - g.loss);
  out.lossCheck = { ours: g.loss, torch: r.loss, diff: d, gradNormOurs: g.gradNorm, gradNormTorch: r.gradNorm, ok: d <= 1e-10 };
  say(`loss (mean CE): torch ${r.loss.toPrecision(17)}   ‖∇L‖ ${r.gradNorm.toPrecision(12)}   |Δloss| = ${d.toExponential(2)} ${d <= 1e-10 ? '≤ 1e-10: OK' : '> 1e-10: MISMATCH'}`);
  if (d > 1e-10) throw new Error('the peer computes a different loss');
}

// ---- 1. exact Hessian
let H;
if (onlyIndex) H = exactHessian(heap, spec, params, X, y, S).H;
else {
  say('');
  say(`1. exact Hessian, P = ${P} (goal: ours ≥ 5× torch.autograd.functional.hessian, float64, 1 thread)`);
}
// Multiply-adds the structured assembly's micro-kernels run (4×4 tiles, padding included): W1-W1 per
// hidden pair over the samples with both units on (upper tiles), W1-W2 per unit over the samples with
// it on, W2-W2 over all samples; and what the same GEMMs would cost without the masks (bias-free).
const pairs = (n) => (n * (n + 1)) / 2, up4 = (n) => Math.ceil(n / 4) * 4;
const structMacs = (() => {
  const on = Array.from({ length: S }, (_, s) => Array.from({ length: hidden }, (_, j) => {
    let a = 0;
    for (let i = 0; i < 100; i++) a += params[j * 100 + i] * X[s * 100 + i];
    return a > 0;
  }));
  const tiles11 = 16 * pairs(Math.ceil(100 / 4)), cross = up4(10 * hidden) * up4(100);
  let done = S * up4(pairs(hidden)) * up4(pairs(10)), dense = S * (pairs(hidden) * tiles11 + hidden * cross) + done;
  for (let a = 0; a < hidden; a++) {
    for (let s = 0; s < S; s++) if (on[s][a]) done += cross;
    for (let b = a; b < hidden; b++) for (let s = 0; s < S; s++) if (on[s][a] && on[s][b]) done += tiles11;
  }
  return { done, dense };
})();
const runs = onlyIndex ? [] : method === 'rop' ? blocks : [0];
for (const block of runs) {
  const ours = [], torch = [];
  for (let r = 0; r < repeat; r++) {
    const [s, res] = t(() => exactHessian(heap, spec, params, X, y, S, { block: block || undefined, method }));
    ours.push(s);
    if (r === 0) H = res.H;
    if (peers.torch && block === runs[0]) {
      const rep = await peers.torch.request({ op: 'hessian', save: r === 0 ? join(tmp, 'H_torch.npy') : undefined });
      torch.push(rep.seconds);
    }
  }
  const row = { block, oursSeconds: ours, oursMedian: median(ours), torchSeconds: torch, torchMedian: torch.length ? median(torch) : null };
  if (torch.length) {
    const Ht = load('H_torch.npy');
    row.maxAbsDiff = maxDiff(H, Ht);
    row.relDiff = row.maxAbsDiff / maxAbs(H);
    row.ratio = row.torchMedian / row.oursMedian;
    row.pairedRatio = pairedRatio(torch, ours);
  }
  out.hessian.push(row);
  const macs = method === 'rop' ? S * (100 * hidden + 4 * hidden * 10) * P : structMacs.done;
  row.gmac = macs / 1e9;
  say(`   ours (${method === 'rop' ? `R-op, block ${block}` : 'structured assembly'}): ${ours.map((v) => v.toFixed(2)).join(', ')} s → median ${row.oursMedian.toFixed(2)} s` +
    `  (${(macs / 1e9).toFixed(2)} GMAC${method === 'rop' ? '' : ` in micro-kernels, ${(structMacs.dense / 1e9).toFixed(2)} without the ReLU masks`}; ${(macs / row.oursMedian / 1e9).toFixed(2)} GMAC/s = ${((2 * macs) / row.oursMedian / 1e9).toFixed(2)} GFLOPS over the whole call)`);
  if (torch.length) {
    say(`   torch.autograd.functional.hessian: ${torch.map((v) => v.toFixed(2)).join(', ')} s → median ${row.torchMedian.toFixed(2)} s`);
    say(`   speed-up ours/torch: ${row.ratio.toFixed(2)}× (paired ${row.pairedRatio.toFixed(2)}×)   max |H_ours − H_torch| = ${row.maxAbsDiff.toExponential(2)} (${row.relDiff.toExponential(2)} of max |H|)`);
  }
}
if (flag('check-rop') && method !== 'rop') {
  const [s, res] = t(() => exactHessian(heap, spec, params, X, y, S, { method: 'rop' }));
  out.ropCheck = { seconds: s, maxAbsDiff: maxDiff(H, res.H), relDiff: maxDiff(H, res.H) / maxAbs(res.H) };
  say(`   R-op check (block ${res.block}, once ${s.toFixed(2)} s): max |H_structured − H_rop| = ${out.ropCheck.maxAbsDiff.toExponential(2)} (${out.ropCheck.relDiff.toExponential(2)} of max |H|)`);
}
if (peers.torch && flag('torch-vectorize')) {
  const rep = await peers.torch.request({ op: 'hessian', vectorize: true });
  out.torchVectorizeSeconds = rep.seconds;
  say(`   torch.autograd.functional.hessian(vectorize=True), once: ${rep.seconds.toFixed(2)} s`);
}

// ---- 2. HVPs per second
if (!flag('only-hessian')) {
if (!onlyIndex) say('');
if (!onlyIndex) say('2. Hessian-vector products per second (Lanczos), same net and data');
const peerImpl = (name, k, mode) => ({
  name,
  prepare: () => peers.torch.request({ op: 'hvpPrepare', k, mode, save: join(tmp, `hv_${mode}_${k}.npy`) }),
  cold: async () => (await peers.torch.request({ op: 'cold' })).ms,
  calibrate: async (minMs) => (await peers.torch.request({ op: 'calibrate', minMs })).reps,
  sample: async () => (await peers.torch.request({ op: 'sample' })).ms,
});
for (const k of onlyIndex ? [] : [1, K]) {
  const Vk = V.subarray(0, k * P);
  const oursHv = hvp(heap, spec, params, X, y, S, Vk, k);
  const modes = peers.torch ? (k === 1 ? ['retained', 'fresh'] : ['loop', 'retained', 'fresh']) : [];
  // One torch peer holds one prepared HVP at a time: compare ours with each torch mode in turn.
  const res = {};
  let oursTimes = [];
  const oursImpl = () => {
    let reps = 1;
    const batch = (n) => { const t0 = performance.now(); for (let i = 0; i < n; i++) hvp(heap, spec, params, X, y, S, Vk, k); return performance.now() - t0; };
    return {
      name: 'ours', cold: () => batch(1),
      calibrate(minMs) { let dt = batch(1); reps = Math.max(1, Math.ceil(minMs / Math.max(dt, 0.01))); batch(reps); return reps; },
      sample: () => batch(reps) / reps,
    };
  };
  const minMs = 300;
  if (!modes.length) {
    const r = await compare([oursImpl()], { minMs });
    oursTimes = r.ours.times;
  }
  for (const mode of modes) {
    const p = peerImpl(`torch-${mode}`, k, mode);
    await p.prepare();
    const r = await compare([oursImpl(), p], { minMs });
    oursTimes.push(...r.ours.times);
    const Ht = load(`hv_${mode}_${k}.npy`);
    res[mode] = { msPerCall: r[p.name].warmMs, hvpPerSec: (1000 * k) / r[p.name].warmMs, oursMsPerCall: r.ours.warmMs, paired: pairedSpeedup(r.ours, r[p.name]), relDiff: maxDiff(oursHv, Ht) / maxAbs(oursHv) };
  }
  const oursMs = median(oursTimes);
  const row = { k, oursMsPerCall: oursMs, oursHvpPerSec: (1000 * k) / oursMs, torch: res };
  out.hvp.push(row);
  say(`   k = ${String(k).padStart(2)}: ours hvp ${oursMs.toFixed(2)} ms/call → ${row.oursHvpPerSec.toFixed(0)} HVP/s`);
  for (const [mode, m] of Object.entries(res)) {
    say(`          torch ${mode.padEnd(8)} ${m.msPerCall.toFixed(2)} ms/call → ${m.hvpPerSec.toFixed(0)} HVP/s;  ours/torch ${(row.oursHvpPerSec / m.hvpPerSec).toFixed(2)}× (paired ${fmt(m.paired)}×);  max|ΔHV| ${m.relDiff.toExponential(1)} rel`);
  }
}
if (!onlyIndex) say('   (torch retained: grad(create_graph=True) once, then one double backward per call; fresh: forward + grad + double backward per call;');
if (!onlyIndex) say('    loop: k retained single-direction calls; k > 1 retained/fresh: is_grads_batched=True. Ours: hvp() per call, data upload included)');

// ---- 3. index
say('');
say(`3. index (λ < −${TAU}: [P2]'s normalised index), goal ours ≥ 1× numpy.linalg.eigvalsh`);
const sizes = [[hidden, H]];
if (bigHidden > 0) {
  const bl = [100, bigHidden, 10];
  const bp = paramsOf(bigHidden);
  const [s, r] = t(() => exactHessian(heap, { ...spec, layers: bl }, bp, X, y, S));
  say(`   (H at P = ${r.P}: the Hessian of [${bl}] on the same data, computed once by ours in ${s.toFixed(1)} s)`);
  sizes.push([bigHidden, r.H]);
}
for (const [h, Hm] of sizes) {
  const n = 100 * h + h * 10;
  const name = `H${n}`;
  if (peers.numpy) {
    save(`${name}.npy`, Hm, [n, n]);
    await peers.numpy.request({ op: 'load', path: join(tmp, `${name}.npy`), name });
  }
  const ours = [], np = [], spec1 = [], unb = [];
  let idx, npRep, unbNeg;
  for (let r = 0; r < repeat; r++) {
    const [s, res] = t(() => curvatureIndex(heap, Hm, n, { taus: [], zeroBelow: TAU, spectrum: false }));
    ours.push(s);
    idx = res;
    if (n === P && flag('unblocked')) {
      const [s3, c3] = t(() => symInertia(heap, Hm, n, -TAU, { unblocked: true }));
      unb.push(s3);
      unbNeg = c3;
    }
    if (n === P) {
      const [s2, res2] = t(() => curvatureIndex(heap, Hm, n, { inertia: false, zeroBelow: TAU }));
      spec1.push(s2);
      idx.spectrumNeg = Math.round(res2.normalisedIndex * n);
    }
    if (peers.numpy) {
      npRep = await peers.numpy.request({ op: 'eigvalsh', name, taus: [TAU] });
      np.push(npRep.seconds);
    }
  }
  const neg = Math.round(idx.normalisedIndex * n);
  const row = { n, oursInertiaSeconds: ours, oursMedian: median(ours), oursNegative: neg, numpySeconds: np, numpyMedian: np.length ? median(np) : null };
  if (unb.length) Object.assign(row, { oursUnblockedSeconds: unb, oursUnblockedMedian: median(unb), oursUnblockedNegative: unbNeg });
  if (spec1.length) Object.assign(row, { oursSpectrumSeconds: spec1, oursSpectrumMedian: median(spec1), oursSpectrumNegative: idx.spectrumNeg });
  if (np.length) {
    Object.assign(row, { numpyNegative: npRep.counts[0].negative, agree: npRep.counts[0].negative === neg, ratio: row.numpyMedian / row.oursMedian, pairedRatio: pairedRatio(np, ours) });
    if (unb.length) Object.assign(row, { unblockedRatio: row.numpyMedian / row.oursUnblockedMedian });
    if (spec1.length) Object.assign(row, { spectrumRatio: row.numpyMedian / row.oursSpectrumMedian, spectrumPairedRatio: pairedRatio(np, spec1) });
  }
  out.index.push(row);
  say(`   n = ${n}: ours inertia (1 blocked LDLᵀ) ${ours.map((v) => v.toFixed(2)).join(', ')} s → median ${row.oursMedian.toFixed(2)} s (${(n ** 3 / 3 / row.oursMedian / 1e9).toFixed(2)} GFLOP/s at n³/3); index ${neg}`);
  if (unb.length) say(`            ours unblocked inertia (reference sym_inertia_f64) ${unb.map((v) => v.toFixed(2)).join(', ')} s → median ${row.oursUnblockedMedian.toFixed(2)} s; index ${unbNeg}`);
  if (spec1.length) say(`            ours full spectrum (QL) ${spec1.map((v) => v.toFixed(2)).join(', ')} s → median ${row.oursSpectrumMedian.toFixed(2)} s; index ${idx.spectrumNeg}`);
  if (np.length) {
    say(`            numpy eigvalsh ${np.map((v) => v.toFixed(2)).join(', ')} s → median ${row.numpyMedian.toFixed(2)} s; index ${row.numpyNegative} (${row.agree ? 'agrees' : 'DISAGREES'}); λ ∈ [${npRep.lambdaMin.toExponential(3)}, ${npRep.lambdaMax.toExponential(3)}]`);
    say(`            inertia vs eigvalsh: ${row.ratio.toFixed(2)}× (paired ${row.pairedRatio.toFixed(2)}×)` + (unb.length ? `;  unblocked vs eigvalsh: ${row.unblockedRatio.toFixed(2)}×` : '') + (spec1.length ? `;  our spectrum vs eigvalsh: ${row.spectrumRatio.toFixed(2)}× (paired ${row.spectrumPairedRatio.toFixed(2)}×)` : ''));
  }
}
}
out.loadEnd = os.loadavg();
say('');
say(`load average at end ${out.loadEnd.map((v) => v.toFixed(2)).join(' ')}`);
for (const p of Object.values(peers)) await p.close();
if (docPath) writeFileSync(docPath, lines.join('\n') + '\n');
console.log(JSON.stringify(out));
