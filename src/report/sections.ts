// The theory and spin-glass sections of report.html: figures from the same Vega-Lite specs as the
// CLI's SVGs, tables of the summaries, and findings computed from the numbers (never canned).
import type { RestartResult } from '../pspin/batch.js';
import type { PSpinSummary } from '../pspin/experiment.js';
import { eInf, thresholds } from '../theory/complexity.js';
import { thetaCurvesSpec } from './theory-figures.js';
import { meanCountSpec } from './asymptotics-figure.js';
import { energyHistogramSpec, spreadVsSizeSpec } from './pspin-figures.js';
import type { ReportSection } from './html.js';
import type { MlpRecord, MlpSummary } from '../mlp/experiment.js';
import { mlpFigureSpecs, testLossHistogramSpec } from './mlp-figures.js';

const f4 = (x: number) => x.toFixed(4).replace('-', '−');
const pct = (x: number | null) => (x === null ? '–' : `${(100 * x).toFixed(1)}%`);

export function theorySection(p: number, k: number): ReportSection {
  const E = thresholds(p, k);
  const Einf = eInf(p);
  return {
    id: 'theory',
    title: `Theory: complexity of the spherical ${p}-spin glass`,
    findings: [
      `The ground-state threshold is −E₀ = ${f4(-E[0])} and the band edge −E∞ = ${f4(-Einf)} (energies per spin, H/Λ).`,
      `Between them lie the thresholds −E_k of critical points of index k: ${E.slice(1).map((e, i) => `−E${i + 1} = ${f4(-e)}`).join(', ')}, decreasing towards −E∞; below −E∞ critical points of index k ≥ 1 are exponentially rarer than minima.`,
    ],
    tables: [{ caption: 'Thresholds (natural-log complexity; Θ_{k,p} with the continuity erratum)', rows: [['quantity', 'value'], ['E∞', Einf.toFixed(9)], ...E.map((e, i) => [`E${i}`, e.toFixed(9)])] }],
    figures: [
      { id: 'fig-theta', label: '[P2] Fig. 2', spec: thetaCurvesSpec(p, k, `theoryTable(p = ${p}, k = ${k}); see src/theory/complexity.ts`) },
      ...(p >= 3 ? [{ id: 'fig-counts', label: '[P2] Fig. 1', spec: meanCountSpec(p, 1000, Math.min(k, 5), `sharp asymptotics, Λ = 1000, p = ${p}`) }] : []),
    ],
  };
}

export function pspinSection(summary: PSpinSummary, lines: RestartResult[], caption: string): ReportSection {
  const gs = summary.groups.filter((g) => g.instance === 0);
  const first = gs[0], last = gs[gs.length - 1];
  const findings: string[] = [];
  if (first && last && first !== last) {
    findings.push(`The mean final energy moves from ${f4(first.mean)} at Λ = ${first.n} to ${f4(last.mean)} at Λ = ${last.n} (−E∞ = ${f4(-summary.Einf)}); the standard deviation ${last.sd < first.sd ? 'falls' : 'does not fall'} from ${first.sd.toFixed(4)} to ${last.sd.toFixed(4)}.`);
  }
  const below = Math.max(...summary.groups.map((g) => g.fracBelowE0));
  findings.push(below === 0 ? `No endpoint goes below −E₀ = ${f4(-summary.E0)}.` : `At most ${pct(below)} of endpoints per size go below −E₀ = ${f4(-summary.E0)} (finite-size effects at small Λ).`);
  const idx = summary.groups.map((g) => g.fracIndex0).filter((x): x is number => x !== null);
  if (idx.length) findings.push(`Between ${pct(Math.min(...idx))} and ${pct(Math.max(...idx))} of endpoints per size are minima (index 0 at tolerance ${summary.settings.indexTol}).`);
  return {
    id: 'spin-glass',
    title: `Spin glass: ${summary.settings.method.toUpperCase()} minima of the ${summary.p}-spin glass`,
    findings,
    tables: [{
      caption: 'Final energy density H/Λ per size Λ',
      rows: [['Λ', 'instance', 'restarts', 'mean', 'sd', 'min', 'q05', 'q50', 'q95', 'converged', 'index 0', '< −E₀', '< −E∞'],
        ...summary.groups.map((g) => [g.n, g.instance, g.count, f4(g.mean), g.sd.toFixed(4), f4(g.min), f4(g.q05), f4(g.q50), f4(g.q95), pct(g.converged), pct(g.fracIndex0), pct(g.fracBelowE0), pct(g.fracBelowEinf)])],
    }],
    figures: [
      { id: 'fig-pspin-hist', label: '[P2] Fig. 3 (left), supp. Fig. 8', spec: energyHistogramSpec(lines, { E0: summary.E0, Einf: summary.Einf, Ek: thresholds(summary.p, 3) }, caption) },
      { id: 'fig-pspin-spread', label: '[P2] Fig. 3 (left): spread against Λ', spec: spreadVsSizeSpec(summary, caption) },
    ],
  };
}

/** Ratio of the last to the first value, and whether the sequence falls at every step. */
function trend(values: number[]): { ratio: number; monotone: boolean } {
  return { ratio: values[values.length - 1] / values[0], monotone: values.every((v, i) => i === 0 || v < values[i - 1]) };
}

export function mlpSection(summary: MlpSummary, records: MlpRecord[], caption: string): ReportSection {
  const gs = summary.groups;
  const s = summary.settings;
  const findings: string[] = [];
  // Diverged nets (a non-finite loss) are in no statistic below: say how many, per width.
  const all = [...gs, ...summary.lost];
  const diverged = all.reduce((n, g) => n + g.diverged, 0), nets = all.reduce((n, g) => n + g.runs, 0);
  if (diverged) {
    const per = all.filter((g) => g.diverged).map((g) => `${g.diverged === g.runs ? 'all' : g.diverged} of ${g.runs} at n1 = ${Array.isArray(g.hidden) ? g.hidden.join('-') : g.hidden}`);
    findings.push(`${diverged} of ${nets} nets diverged (a non-finite loss: ${per.join(', ')}) and are excluded from every statistic, table and figure${diverged === nets ? '; nothing trained, so try a smaller --lr' : ''}.`);
  }
  if (gs.length >= 2) {
    const first = gs[0], last = gs[gs.length - 1];
    const v = trend(gs.map((g) => g.test.variance));
    const r = trend(gs.map((g) => g.pearson.value));
    findings.push(`The variance of the test loss across nets ${v.ratio < 1 ? 'falls' : 'does not fall'} from ${first.test.variance.toExponential(2)} (n1 = ${first.hidden}) to ${last.test.variance.toExponential(2)} (n1 = ${last.hidden})${v.monotone ? ', at every step' : ', not at every step'}; the mean test loss moves from ${first.test.mean.toFixed(4)} to ${last.test.mean.toFixed(4)}.`);
    if (gs.every((g) => Number.isFinite(g.pearson.value))) {
      findings.push(`The Pearson correlation between train and test loss ${r.ratio < 1 ? 'falls' : 'does not fall'} from ${first.pearson.value.toFixed(3)} to ${last.pearson.value.toFixed(3)}${r.monotone ? ', at every step' : ', not at every step'} ([P2] Table 1 reports a steady fall).`);
    }
  }
  if (gs.length) findings.push(`Mean test error per width: ${gs.map((g) => `${(100 * g.meanTestError).toFixed(1)}% (n1 = ${g.hidden})`).join(', ')}.`);
  return {
    id: 'networks',
    title: `Networks: ${s.runs} ReLU nets per width on MNIST ${s.downsample}×${s.downsample}`,
    findings,
    tables: [{
      caption: '[P2] Table 1 and the test-loss distribution per hidden width (correlations across nets, 95% bootstrap CI)',
      rows: [['n1', 'nets', 'mean test loss', 'variance', 'mean train loss', 'test error', 'Pearson r', 'CI', 'Spearman ρ'],
        ...gs.map((g) => [String(g.hidden), g.diverged ? `${g.runs} (${g.diverged} diverged)` : g.runs, g.test.mean.toFixed(4), g.test.variance.toExponential(2), g.train.mean.toFixed(4), `${(100 * g.meanTestError).toFixed(1)}%`,
          Number.isFinite(g.pearson.value) ? g.pearson.value.toFixed(3) : '–', Number.isFinite(g.pearson.lo) ? `[${g.pearson.lo.toFixed(2)}, ${g.pearson.hi.toFixed(2)}]` : '–',
          Number.isFinite(g.spearman.value) ? g.spearman.value.toFixed(3) : '–'])],
    }],
    figures: (records.length ? mlpFigureSpecs(records, summary, caption) : []).map((f) => ({ id: `fig-${f.name.replace(/\.svg$/, '')}`, label: f.label, spec: f.spec })),
  };
}

/** The closing pair: both ensembles' distributions, with what this run shows about their spread. */
export function sideBySide(pspin: { summary: PSpinSummary; lines: RestartResult[]; caption: string }, mlp: { summary: MlpSummary; records: MlpRecord[]; caption: string }) {
  const ps = pspin.summary.groups.filter((g) => g.instance === 0), ms = mlp.summary.groups;
  const sdP = trend(ps.map((g) => g.sd)), sdM = trend(ms.map((g) => Math.sqrt(g.test.variance)));
  const caption = `Spin glass: the sd of H/Λ over restarts goes from ${ps[0].sd.toFixed(4)} at Λ = ${ps[0].n} to ${ps.at(-1)!.sd.toFixed(4)} at Λ = ${ps.at(-1)!.n} (×${sdP.ratio.toFixed(2)}). ` +
    `Networks: the sd of the test loss over nets goes from ${Math.sqrt(ms[0].test.variance).toFixed(4)} at n1 = ${ms[0].hidden} to ${Math.sqrt(ms.at(-1)!.test.variance).toFixed(4)} at n1 = ${ms.at(-1)!.hidden} (×${sdM.ratio.toFixed(2)}). ` +
    `${sdP.ratio < 1 && sdM.ratio < 1 ? 'In both, the values reached from random starts concentrate as the system grows, the parallel [P2] draws.' : 'The two do not both concentrate in this run.'}`;
  return {
    title: 'Spin glass and networks side by side',
    caption,
    figures: [
      { id: 'side-pspin', label: '[P2] Fig. 3 (left)', spec: energyHistogramSpec(pspin.lines, { E0: pspin.summary.E0, Einf: pspin.summary.Einf }, pspin.caption) },
      { id: 'side-mlp', label: '[P2] Fig. 3 (right)', spec: testLossHistogramSpec(mlp.records, mlp.summary, mlp.caption) },
    ],
  };
}
