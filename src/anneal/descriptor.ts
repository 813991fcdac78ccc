// `landscape anneal-nets` ([P2] supp. §12.2, Fig. 6; §5.1 redundancy) as a registry descriptor:
// per hidden width, --runs nets trained by SGD exactly as `landscape mlp` trains them, and as many
// annealed from the same initial weights on the same training subset (SCIENCE.md §7); with
// --ternary also annealed with weights in {−c, 0, +c}. Per width: each optimiser's test loss with
// its CI, the paired difference SGD − annealing (paired t CI, Wilcoxon signed-rank p) and a
// sentence saying whether SGD did at least as well; the ternary accuracy drop against SGD and
// against annealing in full precision, and the fraction of zero weights. With --index exact (the
// default, in every profile): the exact f64 Hessian index and ‖∇L‖ of each end point over the training subset, for
// widths with P ≤ INDEX_MAX_PARAMS (3000: all of [P2]'s, n_h ≤ 25 at 100 inputs).
//
// The subset: [P2] gives no size; the default is 1000 training images (a seeded MNIST subset, the
// one `landscape mlp --train-size 1000` draws), the size the annealer's step was tuned on
// (ANNEAL_DEFAULTS), and the test loss over 10000 test images.
import type { Experiment } from '../experiment/descriptor.js';
import type { Field } from '../experiment/fields.js';
import { lineProblem } from '../experiment/lines.js';
import { MemoryLimitError, WASM32_LIMIT_BYTES } from '../heap.js';
import { MLP_FIELDS, mlpDescriptor } from '../mlp/descriptor.js';
import { MLP_DEFAULTS, architectures, hiddenKey, hiddenOf, mlpMemoryBytes, mlpTaskKey, mlpTaskList, type MlpSettings } from '../mlp/experiment.js';
import { paramCount } from '../mlp/reference.js';
import { SCHEDULES, type Schedule } from './schedule.js';
import { ANNEAL_DEFAULTS } from './anneal.js';
import { annealTasks, type AnnealNetLine, type AnnealNetParams, type EndPoint } from './task.js';
import { pairedComparison, scaleCI, tMeanCI, type MeanCI, type PairedComparison } from './stats.js';
import { annealFigures, annealSection, fmtCI, indexTable } from '../report/anneal-figures.js';
import { annealClaims } from './claims.js';
import { INDEX_MAX_PARAMS, indexStats, type IndexStats } from './curvature.js';
import { INDEX_MODES, indexed, type IndexMode } from './task.js';
import { annealCalibrate, annealSeconds } from './estimate.js';

export type AnnealNetsSettings = Omit<MlpSettings, 'saveNets' | 'data'> & {
  sweeps: number;
  schedule: Schedule;
  step: number;
  ternary: boolean;
  ternaryScale: 'unit' | 'fan-in';
  index: IndexMode;
};

export interface OptimiserStats {
  train: MeanCI;
  test: MeanCI;
  /** Test error rate (fraction). */
  testError: MeanCI;
}

/** 'better': the CI of SGD − annealing lies below 0; 'tie': it holds 0; 'worse': above 0; 'unknown': fewer than 2 pairs. */
export type Verdict = 'better' | 'tie' | 'worse' | 'unknown';

export interface AnnealGroup {
  hidden: number | number[];
  params: number;
  runs: number;
  sgd: OptimiserStats;
  anneal: OptimiserStats & { accept: number; driftMax: number };
  /** Test loss, SGD − annealing, paired by run (same initial weights, same subset). */
  testDiff: PairedComparison;
  /** Training loss (annealing's objective), SGD − annealing. */
  trainDiff: PairedComparison;
  verdict: Verdict;
  /** "SGD did at least as well as annealing …" or not, from the CI of testDiff. */
  sentence: string;
  ternary: null | (OptimiserStats & {
    /** Accuracy drop (ternary test error − full-precision test error), paired by run. */
    dropVsSgd: PairedComparison;
    dropVsAnneal: PairedComparison;
    zeroFraction: MeanCI;
    accept: number;
  });
  /** With --index: the exact Hessian index of each optimiser's end points; null when off or P > INDEX_MAX_PARAMS. */
  index: null | { sgd: IndexStats; anneal: IndexStats; ternary: IndexStats | null };
}

export interface AnnealSummary { groups: AnnealGroup[] }

const FIELDS: Field<AnnealNetsSettings>[] = [
  ...(MLP_FIELDS.filter((f) => !f.optional) as unknown as Field<AnnealNetsSettings>[]),
  { key: 'sweeps', flag: 'sweeps', what: 'a sweep count', help: `annealing sweeps (P proposals each) in all, over min(${ANNEAL_DEFAULTS.stages}, sweeps) temperature stages`, kind: { type: 'int', min: 1, max: 1000000 } },
  { key: 'schedule', flag: 'schedule', what: 'a schedule', help: 'temperatures from T0 (uphill acceptance 0.5) down to T_end (1e-3), both calibrated on probed proposals', kind: { type: 'choice', choices: SCHEDULES } },
  { key: 'step', flag: 'step', what: 'a step', help: 'continuous proposals w ← w + s·ξ, ξ ~ N(0, 1): the step s', kind: { type: 'number', min: 0, minExclusive: true } },
  { key: 'ternary', flag: 'ternary', what: 'a switch', help: 'also anneal with weights restricted to {−c, 0, +c} from the same initial weights ([P2] §5.1)', kind: { type: 'bool' } },
  { key: 'ternaryScale', flag: 'ternary-scale', what: 'a scale', help: 'the ternary spacing c per layer: unit (1) or fan-in (1/√n_in)', kind: { type: 'choice', choices: ['unit', 'fan-in'] } },
  { key: 'index', flag: 'index', what: 'an index mode', help: `exact: the exact f64 Hessian index ([P2]: |λ| < 1e-3 zeroed, fraction negative; LDLᵀ inertia) and ‖∇L‖ of every end point over the training subset, at widths with P ≤ ${INDEX_MAX_PARAMS} only (a P² f64 Hessian); none: skip it`, kind: { type: 'choice', choices: INDEX_MODES } },
];

const { saveNets: _a, data: _b, ...MLP_BASE } = MLP_DEFAULTS as MlpSettings;
const P2_WIDTHS = [2, 3, 5, 10, 15, 25]; // [P2] supp. Fig. 6

/**
 * The annealer's resident state besides the training data: f64 inputs, params and per-sample
 * activations; with --index, the largest indexed width's Hessian (P² f64, three copies) and the
 * R-op workspace, as `landscape hessian` counts them.
 */
function annealBytes(s: AnnealNetsSettings): number {
  const archs = architectures(s as MlpSettings);
  const P = Math.max(...archs.map((a) => paramCount(a, s.bias)));
  const units = Math.max(...archs.map((a) => a.reduce((x, y) => x + y, 0)));
  const anneal = 8 * (s.trainSize * (s.downsample ** 2 + 4 * units) + 2 * P) + 4 * 8 * P + (1 << 20);
  const Ph = Math.max(0, ...archs.map((a) => paramCount(a, s.bias)).filter((p) => indexed(s, p)));
  return Ph ? Math.max(anneal, 3 * 8 * Ph * Ph + 128 * 2 ** 20) : anneal;
}

export const annealNetsDescriptor: Experiment<AnnealNetsSettings, AnnealNetParams, AnnealNetLine, AnnealSummary> = {
  name: 'anneal-nets',
  title: 'SGD against simulated annealing from the same initial weights on an MNIST subset; ternary weights ([P2] supp. Fig. 6, §5.1)',
  label: 'annealing',
  examples: [
    ['landscape anneal-nets --profile quick', 'n_h = 2, 5, 10, 25: SGD against annealing, with the ternary table, in minutes'],
    ['landscape anneal-nets --hidden 10 --runs 8 --sweeps 600 --ternary --ternary-scale fan-in --out a10', 'eight paired runs at n_h = 10, longer annealing, ternary levels ±1/√n_in'],
  ],
  fields: FIELDS,
  defaults: {
    ...MLP_BASE, hidden: P2_WIDTHS, runs: 50, trainSize: 1000, testSize: 10000,
    sweeps: 600, schedule: ANNEAL_DEFAULTS.schedule, step: ANNEAL_DEFAULTS.step, ternary: false, ternaryScale: ANNEAL_DEFAULTS.ternaryScale, index: 'exact',
  },
  profiles: {
    smoke: { hidden: [2, 3], runs: 3, epochs: 2, trainSize: 200, testSize: 200, sweeps: 4, ternary: true },
    quick: { hidden: [2, 5, 10, 25], runs: 8, epochs: 40, trainSize: 1000, testSize: 10000, sweeps: 60, ternary: true },
    standard: { hidden: P2_WIDTHS, runs: 30, epochs: 100, trainSize: 1000, testSize: 10000, sweeps: 400, ternary: true },
    // [P2]'s setting, 16 paired runs per width (the signed-rank test's smallest p is then 3e-5).
    workstation: { hidden: P2_WIDTHS, runs: 16, epochs: 200, trainSize: 1000, testSize: 10000, sweeps: 600, ternary: true },
    paper: { hidden: P2_WIDTHS, runs: 100, epochs: 200, trainSize: 1000, testSize: 10000, sweeps: 600, ternary: true },
  },
  handlers: { ...annealTasks, 'anneal-calibrate': annealCalibrate },
  // The nets train on MNIST as the network lab's do: its --mnist-dir, and the page's mnist URL.
  options: mlpDescriptor.options,
  claims: (s, sum) => annealClaims(s, sum, { ...annealNetsDescriptor.defaults, ...annealNetsDescriptor.profiles.paper }),
  unit: 'runs',
  conflicts: [['layers', 'hidden']],
  validate(s) {
    mlpDescriptor.validate!(s as MlpSettings);
    const bytes = annealBytes(s) + mlpMemoryBytes(s as MlpSettings);
    if (bytes > WASM32_LIMIT_BYTES) throw new MemoryLimitError(bytes, `annealing on ${s.trainSize} training images`);
  },
  memoryBytes: (s) => annealBytes(s) + mlpMemoryBytes(s as MlpSettings),
  check: (s, env) => mlpDescriptor.check!(s as MlpSettings, env),
  /** SGD as `landscape mlp` estimates it, plus annealing and the index (./estimate.ts), shared by the workers. */
  async estimate(s, todo, workers, run) {
    const sgd = await mlpDescriptor.estimate!(s as MlpSettings, todo as never, workers, run);
    const anneal = await annealSeconds(todo, workers, run);
    const perTask = anneal.map((a, i) => a + (sgd?.perTask?.[i] ?? 0));
    return { seconds: (sgd?.seconds ?? 0) + anneal.reduce((x, y) => x + y, 0) / workers, perTask }; // no FLOP count: the annealer's work depends on its acceptance
  },
  tasks: (s, env) => mlpTaskList(s as MlpSettings, env.options.mnistDir as string | undefined).map((t) => ({
    ...t, kind: 'anneal-net',
    params: { ...t.params, anneal: { sweeps: s.sweeps, schedule: s.schedule, step: s.step, ternary: s.ternary, ternaryScale: s.ternaryScale, index: s.index } },
  })),
  taskKey: (t) => mlpTaskKey(t.hidden, t.run),
  lineKey: (l) => mlpTaskKey(l.hidden, l.run),
  linesPerTask: () => 1,
  checkLine(l, s) {
    const top = lineProblem(l, { hidden: 'int|int[]', run: 'int', params: 'int' });
    if (top) return top;
    const point = { initialLoss: 'number', trainLoss: 'number', testLoss: 'number', trainError: 'number', testError: 'number' } as const;
    const withIndex = indexed(s, l.params);
    for (const k of ['sgd', 'anneal', ...(s.ternary ? ['ternary'] : [])] as const) {
      const v = (l as unknown as Record<string, unknown>)[k] as Record<string, unknown> | undefined;
      if (!v || typeof v !== 'object') return `missing "${k}"`;
      const why = lineProblem(v, k === 'sgd' ? point : { ...point, accept: 'number', drift: 'number', ...(k === 'ternary' ? { zeroFraction: 'number' } : {}) });
      if (why) return `${k}: ${why}`;
      if (withIndex !== (v.hessian !== undefined)) return `${k}: ${withIndex ? 'no Hessian index, but --index is exact' : 'a Hessian index, but --index is none or P is above the limit'}`;
      const hw = !withIndex ? null : !v.hessian || typeof v.hessian !== 'object' ? 'not an object' : lineProblem(v.hessian, { gradNorm: 'number', negative: 'int', normalisedIndex: 'number', fractionNearKink: 'number' });
      if (hw) return `${k}.hessian: ${hw}`;
    }
    if (!s.ternary && l.ternary !== undefined) return 'a ternary result, but --ternary is off';
    if (l.run < 0 || l.run >= s.runs) return `run ${l.run} is not below --runs ${s.runs}`;
    if (!architectures(s as MlpSettings).some((a) => hiddenKey(hiddenOf(a)) === hiddenKey(l.hidden))) return `hidden ${JSON.stringify(l.hidden)} is not a width of these settings`;
    return null;
  },
  summarize(s, lines) {
    const groups: AnnealGroup[] = [];
    for (const layers of architectures(s as MlpSettings)) {
      const hidden = hiddenOf(layers);
      const ls = lines.filter((l) => hiddenKey(l.hidden) === hiddenKey(hidden));
      if (!ls.length) continue;
      const stats = (pick: (l: AnnealNetLine) => EndPoint): OptimiserStats => ({
        train: tMeanCI(ls.map((l) => pick(l).trainLoss).filter(Number.isFinite)),
        test: tMeanCI(ls.map((l) => pick(l).testLoss).filter(Number.isFinite)),
        testError: tMeanCI(ls.map((l) => pick(l).testError).filter(Number.isFinite)),
      });
      const testDiff = pairedComparison(ls.map((l) => l.sgd.testLoss), ls.map((l) => l.anneal.testLoss));
      const trainDiff = pairedComparison(ls.map((l) => l.sgd.trainLoss), ls.map((l) => l.anneal.trainLoss));
      const verdict = verdictOf(testDiff);
      const tern = ls.filter((l) => l.ternary);
      groups.push({
        hidden, params: ls[0].params, runs: ls.length,
        sgd: stats((l) => l.sgd),
        anneal: { ...stats((l) => l.anneal), accept: avg(ls.map((l) => l.anneal.accept)), driftMax: Math.max(...ls.map((l) => l.anneal.drift)) },
        testDiff, trainDiff, verdict, sentence: `${verdictSentence(hidden, testDiff, verdict)} ${trainSentence(trainDiff)}`,
        ternary: tern.length === ls.length ? {
          ...stats((l) => l.ternary!),
          dropVsSgd: pairedComparison(ls.map((l) => l.ternary!.testError), ls.map((l) => l.sgd.testError)),
          dropVsAnneal: pairedComparison(ls.map((l) => l.ternary!.testError), ls.map((l) => l.anneal.testError)),
          zeroFraction: tMeanCI(ls.map((l) => l.ternary!.zeroFraction)),
          accept: avg(ls.map((l) => l.ternary!.accept)),
        } : null,
        index: ls.every((l) => l.sgd.hessian && l.anneal.hessian) ? {
          sgd: indexStats(ls.map((l) => l.sgd.hessian!)), anneal: indexStats(ls.map((l) => l.anneal.hessian!)),
          ternary: ls.every((l) => l.ternary?.hessian) ? indexStats(ls.map((l) => l.ternary!.hessian!)) : null,
        } : null,
      });
    }
    return { groups };
  },
  figures: (s, lines, summary, caption) => annealFigures(s, lines, summary, caption),
  section: (s, lines, summary, caption) => annealSection(s, lines, summary, caption),
  table(s, summary) {
    const out = [`SGD against annealing: ${s.runs} paired runs per width (same initial weights, same ${s.trainSize} training images), SGD ${s.epochs} epochs, annealing ${s.sweeps} sweeps (${s.schedule}, step ${s.step}), test loss over ${s.testSize} images`];
    const h = ['hidden', 'P', 'runs', 'SGD test [95% CI]', 'anneal test [95% CI]', 'SGD − anneal [95% CI]', 'Wilcoxon p', 'verdict'];
    const w = [8, 7, 6, 28, 28, 30, 12, 10];
    out.push(h.map((x, i) => x.padStart(w[i])).join(''));
    for (const g of summary.groups) {
      out.push([label(g.hidden), String(g.params), String(g.runs), fmtCI(g.sgd.test, 4), fmtCI(g.anneal.test, 4), fmtCI(g.testDiff.diff, 4), g.testDiff.wilcoxon.p.toPrecision(3), g.verdict].map((x, i) => x.padStart(w[i])).join(''));
    }
    for (const g of summary.groups) out.push(g.sentence);
    if (summary.groups.some((g) => g.ternary)) {
      out.push(`[P2] §5.1 ternary weights {−c, 0, +c} (c: ${s.ternaryScale}), accuracy drop in points (ternary test error − full-precision test error):`);
      const th = ['hidden', 'ternary err', 'drop vs SGD [95% CI]', 'drop vs anneal [95% CI]', 'zero fraction'];
      const tw = [8, 13, 26, 26, 15];
      out.push(th.map((x, i) => x.padStart(tw[i])).join(''));
      for (const g of summary.groups) {
        const t = g.ternary;
        if (!t) continue;
        out.push([label(g.hidden), `${(100 * t.testError.mean).toFixed(1)}%`, fmtCI(scaleCI(t.dropVsSgd.diff, 100), 2), fmtCI(scaleCI(t.dropVsAnneal.diff, 100), 2), t.zeroFraction.mean.toFixed(3)].map((x, i) => x.padStart(tw[i])).join(''));
      }
    }
    out.push(...indexTable(s, summary));
    return out.join('\n');
  },
};

const avg = (xs: number[]) => { const f = xs.filter(Number.isFinite); return f.length ? f.reduce((a, b) => a + b, 0) / f.length : NaN; };
const label = (h: number | number[]) => (Array.isArray(h) ? h.join('-') : String(h));

/** From the 95% CI of the mean test-loss difference SGD − annealing. */
export function verdictOf(c: PairedComparison): Verdict {
  const { lo, hi } = c.diff;
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return 'unknown';
  return hi < 0 ? 'better' : lo > 0 ? 'worse' : 'tie';
}

/** The training loss (annealing's objective): which optimiser went lower on the subset, from its CI. */
export function trainSentence(c: PairedComparison): string {
  const v = verdictOf(c);
  const what = v === 'better' ? 'SGD reached the lower training loss' : v === 'worse' ? 'annealing reached the lower training loss' : 'neither reached a detectably lower training loss';
  return `On the training subset (annealing's objective) ${what}: SGD − annealing ${fmtCI(c.diff, 4)} (Wilcoxon p = ${c.wilcoxon.p.toPrecision(3)}).`;
}

export function verdictSentence(hidden: number | number[], c: PairedComparison, v: Verdict): string {
  const d = c.diff, w = c.wilcoxon;
  const stat = `mean test-loss difference SGD − annealing ${fmtCI(d, 4)} over ${c.n} paired runs (paired t 95% CI; Wilcoxon signed-rank p = ${w.p.toPrecision(3)}, ${w.method})`;
  const who = `n_h = ${label(hidden)}`;
  switch (v) {
    case 'better': return `${who}: SGD did at least as well as annealing — better, the whole CI lies below 0: ${stat}.`;
    case 'tie': return `${who}: SGD did at least as well as annealing — no difference detected, the CI holds 0: ${stat}.`;
    case 'worse': return `${who}: SGD did not do as well as annealing — the whole CI lies above 0: ${stat}.`;
    case 'unknown': return `${who}: too few paired runs (${c.n}) for a CI; ${stat}.`;
  }
}
