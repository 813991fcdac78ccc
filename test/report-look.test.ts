// How the report's figures and sentences read, checked from the specs and the rendered SVG: count
// axes print whole numbers, threshold rules are visible and their labels sit beside them, log axes
// print powers of ten, Fig. 1 keeps 'index 0' on top of 'any index', the figures fit their columns,
// and the computed trend sentences say one thing once ("at every step" only when it is true).
import { pspinTrends, sizeSummaries } from '../src/pspin/sizes.js';
import { describe, it, expect } from 'vitest';
import { energyHistogramSpec, spreadVsSizeSpec, THRESHOLD_STYLE, niceTicks } from '../src/report/pspin-figures.js';
import { testLossHistogramSpec, meanVarianceSpec, mlpFigureSpecs } from '../src/report/mlp-figures.js';
import { meanCountSpec, ANY_INDEX } from '../src/report/asymptotics-figure.js';
import { thetaCurvesSpec } from '../src/report/theory-figures.js';
import { specToSvg, estimateTextWidth, balancedWrap, type FigureSpec } from '../src/report/render.js';
import { buildReport } from '../src/report/html.js';
import { mlpSection, pspinSection, sideBySide, trend, trendClause } from '../src/report/sections.js';
import { eInf, e0, thresholds } from '../src/theory/complexity.js';
import type { MlpGroupSummary, MlpRecord, MlpSummary } from '../src/mlp/experiment.js';
import type { PSpinGroupSummary, PSpinSummary } from '../src/pspin/experiment.js';
import { mulberry32 } from './support/data.js';

const P = 3;
const theory = { E0: e0(P), Einf: eInf(P), Ek: thresholds(P, 3) };

/** Every object in a spec (depth first), to look for axes and marks wherever they are nested. */
function nodes(x: unknown, out: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (Array.isArray(x)) x.forEach((y) => nodes(y, out));
  else if (x && typeof x === 'object') {
    out.push(x as Record<string, unknown>);
    Object.values(x).forEach((y) => nodes(y, out));
  }
  return out;
}

const svgWidth = (svg: string) => Number(svg.match(/<svg[^>]*\swidth="([\d.]+)"/)![1]);

function pspinLines(ns: number[], perN: number) {
  const r = mulberry32(3);
  return ns.flatMap((n) => Array.from({ length: perN }, () => ({ n, energy: -1.62 + (0.5 / Math.sqrt(n)) * r() })));
}

function pspinSummary(ns: number[], sds: number[], count = 200): PSpinSummary {
  const groups: PSpinGroupSummary[] = ns.map((n, i) => {
    const mean = -1.6 + 0.3 / Math.sqrt(n), sd = sds[i];
    return { n, instance: 0, count, mean, sd, min: mean - 3 * sd, max: mean + 3 * sd, q05: mean - 1.6 * sd, q50: mean, q95: mean + 1.6 * sd, converged: 1, meanIterations: 100, fracIndex0: 1, fracBelowE0: 0, fracBelowEinf: 0 };
  });
  return { p: P, E0: theory.E0, Einf: theory.Einf, settings: { method: 'gd', indexTol: 1e-3 } as PSpinSummary['settings'], groups, sizes: sizeSummaries(groups), trends: pspinTrends(groups, theory.Einf) };
}

/** Net ensembles with the given test-loss variances and train–test correlations per width. */
function mlp(widths: number[], variances: number[], rs: number[], runs: number): { summary: MlpSummary; records: MlpRecord[] } {
  const rand = mulberry32(11);
  const stats = (mean: number, variance: number) => ({ mean, variance, q05: mean, q25: mean, q50: mean, q75: mean, q95: mean, min: mean - 0.01, max: mean + 0.01 });
  const groups = widths.map((hidden, i) => ({
    hidden, params: 100 * hidden, runs, diverged: 0, test: stats(0.3 - 0.01 * i, variances[i]), train: stats(0.1, variances[i]), meanTestError: 0.1, meanTrainError: 0.05,
    pearson: { value: rs[i], lo: rs[i] - 0.1, hi: Math.min(1, rs[i] + 0.1) }, spearman: { value: rs[i], lo: rs[i] - 0.1, hi: Math.min(1, rs[i] + 0.1) },
  })) as unknown as MlpGroupSummary[];
  const records = widths.flatMap((hidden) => Array.from({ length: runs }, (_, run) => ({ hidden, run, trainLoss: 0.1 + 0.01 * rand(), testLoss: 0.3 + 0.01 * rand(), trainError: 0.05, testError: 0.1, epochs: 2 })));
  return { summary: { settings: { runs, downsample: 10 } as MlpSummary['settings'], groups, lost: [], fit: null }, records };
}

describe('report look: axes', () => {
  it('count axes (restarts, nets) tick at whole numbers only, also with one or two items per bin', async () => {
    const few = mlp([5, 10], [1e-3, 2e-3], [0.9, 0.8], 3);
    const specs: FigureSpec[] = [
      energyHistogramSpec(pspinLines([9, 16], 3), theory, 'c'),
      energyHistogramSpec(pspinLines([9, 16], 3), theory, 'c', { width: 340, wrap: 62 }),
      testLossHistogramSpec(few.records, few.summary, 'c'),
    ];
    for (const spec of specs) {
      const counts = nodes(spec).filter((n) => n.aggregate === 'count');
      expect(counts.length).toBeGreaterThan(0);
      for (const c of counts) expect(c.axis).toMatchObject({ tickMinStep: 1, format: 'd' });
      const svg = await specToSvg(spec);
      // y-axis tick labels are right-aligned left of the axis (x < 0); none may hold a decimal point
      const yTicks = [...svg.matchAll(/<text text-anchor="end" transform="translate\(-[\d.]+,[^>]*opacity="1">([^<]*)<\/text>/g)].map((m) => m[1]).filter((l) => /^[\d.]+$/.test(l));
      expect(yTicks.length).toBeGreaterThan(0);
      expect(yTicks.some((l) => l.includes('.'))).toBe(false);
    }
  });

  it('the log variance axis prints powers of ten as 10⁻ⁿ, never 0.000001', async () => {
    const m = mlp([25, 50, 100], [5e-5, 2e-5, 8e-6], [0.8, 0.7, 0.6], 20);
    const svg = await specToSvg(meanVarianceSpec(m.summary, 'c'));
    expect(svg).toContain('10⁻⁵');
    expect(svg).not.toMatch(/>0\.0000\d*</);
  });

  it('binned x axes tick at round multiples of 1, 2 or 5 × 10^k', () => {
    expect(niceTicks(-1.76, -1.08, 8)).toEqual({ values: [-1.7, -1.6, -1.5, -1.4, -1.3, -1.2, -1.1], format: '.1f' });
    expect(niceTicks(0.0815, 0.0935, 5).values).toEqual([0.082, 0.084, 0.086, 0.088, 0.09, 0.092]);
  });
});

describe('report look: thresholds', () => {
  it('no threshold rule is dotted or thin, and −E₀, −E∞, −Eₖ differ in colour', () => {
    for (const s of Object.values(THRESHOLD_STYLE)) {
      expect(s.width).toBeGreaterThanOrEqual(1.25);
      if (s.dash.length) expect(Math.min(...s.dash.filter((_, i) => i % 2 === 0))).toBeGreaterThanOrEqual(3);
    }
    expect(new Set(Object.values(THRESHOLD_STYLE).map((s) => s.color)).size).toBe(3);
    const spec = energyHistogramSpec(pspinLines([25], 20), theory, 'c');
    const rules = nodes(spec).filter((n) => (n.mark as { type?: string } | undefined)?.type === 'rule');
    for (const r of rules) expect(JSON.stringify(r)).not.toMatch(/"strokeDash":\{[^}]*"range":\[[^\]]*\[1,2\]/);
    expect(JSON.stringify(spec)).not.toMatch(/Dotted/);
  });

  it('spread chart: −E₀ label hangs below its rule, −E∞ label stands above its own, both right of the plot', async () => {
    const svg = await specToSvg(spreadVsSizeSpec(pspinSummary([25, 50, 100], [0.1, 0.07, 0.05]), 'c'));
    const label = (id: string) => svg.match(new RegExp(`role-mark threshold_label_${id}_marks"[^>]*><text[^>]*transform="translate\\(([-\\d.]+),([-\\d.]+)\\)"`))!.slice(1).map(Number);
    const rule = (text: string) => Number(svg.match(new RegExp(`aria-label="${text}[^"]*"[^>]*transform="translate\\([-\\d.]+,([-\\d.]+)\\)"`))![1]);
    const [x0, y0] = label('E0'), [xInf, yInf] = label('Einf');
    expect(y0).toBeGreaterThan(rule('−E₀'));
    expect(yInf).toBeLessThan(rule('−E∞'));
    expect(y0 - yInf).toBeGreaterThanOrEqual(10);
    expect(Math.min(x0, xInf)).toBeGreaterThanOrEqual(520);
  });

  it('Θ_p panel: both stacked labels start right of the rightmost rule', () => {
    const spec = thetaCurvesSpec(P, 3, 'c');
    const labels = nodes(spec).find((n) => n.name === 'theta_threshold_labels') as { data: { values: { at: number }[] } };
    expect(labels.data.values.map((v) => v.at)).toEqual([-theory.Einf, -theory.Einf]);
  });

  it("Fig. 1: 'any index' is a wide pale line drawn before (under) the per-index lines", () => {
    const spec = meanCountSpec(3, 1000, 3, 'c') as { layer: { name?: string; mark?: { strokeWidth?: number } }[] };
    const names = spec.layer.map((l) => l.name);
    expect(names.indexOf('any_index')).toBeLessThan(names.indexOf('by_index'));
    expect(spec.layer[names.indexOf('any_index')].mark!.strokeWidth).toBe(ANY_INDEX.width);
    expect(spec.layer[names.indexOf('by_index')].mark!.strokeWidth).toBeLessThan(ANY_INDEX.width / 2);
  });
});

describe('report look: sizes', () => {
  it('headless text widths are close to Helvetica, not 0.8 em a character', () => {
    expect(estimateTextWidth('energy density', 10)).toBeLessThan(0.8 * 10 * 'energy density'.length * 0.75);
    expect(estimateTextWidth('WWW', 10, true)).toBeGreaterThan(estimateTextWidth('iii', 10, true));
    const even = balancedWrap('one two three four five six seven eight nine ten', 40);
    expect(even).toHaveLength(2);
    expect(Math.abs(even[0].length - even[1].length)).toBeLessThanOrEqual(4);
  });

  it('the side-by-side pair fits a 560 px column unscaled; every report figure is at most 1000 px wide', async () => {
    const m = mlp([25, 50, 100, 250], [5e-5, 3e-5, 2e-5, 1e-5], [0.8, 0.7, 0.6, 0.5], 30);
    const ps = pspinSummary([25, 50, 100, 250], [0.1, 0.07, 0.05, 0.03]);
    const side = sideBySide({ summary: ps, lines: pspinLines([25, 50, 100, 250], 50), caption: 'landscape pspin (above)' }, { summary: m.summary, records: m.records, caption: 'landscape mlp (above)' });
    for (const f of side.figures) expect(svgWidth(await specToSvg(f.spec))).toBeLessThanOrEqual(560);
    const all: FigureSpec[] = [thetaCurvesSpec(P, 5, 'theoryTable(p = 3, k = 5); see src/theory/complexity.ts'), meanCountSpec(3, 1000, 5, 'sharp asymptotics'),
      energyHistogramSpec(pspinLines([25, 50], 50), theory, 'landscape pspin --n 25,50,100,250 --index; packed couplings'), spreadVsSizeSpec(ps, 'c'),
      ...mlpFigureSpecs(m.records, m.summary, 'landscape mlp --runs 60 --epochs 40 --train-size 2000').map((f) => f.spec)];
    for (const spec of all) expect(svgWidth(await specToSvg(spec))).toBeLessThanOrEqual(1000);
  });

  it('report.html lets every figure scale down to its column', async () => {
    const html = await buildReport({ command: 'x', seed: 1, date: 'd', cores: 1, versions: {}, stages: [] }, [{ id: 's', title: 't', findings: [], figures: [] }]);
    expect(html).toMatch(/figure svg\{[^}]*max-width:100%[^}]*height:auto/);
    expect(html).toMatch(/\.side figure\{[^}]*min-width:0/);
  });

  it('table columns of sentences are left-aligned, columns of numbers right-aligned', async () => {
    const rows = [['n1', 'claim', 'r'], [25, 'the correlation falls', '0.32 [0.12, 0.49]'], [50, 'the spread shrinks', '−0.06']];
    const html = await buildReport({ command: 'x', seed: 1, date: 'd', cores: 1, versions: {}, stages: [] }, [{ id: 's', title: 't', findings: [], figures: [], tables: [{ caption: 'c', rows }] }]);
    const row = html.match(/<tr><td>25<\/td>(.*?)<\/tr>/)![1];
    expect(row).toBe('<td class="t">the correlation falls</td><td>0.32 [0.12, 0.49]</td>');
    expect(html).toContain('<th class="t">claim</th>');
    expect(html).toMatch(/td\.t,th\.t\{text-align:left\}/);
  });
});

describe('report look: trend sentences', () => {
  const cases: [string, number[], number[], number][] = [
    ['variance and r fall at every step', [4e-5, 2e-5, 1e-5], [0.9, 0.7, 0.4], 200],
    ['fall overall, not at every step', [4e-5, 5e-5, 1e-5], [0.9, 0.95, 0.3], 200],
    ['rise', [1e-5, 2e-5, 4e-5], [0.3, 0.6, 0.9], 200],
    ['within noise (the smoke run)', [2.68e-3, 1.02e-2], [0.991, 0.995], 6],
    ['two widths, clear fall', [4e-5, 1e-5], [0.9, 0.3], 200],
    ['flat', [2e-5, 2e-5, 2e-5], [0.5, 0.5, 0.5], 200],
  ];
  it.each(cases)('%s: one verb, said once; "at every step" only when true', (_, variances, rs, runs) => {
    const m = mlp([25, 50, 100].slice(0, variances.length), variances, rs, runs);
    const findings = mlpSection(m.summary, m.records, 'c').findings;
    for (const f of findings) {
      expect(f).not.toMatch(/does not fall/);
      expect(f).not.toMatch(/, not at every step/);
      expect(f.match(/\b(falls|rises|goes from)\b/g)?.length ?? 0).toBeLessThanOrEqual(1);
      expect(f).toMatch(/^[A-Z]/);
    }
    const [v, r] = findings;
    const says = (s: string, values: number[]) => {
      const down = values.every((x, i) => i === 0 || x < values[i - 1]), up = values.every((x, i) => i === 0 || x > values[i - 1]);
      if (/at every step/.test(s) && !/not at every step/.test(s)) expect(values.length >= 3 && (down || up)).toBe(true);
      if (values.length < 3) expect(s).not.toMatch(/step/);
      if (/\bfalls\b/.test(s)) expect(values.at(-1)!).toBeLessThan(values[0]);
      if (/\brises\b/.test(s)) expect(values.at(-1)!).toBeGreaterThan(values[0]);
    };
    says(v, variances);
    says(r, rs);
  });

  it('the smoke run: within the noise of 6 nets, said plainly', () => {
    const m = mlp([5, 10], [2.68e-3, 1.02e-2], [0.991, 0.995], 6);
    const [v, r] = mlpSection(m.summary, m.records, 'c').findings;
    expect(v).toMatch(/^The variance of the test loss across nets goes from 2\.68e-3 \(n1 = 5\) to 1\.02e-2 \(n1 = 10\), a change within the sampling noise of 6 nets per width;/);
    expect(r).toMatch(/goes from 0\.991 to 0\.995, a change within the sampling noise/);
  });

  it('trendClause: falls / rises / within noise, with the step clause only for three or more values', () => {
    const clause = (values: number[], se = 0.01) => trendClause('x', 'a', 'b', trend(values, Math.log, se), 'n');
    expect(clause([4, 2, 1])).toBe('x falls from a to b, at every step');
    expect(clause([4, 5, 1])).toBe('x falls from a to b overall, though not at every step');
    expect(clause([1, 2])).toBe('x rises from a to b');
    expect(clause([1, 1.001, 1.002])).toBe('x goes from a to b, a change within the sampling noise of n');
  });

  it('spin glass: the sd sentence and the share of minima read as sentences', () => {
    const falling = pspinSection(pspinSummary([25, 50, 100], [0.12, 0.06, 0.03]), pspinLines([25, 50, 100], 10), 'c').findings;
    expect(falling[0]).toMatch(/the within-draw sd from 0\.1200 to 0\.0300 \(one coupling draw per size/);
    // ln sd falls by exactly ln 2 per doubling here (0.12, 0.06, 0.03): the slope says so
    expect(falling[1]).toMatch(/^The within-draw spread \(ln sd\) falls: slope −?-?0\.693 \[/);
    expect(falling.join(' ')).toMatch(/100\.0% of endpoints at every size are minima/);
    expect(falling.join(' ')).not.toMatch(/Between (\S+) and \1/);
    const flat = pspinSection(pspinSummary([9, 16], [0.1, 0.098], 24), pspinLines([9, 16], 10), 'c').findings;
    expect(flat[0]).toMatch(/the within-draw sd from 0\.1000 to 0\.0980/);
    expect(flat[1]).toMatch(/no trend test \(needs three or more sizes\)/);
  });
});
