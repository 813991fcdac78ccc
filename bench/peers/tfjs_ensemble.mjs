// TF.js peer for bench/e2e.mjs: the `mlp` experiment's ensemble protocol in TF.js with its wasm
// backend (XNNPACK, one thread: Node is not cross-origin isolated), written the way a careful
// TF.js user would. The same protocol as bench/peers/torch_ensemble.py: per width h and run r a
// [d, h, 10] ReLU net without biases, weights uniform in [−a, a]; `epochs` epochs of plain SGD on
// the mean softmax cross-entropy of minibatches of `batch`, a fresh permutation per epoch (the
// last incomplete minibatch skipped), lr / (1 + k·epoch); then mean loss and error on the whole
// training and test sets. Data: the X.npy / y.npy folders `landscape export-mnist` writes.
//
// Nets are dealt round-robin to `procs` child processes (this file again, with --part k). Prints
// one JSON line per net, then {"done", "seconds", "innerSeconds", ...}; stdout only.
//
//   node bench/peers/tfjs_ensemble.mjs --data DIR --hidden 25,50 --runs 6 [--epochs 40 --batch 10
//        --lr 0.1 --decay-rate 0.05 --init-range 0.2 --procs 2 --seed 1]
import { readFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const argv = process.argv.slice(2);
const get = (flag, def) => { const i = argv.indexOf(flag); return i >= 0 ? argv[i + 1] : def; };
const o = {
  data: get('--data'), hidden: get('--hidden', '25,50,100,250,500').split(',').map(Number), runs: Number(get('--runs', 6)),
  epochs: Number(get('--epochs', 40)), batch: Number(get('--batch', 10)), lr: Number(get('--lr', 0.1)), decayRate: Number(get('--decay-rate', 0.05)),
  initRange: Number(get('--init-range', 0.2)), procs: Number(get('--procs', 2)), seed: Number(get('--seed', 1)), part: get('--part'),
};
if (!o.data) { process.stderr.write('tfjs_ensemble: --data DIR is required\n'); process.exit(2); }
const nets = o.hidden.flatMap((h) => Array.from({ length: o.runs }, (_, r) => [h, r]));

if (o.part === undefined) {
  // Parent: one child per process, each a share of the nets; the span is the whole job.
  const t0 = performance.now();
  const self = fileURLToPath(import.meta.url);
  const outs = await Promise.all(Array.from({ length: o.procs }, (_, k) => new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [self, ...argv, '--part', String(k)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d) => { out += d; });
    p.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`tfjs_ensemble part ${k}: exit ${code}`))));
  })));
  const lines = outs.flatMap((s) => s.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)));
  const parts = lines.filter((l) => l.part !== undefined);
  for (const l of lines) if (l.part === undefined) process.stdout.write(JSON.stringify(l) + '\n');
  process.stdout.write(JSON.stringify({ done: nets.length, seconds: (performance.now() - t0) / 1000, innerSeconds: Math.max(...parts.map((p) => p.innerSeconds)),
    startSeconds: Math.max(...parts.map((p) => p.startSeconds)), procs: o.procs, tfjs: parts[0]?.tfjs, threadsPerProc: 1 }) + '\n');
} else {
  const t0 = performance.now();
  const { readNpy } = await import('../../dist/io/npy.js');
  const { loadTfjs } = await import('../node.mjs');
  const { tf, info } = await loadTfjs();
  await import('@tensorflow/tfjs'); // registers the gradients tfjs-core ships unregistered
  await tf.setBackend('wasm');
  const load = (split) => {
    const X = readNpy(readFileSync(join(o.data, split, 'X.npy')), `${split}/X.npy`);
    const y = readNpy(readFileSync(join(o.data, split, 'y.npy')), `${split}/y.npy`);
    return { X: Float32Array.from(X.data), y: Int32Array.from(y.data), n: X.shape[0], d: X.shape[1] };
  };
  const train = load('train'), test = load('test');
  const d = train.d;
  const tensors = (s) => ({ X: tf.tensor2d(s.X, [s.n, d]), Y: tf.oneHot(tf.tensor1d(s.y, 'int32'), 10).toFloat(), y: tf.tensor1d(s.y, 'int32') });
  const Tr = tensors(train), Te = tensors(test);
  const startSeconds = (performance.now() - t0) / 1000;
  // A small seeded generator for the epoch permutations (TF.js has no seeded shuffle of indices).
  const mulberry = (a) => () => { a |= 0; a = (a + 0x6d2b79f5) | 0; let t = Math.imul(a ^ (a >>> 15), 1 | a); t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
  const t1 = performance.now();
  const mine = nets.filter((_, i) => i % o.procs === Number(o.part));
  for (const [h, r] of mine) {
    const tn = performance.now();
    const seed = o.seed * 1_000_003 + h * 10_007 + r;
    const W1 = tf.variable(tf.randomUniform([d, h], -o.initRange, o.initRange, 'float32', seed));
    const W2 = tf.variable(tf.randomUniform([h, 10], -o.initRange, o.initRange, 'float32', seed + 1));
    const opt = tf.train.sgd(o.lr);
    const rnd = mulberry(seed);
    const B = o.batch, nb = Math.floor(train.n / B);
    const logits = (X) => tf.matMul(tf.relu(tf.matMul(X, W1)), W2);
    for (let epoch = 0; epoch < o.epochs; epoch++) {
      opt.setLearningRate(o.lr / (1 + o.decayRate * epoch));
      const perm = Int32Array.from({ length: train.n }, (_, i) => i);
      for (let i = train.n - 1; i > 0; i--) { const j = Math.floor(rnd() * (i + 1)); const t = perm[i]; perm[i] = perm[j]; perm[j] = t; }
      const idx = tf.tensor1d(perm, 'int32');
      const Xe = tf.gather(Tr.X, idx), Ye = tf.gather(Tr.Y, idx);
      for (let b = 0; b < nb; b++) {
        tf.tidy(() => {
          const xb = Xe.slice([b * B, 0], [B, d]), yb = Ye.slice([b * B, 0], [B, 10]);
          opt.minimize(() => tf.losses.softmaxCrossEntropy(yb, logits(xb)), false, [W1, W2]);
        });
      }
      tf.dispose([idx, Xe, Ye]);
    }
    const res = {};
    for (const [name, T] of [['train', Tr], ['test', Te]]) {
      const [loss, err] = tf.tidy(() => {
        const z = logits(T.X);
        return [tf.losses.softmaxCrossEntropy(T.Y, z).dataSync()[0], tf.notEqual(tf.argMax(z, 1), T.y).toFloat().mean().dataSync()[0]];
      });
      res[`${name}Loss`] = loss;
      res[`${name}Error`] = err;
    }
    tf.dispose([W1, W2]);
    opt.dispose();
    process.stdout.write(JSON.stringify({ hidden: h, run: r, ...res, epochs: o.epochs, seconds: (performance.now() - tn) / 1000, pid: process.pid }) + '\n');
  }
  process.stdout.write(JSON.stringify({ part: Number(o.part), innerSeconds: (performance.now() - t1) / 1000, startSeconds, tfjs: `${info.version} (${info.backend}, ${info.simd ? 'SIMD' : 'no SIMD'}, ${info.multithread ? 'threads' : '1 thread'})` }) + '\n');
}
