// The spin-glass side of the curvature figures: tangent Hessian spectra at the descent endpoints
// against the semicircle centred at −p·ū of radius 2√(p(p−1)) (SCIENCE.md §1, [ABC]), per Λ, and
// the Wasserstein-1 distance of each endpoint's spectrum to its own semicircle against Λ. Both are
// drawn from the summary's pooled histograms (pspin --spectrum-fit); nothing is recomputed.
import type { PSpinGroupSummary, PSpinSummary } from '../pspin/experiment.js';
import { semicircleDensity, semicircleRadius } from '../pspin/semicircle.js';
import type { SpectrumGroupSummary } from '../pspin/spectrum-summary.js';
import { figureFrame, fmt, type FigureSpec } from './render.js';
import type { ReportFigure, ReportSection } from './html.js';

const BLUE = '#4c78a8';
const RED = '#c0392b';
type Fitted = PSpinGroupSummary & { spectrum: SpectrumGroupSummary };

/** The groups of instance 0 that carry a spectral summary, by Λ. */
export function fittedGroups(summary: PSpinSummary): Fitted[] {
  return summary.groups.filter((g): g is Fitted => g.instance === 0 && g.spectrum !== undefined).sort((a, b) => a.n - b.n);
}

export interface SpectraOptions {
  width?: number;
  wrap?: number;
  columns?: number;
}

/** Per Λ: pooled density of the endpoints' tangent eigenvalues (bars) and the semicircle at −p·ū (red). */
export function semicircleSpectraSpec(summary: PSpinSummary, caption: string, opts: SpectraOptions = {}): FigureSpec {
  const gs = fittedGroups(summary);
  if (!gs.length) throw new RangeError('semicircleSpectraSpec: no group has a spectral summary (run pspin with --index --spectrum-fit)');
  const p = summary.p, R = semicircleRadius(p);
  const values: object[] = [];
  for (const g of gs) {
    const s = g.spectrum, c = -p * s.meanEnergy;
    // Each endpoint's eigenvalues were binned at its own centre −p·u; drawn at the mean centre −p·ū.
    s.counts.forEach((k, i) => {
      const x0 = c + R * (s.bins.lo + i * s.bins.width);
      values.push({ kind: 'bin', n: g.n, x0, x1: x0 + R * s.bins.width, density: k / (s.eigenvalues * R * s.bins.width) });
    });
    for (let j = 0; j <= 120; j++) {
      const x = -1.02 + (2.04 * j) / 120;
      values.push({ kind: 'law', n: g.n, x: c + R * x, density: semicircleDensity(x) / R });
    }
  }
  const lo = Math.min(...gs.map((g) => -p * g.spectrum.meanEnergy)) + R * gs[0].spectrum.bins.lo;
  const hi = Math.max(...gs.map((g) => -p * g.spectrum.meanEnergy)) - R * gs[0].spectrum.bins.lo;
  const x = { scale: { domain: [lo, hi], nice: false, zero: false }, axis: { title: 'tangent Hessian eigenvalue λ', tickCount: 6 } };
  const outside = gs.reduce((a, g) => a + g.spectrum.below + g.spectrum.above, 0);
  const note = `\nBars: eigenvalues of P(∇²H − p·u·I)P on the Λ − 1 tangent directions of ${gs.map((g) => g.spectrum.endpoints).join('/')} endpoints per Λ, each endpoint's spectrum shifted by p·(u − ū) ` +
    `so all sit on one centre; red: the semicircle centred at −p·ū with radius 2√(p(p−1)) = ${R.toFixed(3)}${outside ? `; ${outside} eigenvalues fall outside ±1.25 radii and are not drawn` : ''}.`;
  return {
    ...figureFrame(`Spin glass: tangent Hessian spectra at the ${summary.settings.method.toUpperCase()} endpoints against the semicircle, per size Λ`, caption + note, { wrap: opts.wrap }),
    data: { values },
    facet: { field: 'n', type: 'ordinal', sort: gs.map((g) => g.n), header: { title: null, labelExpr: `'Λ = ' + datum.value + ', ū = ' + format({${gs.map((g) => `'${g.n}': ${g.spectrum.meanEnergy}`).join(', ')}}[datum.value], '.4f')`, labelFontSize: 11 } },
    columns: opts.columns ?? Math.min(3, gs.length),
    spacing: 10,
    spec: {
      width: opts.width ?? 220,
      height: 120,
      layer: [
        { name: 'empirical', transform: [{ filter: "datum.kind === 'bin'" }], mark: { type: 'rect', color: BLUE, opacity: 0.75 }, encoding: { x: { field: 'x0', type: 'quantitative', ...x }, x2: { field: 'x1' }, y: { field: 'density', type: 'quantitative', axis: { title: 'density', tickCount: 4 } } } },
        { name: 'semicircle', transform: [{ filter: "datum.kind === 'law'" }], mark: { type: 'line', color: RED, strokeWidth: 1.75 }, encoding: { x: { field: 'x', type: 'quantitative', ...x }, y: { field: 'density', type: 'quantitative' } } },
      ],
    },
  };
}

/** Mean ± sd over endpoints of W1(spectrum, its own semicircle) against Λ, both axes log. */
export function semicircleFitSpec(summary: PSpinSummary, caption: string): FigureSpec {
  const gs = fittedGroups(summary);
  if (!gs.length) throw new RangeError('semicircleFitSpec: no group has a spectral summary (run pspin with --index --spectrum-fit)');
  const values = gs.map((g) => ({ n: g.n, w1: g.spectrum.w1.mean, lo: Math.max(g.spectrum.w1.min, g.spectrum.w1.mean - g.spectrum.w1.sd), hi: g.spectrum.w1.mean + g.spectrum.w1.sd, endpoints: g.spectrum.endpoints }));
  const ns = gs.map((g) => g.n);
  // A guide ∝ 1/Λ through the largest Λ (for comparison only: no rate is claimed).
  const last = values[values.length - 1];
  const guide = ns.map((n) => ({ n, w1: (last.w1 * last.n) / n }));
  const ys = [...values.flatMap((v) => [v.lo, v.hi]), ...guide.map((g) => g.w1)];
  const ticks = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1].filter((t) => t >= Math.min(...ys) / 1.3 && t <= Math.max(...ys) * 1.3);
  const x = { field: 'n', type: 'quantitative' as const, scale: { type: 'log' as const, domain: [ns[0] / 1.25, ns[ns.length - 1] * 1.25], nice: false }, axis: { values: ns, title: 'size Λ (log scale)', format: 'd' } };
  const y = { scale: { type: 'log' as const, domain: [Math.min(...ys) / 1.3, Math.max(...ys) * 1.3], nice: false }, axis: { title: 'W1 to the semicircle (radius units, log scale)', values: ticks, format: '~g' } };
  return {
    ...figureFrame('Spin glass: distance of each endpoint\'s tangent Hessian spectrum to its semicircle, against Λ', `${caption}\nW1 = ∫|F_Λ − F| between the endpoint's eigenvalues x = (λ + p·u)/2√(p(p−1)) and the unit semicircle, exact (closed-form ∫F); points: mean over endpoints, bars: ± sd; grey dashed: a guide ∝ 1/Λ through the largest Λ.`),
    width: 420,
    height: 240,
    data: { values },
    layer: [
      { name: 'guide', data: { values: guide }, mark: { type: 'line', color: '#888', strokeDash: [5, 3], strokeWidth: 1.25 }, encoding: { x, y: { field: 'w1', type: 'quantitative', ...y } } },
      { name: 'sd', mark: { type: 'rule', strokeWidth: 1.5, color: BLUE }, encoding: { x, y: { field: 'lo', type: 'quantitative', ...y }, y2: { field: 'hi' } } },
      { name: 'mean', mark: { type: 'point', filled: true, size: 45, color: BLUE }, encoding: { x, y: { field: 'w1', type: 'quantitative', ...y }, tooltip: [{ field: 'n', title: 'Λ' }, { field: 'endpoints' }, { field: 'w1', format: '.4f' }] } },
      { name: 'line', mark: { type: 'line', color: BLUE, strokeWidth: 1 }, encoding: { x, y: { field: 'w1', type: 'quantitative', ...y } } },
    ],
  };
}

/** The CLI's SVGs for a run with --spectrum-fit (none otherwise). */
export function semicircleFigures(summary: PSpinSummary, caption: string): { name: string; label: string; spec: FigureSpec }[] {
  if (!fittedGroups(summary).length) return [];
  return [
    { name: 'pspin-hessian-spectra.svg', label: 'SCIENCE.md §1: tangent Hessian semicircle (beyond the paper)', spec: semicircleSpectraSpec(summary, caption) },
    { name: 'pspin-semicircle-fit.svg', label: 'SCIENCE.md §1: semicircle fit against Λ (beyond the paper)', spec: semicircleFitSpec(summary, caption) },
  ];
}

/** What the spectra show, computed from the summary. */
export function semicircleFindings(summary: PSpinSummary): string[] {
  const gs = fittedGroups(summary);
  if (!gs.length) return [];
  const first = gs[0].spectrum, last = gs[gs.length - 1].spectrum;
  const per = gs.map((g) => `Λ = ${g.n}: mean(λ) + p·u = ${fmt(g.spectrum.shift.mean, 3)}, var(λ)/p(p−1) = ${g.spectrum.variance.mean.toFixed(3)}`).join('; ');
  const falls = gs.length > 1 ? `; W1 to the semicircle goes from ${first.w1.mean.toFixed(4)} at Λ = ${gs[0].n} to ${last.w1.mean.toFixed(4)} at Λ = ${gs[gs.length - 1].n} (radius units, mean over endpoints), ${last.w1.mean < first.w1.mean ? 'shrinking' : 'not shrinking'} as Λ grows` : '';
  return [`Tangent Hessian spectra at the endpoints against the semicircle at −p·u of radius 2√(p(p−1)) (law: shift 0, variance ratio 1): ${per}${falls}.`];
}

/** The pspin section with the spectra figures and finding appended (unchanged without --spectrum-fit). */
export function withSemicircle(section: ReportSection, summary: PSpinSummary, caption: string): ReportSection {
  const figs: ReportFigure[] = semicircleFigures(summary, caption).map((f) => ({ id: `fig-${f.name.replace(/\.svg$/, '')}`, label: f.label, spec: f.spec }));
  return { ...section, findings: [...section.findings, ...semicircleFindings(summary)], figures: [...section.figures, ...figs] };
}
