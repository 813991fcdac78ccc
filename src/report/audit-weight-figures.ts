// The weight-side rows of the audit report (SCIENCE.md §8): A3p's sign and loss correlations of the
// quantised nets against s, A4p's Eq. 6 fit per s, and A7p's layer norms against the epoch.
import type { AuditGroup, AuditSummary } from '../audit/descriptor.js';
import { RULES, fmtEst, type Est } from '../audit/verdicts.js';
import { SIGN_TARGET } from '../audit/redundancy.js';
import { sMinText } from '../audit/weights.js';
import { figureFrame, type FigureSpec } from './render.js';

const num = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x : NaN);
const ci = (e: Est, digits = 3) => fmtEst({ ...RULES.A1p, digits }, e);
const archName = (g: AuditGroup) => `[${g.layers.join(', ')}]`;
const band = (e: Est) => ({ value: num(e.value), lo: Number.isFinite(num(e.lo)) ? num(e.lo) : num(e.value), hi: Number.isFinite(num(e.hi)) ? num(e.hi) : num(e.value) });

export function a3pSpec(summary: AuditSummary, caption: string): FigureSpec {
  const values = summary.groups.flatMap((g) => g.A3p.s.flatMap((s, i) => [
    { arch: archName(g), s, series: 'corr(sign Y_s, sign Y)', ...band(g.A3p.signCorr[i]) },
    { arch: archName(g), s, series: 'corr of per-sample losses', ...band(g.A3p.lossCorr[i]) },
  ])).filter((v) => Number.isFinite(v.value));
  const color = { field: 'series', type: 'nominal', legend: { title: null, orient: 'bottom' } } as const;
  const x = { field: 's', type: 'quantitative', scale: { type: 'log', base: 2 }, axis: { title: 'levels per layer s', values: summary.groups[0]?.A3p.s ?? [] } } as const;
  return {
    ...figureFrame('A3p — how many weight levels matter: the net quantised to s levels per layer against the net itself', `${caption}\nEach layer quantised to s equal cells over [−max|w|, max|w|], every weight at its cell's centre (s = 3 is the ternary annealer's snap). Points: mean over nets; bars: 95% bootstrap CI over nets; grey rule: ${SIGN_TARGET}.`, { wrap: 100 }),
    data: { values },
    facet: { column: { field: 'arch', type: 'ordinal', sort: summary.groups.map(archName), header: { title: null } } },
    spec: {
      width: 150,
      height: 180,
      layer: [
        { mark: { type: 'rule' }, encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, color } },
        { mark: { type: 'line', point: true }, encoding: { x, y: { field: 'value', type: 'quantitative', scale: { zero: false }, axis: { title: 'correlation' } }, color } },
        { mark: { type: 'rule', color: '#999', strokeDash: [4, 3] }, encoding: { y: { datum: SIGN_TARGET } } },
      ],
    },
  };
}

export function a7pSpec(summary: AuditSummary, caption: string): FigureSpec {
  const values = summary.groups.flatMap((g) => g.A7p.curve.flatMap((c, l) => c.map((v, epoch) => ({ arch: archName(g), layer: `W${l + 1}`, epoch, value: v, rel: v / c[0] }))));
  return {
    ...figureFrame('A7p — do the weights stay on a sphere? Each layer\'s mean square ‖W_l‖²/count along training, relative to its initial value', `${caption}\nLines: mean over nets of ‖W_l‖²/(n_l n_{l−1}) at epoch e over its value at init (epoch 0); A7p posits a constant (the line at 1).`, { wrap: 100 }),
    data: { values },
    facet: { column: { field: 'arch', type: 'ordinal', sort: summary.groups.map(archName), header: { title: null } } },
    spec: {
      width: 150,
      height: 180,
      layer: [
        { mark: { type: 'line' }, encoding: { x: { field: 'epoch', type: 'quantitative', axis: { title: 'epoch' } }, y: { field: 'rel', type: 'quantitative', scale: { zero: false }, axis: { title: '‖W_l‖² / ‖W_l‖² at init' } }, color: { field: 'layer', type: 'nominal', legend: { title: 'layer', orient: 'bottom' } } } },
        { mark: { type: 'rule', color: '#999', strokeDash: [4, 3] }, encoding: { y: { datum: 1 } } },
      ],
    },
  };
}

export function weightFigures(summary: AuditSummary, caption: string) {
  return [
    { name: 'audit-a3p-levels.svg', label: 'A3p: quantised nets against s (beyond the paper)', spec: a3pSpec(summary, caption) },
    { name: 'audit-a7p-norms.svg', label: 'A7p: layer norms along training (beyond the paper)', spec: a7pSpec(summary, caption) },
  ];
}

/** One row per architecture: A3p and A4p per s, then A7p per layer. */
export function weightTables(summary: AuditSummary): { caption: string; rows: (string | number)[][] }[] {
  const gs = summary.groups, s = gs[0]?.A3p.s ?? [];
  const perS = (name: string, f: (g: AuditGroup) => Est[], digits: number) => [['architecture', ...s.map((v) => `${name}, s = ${v}`)], ...gs.map((g) => [archName(g), ...f(g).map((e) => ci(e, digits))])];
  const L = Math.max(0, ...gs.map((g) => g.A7p.drift.length));
  return [
    { caption: 'A3p: corr(sign Y_s, sign Y) over every sample and output (mean over nets [95% CI]); [P2] Thm 3.2 bounds it below by (1 − 2ε)/(1 + 2ε)', rows: perS('sign corr', (g) => g.A3p.signCorr, 3) },
    { caption: 'A3p: correlation of the per-sample losses, quantised against full precision', rows: perS('loss corr', (g) => g.A3p.lossCorr, 3) },
    {
      caption: `A3p: the smallest s with sign corr ≥ ${SIGN_TARGET} (mean over the nets that reach it), and the ternary net (s = 3, snapped, not annealed: \`landscape anneal-nets --ternary\` anneals it, [P2] §5.1)`,
      rows: [['architecture', 'Λ', 'smallest s', 'error rate, net', 'error rate, s = 3', 'error rise, s = 3'], ...gs.map((g) => [archName(g), g.architecture.lambda.toFixed(1), sMinText(g, g.nets), ci(g.A3p.errorFull), ci(g.A3p.errorRate[g.A3p.s.indexOf(3)]), ci(g.A3p.ternaryErrorDrop)])],
    },
    { caption: 'A4p: the smallest c of [P2] Eq. 6 over the level tuples that occur (mean over nets [95% CI])', rows: perS('c', (g) => g.A4p.cMin, 2) },
    { caption: 'A4p: share of the occurring level tuples outside Eq. 6\'s bounds for c = 2', rows: perS('outside', (g) => g.A4p.outside2, 3) },
    { caption: 'A4p: share of the s^H level tuples no path takes (outside the bounds for every c)', rows: perS('absent', (g) => g.A4p.absent, 3) },
    {
      caption: 'A7p: relative drift of each layer\'s mean square ‖W_l‖²/count from init to the end of training, and of Σ w²/N (mean over nets [95% CI])',
      rows: [['architecture', ...Array.from({ length: L }, (_, l) => `W${l + 1}`), 'all weights'], ...gs.map((g) => [archName(g), ...Array.from({ length: L }, (_, l) => (g.A7p.drift[l] ? ci(g.A7p.drift[l]) : '')), ci(g.A7p.totalDrift)])],
    },
  ];
}
