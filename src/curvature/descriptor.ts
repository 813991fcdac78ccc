// `landscape hessian` ([P2] supp. §12.1, Fig. 5) as a registry descriptor: nets trained exactly as
// `landscape mlp` trains them (the same settings give the same nets), then the exact f64 Hessian of
// each over its whole training set, its spectrum and index. Per width: the normalised-index
// distribution, minima fraction, gradient norms, near-zero eigenvalues against the rescaling
// symmetries, kinks, outliers against C − 1.
import type { Experiment } from '../experiment/descriptor.js';
import { SettingsError, type Field } from '../experiment/fields.js';
import { lineProblem } from '../experiment/lines.js';
import { MemoryLimitError, WASM32_LIMIT_BYTES } from '../heap.js';
import { readNpy, writeNpy } from '../io/npy.js';
import { MLP_FIELDS, mlpDescriptor } from '../mlp/descriptor.js';
import { MLP_DEFAULTS, architectures, classesOf, hiddenKey, mlpMemoryBytes, mlpTaskKey, mlpTaskList, type MlpSettings } from '../mlp/experiment.js';
import { paramCount } from '../mlp/reference.js';
import { hessianTasks, type HessianLine, type HessianNetParams, type HessianNetResult } from './task.js';
import { meanCI, median } from './summary.js';
import { hessianClaims } from './claims.js';
import { exactHessian } from './hessian.js';
import { countsFromSpectrum, curvatureIndex } from './spectrum.js';
import { hessianFigures, hessianSection } from '../report/curvature-figures.js';

export type HessianSettings = Omit<MlpSettings, 'saveNets' | 'data'> & { saveSpectra?: number; polish?: number };

export interface HessianGroup {
  hidden: number | number[];
  params: number;
  nets: number;
  normalisedIndex: { mean: number; lo: number; hi: number; max: number };
  /** Nets with no eigenvalue below −10⁻³. */
  minima: number;
  gradNorm: { median: number; max: number };
  nearZero: { mean: number; expected: number };
  /** Nets whose inertia count disagrees with the spectrum's at τ = 10⁻³. */
  inertiaMismatch: number;
  asymmetryMax: number;
  fractionNearKink: number;
  outliers: { mean: number; expected: number };
  lambdaMin: number;
  lambdaMax: number;
}

export interface HessianSummary { groups: HessianGroup[] }

const FIELDS: Field<HessianSettings>[] = [
  ...(MLP_FIELDS.filter((f) => !f.optional) as unknown as Field<HessianSettings>[]),
  { key: 'polish', flag: 'polish', what: 'a step count', help: 'also take up to N Levenberg–Marquardt steps on ∇L (exact Hessian, solved exactly by a dense eigendecomposition up to P = 1500, ~7 s a step at P = 1100; MINRES above) towards a critical point nearby, to ‖∇L‖ ≤ 1e-8, and give the exact index where they end', kind: { type: 'int', min: 0, max: 100 }, optional: true },
  { key: 'saveSpectra', flag: 'save-spectra', what: 'a run count', help: 'write the full ascending spectra of the first K nets of each width as spectra-h{width}.npy (K × P, f8)', kind: { type: 'int', min: 0, max: 100000 }, optional: true },
];

const { saveNets: _a, data: _b, ...MLP_BASE } = MLP_DEFAULTS as MlpSettings;
const small = { epochs: 40, batch: 10, lr: 0.1 };

/** f64 Hessian, its copy for the factorisations and the work arrays, besides the training data. */
const hessianBytes = (P: number) => 3 * 8 * P * P + 128 * 2 ** 20;

const spectraName = (hidden: number | number[]) => `spectra-h${hiddenKey(hidden)}.npy`;
const partName = (hidden: number | number[], run: number) => `spectra-h${hiddenKey(hidden)}.part${run}.npy`;

export const hessianDescriptor: Experiment<HessianSettings, HessianNetParams, HessianLine, HessianSummary> = {
  name: 'hessian',
  title: 'exact f64 Hessian index and spectrum of trained nets over their whole training set ([P2] supp. Fig. 5)',
  label: 'curvature',
  examples: [
    ['landscape hessian --profile quick', 'n1 = 10, 25: every net\'s exact index, [P2] supp. Fig. 5, in minutes'],
    ['landscape hessian --hidden 10 --runs 4 --save-spectra 2 --out h10', 'four nets; the full spectra of two of them as spectra-h10.npy'],
  ],
  fields: FIELDS,
  defaults: { ...MLP_BASE, hidden: [10, 25, 50, 100], runs: 100 },
  profiles: {
    smoke: { hidden: [3, 5], runs: 3, epochs: 2, trainSize: 200, testSize: 200 },
    quick: { ...small, hidden: [10, 25], runs: 8, trainSize: 2000, testSize: 10000 },
    standard: { ...small, hidden: [10, 25, 50], runs: 20, epochs: 60, trainSize: 5000, testSize: 10000 },
    // [P2]'s regime (whole training set, 200 epochs, supp. Fig. 5's widths), 8 nets per width.
    workstation: { hidden: [10, 25, 50, 100], runs: 8, epochs: 200, trainSize: 60000, testSize: 10000 },
    paper: { hidden: [10, 25, 50, 100], runs: 100, epochs: 200, trainSize: 60000, testSize: 10000 },
  },
  handlers: hessianTasks,
  // The nets train on MNIST as the network lab's do: its --mnist-dir, and the page's mnist URL.
  options: mlpDescriptor.options,
  claims: (s, sum) => hessianClaims(s, sum, { ...hessianDescriptor.defaults, ...hessianDescriptor.profiles.paper }),
  oneNet: {
    options: [{ key: 'spectrum', flag: 'spectrum', what: 'a spectrum choice', help: 'with --net: full (print every eigenvalue, ascending) or none', kind: { type: 'choice', choices: ['full', 'none'] } }],
    run(heap, net, data, o) {
      const spec = { layers: net.layers, bias: net.bias, loss: net.loss };
      const h = exactHessian(heap, spec, net.params, data.X, data.y, data.S);
      const idx = curvatureIndex(heap, h.H, h.P, { taus: [1e-3], inertia: true, spectrum: true });
      const ev = idx.eigenvalues;
      return {
        params: h.P, loss: h.loss, gradNorm: h.gradNorm, index: countsFromSpectrum(ev, 1e-3).negative, normalisedIndex: idx.normalisedIndex,
        negativeByInertia: idx.counts[0].negative, nearZero: countsFromSpectrum(ev, 1e-6).nearZero, fractionNearKink: h.fractionNearKink, asymmetry: h.asymmetry,
        ...(o.spectrum === 'none' ? {} : { eigenvalues: Array.from(ev) }),
      };
    },
  },
  unit: 'nets',
  validate(s) {
    mlpDescriptor.validate!(s as MlpSettings);
    if (s.saveSpectra !== undefined && s.saveSpectra > s.runs) throw new SettingsError(`--save-spectra: ${s.saveSpectra} is more than the ${s.runs} runs`);
    const P = Math.max(...architectures(s as MlpSettings).map((a) => paramCount(a, s.bias)));
    const bytes = hessianBytes(P) + mlpMemoryBytes(s as MlpSettings);
    if (bytes > WASM32_LIMIT_BYTES) throw new MemoryLimitError(bytes, `the exact Hessian of ${P} parameters (P² f64 three times)`);
  },
  memoryBytes: (s) => hessianBytes(Math.max(...architectures(s as MlpSettings).map((a) => paramCount(a, s.bias)))) + mlpMemoryBytes(s as MlpSettings),
  check: (s, env) => mlpDescriptor.check!(s as MlpSettings, env),
  /**
   * Training as the network lab estimates it (calibrated in the workers on the real data), plus the
   * curvature by a cost model: the R-op Hessian ≈ 2.8e-10 s·S·P² (the structured assembly of one
   * hidden layer ≈ 1/20 of that: 1.1 s vs 21.8 s at [100, 25, 10], S = 2000, same load, docs/
   * bench-hessian-structured-2026-12-02.txt; it depends on the ReLU masks), the spectrum and two LDLᵀ
   * factorisations ≈ 6.1e-10 s·P³, the SLQ calibration of run 0 ≈ 1e-9 s·640·P² (measured on this
   * project's 2-core EPYC, shared; a rough guide, ±50%).
   */
  async estimate(s, todo, workers, run) {
    const train = await mlpDescriptor.estimate!(s as MlpSettings, todo, workers, run);
    const curvature = todo.map((t) => {
      const P = paramCount(t.params.train.layers, s.bias);
      const hessian = (t.params.train.layers.length === 3 ? 1.4e-11 : 2.8e-10) * s.trainSize * P * P;
      return hessian + 6.1e-10 * P ** 3 + (t.params.calibrate ? 1e-9 * 640 * P * P : 0);
    });
    const perTask = curvature.map((c, i) => c + (train?.perTask?.[i] ?? 0));
    return { seconds: (train?.seconds ?? 0) + curvature.reduce((x, y) => x + y, 0) / workers, flops: train?.flops, perTask };
  },
  tasks: (s, env) => mlpTaskList(s as MlpSettings, env.options.mnistDir as string | undefined).map((t) => ({
    ...t, kind: 'hessian-net', params: { ...t.params, ...(s.saveSpectra && t.params.run < s.saveSpectra ? { keepSpectrum: true } : {}), ...(t.params.run === 0 ? { calibrate: true } : {}), ...(s.polish ? { polish: s.polish } : {}) },
  })),
  taskKey: (t) => mlpTaskKey(t.hidden, t.run),
  lineKey: (l) => mlpTaskKey(l.hidden, l.run),
  linesPerTask: () => 1,
  checkLine: (l, s) => lineProblem(l, { hidden: 'int|int[]', run: 'int', params: 'int', trainLoss: 'number', testLoss: 'number', gradNorm: 'number', normalisedIndex: 'number', nearZero: 'int', negativeByInertia: 'int' })
    ?? (l.run >= s.runs ? `run ${l.run} is not below --runs ${s.runs}` : null),
  toLines: (_p, r) => [(r as HessianNetResult).line],
  extras: (_s, t, r) => {
    const ev = (r as HessianNetResult).eigenvalues;
    return ev ? [{ name: partName(t.hidden, t.run), bytes: writeNpy(ev, [1, ev.length]) }] : [];
  },
  finish(s, files, tasks) {
    if (!s.saveSpectra) return [];
    const written: string[] = [];
    for (const layers of architectures(s as MlpSettings)) {
      const mine = tasks.filter((t) => t.keepSpectrum && hiddenKey(t.hidden) === hiddenKey(layers.length === 3 ? layers[1] : layers.slice(1, -1)));
      if (!mine.length) continue;
      const parts = mine.map((t) => files.read(partName(t.hidden, t.run)));
      if (parts.some((b) => !b)) continue; // joined by an earlier session, or a shard's own
      const P = paramCount(layers, s.bias);
      const all = new Float64Array(parts.length * P);
      parts.forEach((b, i) => all.set(readNpy(b!, partName(mine[i].hidden, mine[i].run)).data as Float64Array, i * P));
      written.push(files.write(spectraName(mine[0].hidden), writeNpy(all, [parts.length, P])));
      for (const t of mine) files.remove(partName(t.hidden, t.run));
    }
    return written;
  },
  summarize(s, lines) {
    const groups: HessianGroup[] = [];
    for (const layers of architectures(s as MlpSettings)) {
      const hidden = layers.length === 3 ? layers[1] : layers.slice(1, -1);
      const ls = lines.filter((l) => hiddenKey(l.hidden) === hiddenKey(hidden));
      if (!ls.length) continue;
      const ni = ls.map((l) => l.normalisedIndex);
      const g = ls.map((l) => l.gradNorm);
      groups.push({
        hidden, params: ls[0].params, nets: ls.length,
        normalisedIndex: { ...meanCI(ni), max: Math.max(...ni) },
        minima: ls.filter((l) => l.negative[0] === 0).length,
        gradNorm: { median: median(g), max: Math.max(...g) },
        nearZero: { mean: ls.reduce((a, l) => a + l.nearZero, 0) / ls.length, expected: ls[0].expectedZeros },
        inertiaMismatch: ls.filter((l) => l.negativeByInertia !== l.negative[0]).length,
        asymmetryMax: Math.max(...ls.map((l) => l.asymmetry)),
        fractionNearKink: ls.reduce((a, l) => a + l.fractionNearKink, 0) / ls.length,
        outliers: { mean: ls.reduce((a, l) => a + l.spectrum.outliers, 0) / ls.length, expected: Math.max(1, classesOf(s.loss) - 1) },
        lambdaMin: Math.min(...ls.map((l) => l.spectrum.min)),
        lambdaMax: Math.max(...ls.map((l) => l.spectrum.max)),
      });
    }
    return { groups };
  },
  figures: (_s, lines, summary, caption) => hessianFigures(lines, summary, caption),
  section: (s, lines, summary, caption) => hessianSection(s, lines, summary, caption),
  table(s, summary) {
    const out = [`exact Hessians: ${s.runs} nets per width, ${s.epochs} epochs, ${s.trainSize} training images (the Hessian's data), ${s.loss}${s.bias ? ', biases' : ', no biases'}`];
    const h = ['hidden', 'P', 'nets', 'norm. index [95% CI]', 'max', 'minima', 'med ‖∇L‖', '|λ|<1e-6', 'expected', 'outliers', 'kinks'];
    const w = [8, 7, 6, 26, 8, 8, 11, 10, 10, 10, 9];
    out.push(h.map((x, i) => x.padStart(w[i])).join(''));
    for (const g of summary.groups) {
      const ni = g.normalisedIndex;
      out.push([String(g.hidden), String(g.params), String(g.nets), `${ni.mean.toFixed(4)} [${Number.isFinite(ni.lo) ? ni.lo.toFixed(4) : '-'}, ${Number.isFinite(ni.hi) ? ni.hi.toFixed(4) : '-'}]`, ni.max.toFixed(4),
        `${g.minima}/${g.nets}`, g.gradNorm.median.toExponential(1), g.nearZero.mean.toFixed(1), String(g.nearZero.expected), `${g.outliers.mean.toFixed(1)}/${g.outliers.expected}`, `${(100 * g.fractionNearKink).toFixed(2)}%`].map((x, i) => x.padStart(w[i])).join(''));
    }
    const bad = summary.groups.reduce((a, g) => a + g.inertiaMismatch, 0);
    out.push(bad ? `inertia and spectrum disagree on ${bad} net(s) at τ = 1e-3 (an eigenvalue within rounding of −τ)` : 'inertia (LDLᵀ of H + τI) agrees with the spectrum on every net at τ = 1e-3');
    return out.join('\n');
  },
};
