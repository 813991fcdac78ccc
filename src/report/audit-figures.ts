// The figures, report section and text table of `landscape audit` (SCIENCE.md §8): the
// distribution of the paths' activation rates ρ_π against A1p's single ρ, I(A_π; X_π) against its
// permutation null (A5u), the weight-side figures and tables of audit-weight-figures.ts (A3p, A4p,
// A7p); one row per assumption with its statistic per architecture, the trend and the verdict
// computed in src/audit/verdicts.ts.
import type { AuditGroup, AuditSettings, AuditSummary } from '../audit/descriptor.js';
import type { AuditLine } from '../audit/task.js';
import { RHO_BINS } from '../audit/task.js';
import { RULES, fmtEst, fmtValue, type Est } from '../audit/verdicts.js';
import { figureFrame, type FigureSpec } from './render.js';
import type { ReportSection } from './html.js';
import { weightFigures, weightTables } from './audit-weight-figures.js';
import { surrogateRows, surrogateSpec, surrogateVerdictRow } from './surrogate-figures.js';

const BLUE = '#4c78a8', ORANGE = '#f58518';
const depthName = (H: number) => `H = ${H} (p = ${H})`;
const archName = (g: AuditGroup) => `[${g.layers.join(', ')}]`;
const num = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x : NaN);
const f3 = (x: unknown) => (Number.isFinite(num(x)) ? num(x).toFixed(3) : '–');
const ci = (e: Est, digits = 3) => fmtEst({ ...RULES.A1p, digits }, e);

export function a1pSpec(summary: AuditSummary, caption: string): FigureSpec {
  const values: { arch: string; rho: number; rho2: number; share: number; kind: string }[] = [];
  for (const g of summary.groups) {
    g.A1p.hist.forEach((share, b) => values.push({ arch: archName(g), rho: b / RHO_BINS, rho2: (b + 1) / RHO_BINS, share, kind: 'hist' }));
    values.push({ arch: archName(g), rho: g.A1p.rho.mean, rho2: g.A1p.rho.mean, share: 0, kind: 'mean' });
  }
  return {
    ...figureFrame("A1p — how often each path is active: the distribution of ρ_π over all paths, per architecture (mean over nets)", `${caption}\nA1p posits one ρ for every path: a single spike. Bars: share of the Ψ paths per ρ bin of ${1 / RHO_BINS}; orange rule: the mean ρ. Measured on ${summary.samples} training images.`, { wrap: 100 }),
    data: { values },
    facet: { row: { field: 'arch', type: 'ordinal', sort: summary.groups.map(archName), header: { title: 'widths n₀, …, n_H', labelAngle: 0 } } },
    spec: {
      width: 460,
      height: 70,
      layer: [
        { transform: [{ filter: "datum.kind === 'hist'" }], mark: { type: 'bar', color: BLUE, binSpacing: 1 }, encoding: { x: { field: 'rho', type: 'quantitative', scale: { domain: [0, 1] }, axis: { title: 'ρ_π = P(path active)', format: '.1f' } }, x2: { field: 'rho2' }, y: { field: 'share', type: 'quantitative', axis: { title: 'share of paths', format: '.0%', tickCount: 3 } }, y2: { datum: 0 } } },
        { transform: [{ filter: "datum.kind === 'mean'" }], mark: { type: 'rule', color: ORANGE, strokeWidth: 2 }, encoding: { x: { field: 'rho', type: 'quantitative' } } },
      ],
    },
  };
}

export function a5uSpec(summary: AuditSummary, caption: string): FigureSpec {
  const values = summary.groups.flatMap((g) => [
    { arch: g.label, depth: depthName(g.H), series: 'observed I(A_π; X_π)', value: num(g.A5u.mi.value), lo: num(g.A5u.mi.lo), hi: num(g.A5u.mi.hi) },
    { arch: g.label, depth: depthName(g.H), series: 'permutation null', value: num(g.A5u.nullMean.value), lo: num(g.A5u.nullMean.lo), hi: num(g.A5u.nullMean.hi) },
  ]).map((v) => ({ ...v, lo: Number.isFinite(v.lo) ? v.lo : v.value, hi: Number.isFinite(v.hi) ? v.hi : v.value })).filter((v) => Number.isFinite(v.value));
  const color = { field: 'series', type: 'nominal', scale: { domain: ['observed I(A_π; X_π)', 'permutation null'], range: [BLUE, ORANGE] }, legend: { title: null, orient: 'bottom' } } as const;
  return {
    ...figureFrame('A5u — does a path\'s activation depend on its input? I(A_π; X_π) in nats, mean over paths, per architecture', `${caption}\nPoints: mean over nets; bars: 95% bootstrap CI over nets. A5u holds when the observed information sits on its permutation null (inputs and labels permuted against the fixed activations).`, { wrap: 100 }),
    data: { values },
    facet: { column: { field: 'depth', type: 'ordinal', header: { title: null } } },
    resolve: { scale: { x: 'independent' } },
    spec: {
      width: 220,
      height: 200,
      layer: [
        { mark: { type: 'rule' }, encoding: { x: { field: 'arch', type: 'ordinal', sort: summary.groups.map((g) => g.label), axis: { title: 'hidden widths', labelAngle: 0 } }, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, color } },
        { mark: { type: 'point', filled: true, size: 50 }, encoding: { x: { field: 'arch', type: 'ordinal', sort: summary.groups.map((g) => g.label) }, y: { field: 'value', type: 'quantitative', axis: { title: 'nats' } }, color } },
      ],
    },
  };
}

export function auditFigures(lines: AuditLine[], summary: AuditSummary, caption: string) {
  if (!summary.groups.length) return [];
  const surrogate = surrogateSpec(lines, summary, caption);
  return [
    { name: 'audit-a1p-rho.svg', label: 'A1p: activation rates of the paths (beyond the paper)', spec: a1pSpec(summary, caption) },
    { name: 'audit-a5u-mi.svg', label: 'A5u: activation against input (beyond the paper)', spec: a5uSpec(summary, caption) },
    ...weightFigures(summary, caption),
    ...(surrogate ? [{ name: 'audit-surrogate.svg', label: 'The decoupled surrogate: minima of the real net, its surrogate and the p-spin (beyond the paper)', spec: surrogate }] : []),
  ];
}

/** The assumption table: one row per assumption, one column per architecture. */
function assumptionRows(summary: AuditSummary): (string | number)[][] {
  const gs = summary.groups;
  const rule = (id: string) => Object.values(RULES).find((r) => r.id === id)!;
  return [
    ['', 'what it says', 'statistic', 'allowed', ...gs.map((g) => `${g.label} (H = ${g.H})`), 'trend', 'verdict'],
    ...summary.verdicts.map((v) => [v.id, v.says, v.statistic, `≤ ${fmtValue(rule(v.id), v.threshold)}`, ...v.points.map((p) => fmtEst(rule(v.id), p.est)), v.trend, v.text]),
    ...(summary.surrogate?.points.length ? [surrogateVerdictRow(summary)] : []),
  ];
}

export function auditSection(s: AuditSettings, lines: AuditLine[], summary: AuditSummary, caption: string): ReportSection {
  const gs = summary.groups;
  const diverged = gs.reduce((a, g) => a + g.diverged, 0);
  const depths = [...new Set(gs.map((g) => g.H))];
  const findings = [
    ...summary.verdicts.map((v) => `${v.id} (${v.says}): ${v.text}.`),
    ...(summary.surrogate?.points.length
      ? [`The headline — ${summary.surrogate.says}: ${summary.surrogate.text} (${summary.surrogate.trend}). W1 between the GD minima of each net and of its surrogate from the same starts (${s.surrogateSteps} Riemannian GD steps of ${s.surrogateLr} on the sphere of the trained weights' norm, ${s.surrogateSamples} training images); ρ is the net's own mean path activation. The nets have far more weights than those images have outputs, so both losses fall with width and the absolute distance with them: the table also gives W1 relative to the real minima's mean.`]
      : s.surrogateStarts > 0 && s.loss !== 'cross-entropy' ? [`The decoupled surrogate is written for the softmax cross-entropy; not measured for ${s.loss}.`] : []),
    depths.includes(3)
      ? "[P2]'s spin glass is p = 3, which matches H = 3 (two hidden layers): the H = 3 rows are the apt comparison; H = 2 nets map to p = 2, a landscape without exponentially many critical points."
      : "Only H = 2 nets were audited: they map to p = 2, not [P2]'s p = 3; give --deep for H = 3 nets.",
    `Each net: trained as \`landscape mlp\` trains it (${s.epochs} epochs, ${s.trainSize} training images, ${s.loss}, no biases), audited on its first ${summary.samples} training images; CIs: 95% percentile bootstrap over the ${s.runs} nets per architecture (not over samples).${diverged ? ` ${diverged} diverged net(s) left out.` : ''}`,
    'A3p and A4p quantise each layer to s levels (s equal cells over [−max|w|, max|w|], weights at the cell centres; s = 3 is the ternary annealer\'s snap, not its annealed result: `landscape anneal-nets --ternary` gives that). A7p: each layer\'s ‖W‖²/count at every epoch of the same training.',
  ];
  const arch = [['architecture', 'H = p', 'nets', 'Ψ (paths)', 'Λ = Ψ^{1/H}', 'q = Λ^{−(H−1)/2}', 'N (weights)', 'pairs sharing an input', 'pairs sharing a node', 'path-sum error (worst)'],
    ...gs.map((g) => [archName(g), g.H, g.nets, g.architecture.psi, g.architecture.lambda.toFixed(1), g.architecture.q.toExponential(3), g.architecture.N, g.architecture.shareCommonInput.toExponential(2), g.architecture.shareCommonNode.toFixed(4), num(g.expansionError).toExponential(1)])];
  const detail = [['architecture', 'ρ mean', 'ρ sd', 'ρ q05', 'ρ q50', 'ρ q95', 'KS to one ρ', 'input mean', 'input sd', 'KS standardised', 'I(A; X) nats', 'null', 'paths p ≤ 0.05', 'I(A; y) nats', 'mean |corr(Z, A)|', 'top eigenvalue', 'MP edge', 'above edge'],
    ...gs.map((g) => [archName(g), ci(g.A1p.ci.mean), ci(g.A1p.ci.sd), ci(g.A1p.ci.q05), ci(g.A1p.ci.q50), ci(g.A1p.ci.q95), ci(g.A1p.ks), f3(g.A2p.mean.value), f3(g.A2p.sd.value), f3(g.A2p.ksStandardised.value),
      ci(g.A5u.mi, 4), ci(g.A5u.nullMean, 4), ci(g.A5u.shareSignificant), ci(g.A5u.miLabel, 4), ci(g.A5u.meanAbsCorr), ci(g.A6u.top, 2), num(g.A6u.mpUpper).toFixed(2), ci(g.A6u.aboveEdge, 1)])];
  return {
    id: 'audit',
    title: `The assumption audit ([P1]): ${lines.length} trained nets at ${depths.length > 1 ? 'depths H = 2 and 3' : `depth H = ${depths[0]}`}`,
    findings,
    tables: [
      { caption: 'Per assumption: the statistic per architecture (mean over nets, 95% bootstrap CI over nets), its trend with width, and the verdict against the stated threshold', rows: assumptionRows(summary) },
      { caption: 'The architectures: path counts and the normalisation of [P2] §3.1', rows: arch },
      { caption: 'Details per architecture (mean over nets [95% CI])', rows: detail },
      ...weightTables(summary),
      ...(gs.some((g) => g.surrogate) ? [{ caption: "The decoupled surrogate per architecture: losses on its S' samples (mean over nets [95% CI]), GD minima from the same starts, the p-spin at p = H, and the tangent index of run 0's endpoints (share of N − 1 eigenvalues below −1e-3)", rows: surrogateRows(summary) }] : []),
    ],
    figures: auditFigures(lines, summary, caption).map((f) => ({ id: `fig-${f.name.replace(/\.svg$/, '')}`, label: f.label, spec: f.spec })),
  };
}

export function auditTable(s: AuditSettings, summary: AuditSummary): string {
  const out = [`assumption audit: ${s.runs} nets per architecture, ${s.epochs} epochs, ${s.trainSize} training images, audited on ${summary.samples}; ${s.loss}, no biases`];
  const h = ['net', 'H', 'nets', 'Ψ', 'ρ mean', 'A1p W1 [95% CI]', 'A2p KS', 'A3p 1−corr₃ [CI]', 'A4p c₃', 'A5u excess nats [CI]', 'A6u top/edge [CI]', 'A7p drift [CI]', 'path err'];
  const w = [10, 3, 6, 11, 8, 24, 8, 24, 10, 28, 22, 24, 10];
  out.push(h.map((x, i) => x.padStart(w[i])).join(''));
  for (const g of summary.groups) {
    out.push([g.label, String(g.H), String(g.nets), String(g.architecture.psi), f3(g.A1p.rho.mean), fmtEst(RULES.A1p, g.A1p.w1), f3(g.A2p.ksRaw.value), fmtEst(RULES.A3p, g.A3p.ternaryGap), fmtValue(RULES.A4p, num(g.A4p.cMin[g.A4p.s.indexOf(3)].value)),
      fmtEst(RULES.A5u, g.A5u.excess), fmtEst(RULES.A6u, g.A6u.topOverEdge), fmtEst(RULES.A7p, g.A7p.maxDrift), num(g.expansionError).toExponential(1)]
      .map((x, i) => x.padStart(w[i])).join(''));
  }
  for (const v of summary.verdicts) out.push(`${v.id}: ${v.text} [${v.trend}]`);
  for (const g of summary.groups) if (g.surrogate) out.push(`surrogate ${g.label}: W1 real–surrogate minima ${fmtEst({ ...RULES.A1p, digits: 3 }, g.surrogate.minima.w1)} (p = ${f3(g.surrogate.minima.p)}); at trained w real ${f3(g.surrogate.atTrained.real.value)}, surrogate ${f3(g.surrogate.atTrained.sur.value)}`);
  if (summary.surrogate?.points.length) out.push(`surrogate: ${summary.surrogate.text} [${summary.surrogate.trend}]`);
  return out.join('\n');
}

