// The curvature figures and section of `landscape hessian`: [P2] supp. Fig. 5 (histograms of the
// normalised index per width) and the spectra on a signed log scale, with findings computed from
// the numbers.
import type { HessianGroup, HessianSettings, HessianSummary } from '../curvature/descriptor.js';
import type { HessianLine } from '../curvature/task.js';
import { binCentre, BIN } from '../curvature/summary.js';
import { countAxis, figureFrame, type FigureSpec } from './render.js';
import type { ReportSection } from './html.js';

const BLUE = '#4c78a8';
const label = (h: number | number[]) => (Array.isArray(h) ? h.join('-') : String(h));

export function indexHistogramSpec(lines: HessianLine[], summary: HessianSummary, caption: string): FigureSpec {
  const widths = summary.groups.map((g) => label(g.hidden));
  const maxIndex = Math.max(0.01, ...lines.map((l) => l.normalisedIndex));
  const step = maxIndex <= 0.02 ? 0.001 : maxIndex <= 0.1 ? 0.005 : 0.02;
  return {
    ...figureFrame('[P2] supp. Fig. 5 — normalised index of the SGD solutions (exact f64 Hessian over the training set), per hidden width n1', `${caption}\nIndex: the fraction of eigenvalues below −10⁻³ after zeroing |λ| < 10⁻³ ([P2]); 0 is a minimum.`, { wrap: 100 }),
    data: { values: lines.map((l) => ({ hidden: label(l.hidden), index: l.normalisedIndex })) },
    facet: { row: { field: 'hidden', type: 'ordinal', sort: widths, header: { title: 'hidden width n1', labelAngle: 0 } } },
    spec: {
      width: 460,
      height: 90,
      mark: { type: 'bar', color: BLUE },
      encoding: {
        x: { field: 'index', type: 'quantitative', bin: { step, extent: [0, Math.ceil(maxIndex / step + 1) * step] }, axis: { title: 'normalised index (fraction of negative eigenvalues)', format: '.3f' } },
        y: { aggregate: 'count', type: 'quantitative', axis: countAxis('nets') },
      },
    },
  };
}

export function spectrumSpec(lines: HessianLine[], summary: HessianSummary, caption: string): FigureSpec {
  const values: { hidden: string; decade: number; count: number }[] = [];
  for (const g of summary.groups) {
    const mine = lines.filter((l) => label(l.hidden) === label(g.hidden));
    const bins = mine[0].spectrum.bins.map((_, i) => mine.reduce((a, l) => a + l.spectrum.bins[i], 0) / mine.length);
    bins.forEach((c, i) => { if (c > 0) values.push({ hidden: label(g.hidden), decade: binCentre(i), count: c }); });
  }
  return {
    ...figureFrame('Spectrum of the Hessian at the SGD solutions, signed log scale (mean count per net)', `${caption}\nx: sign(λ)·log₁₀|λ| in half decades, beyond ±10⁻⁸; the bar at 0 holds |λ| < 10⁻⁸. Negative eigenvalues are to the left.`, { wrap: 100 }),
    data: { values },
    facet: { row: { field: 'hidden', type: 'ordinal', sort: summary.groups.map((g) => label(g.hidden)), header: { title: 'hidden width n1', labelAngle: 0 } } },
    spec: {
      width: 460,
      height: 90,
      mark: { type: 'bar', color: BLUE, width: 6 },
      encoding: {
        x: { field: 'decade', type: 'quantitative', scale: { domain: [-3.5, 3.5].map((v) => v * 3) }, axis: { title: `sign(λ)·log₁₀|λ| (bins of ${BIN} decade)`, tickMinStep: 1 } },
        y: { field: 'count', type: 'quantitative', scale: { type: 'symlog' }, axis: { title: 'eigenvalues' } },
      },
    },
  };
}

export function hessianFigures(lines: HessianLine[], summary: HessianSummary, caption: string) {
  return [
    { name: 'hessian-index-histograms.svg', label: '[P2] supp. Fig. 5', spec: indexHistogramSpec(lines, summary, caption) },
    { name: 'hessian-spectra.svg', label: 'Hessian spectra (beyond the paper)', spec: spectrumSpec(lines, summary, caption) },
  ];
}

const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(0)}%`;

function finding(g: HessianGroup): string {
  const ni = g.normalisedIndex;
  const zeros = g.nearZero.expected ? `; ${g.nearZero.mean.toFixed(1)} eigenvalues per net within 10⁻⁶ of 0 against ${g.nearZero.expected} exact zeros the structure predicts (rescaling symmetries and dead inputs)` : '';
  return `n1 = ${label(g.hidden)} (P = ${g.params}): ${g.minima} of ${g.nets} nets (${pct(g.minima, g.nets)}) are minima at τ = 10⁻³; mean normalised index ${ni.mean.toFixed(4)}${Number.isFinite(ni.lo) ? ` [95% CI ${ni.lo.toFixed(4)}, ${ni.hi.toFixed(4)}]` : ''}, largest ${ni.max.toFixed(4)}; median ‖∇L‖ = ${g.gradNorm.median.toExponential(1)}, so these are near-critical points, not critical points${zeros}.`;
}

export function hessianSection(s: HessianSettings, lines: HessianLine[], summary: HessianSummary, caption: string): ReportSection {
  const gs = summary.groups;
  const all = lines.length;
  const low = lines.filter((l) => l.normalisedIndex <= 0.01).length;
  const kinks = Math.max(...gs.map((g) => g.fractionNearKink));
  const findings = [
    `[P2] claims normalised indices of 0 or at most about 0.01: ${low} of ${all} nets (${pct(low, all)}) have index ≤ 0.01 here.`,
    ...gs.map(finding),
    kinks > 1e-3 ? `Up to ${(100 * kinks).toFixed(2)}% of hidden pre-activations sit within 10⁻⁶ of the ReLU kink: there the Hessian is one-sided and less informative.` : `At most ${(100 * kinks).toFixed(3)}% of hidden pre-activations sit within 10⁻⁶ of the ReLU kink, so the Hessian is well defined almost everywhere.`,
    `Outliers above the bulk (the eigenvalues above the largest ratio gap among the top ones): ${gs.map((g) => `${g.outliers.mean.toFixed(1)} at n1 = ${label(g.hidden)}`).join(', ')}, against C − 1 = ${gs[0]?.outliers.expected} (Sagun et al.).`,
  ];
  const blocks = gs.map((g) => {
    const mine = lines.filter((l) => label(l.hidden) === label(g.hidden) && l.blocks);
    if (!mine.length) return null;
    const per = mine[0].blocks.layers.map((b, i) => `W${b.layer} block (${b.size}): ${(mine.reduce((a, l) => a + l.blocks.layers[i].negative, 0) / mine.length).toFixed(1)} eigenvalues below −10⁻³ per net`);
    const cross = mine.reduce((a, l) => a + l.blocks.crossShare, 0) / mine.length;
    return `n1 = ${label(g.hidden)}: ${per.join('; ')}; the cross-layer blocks hold ${(100 * cross).toFixed(1)}% of ‖H‖²_F.`;
  }).filter((x): x is string => x !== null);
  if (blocks.length) findings.push(`Per-layer blocks (Gauss-Newton only within a layer, so negative curvature there is rounding; the cross block adds the residual term): ${blocks.join(' ')}`);
  const pol = lines.filter((l) => l.polished);
  if (pol.length) {
    const reached = pol.filter((l) => l.polished!.reached);
    const mean = (xs: number[]) => xs.reduce((a, x) => a + x, 0) / Math.max(1, xs.length);
    findings.push(`Polished (--polish, Levenberg–Marquardt on ∇L with the exact Hessian): ${reached.length} of ${pol.length} nets reached ‖∇L‖ ≤ 10⁻⁸; mean normalised index ${mean(pol.map((l) => l.normalisedIndex)).toFixed(4)} at the SGD endpoints against ${mean(pol.map((l) => l.polished!.normalisedIndex)).toFixed(4)} at the polished points${reached.length ? ` (${mean(reached.map((l) => l.polished!.normalisedIndex)).toFixed(4)} over those that reached it)` : ''}, after moving ‖Δθ‖ = ${mean(pol.map((l) => l.polished!.moved)).toFixed(2)} on average.${unreachedNote(pol.filter((l) => !l.polished!.reached).map((l) => l.polished!))}`);
  }
  const slq = lines.filter((l) => l.slq);
  const slqTables = slq.map((l) => ({
    caption: `Stochastic Lanczos quadrature against the exact spectrum, n1 = ${label(l.hidden)} run ${l.run} (P = ${l.params}; Rademacher probes, f64, full reorthogonalisation; KS after Gaussian broadening σ = ${l.slq!.sigma.toExponential(2)}; errors signed)`,
    rows: [['steps', 'probes', 'matvecs', 'W1', 'KS', 'neg. mass error', 'outlier count error (mass)', 'outlier count error (Ritz)', 'trace rel. error', 'λmax rel. error', 'λmin rel. error'],
      ...l.slq!.rows.map((r) => [r.steps, r.probes, r.matvecs, r.w1.toExponential(2), r.ks.toExponential(2), r.negativeMassError.toExponential(2), r.outlierCountError.toFixed(2), r.outlierRitzCountError.toFixed(2), r.traceRelError.toExponential(2), r.lanczosTopError.toExponential(1), r.lanczosBottomError.toExponential(1)])],
  }));
  if (slq.length) {
    const best = slq.map((l) => l.slq!.rows.at(-1)!);
    findings.push(`SLQ at its largest setting here (${best[0].steps} steps × ${best[0].probes} probes) against the exact spectra: W1 ${best.map((r) => r.w1.toExponential(1)).join(', ')}; negative-mass error ${best.map((r) => r.negativeMassError.toExponential(1)).join(', ')} — a density estimate cannot give the index, which is why the index above is exact.`);
  }
  return {
    id: 'curvature',
    title: `Curvature: exact Hessian index of ${s.runs} SGD solutions per width`,
    findings,
    tables: [{
      caption: 'Per hidden width: exact f64 Hessian over the whole training set (inertia at τ = 10⁻³ checks the spectrum)',
      rows: [['n1', 'P', 'nets', 'minima', 'mean norm. index', '95% CI', 'max', 'median ‖∇L‖', '|λ| < 10⁻⁶', 'predicted zeros', 'λ min', 'λ max', 'max asymmetry', 'inertia ≠ spectrum'],
        ...gs.map((g) => [label(g.hidden), g.params, g.nets, g.minima, g.normalisedIndex.mean.toFixed(4), Number.isFinite(g.normalisedIndex.lo) ? `[${g.normalisedIndex.lo.toFixed(4)}, ${g.normalisedIndex.hi.toFixed(4)}]` : '–',
          g.normalisedIndex.max.toFixed(4), g.gradNorm.median.toExponential(2), g.nearZero.mean.toFixed(1), g.nearZero.expected, g.lambdaMin.toExponential(2), g.lambdaMax.toExponential(2), g.asymmetryMax.toExponential(1), g.inertiaMismatch])],
    }, ...slqTables],
    figures: hessianFigures(lines, summary, caption).map((f) => ({ id: `fig-${f.name.replace(/\.svg$/, '')}`, label: f.label, spec: f.spec })),
  };
}

/** The polished points that are not critical points: how far from one, and how many sit on a ReLU kink (stalled, nearest |z| < 1e-6). */
function unreachedNote(rest: { gradNorm: number; stop?: string; nearestKink?: number }[]): string {
  if (!rest.length) return '';
  const g = rest.map((p) => p.gradNorm).sort((a, b) => a - b);
  const onKink = rest.filter((p) => p.stop === 'stalled' && (p.nearestKink ?? Infinity) < 1e-6).length;
  return ` Not critical points: ${rest.length} net(s) (median ‖∇L‖ ${g[(g.length - 1) >> 1].toExponential(1)}), whose polished index is not that of one; ${onKink} of them stalled on a ReLU kink (∇L jumps across it).`;
}

