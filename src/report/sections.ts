// The theory and spin-glass sections of report.html: figures from the same Vega-Lite specs as the
// CLI's SVGs, tables of the summaries, and findings computed from the numbers (never canned).
import type { RestartResult } from '../pspin/batch.js';
import type { PSpinSummary } from '../pspin/experiment.js';
import { drawsPhrase, sizeTrendWords } from '../pspin/sizes.js';
import { perSize } from '../pspin/claims.js';
import { eInf, thresholds } from '../theory/complexity.js';
import { thetaCurvesSpec } from './theory-figures.js';
import { meanCountSpec } from './asymptotics-figure.js';
import { energyHistogramSpec, spreadVsSizeSpec } from './pspin-figures.js';
import type { ReportSection } from './html.js';
import type { MlpRecord, MlpSummary } from '../mlp/experiment.js';
import { mlpFigureSpecs, testLossHistogramSpec } from './mlp-figures.js';
import { P2_TABLE1 } from '../mlp/claims.js';
import { P2_TEST_LOSS_SPAN, regimeOverlap } from './mlp-range-figure.js';
import { runsToSeparate } from '../mlp/power.js';
import { trendWords } from '../stats/trend.js';

/** The test-loss range of [P2]'s network figures, as the project's review (issue #15) read it. */
const P2_WIDTHS = Object.keys(P2_TABLE1).map(Number).sort((a, b) => a - b);
/** "0.2513 [0.2490, 0.2536]", or the value alone when its CI is not available. */
const withCI = (v: number, lo: number | undefined, hi: number | undefined, f: (x: number) => number | string) =>
  !Number.isFinite(v) ? '–' : lo !== undefined && hi !== undefined && Number.isFinite(lo) && Number.isFinite(hi) ? `${f(v)} [${f(lo)}, ${f(hi)}]` : String(f(v));

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
  const sizes = summary.sizes ?? [];
  const first = sizes[0], last = sizes[sizes.length - 1];
  const findings: string[] = [];
  const ci = (c: { mean: number; lo: number; hi: number }, f = f4) => (Number.isFinite(c.lo) ? `${f(c.mean)} [${f(c.lo)}, ${f(c.hi)}]` : f(c.mean));
  if (first && last && first !== last) {
    const draws = sizes.every((z) => z.instances === 1) ? 'one coupling draw per size, so the CIs of the mean are not available and the trends are over sizes only' : `${drawsPhrase(sizes)} per size; CIs are over draws`;
    findings.push(`The mean final energy moves from ${ci(first.mean)} at Λ = ${first.n} to ${ci(last.mean)} at Λ = ${last.n} (−E∞ = ${f4(-summary.Einf)}); the within-draw sd from ${ci(first.withinSd, (x) => x.toFixed(4))} to ${ci(last.withinSd, (x) => x.toFixed(4))} (${draws}).`);
    if (summary.trends) findings.push(`${capitalise(sizeTrendWords(summary.trends.spread, 'the within-draw spread (ln sd)'))}; ${sizeTrendWords(summary.trends.gap, 'the gap to −E∞ (ln |mean + E∞|)')}.`);
  }
  const below = Math.max(...perSize(summary.groups, (g) => g.fracBelowE0));
  findings.push(below === 0 ? `No endpoint goes below −E₀ = ${f4(-summary.E0)}.` : `At most ${pct(below)} of endpoints per size go below −E₀ = ${f4(-summary.E0)} (finite-size effects at small Λ).`);
  const idx = perSize(summary.groups, (g) => g.fracIndex0);
  if (idx.length) {
    const lo = pct(Math.min(...idx)), hi = pct(Math.max(...idx));
    const share = idx.length === 1 ? `${lo} of endpoints are` : lo === hi ? `${lo} of endpoints at every size are` : `Between ${lo} and ${hi} of endpoints per size are`;
    findings.push(`${capitalise(share)} minima (index 0 at tolerance ${summary.settings.indexTol}).`);
  }
  return {
    id: 'spin-glass',
    title: `Spin glass: ${summary.settings.method.toUpperCase()} minima of the ${summary.p}-spin glass`,
    findings,
    tables: [{
      caption: 'Per size Λ, across coupling draws: mean final H/Λ (95% t CI over draws), the within-draw sd (mean over draws, CI) and the sd of the draws\' means',
      rows: [['Λ', 'draws', 'mean H/Λ [95% CI]', 'within-draw sd [95% CI]', 'between-draw sd of the mean'],
        ...sizes.map((z) => [z.n, z.instances, ci(z.mean), ci(z.withinSd, (x) => x.toFixed(4)), z.instances > 1 ? z.betweenSd.toFixed(4) : '–'])],
    }, {
      caption: 'Final energy density H/Λ per size Λ and coupling draw',
      rows: [['Λ', 'instance', 'restarts', 'mean', 'sd', 'min', 'q05', 'q50', 'q95', 'converged', 'index 0', '< −E₀', '< −E∞'],
        ...summary.groups.map((g) => [g.n, g.instance, g.count, f4(g.mean), g.sd.toFixed(4), f4(g.min), f4(g.q05), f4(g.q50), f4(g.q95), pct(g.converged), pct(g.fracIndex0), pct(g.fracBelowE0), pct(g.fracBelowEinf)])],
    }],
    figures: [
      { id: 'fig-pspin-hist', label: '[P2] Fig. 3 (left), supp. Fig. 8', spec: energyHistogramSpec(lines, { E0: summary.E0, Einf: summary.Einf, Ek: thresholds(summary.p, 3) }, caption) },
      { id: 'fig-pspin-spread', label: '[P2] Fig. 3 (left): spread against Λ', spec: spreadVsSizeSpec(summary, caption) },
    ],
  };
}

export type Direction = 'falls' | 'rises' | 'flat';

export interface Trend {
  /** last / first */
  ratio: number;
  /** 'flat' when the change from first to last is within about two standard errors */
  direction: Direction;
  /** true when every step goes the way of `direction` (never for 'flat'); null with fewer than three values */
  everyStep: boolean | null;
}

/**
 * The trend of a sequence on a transformed scale t (log for spreads, Fisher's atanh for
 * correlations): it falls or rises when |t(last) − t(first)| exceeds z = 2 standard errors of
 * that difference (`se`), and otherwise stays within the sampling noise.
 */
export function trend(values: number[], t: (v: number) => number, se: number): Trend {
  const first = values[0], last = values[values.length - 1];
  const d = t(last) - t(first);
  const direction: Direction = Number.isFinite(d) && Number.isFinite(se) && Math.abs(d) > 2 * se ? (d < 0 ? 'falls' : 'rises') : 'flat';
  const everyStep = values.length < 3 || direction === 'flat' ? null
    : values.every((v, i) => i === 0 || (direction === 'falls' ? v < values[i - 1] : v > values[i - 1]));
  return { ratio: last / first, direction, everyStep };
}

/** Standard errors for `trend`: ln of a sample variance (normal data) ≈ √(2/(n−1)); ln sd is half that. */
const seLogVariance = (n1: number, n2: number) => Math.sqrt(2 / (n1 - 1) + 2 / (n2 - 1));
const seLogSd = (n1: number, n2: number) => seLogVariance(n1, n2) / 2;
/** Fisher: atanh(r) has standard error 1/√(n−3). */
const seFisher = (n1: number, n2: number) => Math.sqrt(1 / (n1 - 3) + 1 / (n2 - 3));
const fisher = (r: number) => Math.atanh(Math.max(-1 + 1e-9, Math.min(1 - 1e-9, r)));

function sdTrend(gs: { sd: number; count: number }[]): Trend {
  return trend(gs.map((g) => g.sd), Math.log, seLogSd(gs[0].count, gs[gs.length - 1].count));
}

/**
 * "<subject> falls from A to B, at every step" / "… rises from A to B overall, though not at every
 * step" / "… goes from A to B, within the sampling noise of <noise>": one verb, said once, and
 * "at every step" only when there are steps and each of them goes that way.
 */
export function trendClause(subject: string, from: string, to: string, t: Trend, noise: string): string {
  if (t.direction === 'flat') return `${subject} goes from ${from} to ${to}, a change within the sampling noise of ${noise}`;
  const steps = t.everyStep === null ? '' : t.everyStep ? ', at every step' : ' overall, though not at every step';
  return `${subject} ${t.direction} from ${from} to ${to}${steps}`;
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

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
    // the nets that finished carry the statistics (diverged ones are in none)
    const n1 = first.runs - (first.diverged ?? 0), n2 = last.runs - (last.diverged ?? 0);
    const noise = n1 === n2 ? `${n1} nets per width` : `${Math.min(n1, n2)}–${Math.max(n1, n2)} nets per width`;
    const tr = summary.trends ?? { pearson: null, variance: null };
    if (tr.variance) findings.push(`The variance of the test loss across nets goes from ${first.test.variance.toExponential(2)} (n1 = ${first.hidden}) to ${last.test.variance.toExponential(2)} (n1 = ${last.hidden}): it ${trendWords(tr.variance)}; the mean test loss moves from ${first.test.mean.toFixed(4)} to ${last.test.mean.toFixed(4)}.`);
    else {
      const v = trend(gs.map((g) => g.test.variance), Math.log, seLogVariance(n1, n2));
      findings.push(`${capitalise(trendClause('the variance of the test loss across nets', `${first.test.variance.toExponential(2)} (n1 = ${first.hidden})`, `${last.test.variance.toExponential(2)} (n1 = ${last.hidden})`, v, noise))}; the mean test loss moves from ${first.test.mean.toFixed(4)} to ${last.test.mean.toFixed(4)}.`);
    }
    if (tr.pearson) findings.push(`The Pearson correlation between train and test loss goes from ${first.pearson.value.toFixed(3)} to ${last.pearson.value.toFixed(3)}: it ${trendWords(tr.pearson)}; [P2] Table 1 reports a steady fall, ${P2_WIDTHS.map((w) => P2_TABLE1[w]).join(' → ')}.`);
    else if (gs.every((g) => Number.isFinite(g.pearson.value))) {
      const r = trend(gs.map((g) => g.pearson.value), fisher, seFisher(n1, n2));
      findings.push(`${capitalise(trendClause('the Pearson correlation between train and test loss', first.pearson.value.toFixed(3), last.pearson.value.toFixed(3), r, noise))} ([P2] Table 1 reports a steady fall).`);
    }
  }
  const sweep = gs.filter((g): g is typeof g & { hidden: number } => typeof g.hidden === 'number' && Number.isFinite(g.pearson.value));
  if (sweep.length >= 2) {
    const need = runsToSeparate(sweep.map((g) => ({ hidden: g.hidden, r: g.pearson.value, mean: g.test.mean, sd: Math.sqrt(g.test.variance) })));
    const paper = runsToSeparate(P2_WIDTHS.map((w) => ({ hidden: w, r: P2_TABLE1[w], mean: 0, sd: 0 })));
    const n = (x: number) => (Number.isFinite(x) ? String(x) : '∞');
    findings.push(`Nets per width for neighbouring widths' 95% CIs to part (from this run's numbers): Pearson r ${need.map((d) => `${n(d.pearson)} (${d.from}–${d.to})`).join(', ')}; mean test loss ${need.map((d) => `${n(d.mean)} (${d.from}–${d.to})`).join(', ')}. From [P2]'s own Table 1 values, the Pearson CIs part with ${paper.map((d) => `${n(d.pearson)} (${d.from}–${d.to})`).join(', ')} nets.`);
  }
  if (records.length) {
    // [P2]'s regime, as the project's review read it off [P2]'s Fig. 3 (right) and supp. Fig. 7
    const span = (v: number[]) => `${Math.min(...v).toFixed(3)}–${Math.max(...v).toFixed(3)}`;
    findings.push(`Our nets' losses span: test ${span(records.map((r) => r.testLoss))}, train ${span(records.map((r) => r.trainLoss))}; [P2]'s test losses span ${P2_TEST_LOSS_SPAN} (read off its Fig. 3 right and supp. Fig. 7; ${regimeOverlap(records).inside} of ${records.length} of ours lie in it), so ${s.trainSize < 60000 || s.epochs < 200 ? `this run (${s.trainSize} images, ${s.epochs} epochs) is in another regime than [P2]'s 60 000 images and 200 epochs` : 'the regimes can be compared'}.`);
  }
  if (gs.length) findings.push(`Mean test error per width: ${gs.map((g) => `${(100 * g.meanTestError).toFixed(1)}% (n1 = ${g.hidden})`).join(', ')}.`);
  return {
    id: 'networks',
    title: `Networks: ${s.runs} ReLU nets per width on MNIST ${s.downsample}×${s.downsample}`,
    findings,
    tables: [{
      caption: '[P2] Table 1 and the test-loss distribution per hidden width (correlations across nets, 95% bootstrap CI)',
      rows: [['n1', 'nets', 'mean test loss [95% CI]', 'variance [95% CI]', 'mean train loss', 'test error', 'Pearson r [95% CI]', '[P2] Table 1 r', 'Spearman ρ'],
        ...gs.map((g) => [String(g.hidden), g.diverged ? `${g.runs} (${g.diverged} diverged)` : g.runs, withCI(g.test.mean, g.testMean?.lo, g.testMean?.hi, (x) => x.toFixed(4)),
          withCI(g.test.variance, g.testVariance?.lo, g.testVariance?.hi, (x) => x.toExponential(2)), g.train.mean.toFixed(4), `${(100 * g.meanTestError).toFixed(1)}%`,
          withCI(g.pearson.value, g.pearson.lo, g.pearson.hi, (x) => x.toFixed(3)),
          typeof g.hidden === 'number' && P2_TABLE1[g.hidden] !== undefined ? P2_TABLE1[g.hidden].toFixed(4) : '–',
          Number.isFinite(g.spearman.value) ? g.spearman.value.toFixed(3) : '–'])],
    }],
    figures: (records.length ? mlpFigureSpecs(records, summary, caption) : []).map((f) => ({ id: `fig-${f.name.replace(/\.svg$/, '')}`, label: f.label, spec: f.spec })),
  };
}

/** The pair's plots are narrower, to fit two columns of a 1180 px page (about 580 px each) unscaled. */
const SIDE = { width: 340, wrap: 62 };

/** The closing pair: both ensembles' distributions, with what this run shows about their spread. */
export function sideBySide(pspin: { summary: PSpinSummary; lines: RestartResult[]; caption: string }, mlp: { summary: MlpSummary; records: MlpRecord[]; caption: string }) {
  const ps = pspin.summary.groups.filter((g) => g.instance === 0), ms = mlp.summary.groups;
  const sdP = sdTrend(ps);
  const finished = (g: MlpSummary['groups'][number]) => g.runs - (g.diverged ?? 0);
  const sdM = trend(ms.map((g) => Math.sqrt(g.test.variance)), Math.log, seLogSd(finished(ms[0]), finished(ms[ms.length - 1])));
  const word = (t: Trend) => (t.direction === 'flat' ? 'stays within sampling noise' : t.direction);
  const caption = `Spin glass: the sd of H/Λ over restarts goes from ${ps[0].sd.toFixed(4)} at Λ = ${ps[0].n} to ${ps.at(-1)!.sd.toFixed(4)} at Λ = ${ps.at(-1)!.n} (×${sdP.ratio.toFixed(2)}). ` +
    `Networks: the sd of the test loss over nets goes from ${Math.sqrt(ms[0].test.variance).toFixed(4)} at n1 = ${ms[0].hidden} to ${Math.sqrt(ms.at(-1)!.test.variance).toFixed(4)} at n1 = ${ms.at(-1)!.hidden} (×${sdM.ratio.toFixed(2)}). ` +
    (sdP.direction === 'falls' && sdM.direction === 'falls'
      ? 'In both, the values reached from random starts concentrate as the system grows, the parallel [P2] draws.'
      : `In this run the spin-glass spread ${word(sdP)} and the networks' spread ${word(sdM)}, so it does not show the parallel [P2] draws (both concentrating as the system grows).`);
  return {
    title: 'Spin glass and networks side by side',
    caption,
    figures: [
      { id: 'side-pspin', label: '[P2] Fig. 3 (left)', spec: energyHistogramSpec(pspin.lines, { E0: pspin.summary.E0, Einf: pspin.summary.Einf }, pspin.caption, SIDE) },
      { id: 'side-mlp', label: '[P2] Fig. 3 (right)', spec: testLossHistogramSpec(mlp.records, mlp.summary, mlp.caption, SIDE) },
    ],
  };
}
