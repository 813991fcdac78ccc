// `landscape audit` (SCIENCE.md §8, [P1]'s open problem) as a registry descriptor: nets trained
// exactly as `landscape mlp` trains them (the same settings give the same nets), at both depths
// (H = 2: [d, n1, C] for each --hidden; H = 3: [d, w, w, C] for each --deep, so that p = 3 is
// compared with p = 3), then on each net the path expansion checked and A1p–A7p measured (A7p from
// the weight norms at every epoch of the training). Per architecture: means over nets with 95%
// bootstrap CIs over the nets, Ψ, Λ, N, q, and per assumption a verdict from stated thresholds
// (verdicts.ts); the decoupled surrogate (surrogate.ts) with its headline verdict.
import type { Experiment } from '../experiment/descriptor.js';
import { SettingsError, type Field } from '../experiment/fields.js';
import { lineProblem } from '../experiment/lines.js';
import { MemoryLimitError, WASM32_LIMIT_BYTES } from '../heap.js';
import { MLP_FIELDS, mlpDescriptor } from '../mlp/descriptor.js';
import { MLP_DEFAULTS, classesOf, hiddenKey, hiddenOf, mlpMemoryBytes, mlpTaskKey, mlpTaskList, type MlpSettings } from '../mlp/experiment.js';
import { architecture } from './architecture.js';
import { auditClaims } from './claims.js';
import { AUDIT_STREAM_BASE, auditStats, auditTasks, type AuditLine, type AuditNetParams } from './task.js';
import { RULES, bootstrapMean, verdict, type Est, type Point, type Rule, type Verdict } from './verdicts.js';
import { signLevelsClause, weightGroup, type WeightGroup } from './weights.js';
import { isBinaryLoss } from '../mlp/reference.js';
import { parityLabels } from '../mlp/net.js';
import { layerMeanSquares } from './norms.js';
import { auditFigures, auditSection, auditTable } from '../report/audit-figures.js';
import { surrogateBytes, type SurrogateOptions } from './surrogate.js';
import { auditEstimate } from './estimate.js';
import { summarizeSurrogate, surrogateVerdict, type SurrogateGroup, type SurrogateVerdict } from './surrogate-summary.js';

export type AuditSettings = Omit<MlpSettings, 'saveNets' | 'data'> & {
  /** Widths w of the H = 3 nets [d, w, w, C]. */
  deep: number[];
  samples: number;
  bins: number;
  repeats: number;
  paths: number;
  /** The decoupled surrogate (surrogate.ts): S', R, GD steps and γ, the largest N whose index is computed. */
  surrogateSamples: number;
  surrogateStarts: number;
  surrogateSteps: number;
  surrogateLr: number;
  surrogateIndex: number;
};

type Rho = { mean: number; sd: number; q05: number; q50: number; q95: number };

export interface AuditGroup extends WeightGroup {
  hidden: number | number[];
  /** hiddenKey: '25', or '25x25' for H = 3. */
  label: string;
  layers: number[];
  H: number;
  /** The widest hidden layer (the x of the trends). */
  width: number;
  nets: number;
  diverged: number;
  architecture: { psi: number; psiPerOutput: number; lambda: number; q: number; N: number; shareCommonInput: number; shareCommonNode: number };
  /** Worst path-expansion relative error over the nets. */
  expansionError: number;
  /** rho: the means over nets of each net's ρ_π summary; ci: their bootstrap CIs; hist: mean share of paths per ρ bin. */
  A1p: { rho: Rho; ci: Record<keyof Rho, Est>; w1: Est; ks: Est; hist: number[] };
  A2p: { ksRaw: Est; ksStandardised: Est; mean: Est; sd: Est; skewness: Est; excessKurtosis: Est; constantCoordinates: number };
  A5u: { mi: Est; nullMean: Est; excess: Est; shareSignificant: Est; miLabel: Est; meanAbsCorr: Est };
  A6u: { topOverEdge: Est; top: Est; mpUpper: number; aboveEdge: Est; kept: number };
  /** The decoupled surrogate, or null when not measured. */
  surrogate: SurrogateGroup | null;
}

export type AuditVerdict = Verdict & { says: string; statistic: string; threshold: number; points: Point[] };

export interface AuditSummary { samples: number; groups: AuditGroup[]; verdicts: AuditVerdict[]; surrogate: SurrogateVerdict }

const positiveInt = (max: number) => ({ type: 'int', min: 1, max }) as const;

const FIELDS: Field<AuditSettings>[] = [
  ...(MLP_FIELDS.filter((f) => !f.optional) as unknown as Field<AuditSettings>[]).map((f) => (f.key === 'layers'
    ? { ...f, help: 'one net instead of both sweeps: all widths, input (downsample²) first, output (10, or 1 for binary losses) last; 3 or 4 widths (H = 2 or 3)' }
    : f.key === 'hidden' ? { ...f, help: 'hidden widths n1 of the H = 2 nets [d, n1, C], comma-separated' } : f)),
  { key: 'deep', flag: 'deep', what: 'hidden widths', help: 'widths w of the H = 3 nets [d, w, w, C] (two hidden layers: p = 3 as in [P2])', kind: { type: 'intList', min: 1, max: 100000, distinct: true } },
  { key: 'samples', flag: 'samples', what: 'a sample count', help: 'training images each net is audited on (the first of the seeded subset; at most --train-size)', kind: positiveInt(60000) },
  { key: 'bins', flag: 'bins', what: 'a bin count', help: 'A5u: quantile bins per input for I(A_π; X_π)', kind: { type: 'int', min: 2, max: 255 } },
  { key: 'repeats', flag: 'null-repeats', what: 'a permutation count', help: 'A5u: permutations of the samples in the null (19 or more for p-values at 5%; 0 skips the null)', kind: { type: 'int', min: 0, max: 10000 } },
  { key: 'paths', flag: 'path-samples', what: 'a path count', help: 'A6u: paths sampled for the correlation spectrum of the path terms', kind: positiveInt(5000) },
  { key: 'surrogateSamples', flag: 'surrogate-samples', what: 'a sample count', help: 'decoupled surrogate: audit samples its losses are taken on (the first)', kind: positiveInt(60000) },
  { key: 'surrogateStarts', flag: 'surrogate-starts', what: 'a start count', help: 'decoupled surrogate: random starts per net, each descended on the surrogate and on the real net (0 skips the surrogate)', kind: { type: 'int', min: 0, max: 1000 } },
  { key: 'surrogateSteps', flag: 'surrogate-steps', what: 'a step count', help: 'decoupled surrogate: Riemannian GD steps per start on the sphere ‖w‖ = ‖w_trained‖', kind: { type: 'int', min: 0, max: 100000 } },
  { key: 'surrogateLr', flag: 'surrogate-lr', what: 'a step size', help: 'decoupled surrogate: GD step size', kind: { type: 'number', min: 0, max: 100 } },
  { key: 'surrogateIndex', flag: 'surrogate-index', what: 'a weight count', help: 'decoupled surrogate: index of run 0\'s endpoints (Hessian by central differences, 2N gradients) for nets with at most this many weights', kind: { type: 'int', min: 0, max: 20000 } },
];

const { saveNets: _a, data: _b, ...MLP_BASE } = MLP_DEFAULTS as MlpSettings;
const small = { epochs: 40, batch: 10, lr: 0.1 };

/** The nets audited, input-first: --layers alone, else [d, n1, C] per --hidden then [d, w, w, C] per --deep. */
export function auditArchitectures(s: AuditSettings): number[][] {
  if (s.layers) return [s.layers];
  const d = s.downsample * s.downsample, C = classesOf(s.loss);
  return [...s.hidden.map((h) => [d, h, C]), ...s.deep.map((w) => [d, w, w, C])];
}

const asMlp = (s: AuditSettings, layers: number[]): MlpSettings => ({ ...s, layers } as unknown as MlpSettings);

const surrogateOptions = (s: AuditSettings): SurrogateOptions => ({ samples: s.surrogateSamples, starts: s.surrogateStarts, steps: s.surrogateSteps, lr: s.surrogateLr, indexMax: s.surrogateIndex });

/** Wasm bytes of one net's audit besides training: resident f64 net and data, masks, A5u count blocks and permutations, A6u's correlation. */
function auditBytes(s: AuditSettings, layers: number[]): number {
  const a = architecture(layers), S = Math.min(s.samples, s.trainSize), d = layers[0];
  const h = layers.slice(1, -1).reduce((x, y) => x + y, 0), n1 = layers[1], perRow = a.H === 3 ? layers[2] : 1;
  const C = Math.max(2, layers[a.H]), unit = 4 * d * s.bins + 8 * C + 8 * d * C;
  const block = Math.min(n1 * perRow * unit, Math.max(64 * 2 ** 20, perRow * unit));
  return surrogateBytes(layers, surrogateOptions(s)) + 8 * a.N + 8 * S * d + S * h + S * d + 4 * S * (s.repeats + 2) + 8 * n1 * perRow + block + 40 * s.paths * s.paths + 16 * 2 ** 20;
}

function memoryBytes(s: AuditSettings): number {
  const archs = auditArchitectures(s);
  return mlpMemoryBytes(asMlp(s, archs[0]), archs) + Math.max(...archs.map((a) => auditBytes(s, a)));
}

// The architecture names of the settings, once per settings object (checkLine runs once per line).
const keysOf = new WeakMap<AuditSettings, Set<string>>();
function archKeys(s: AuditSettings): Set<string> {
  let keys = keysOf.get(s);
  if (!keys) keysOf.set(s, (keys = new Set(auditArchitectures(s).map((a) => hiddenKey(hiddenOf(a))))));
  return keys;
}

/** Per architecture: means over the finished nets with bootstrap CIs (seeded per statistic). */
function group(s: AuditSettings, layers: number[], ls: AuditLine[], gi: number): AuditGroup {
  const hidden = hiddenOf(layers), a = architecture(layers), ok = ls.filter((l) => !l.diverged);
  let k = 0;
  const est = (f: (l: AuditLine) => number) => bootstrapMean(ok.map(f), (Math.imul(s.seed >>> 0, 0x9e3779b1) ^ (gi * 64 + k++)) >>> 0);
  const mean = (f: (l: AuditLine) => number) => { const v = ok.map(f).filter(Number.isFinite); return v.length ? v.reduce((x, y) => x + y, 0) / v.length : NaN; };
  const keys = ['mean', 'sd', 'q05', 'q50', 'q95'] as const;
  const ci = Object.fromEntries(keys.map((q) => [q, est((l) => l.A1p![q])])) as Record<keyof Rho, Est>;
  return {
    hidden, label: hiddenKey(hidden), layers, H: a.H, width: Math.max(...layers.slice(1, -1)), nets: ok.length, diverged: ls.length - ok.length,
    architecture: { psi: a.psi, psiPerOutput: a.psiPerOutput, lambda: a.lambda, q: a.q, N: a.N, shareCommonInput: a.shareCommonInput, shareCommonNode: a.shareCommonNode },
    expansionError: ok.length ? Math.max(...ok.map((l) => l.expansionError ?? NaN)) : NaN,
    A1p: {
      rho: Object.fromEntries(keys.map((q) => [q, ci[q].value])) as Rho, ci, w1: est((l) => l.A1p!.w1), ks: est((l) => l.A1p!.ks),
      hist: ok.length ? ok[0].A1p!.hist.map((_, b) => mean((l) => l.A1p!.hist[b])) : [],
    },
    A2p: {
      ksRaw: est((l) => l.A2p!.ksRaw), ksStandardised: est((l) => l.A2p!.ksStandardised), mean: est((l) => l.A2p!.mean), sd: est((l) => l.A2p!.sd),
      skewness: est((l) => l.A2p!.skewness), excessKurtosis: est((l) => l.A2p!.excessKurtosis), constantCoordinates: mean((l) => l.A2p!.constantCoordinates),
    },
    A5u: {
      mi: est((l) => l.A5u!.mi), nullMean: est((l) => l.A5u!.nullMean), excess: est((l) => l.A5u!.excess), shareSignificant: est((l) => l.A5u!.shareSignificant),
      miLabel: est((l) => l.A5u!.miLabel), meanAbsCorr: est((l) => l.A5u!.meanAbsCorr),
    },
    A6u: { topOverEdge: est((l) => l.A6u!.topOverEdge), top: est((l) => l.A6u!.top), mpUpper: mean((l) => l.A6u!.mpUpper), aboveEdge: est((l) => l.A6u!.aboveEdge), kept: mean((l) => l.A6u!.kept) },
    // After every other estimate, so adding these left the earlier bootstrap seeds (and bytes) as they were.
    ...weightGroup(ok, a.H, est),
    surrogate: summarizeSurrogate(ok.flatMap((l) => (l.surrogate ? [l.surrogate] : [])), (Math.imul(s.seed >>> 0, 0x9e3779b1) ^ (gi * 64 + 63)) >>> 0, a.H),
  };
}

/** Each assumption's statistic per architecture, and its verdict. */
export function auditVerdicts(groups: AuditGroup[]): AuditVerdict[] {
  const pick: [Rule, (g: AuditGroup) => Est][] = [
    [RULES.expansion, (g) => ({ value: g.expansionError, lo: NaN, hi: NaN })],
    [RULES.A1p, (g) => g.A1p.w1],
    [RULES.A2p, (g) => g.A2p.ksRaw],
    [RULES.A3p, (g) => g.A3p.ternaryGap],
    [RULES.A4p, (g) => g.A4p.cMin[g.A4p.s.indexOf(3)]],
    [RULES.A5u, (g) => g.A5u.excess],
    [RULES.A6u, (g) => g.A6u.topOverEdge],
    [RULES.A7p, (g) => g.A7p.maxDrift],
  ];
  return pick.map(([rule, f]) => {
    const points = groups.map((g) => ({ label: g.label, H: g.H, width: g.width, est: f(g) }));
    const v = verdict(rule, points);
    // A3p's other number: how many levels the signs need (largest over architectures).
    if (rule.id === 'A3p' && groups.length) {
      const need = (g: AuditGroup) => (Number.isFinite(g.A3p.sMin.value) ? g.A3p.sMin.value : Infinity);
      const worst = groups.reduce((w, g) => (need(g) > need(w) ? g : w));
      v.text += `; ${signLevelsClause(worst, worst.nets, worst.label, worst.architecture.lambda)}`;
    }
    return { ...v, says: rule.says, statistic: rule.statistic, threshold: rule.threshold, points };
  });
}

export function summarizeAudit(s: AuditSettings, lines: AuditLine[]): AuditSummary {
  const groups: AuditGroup[] = [];
  auditArchitectures(s).forEach((layers, gi) => {
    const key = hiddenKey(hiddenOf(layers));
    const ls = lines.filter((l) => hiddenKey(l.hidden) === key);
    if (ls.length) groups.push(group(s, layers, ls, gi));
  });
  return { samples: Math.min(s.samples, s.trainSize), groups, verdicts: auditVerdicts(groups), surrogate: surrogateVerdict(groups) };
}

export const auditDescriptor: Experiment<AuditSettings, AuditNetParams, AuditLine, AuditSummary> = {
  name: 'audit',
  title: "measure [P1]'s assumptions A1p–A7p on trained bias-free ReLU nets of depth H = 2 and 3 (the open problem)",
  label: 'assumption audit',
  examples: [
    ['landscape audit --profile quick', 'H = 2 and H = 3 nets, 10 each: every assumption\'s statistic with CIs and a verdict, in minutes'],
    ['landscape audit --hidden 50 --deep 50 --runs 20 --samples 2000 --out a50', 'one width at both depths (p = 2 and p = 3)'],
  ],
  fields: FIELDS,
  defaults: { ...MLP_BASE, hidden: [25, 50, 100, 250], deep: [25, 50, 100], runs: 100, samples: 2000, bins: 8, repeats: 19, paths: 200, surrogateSamples: 64, surrogateStarts: 4, surrogateSteps: 100, surrogateLr: 0.5, surrogateIndex: 1200 },
  profiles: {
    smoke: { hidden: [3, 5], deep: [3], runs: 3, epochs: 2, trainSize: 200, testSize: 200, samples: 200, bins: 4, repeats: 4, paths: 20, surrogateSamples: 16, surrogateStarts: 2, surrogateSteps: 10, surrogateIndex: 400 },
    quick: { ...small, hidden: [10, 25, 50], deep: [10, 25], runs: 10, trainSize: 2000, testSize: 2000, samples: 1000, surrogateSamples: 32, surrogateStarts: 2, surrogateSteps: 40, surrogateIndex: 1100 },
    standard: { ...small, hidden: [10, 25, 50, 100], deep: [10, 25, 50], runs: 20, epochs: 60, trainSize: 5000, testSize: 10000, samples: 2000 },
    // [P2]'s regime (whole training set, 200 epochs) with 8 nets per width and depth.
    workstation: { hidden: [25, 50, 100, 250, 500], deep: [25, 50, 100], runs: 8, epochs: 200, trainSize: 60000, testSize: 10000, samples: 5000, surrogateSamples: 32, surrogateStarts: 2 },
    paper: { hidden: [25, 50, 100, 250, 500], deep: [25, 50, 100], runs: 100, epochs: 200, trainSize: 60000, testSize: 10000, samples: 5000, surrogateSamples: 32, surrogateStarts: 2 },
  },
  handlers: auditTasks,
  // The nets train on MNIST as the network lab's do: its --mnist-dir, and the page's mnist URL.
  options: mlpDescriptor.options,
  claims: (_s, sum) => auditClaims(sum),
  oneNet: {
    run(heap, net, data) {
      if (net.bias) throw new SettingsError('--net: the path expansion is exact only for bias-free nets; this net has biases');
      // The defaults' estimator settings, on every sample of the given data; streams fixed so a rerun gives the same bytes.
      const d = auditDescriptor.defaults;
      // A3p's per-sample losses take labels as the loss does: ±1 parity for the binary losses (a data folder holds digits).
      const y = isBinaryLoss(net.loss) && !data.y.every((v) => v === 1 || v === -1) ? parityLabels(data.y) : data.y;
      const stats = auditStats({ heap }, { layers: net.layers, params: net.params }, data.X, data.y, data.S, { samples: data.S, bins: d.bins, repeats: d.repeats, paths: d.paths }, d.seed, { a5u: AUDIT_STREAM_BASE, a6u: AUDIT_STREAM_BASE + 1 }, net.loss, y);
      // A7p needs the training history, which a saved net lacks: its layer mean squares now, no drift.
      return { layers: net.layers, samples: data.S, architecture: architecture(net.layers), ...stats, A7p: { meanSquare: layerMeanSquares(net.layers, net.params), drift: null, note: 'a given net has no training history: run landscape audit for the drift along training' } };
    },
  },
  unit: 'nets',
  conflicts: [['layers', 'hidden'], ['layers', 'deep']],
  validate(s) {
    if (s.bias) throw new SettingsError('--bias: the audit takes bias-free nets only (only they have the exact path expansion Y = Σ_π x_i A_π w_π)');
    if (s.layers && s.layers.length !== 3 && s.layers.length !== 4) throw new SettingsError(`--layers: the audit's estimators take H = 2 or 3 weight layers (3 or 4 widths), got ${s.layers.length} widths`);
    for (const layers of auditArchitectures(s)) mlpDescriptor.validate!(asMlp(s, layers));
    const bytes = memoryBytes(s);
    if (bytes > WASM32_LIMIT_BYTES) throw new MemoryLimitError(bytes, `the audit (training data, the largest net, ${Math.min(s.samples, s.trainSize)} audit samples)`);
  },
  memoryBytes,
  check: (s, env) => mlpDescriptor.check!(asMlp(s, auditArchitectures(s)[0]), env),
  estimate: (s, todo, workers, run) => auditEstimate(asMlp(s, auditArchitectures(s)[0]), todo, workers, run),
  tasks: (s, env) => auditArchitectures(s).flatMap((layers) => mlpTaskList(asMlp(s, layers), env.options.mnistDir as string | undefined)).map((t) => ({
    ...t, kind: 'audit-net', params: { ...t.params, audit: { samples: s.samples, bins: s.bins, repeats: s.repeats, paths: s.paths, surrogate: surrogateOptions(s) } },
  })),
  taskKey: (t) => mlpTaskKey(t.hidden, t.run),
  lineKey: (l) => mlpTaskKey(l.hidden, l.run),
  linesPerTask: () => 1,
  checkLine: (l, s) => lineProblem(l, { hidden: 'int|int[]', run: 'int', H: 'int', trainLoss: 'number', testLoss: 'number', testError: 'number', samples: 'int' })
    ?? (l.run >= s.runs ? `run ${l.run} is not below --runs ${s.runs}` : null)
    ?? (archKeys(s).has(hiddenKey(l.hidden)) ? null : `hidden ${JSON.stringify(l.hidden)} is not an architecture of these settings`)
    ?? (l.diverged || (l.A1p && l.A2p && l.A3p && l.A4p && l.A5u && l.A6u && l.A7p) ? null : 'a finished net\'s line lacks one of A1p–A7p'),
  summarize: summarizeAudit,
  figures: (_s, lines, summary, caption) => auditFigures(lines, summary, caption),
  section: (s, lines, summary, caption) => auditSection(s, lines, summary, caption),
  table: (s, summary) => auditTable(s, summary),
};
