// The figures and section of `landscape anneal-nets`: [P2] supp. Fig. 6 (test-loss distributions
// of SGD and of simulated annealing from the same initial weights, one panel per n_h) and the
// ternary accuracy drop of [P2] §5.1, with findings computed from the numbers.
import type { AnnealNetsSettings, AnnealSummary } from '../anneal/descriptor.js';
import type { AnnealNetLine } from '../anneal/task.js';
import type { MeanCI } from '../anneal/stats.js';
import { INDEX_MAX_PARAMS, type IndexStats } from '../anneal/curvature.js';
import { countAxis, figureFrame, type FigureSpec } from './render.js';
import type { ReportSection } from './html.js';

const BLUE = '#4c78a8', ORANGE = '#f58518', GREEN = '#54a24b';
const label = (h: number | number[]) => (Array.isArray(h) ? h.join('-') : String(h));
const finite = (x: number) => Number.isFinite(x);

/** "m [lo, hi]" with `digits` decimals; "m [–]" without bounds. */
export function fmtCI(c: MeanCI, digits: number): string {
  const f = (x: number) => x.toFixed(digits);
  if (!finite(c.mean)) return '–';
  return finite(c.lo) && finite(c.hi) ? `${f(c.mean)} [${f(c.lo)}, ${f(c.hi)}]` : `${f(c.mean)} [–]`;
}

const OPTIMISERS = ['SGD', 'annealing', 'ternary annealing'];

/** [P2] supp. Fig. 6: every run's test loss per optimiser, one panel per n_h; bars: mean with its 95% t CI. */
export function testLossSpec(lines: AnnealNetLine[], summary: AnnealSummary, caption: string): FigureSpec {
  const titles = summary.groups.map((g) => `n_h = ${label(g.hidden)} (${g.verdict === 'worse' ? 'SGD worse' : g.verdict === 'unknown' ? 'too few runs' : 'SGD at least as good'})`);
  const titleOf = new Map(summary.groups.map((g, i) => [label(g.hidden), titles[i]]));
  const points = lines.flatMap((l) => [
    { panel: titleOf.get(label(l.hidden)), optimiser: 'SGD', test: l.sgd.testLoss },
    { panel: titleOf.get(label(l.hidden)), optimiser: 'annealing', test: l.anneal.testLoss },
  ]).filter((p) => finite(p.test));
  const means = summary.groups.flatMap((g) => [
    { panel: titleOf.get(label(g.hidden)), optimiser: 'SGD', mean: g.sgd.test.mean, lo: g.sgd.test.lo, hi: g.sgd.test.hi },
    { panel: titleOf.get(label(g.hidden)), optimiser: 'annealing', mean: g.anneal.test.mean, lo: g.anneal.test.lo, hi: g.anneal.test.hi },
  ]).filter((m) => finite(m.lo) && finite(m.hi));
  const x = { field: 'optimiser', type: 'nominal' as const, sort: OPTIMISERS.slice(0, 2), scale: { type: 'band' as const, paddingInner: 0.5 }, axis: { title: null, labelAngle: 0 } };
  const color = { field: 'optimiser', type: 'nominal' as const, legend: null, scale: { domain: OPTIMISERS.slice(0, 2), range: [BLUE, ORANGE] } };
  return {
    ...figureFrame('[P2] supp. Fig. 6 — test loss of SGD and of simulated annealing from the same initial weights on the same training subset, per hidden width n_h',
      `${caption}\nTicks: one net each (SGD and annealing paired by initial weights); black: the mean with its 95% t CI. The verdict is from the paired t CI of SGD − annealing.`, { wrap: 120 }),
    data: { values: [...points.map((p) => ({ ...p, kind: 'run' })), ...means.map((m) => ({ ...m, kind: 'mean' }))] },
    facet: { field: 'panel', type: 'ordinal', sort: titles, header: { title: null, labelFontSize: 11 } },
    columns: Math.min(3, titles.length),
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: 170,
      height: 180,
      layer: [
        { transform: [{ filter: "datum.kind === 'run'" }], mark: { type: 'tick', thickness: 1.5, opacity: 0.7, size: 18, xOffset: -8 }, encoding: { x, color, y: { field: 'test', type: 'quantitative', scale: { zero: false }, axis: { title: 'test loss', tickCount: 4 } } } },
        { transform: [{ filter: "datum.kind === 'mean'" }], mark: { type: 'rule', strokeWidth: 2, color: 'black', xOffset: 14 }, encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' } } },
        { transform: [{ filter: "datum.kind === 'mean'" }], mark: { type: 'point', filled: true, size: 40, color: 'black', xOffset: 14 }, encoding: { x, y: { field: 'mean', type: 'quantitative' } } },
      ],
    },
  };
}

/** [P2] §5.1: the ternary test-accuracy drop against SGD and against annealing in full precision, per n_h, with 95% CIs. */
export function ternaryDropSpec(summary: AnnealSummary, caption: string): FigureSpec {
  const gs = summary.groups.filter((g) => g.ternary);
  const refs = ['vs SGD (full precision)', 'vs annealing (full precision)'];
  const rows = gs.flatMap((g) => [
    { hidden: label(g.hidden), ref: refs[0], drop: 100 * g.ternary!.dropVsSgd.diff.mean, lo: 100 * g.ternary!.dropVsSgd.diff.lo, hi: 100 * g.ternary!.dropVsSgd.diff.hi },
    { hidden: label(g.hidden), ref: refs[1], drop: 100 * g.ternary!.dropVsAnneal.diff.mean, lo: 100 * g.ternary!.dropVsAnneal.diff.lo, hi: 100 * g.ternary!.dropVsAnneal.diff.hi },
  ]).filter((r) => finite(r.drop));
  const bounded = rows.filter((r) => finite(r.lo) && finite(r.hi));
  const all = [...rows.map((r) => r.drop), ...bounded.flatMap((r) => [r.lo, r.hi]), 0, 2.5];
  const x = { field: 'hidden', type: 'ordinal' as const, sort: gs.map((g) => label(g.hidden)), scale: { type: 'band' as const, paddingInner: 0.4 }, axis: { title: 'hidden width n_h', labelAngle: 0 } };
  const color = { field: 'ref', type: 'nominal' as const, title: null, scale: { domain: refs, range: [BLUE, GREEN] } };
  const y = { type: 'quantitative' as const, scale: { domain: [Math.min(...all), Math.max(...all)], nice: true }, axis: { title: 'accuracy drop (percentage points)' } };
  return {
    ...figureFrame('[P2] §5.1 — test-accuracy drop of nets annealed with ternary weights {−c, 0, +c}, per hidden width (bars: 95% paired t CI)',
      `${caption}\nDrop = ternary test error − full-precision test error of the same run (same initial weights, same subset). Dashed: the 2.5 points [P2] reports as the most lost.`),
    width: 420,
    height: 240,
    layer: [
      { data: { values: bounded }, mark: { type: 'rule', strokeWidth: 2 }, encoding: { x, xOffset: { field: 'ref' }, color, y: { ...y, field: 'lo' }, y2: { field: 'hi' } } },
      { data: { values: rows }, mark: { type: 'point', filled: true, size: 60 }, encoding: { x, xOffset: { field: 'ref' }, color, y: { ...y, field: 'drop' } } },
      { data: { values: [{ v: 2.5 }] }, mark: { type: 'rule', strokeDash: [4, 4], color: '#888' }, encoding: { y: { field: 'v', type: 'quantitative' } } },
    ],
  };
}

/** The fraction of zero weights the ternary annealer reached, per run: a histogram per n_h. */
export function zeroFractionSpec(lines: AnnealNetLine[], summary: AnnealSummary, caption: string): FigureSpec {
  const widths = summary.groups.filter((g) => g.ternary).map((g) => label(g.hidden));
  return {
    ...figureFrame('Fraction of zero weights reached by the ternary annealer, per hidden width', caption, { wrap: 100 }),
    data: { values: lines.filter((l) => l.ternary).map((l) => ({ hidden: label(l.hidden), zeros: l.ternary!.zeroFraction })) },
    facet: { row: { field: 'hidden', type: 'ordinal', sort: widths, header: { title: 'hidden width n_h', labelAngle: 0 } } },
    spec: {
      width: 420,
      height: 70,
      mark: { type: 'bar', color: GREEN },
      encoding: {
        x: { field: 'zeros', type: 'quantitative', bin: { step: 0.02, extent: [0, 1] }, axis: { title: 'fraction of parameters at 0', format: '.2f' } },
        y: { aggregate: 'count', type: 'quantitative', axis: countAxis('nets') },
      },
    },
  };
}

export function annealFigures(_s: AnnealNetsSettings, lines: AnnealNetLine[], summary: AnnealSummary, caption: string) {
  const ternary = summary.groups.some((g) => g.ternary);
  return [
    { name: 'anneal-test-loss.svg', label: '[P2] supp. Fig. 6', spec: testLossSpec(lines, summary, caption) },
    ...(ternary ? [
      { name: 'anneal-ternary-drop.svg', label: '[P2] §5.1', spec: ternaryDropSpec(summary, caption) },
      { name: 'anneal-zero-fraction.svg', label: '[P2] §5.1 (zero weights)', spec: zeroFractionSpec(lines, summary, caption) },
    ] : []),
  ];
}

const KINDS = [['SGD', 'sgd'], ['annealing', 'anneal'], ['ternary', 'ternary']] as const;

/** "mean [lo, hi] (minima m/n, median ‖∇L‖ g)" of one optimiser's index statistics. */
const fmtIndex = (x: IndexStats | null | undefined) => (x ? `${fmtCI(x.normalisedIndex, 4)} ${x.minima}/${x.nets} ${x.gradNormMedian.toExponential(1)}` : '–');

/** Widths that got no index although --index is on (P above the limit). */
function skipped(s: AnnealNetsSettings, summary: AnnealSummary): string[] {
  return s.index === 'exact' ? summary.groups.filter((g) => !g.index).map((g) => `n_h = ${label(g.hidden)} (P = ${g.params})`) : [];
}

/** The text table's index block: per width and optimiser, normalised index [95% CI], minima, median ‖∇L‖. */
export function indexTable(s: AnnealNetsSettings, summary: AnnealSummary): string[] {
  const gs = summary.groups.filter((g) => g.index);
  const out: string[] = [];
  if (gs.length) {
    out.push(`exact f64 Hessian index over the ${s.trainSize} training images ([P2] normalised: |λ| < 1e-3 zeroed, fraction negative, by LDLᵀ inertia), each cell: mean [95% CI], minima/nets, median ‖∇L‖:`);
    const w = [8, 7, 40, 40, 40];
    out.push(['hidden', 'P', 'SGD', 'annealing', 'ternary'].map((x, i) => x.padStart(w[i])).join(''));
    for (const g of gs) out.push([label(g.hidden), String(g.params), fmtIndex(g.index!.sgd), fmtIndex(g.index!.anneal), fmtIndex(g.index!.ternary)].map((x, i) => x.padStart(w[i])).join(''));
  }
  const skip = skipped(s, summary);
  if (skip.length) out.push(`no exact index at ${skip.join(', ')}: above the limit of P ≤ ${INDEX_MAX_PARAMS}`);
  return out;
}

/** Findings on the index: how many end points are minima, and the gradient norms that qualify it. */
function indexFindings(s: AnnealNetsSettings, summary: AnnealSummary): string[] {
  const gs = summary.groups.filter((g) => g.index);
  const out = gs.map((g) => {
    const parts = KINDS.map(([name, k]) => [name, g.index![k]] as const).filter(([, x]) => x)
      .map(([name, x]) => `${name} ${fmtCI(x!.normalisedIndex, 4)} (largest ${x!.max.toFixed(4)}; ${x!.minima} of ${x!.nets} with no eigenvalue below −1e-3; median ‖∇L‖ ${x!.gradNormMedian.toExponential(1)}; ${(100 * x!.fractionNearKink).toFixed(2)}% pre-activations at a kink)`);
    return `n_h = ${label(g.hidden)}: exact Hessian normalised index ${parts.join('; ')}.`;
  });
  if (gs.length) {
    // computed, not canned: the smallest median gradient norm over widths and optimisers
    const medians = gs.flatMap((g) => KINDS.map(([name, k]) => [name, g.index![k]] as const).filter(([, x]) => x).map(([name, x]) => ({ name, h: label(g.hidden), v: x!.gradNormMedian })));
    const least = medians.reduce((a, b) => (b.v < a.v ? b : a));
    out.push(`No end point here is a critical point: the smallest median ‖∇L‖ is ${least.v.toExponential(1)} (${least.name} at n_h = ${least.h}), so each index describes the curvature where the optimiser stopped. \`landscape hessian --polish\` tries to reach the critical point nearby; on trained nets it stalls at ‖∇L‖ ≈ 7e-3 on a ReLU kink (docs/polish-2026-12-02.txt).`);
  }
  const skip = skipped(s, summary);
  if (skip.length) out.push(`The exact index was not computed at ${skip.join(', ')}: the Hessian is limited to P ≤ ${INDEX_MAX_PARAMS} parameters.`);
  return out;
}

const pts = (c: MeanCI) => fmtCI({ n: c.n, mean: 100 * c.mean, lo: 100 * c.lo, hi: 100 * c.hi }, 2);

export function annealSection(s: AnnealNetsSettings, lines: AnnealNetLine[], summary: AnnealSummary, caption: string): ReportSection {
  const gs = summary.groups;
  const atLeast = gs.filter((g) => g.verdict === 'better' || g.verdict === 'tie');
  const decided = gs.filter((g) => g.verdict !== 'unknown');
  const findings = [
    `[P2] supp. Fig. 6 claims SGD does at least as well as simulated annealing, so SGD is not stuck at saddles: here SGD did at least as well at ${atLeast.length} of ${decided.length} widths (${atLeast.map((g) => label(g.hidden)).join(', ') || 'none'}), judged by the 95% paired t CI of the test-loss difference.`,
    ...gs.map((g) => g.sentence),
  ];
  const tern = gs.filter((g) => g.ternary);
  if (tern.length) {
    const under = tern.filter((g) => finite(g.ternary!.dropVsSgd.diff.hi) && g.ternary!.dropVsSgd.diff.hi < 0.025);
    findings.push(`[P2] §5.1 reports that ternary weights lose under 2.5% accuracy: the upper 95% bound of the drop against SGD in full precision is below 2.5 points at ${under.length} of ${tern.length} widths${under.length ? ` (${under.map((g) => label(g.hidden)).join(', ')})` : ''}; the ternary nets ended with ${tern.map((g) => `${(100 * g.ternary!.zeroFraction.mean).toFixed(0)}% zeros at n_h = ${label(g.hidden)}`).join(', ')}.`);
  }
  const drift = Math.max(...gs.map((g) => g.anneal.driftMax));
  findings.push(`The annealer's incremental loss stayed within ${drift.toExponential(1)} of a full recomputation; the last stage accepted ${gs.map((g) => `${(100 * g.anneal.accept).toFixed(1)}%`).join(', ')} of proposals (continuous, by width).`);
  const tables: NonNullable<ReportSection['tables']> = [{
    caption: '[P2] supp. Fig. 6 — per hidden width: test loss of SGD and of annealing from the same initial weights (95% t CIs), their paired difference and the Wilcoxon signed-rank p',
    rows: [['n_h', 'P', 'runs', 'SGD test loss', 'annealing test loss', 'SGD − annealing', 'Wilcoxon p', 'SGD − annealing (train loss)', 'SGD test error', 'annealing test error', 'verdict'],
      ...gs.map((g) => [label(g.hidden), g.params, g.runs, fmtCI(g.sgd.test, 4), fmtCI(g.anneal.test, 4), fmtCI(g.testDiff.diff, 4), g.testDiff.wilcoxon.p.toPrecision(3), fmtCI(g.trainDiff.diff, 4),
        `${(100 * g.sgd.testError.mean).toFixed(1)}%`, `${(100 * g.anneal.testError.mean).toFixed(1)}%`, g.verdict])],
  }];
  if (tern.length) {
    tables.push({
      caption: `[P2] §5.1 — ternary weights {−c, 0, +c} (c: ${s.ternaryScale}): test accuracy against the same architecture in full precision, SGD and annealing on the same subset; drops in percentage points with 95% paired t CIs`,
      rows: [['n_h', 'runs', 'SGD accuracy', 'annealing accuracy', 'ternary accuracy', 'drop vs SGD', 'Wilcoxon p', 'drop vs annealing', 'Wilcoxon p', 'zero fraction'],
        ...tern.map((g) => {
          const t = g.ternary!;
          return [label(g.hidden), g.runs, `${(100 * (1 - g.sgd.testError.mean)).toFixed(1)}%`, `${(100 * (1 - g.anneal.testError.mean)).toFixed(1)}%`, `${(100 * (1 - t.testError.mean)).toFixed(1)}%`,
            pts(t.dropVsSgd.diff), t.dropVsSgd.wilcoxon.p.toPrecision(3), pts(t.dropVsAnneal.diff), t.dropVsAnneal.wilcoxon.p.toPrecision(3), fmtCI(t.zeroFraction, 3)];
        })],
    });
  }
  const ig = gs.filter((g) => g.index);
  findings.push(...indexFindings(s, summary));
  if (ig.length) {
    tables.push({
      caption: `[P2] supp. Fig. 5 for both optimisers — exact f64 Hessian of the mean training loss over the ${s.trainSize} training images at each end point: normalised index (|λ| < 1e-3 set to 0, fraction negative; mean with 95% t CI), nets that are minima (no λ < −1e-3), and ‖∇L‖`,
      rows: [['n_h', 'P', 'runs', ...KINDS.flatMap(([n]) => [`${n} index`, `${n} minima`, `${n} ‖∇L‖ median`])],
        ...ig.map((g) => [label(g.hidden), g.params, g.runs, ...KINDS.flatMap(([, k]) => {
          const x = g.index![k];
          return x ? [fmtCI(x.normalisedIndex, 4), `${x.minima}/${x.nets}`, x.gradNormMedian.toExponential(2)] : ['–', '–', '–'];
        })])],
    });
  }
  return {
    id: 'anneal',
    title: `SGD against simulated annealing: ${s.runs} paired runs per width on ${s.trainSize} training images`,
    findings,
    tables,
    figures: annealFigures(s, lines, summary, caption).map((f) => ({ id: `fig-${f.name.replace(/\.svg$/, '')}`, label: f.label, spec: f.spec })),
  };
}
