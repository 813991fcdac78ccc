// `landscape pspin`: minimisers of the spherical p-spin glass from many random starts ([P2] §5,
// Fig. 3 left and supplement Fig. 8), with the exact index of every endpoint.
import type { Command } from 'commander';
import { join } from 'node:path';
import { withGlobals, type GlobalOptions } from '../globals.js';
import { parseChoice, parseIntList, parseIntRange, parsePositiveInt, parsePositiveNumber } from '../args.js';
import { startProgress } from '../progress.js';
import { UsageError } from '../errors.js';
import { parseShard, shardTasks, shardedSettings, shardLabel, type Shard } from '../shard.js';
import { earlierWallSeconds, openPool, onInterrupt, prepareOut, resumeCommand, writeMeta } from '../run.js';
import { ResultLog } from '../../results/jsonl.js';
import { COUPLINGS, STORAGES, MAX_N, MAX_INSTANCES, MAX_RESTARTS, checkMemory, resolveStorage, type Coupling, type Storage } from '../../pspin/model.js';
import { METHODS, type Method, type PSpinBatchParams, type RestartResult } from '../../pspin/batch.js';
import { pspinTaskList, restartsPerTask, summarize, taskKey, type PSpinExperiment } from '../../pspin/experiment.js';
import { writeFileSync } from 'node:fs';
import { specToSvg } from '../../report/render.js';
import { energyHistogramSpec, spreadVsSizeSpec } from '../../report/pspin-figures.js';
import { thetaCurvesSpec } from '../../report/theory-figures.js';
import { thresholds } from '../../theory/complexity.js';

interface PSpinOptions extends GlobalOptions {
  p: number;
  n: number[];
  restarts: number;
  instances: number;
  coupling: Coupling;
  method: Method;
  lr: number;
  tol: number;
  maxIter: number;
  storage: Storage;
  index: boolean;
  indexTol: number;
  pieces: number;
  annealSteps: number;
  annealT0: number;
  annealStep: number;
  resume: boolean;
  shard?: Shard;
}

export function registerPSpin(program: Command): void {
  withGlobals(program.command('pspin').description('minimise the spherical p-spin glass from many random starts ([P2] Fig. 3 left, Fig. 8)'), { out: 'results/pspin' })
    .option('--p <n>', 'interaction order p (2..5)', parseIntRange('an interaction order', 2, 5), 3)
    .option('--n <list>', `sizes Λ, comma-separated (2..${MAX_N})`, parseIntList('sizes', 2, MAX_N), [25, 50, 100])
    .option('--restarts <n>', `random starts per instance (1..${MAX_RESTARTS})`, parseIntRange('a restart count', 1, MAX_RESTARTS), 200)
    .option('--instances <n>', `coupling draws per size (1..${MAX_INSTANCES})`, parseIntRange('an instance count', 1, MAX_INSTANCES), 1)
    .option('--coupling <law>', `coupling law, mean 0 variance 1 (${COUPLINGS.join(', ')})`, parseChoice(COUPLINGS), 'gaussian')
    .option('--method <m>', `minimiser (${METHODS.join(', ')})`, parseChoice(METHODS), 'gd')
    .option('--lr <x>', 'step size γ of Riemannian gradient descent', parsePositiveNumber('a step size'), 0.2)
    .option('--tol <x>', 'stop when the Euclidean norm of the Riemannian gradient of H is below this', parsePositiveNumber('a tolerance'), 0.01)
    .option('--max-iter <n>', 'most descent steps per restart (1..10^7)', parsePositiveInt('an iteration count', 1e7), 20000)
    .option('--storage <s>', `coupling layout (${STORAGES.join(', ')}; auto = packed, the smaller and faster)`, parseChoice(STORAGES), 'auto')
    .option('--index', 'compute the exact index (negative tangent Hessian eigenvalues) of every endpoint', false)
    .option('--index-tol <x>', 'eigenvalues below −tol count as negative', parsePositiveNumber('a tolerance'), 1e-3)
    .option('--pieces <n>', 'sgd: coupling pieces P; 500·P split steps, then GD polishing (1..64)', parseIntRange('a piece count', 1, 64), 4)
    .option('--anneal-steps <n>', 'anneal: Metropolis steps before the GD polish (1..10^6)', parsePositiveInt('a step count', 1e6), 2000)
    .option('--anneal-t0 <x>', 'anneal: start temperature T0 (cooled linearly to 0; accept with exp(−ΔH/T))', parsePositiveNumber('a temperature'), 1)
    .option('--anneal-step <x>', 'anneal: proposal size s in w + s·ξ, ξ ~ N(0, I), then back to the sphere', parsePositiveNumber('a step size'), 0.05)
    .option('--resume', 'continue the results already in --out, recomputing only unfinished tasks', false)
    .option('--shard <k/n>', 'run only shard k of n (tasks i with i mod n = k−1), for a cluster; join with landscape merge', parseShard)
    .action((opts: PSpinOptions) => runPSpin(opts));
}

/** Re-runs the finishing steps over a folder that already holds every line (landscape merge). */
export function finishPSpinFromSettings(settings: PSpinExperiment, globals: GlobalOptions, dir: string): Promise<void> {
  const { ns, ...rest } = settings;
  return runPSpin({ ...globals, ...rest, n: ns, out: dir, resume: true }, { merge: true });
}

async function runPSpin(opts: PSpinOptions, mode: { merge?: boolean } = {}): Promise<void> {
  const storage = resolveStorage(opts.storage);
  const exp: PSpinExperiment = {
    p: opts.p, ns: opts.n, restarts: opts.restarts, instances: opts.instances, coupling: opts.coupling, method: opts.method,
    lr: opts.lr, tol: opts.tol, maxIter: opts.maxIter, storage, index: opts.index, indexTol: opts.indexTol,
    pieces: opts.pieces, annealSteps: opts.annealSteps, annealT0: opts.annealT0, annealStep: opts.annealStep, seed: opts.seed,
  };
  const copies = exp.method === 'sgd' ? 1 + exp.pieces : 1;
  for (const n of exp.ns) checkMemory({ p: exp.p, n, storage, coupling: exp.coupling }, exp.index, copies);
  const dir = opts.out!;
  prepareOut(dir, 'pspin.jsonl', shardedSettings(exp, opts.shard), opts.resume);

  const tasks = shardTasks(pspinTaskList(exp), opts.shard);
  const keyOfTask = (t: (typeof tasks)[number]) => taskKey(t.params.n, t.params.instance, t.params.firstRestart);
  const per = (n: number) => restartsPerTask(exp.p, n, storage);
  const log = new ResultLog<RestartResult>(join(dir, 'pspin.jsonl'), (r) => taskKey(r.n, r.instance, r.restart - (r.restart % per(r.n))));
  const finished = log.load(new Map(tasks.map((t) => [keyOfTask(t), t.params.count])));
  const todo = tasks.filter((t) => !finished.has(keyOfTask(t)));
  const total = tasks.reduce((s, t) => s + t.params.count, 0);
  const alreadyDone = tasks.filter((t) => finished.has(keyOfTask(t))).reduce((s, t) => s + t.params.count, 0);
  if (mode.merge && todo.length) {
    const t = todo[0].params;
    throw new UsageError(`merge: the shard folders lack ${todo.length} of ${tasks.length} tasks (first: Λ=${t.n}, instance ${t.instance}, restarts from ${t.firstRestart}); finish those shards with --resume first`);
  }
  if (!opts.quiet && alreadyDone && !mode.merge) process.stderr.write(`resuming: ${alreadyDone} of ${total} restarts already in ${log.path}\n`);

  const earlier = earlierWallSeconds(dir, 'pspin', opts.resume);
  const t0 = performance.now();
  const pool = await openPool(opts);
  const detach = onInterrupt(pool, resumeCommand());
  const bar = startProgress('pspin', total, { quiet: opts.quiet });
  let done = alreadyDone;
  bar.update(done);
  try {
    await pool.run<RestartResult[], PSpinBatchParams>(todo, {
      onResult: (i, lines) => {
        log.append(keyOfTask(todo[i]), lines);
        done += lines.length;
        bar.update(done);
      },
    });
  } finally {
    bar.stop();
    detach();
    await pool.terminate();
  }
  const lines = log.finalize(tasks.map(keyOfTask));
  const summary = summarize(exp, lines);
  writeFileSync(join(dir, 'pspin-summary.json'), JSON.stringify(summary, null, 2) + '\n');
  const seconds = (performance.now() - t0) / 1000 + earlier;
  const resumed = mode.merge ? ' (merged from shards: their meta files hold their timings)' : alreadyDone ? ` (${earlier ? 'sum over sessions' : `this session only; ${alreadyDone} of ${total} restarts were done before`})` : '';
  const caption = `landscape pspin --p ${exp.p} --n ${exp.ns.join(',')} --restarts ${exp.restarts} --instances ${exp.instances} --method ${exp.method} --coupling ${exp.coupling} --seed ${exp.seed}; ${storage} couplings; ${seconds.toFixed(0)} s on ${pool.size} worker(s)${resumed}`;
  // A shard can own no task at all (more shards than tasks): then there is nothing to plot.
  const figures = lines.length ? await writeFigures(dir, exp.p, lines, summary, caption) : [];
  writeMeta(dir, 'pspin', { wallSeconds: seconds - earlier, totalWallSeconds: seconds, workers: pool.size, binary: pool.binary, computedRestarts: total - alreadyDone, ...(opts.shard ? { shard: shardLabel(opts.shard) } : {}) });
  if (opts.json) {
    process.stdout.write(JSON.stringify(summary) + '\n');
    return;
  }
  const out: string[] = [];
  out.push(`p=${exp.p} spin glass, ${exp.method}, ${exp.restarts} restarts × ${exp.instances} instance(s), ${storage} ${exp.coupling} couplings — ${seconds.toFixed(1)} s on ${pool.size} worker(s)${resumed}`);
  out.push(`theory: −E0 = ${(-summary.E0).toFixed(4)}, −E∞ = ${(-summary.Einf).toFixed(4)}   (energies are H/Λ)`);
  out.push(['Λ', 'inst', 'mean', 'sd', 'min', 'q05', 'q50', 'q95', 'conv', 'iters', 'index0', '<−E0', '<−E∞'].map((h, i) => (i < 2 ? h.padStart(5) : h.padStart(9))).join(''));
  for (const g of summary.groups) {
    const f = (x: number) => x.toFixed(4).padStart(9);
    const pc = (x: number | null) => (x === null ? '-'.padStart(9) : `${(100 * x).toFixed(1)}%`.padStart(9));
    out.push([String(g.n).padStart(5), String(g.instance).padStart(5), f(g.mean), f(g.sd), f(g.min), f(g.q05), f(g.q50), f(g.q95), pc(g.converged), g.meanIterations.toFixed(0).padStart(9), pc(g.fracIndex0), pc(g.fracBelowE0), pc(g.fracBelowEinf)].join(''));
  }
  out.push(`results: ${join(dir, 'pspin.jsonl')}, ${join(dir, 'pspin-summary.json')}`);
  out.push(`figures: ${figures.join(', ')}`);
  process.stdout.write(out.join('\n') + '\n');
}

/** The spin-glass figures as SVG beside the results; the report reuses the same specs. */
async function writeFigures(dir: string, p: number, lines: RestartResult[], summary: ReturnType<typeof summarize>, caption: string): Promise<string[]> {
  const Ek = thresholds(p, 3);
  const files: [string, Promise<string>][] = [
    ['pspin-energy-histograms.svg', specToSvg(energyHistogramSpec(lines, { E0: summary.E0, Einf: summary.Einf, Ek }, caption))],
    ['pspin-spread.svg', specToSvg(spreadVsSizeSpec(summary, caption))],
  ];
  if (p >= 3) files.push(['theta-curves.svg', specToSvg(thetaCurvesSpec(p, 5, `landscape theory --p ${p} --k 5`))]);
  const out: string[] = [];
  for (const [name, svg] of files) {
    const path = join(dir, name);
    writeFileSync(path, await svg);
    out.push(path);
  }
  return out;
}
