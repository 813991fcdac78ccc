// The network figures of [P2] §5 as Vega-Lite specs: scaled test-loss histograms per width
// (Fig. 3 right, supp. Fig. 8), box plots (supp. Fig. 9), mean and variance against n1 (supp.
// Fig. 10), train-versus-test scatter (supp. Fig. 7) and the train–test correlation (Table 1).
// One ensemble = one hidden width; deeper nets are labelled by their hidden widths.
import type { MlpRecord, MlpSummary } from '../mlp/experiment.js';
import { countAxis, figureFrame, logAxis, specToSvg, type FigureSpec } from './render.js';
import { niceStep, niceTicks, type HistogramOptions } from './pspin-figures.js';
import { lossRangeSpec } from './mlp-range-figure.js';

const WIDTH = 520;
const BLUE = '#4c78a8';
const label = (h: number | number[]) => (Array.isArray(h) ? h.join('-') : String(h));
const widthsOf = (summary: MlpSummary) => summary.groups.map((g) => label(g.hidden));

/** exp(α·n1^β) of the fit, 1 without a fit or for deeper nets. */
function scaleOf(summary: MlpSummary, hidden: number | number[]): number {
  return summary.fit && typeof hidden === 'number' ? Math.exp(summary.fit.alpha * hidden ** summary.fit.beta) : 1;
}

export function testLossHistogramSpec(records: MlpRecord[], summary: MlpSummary, caption: string, opts: HistogramOptions = {}): FigureSpec {
  if (!records.length) throw new RangeError('testLossHistogramSpec: no runs to plot');
  const values = records.map((r) => ({ hidden: label(r.hidden), scaled: r.testLoss / scaleOf(summary, r.hidden) }));
  const lo0 = values.reduce((m, v) => Math.min(m, v.scaled), Infinity), hi0 = values.reduce((m, v) => Math.max(m, v.scaled), -Infinity);
  const step = niceStep(hi0 - lo0, 50);
  const lo = Math.floor(lo0 / step) * step, hi = (Math.floor(hi0 / step) + 1) * step;
  const how = summary.fit
    ? `Test losses divided by exp(α·n1^β) with the fitted α = ${summary.fit.alpha.toPrecision(4)}, β = ${summary.fit.beta.toFixed(3)}, so the sizes share one axis.`
    : 'Unscaled: the fit of exp(α·n1^β) needs three or more widths.';
  return {
    ...figureFrame('[P2] Fig. 3 (right), supp. Fig. 8 — test loss of the trained nets, per hidden width n1', `${caption}\n${how}`, { wrap: opts.wrap }),
    data: { values },
    facet: { row: { field: 'hidden', type: 'ordinal', sort: widthsOf(summary), header: { title: null, labelExpr: "'n1 = ' + datum.value", labelAngle: 0, labelAlign: 'left', labelFontSize: 11 } } },
    spacing: 6,
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: opts.width ?? WIDTH,
      height: 64,
      mark: { type: 'bar', color: BLUE, binSpacing: 0 },
      encoding: {
        x: { field: 'scaled', type: 'quantitative', bin: { extent: [lo, hi], step }, scale: { domain: [lo, hi], nice: false, zero: false }, axis: { title: summary.fit ? 'scaled test loss L / exp(α·n1^β)' : 'test loss', ...niceTicks(lo, hi, Math.max(3, Math.floor((opts.width ?? WIDTH) / 65))) } },
        y: { aggregate: 'count', type: 'quantitative', axis: countAxis('nets') },
      },
    },
  };
}

export function testLossBoxplotSpec(records: MlpRecord[], summary: MlpSummary, caption: string): FigureSpec {
  return {
    ...figureFrame('[P2] supp. Fig. 9 — test loss per hidden width n1 (box: quartiles, whiskers: min–max)', caption),
    width: WIDTH,
    height: 280,
    data: { values: records.map((r) => ({ hidden: label(r.hidden), testLoss: r.testLoss })) },
    mark: { type: 'boxplot', extent: 'min-max', color: BLUE },
    encoding: {
      x: { field: 'hidden', type: 'ordinal', sort: widthsOf(summary), axis: { title: 'hidden width n1', labelAngle: 0 } },
      y: { field: 'testLoss', type: 'quantitative', scale: { zero: false }, axis: { title: 'test loss' } },
    },
  };
}

export function meanVarianceSpec(summary: MlpSummary, caption: string): FigureSpec {
  const groups = summary.groups.filter((g) => typeof g.hidden === 'number').map((g) => ({ n1: g.hidden as number, mean: g.test.mean, variance: g.test.variance }));
  const ns = groups.map((g) => g.n1);
  const x = { field: 'n1', type: 'quantitative' as const, scale: { type: 'log' as const, domain: [Math.min(...ns) / 1.25, Math.max(...ns) * 1.25], nice: false }, axis: { values: ns, format: 'd', title: 'hidden width n1 (log scale)' } };
  const panel = (field: 'mean' | 'variance', title: string, log: boolean) => ({
    width: 340,
    height: 240,
    title,
    layer: [
      { mark: { type: 'line' as const, color: BLUE }, encoding: { x, y: { field, type: 'quantitative' as const, scale: log ? { type: 'log' as const } : { zero: false }, axis: log ? logAxis(title) : { title } } } },
      { mark: { type: 'point' as const, filled: true, color: BLUE, size: 50 }, encoding: { x, y: { field, type: 'quantitative' as const }, tooltip: [{ field: 'n1' }, { field, format: '.3g' }] } },
    ],
  });
  return {
    ...figureFrame('[P2] supp. Fig. 10 — mean and variance of the test loss against the hidden width n1', caption, { wrap: 120 }),
    data: { values: groups },
    hconcat: [panel('mean', 'mean test loss', false), panel('variance', 'variance of the test loss (log scale)', true)],
  };
}

export function trainTestScatterSpec(records: MlpRecord[], summary: MlpSummary, caption: string): FigureSpec {
  const r = new Map(summary.groups.map((g) => [label(g.hidden), g.pearson.value]));
  const values = records.map((x) => ({ hidden: label(x.hidden), title: `n1 = ${label(x.hidden)}, r = ${(r.get(label(x.hidden)) ?? NaN).toFixed(2)}`, train: x.trainLoss, test: x.testLoss }));
  const titles = widthsOf(summary).map((h) => `n1 = ${h}, r = ${(r.get(h) ?? NaN).toFixed(2)}`);
  return {
    ...figureFrame('[P2] supp. Fig. 7 — train against test loss of each net, per hidden width (r: Pearson)', caption, { wrap: 120 }),
    data: { values },
    facet: { field: 'title', type: 'ordinal', sort: titles, header: { title: null, labelFontSize: 11 } },
    columns: Math.min(3, titles.length),
    resolve: { scale: { x: 'independent', y: 'independent' } },
    spec: {
      width: 200,
      height: 170,
      mark: { type: 'point', filled: true, size: 14, opacity: 0.6, color: BLUE },
      encoding: {
        x: { field: 'train', type: 'quantitative', scale: { zero: false }, axis: { title: 'train loss', tickCount: 4 } },
        y: { field: 'test', type: 'quantitative', scale: { zero: false }, axis: { title: 'test loss', tickCount: 4 } },
      },
    },
  };
}

export function correlationSpec(summary: MlpSummary, caption: string): FigureSpec {
  const rows = summary.groups.flatMap((g) => [
    { hidden: label(g.hidden), kind: 'Pearson r', value: g.pearson.value, lo: g.pearson.lo, hi: g.pearson.hi },
    { hidden: label(g.hidden), kind: 'Spearman ρ', value: g.spearman.value, lo: g.spearman.lo, hi: g.spearman.hi },
  ]).filter((x) => Number.isFinite(x.value));
  const x = { field: 'hidden', type: 'ordinal' as const, sort: widthsOf(summary), scale: { type: 'band' as const, paddingInner: 0.4 }, axis: { title: 'hidden width n1', labelAngle: 0 } };
  const color = { field: 'kind', type: 'nominal' as const, title: null, scale: { domain: ['Pearson r', 'Spearman ρ'], range: [BLUE, '#f58518'] } };
  return {
    ...figureFrame('[P2] Table 1 — correlation between train and test loss across nets, per hidden width (bars: 95% bootstrap CI)', `${caption}\n[P2] reports the Pearson correlation falling steadily as n1 grows.`),
    width: WIDTH,
    height: 260,
    data: { values: rows },
    encoding: { x, xOffset: { field: 'kind', scale: { paddingOuter: 0.5 } }, color },
    layer: [
      { mark: { type: 'rule', strokeWidth: 2 }, encoding: { y: { field: 'lo', type: 'quantitative', scale: { domain: [Math.min(0, ...rows.map((r) => r.lo)), 1] }, axis: { title: 'correlation' } }, y2: { field: 'hi' } } },
      { mark: { type: 'point', filled: true, size: 60 }, encoding: { y: { field: 'value', type: 'quantitative' }, tooltip: [{ field: 'hidden' }, { field: 'kind' }, { field: 'value', format: '.3f' }, { field: 'lo', format: '.3f' }, { field: 'hi', format: '.3f' }] } },
    ],
  };
}

/** Every network figure as (file name, spec), the one list the CLI, the report and the page use. */
export function mlpFigureSpecs(records: MlpRecord[], summary: MlpSummary, caption: string): { name: string; label: string; spec: FigureSpec }[] {
  const sweep = summary.groups.filter((g) => typeof g.hidden === 'number').length >= 2;
  return [
    { name: 'mlp-test-loss-histograms.svg', label: '[P2] Fig. 3 (right), supp. Fig. 8', spec: testLossHistogramSpec(records, summary, caption) },
    { name: 'mlp-test-loss-boxplots.svg', label: '[P2] supp. Fig. 9', spec: testLossBoxplotSpec(records, summary, caption) },
    ...(sweep ? [{ name: 'mlp-mean-variance.svg', label: '[P2] supp. Fig. 10', spec: meanVarianceSpec(summary, caption) }] : []),
    { name: 'mlp-train-test-scatter.svg', label: '[P2] supp. Fig. 7', spec: trainTestScatterSpec(records, summary, caption) },
    { name: 'mlp-loss-ranges.svg', label: '[P2] supp. Fig. 7 ranges', spec: lossRangeSpec(records, summary, caption) },
    { name: 'mlp-correlation.svg', label: '[P2] Table 1', spec: correlationSpec(summary, caption) },
  ];
}

export async function mlpFigures(records: MlpRecord[], summary: MlpSummary, caption: string): Promise<{ name: string; svg: string }[]> {
  const specs = mlpFigureSpecs(records, summary, caption);
  return Promise.all(specs.map(async ({ name, spec }) => ({ name, svg: await specToSvg(spec) })));
}
