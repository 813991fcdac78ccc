// The spin-glass figures of [P2] §5 as Vega-Lite specs: final energies H/Λ of gradient descent
// per size Λ (Fig. 3 left, supplement Fig. 8) and their spread against Λ, each against the
// thresholds −E_0 (ground state) and −E∞ (edge of the band where low minima live).
import type { RestartResult } from '../pspin/batch.js';
import type { PSpinSummary } from '../pspin/experiment.js';
import { figureFrame, fmt, sub, type FigureSpec } from './render.js';

export interface Thresholds {
  E0: number;
  Einf: number;
  /** [E_0, E_1, …, E_K] as from theory `thresholds(p, K)`; rules are drawn for k ≥ 1 */
  Ek?: number[];
}

const WIDTH = 520;
const RED = '#c0392b';
const DARK = '#222';

/** 1, 2, 2.5 or 5 × 10^k, the smallest such step that cuts `range` into at most `maxBins` bins. */
export function niceStep(range: number, maxBins = 40): number {
  const raw = (range > 0 ? range : 1e-2) / maxBins;
  const mag = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw * (1 - 1e-12))!;
}

/** Histograms of H/Λ, one row per Λ on a shared x axis, with rules at −E_0, −E_k and −E∞. */
export function energyHistogramSpec(lines: Pick<RestartResult, 'n' | 'energy'>[], theory: Thresholds, caption: string): FigureSpec {
  if (!lines.length) throw new RangeError('energyHistogramSpec: no restarts to plot');
  const ns = [...new Set(lines.map((r) => r.n))].sort((a, b) => a - b);
  // reduce, not Math.min(...): merged full-scale runs can exceed the argument-count limit
  const eMin = lines.reduce((m, r) => Math.min(m, r.energy), Infinity);
  const eMax = lines.reduce((m, r) => Math.max(m, r.energy), -Infinity);
  const step = niceStep(eMax - eMin);
  const lo = Math.floor(eMin / step) * step;
  const hi = (Math.floor(eMax / step) + 1) * step;
  const marks = [
    { id: 'E0', label: `−E₀ = ${fmt(-theory.E0)}`, x: -theory.E0 },
    { id: 'Einf', label: `−E∞ = ${fmt(-theory.Einf)}`, x: -theory.Einf },
    ...(theory.Ek ?? []).slice(1).map((E, k) => ({ id: 'Ek', label: `−E${sub(k + 1)} = ${fmt(-E)}`, x: -E })),
  ];
  const values = [
    ...lines.map((r) => ({ kind: 'run', n: r.n, energy: r.energy })),
    ...ns.flatMap((n) => marks.map((m) => ({ kind: 'threshold', n, ...m }))),
  ];
  const domain = [Math.min(lo, -theory.E0 - step), Math.max(hi, -theory.Einf + step)];
  const x = { scale: { domain, nice: false, zero: false }, axis: { title: 'energy density H/Λ at the endpoint' } };
  const top = (id: string) => ({ filter: `datum.kind === 'threshold' && datum.id === '${id}' && datum.n === ${ns[0]}` });
  // Labels sit above the top row, one line each, so they cover neither bars nor each other.
  const label = (id: string, line: number) => ({
    name: `label_${id}`,
    transform: [top(id)],
    mark: { type: 'text' as const, align: 'left' as const, dx: -2, baseline: 'bottom' as const, fontSize: 10, color: id === 'E0' ? RED : DARK },
    encoding: { x: { field: 'x', type: 'quantitative' as const, ...x }, y: { value: -3 - 12 * line }, text: { field: 'label' } },
  });
  const extra = (theory.Ek?.length ?? 0) > 1 ? `\nDotted: −Eₖ for k = 1..${theory.Ek!.length - 1}.` : '';
  const frame = figureFrame('[P2] Fig. 3 (left), supp. Fig. 8 — energies H/Λ reached by descent, per size Λ', caption + extra);
  return {
    ...frame,
    data: { values },
    facet: {
      row: { field: 'n', type: 'ordinal', sort: ns, header: { title: null, labelExpr: "'Λ = ' + datum.value", labelAngle: 0, labelAlign: 'left', labelFontSize: 11 } },
    },
    spacing: 6,
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: WIDTH,
      height: 64,
      layer: [
        {
          name: 'bars',
          transform: [{ filter: "datum.kind === 'run'" }],
          mark: { type: 'bar', color: '#4c78a8', binSpacing: 0 },
          encoding: {
            x: { field: 'energy', type: 'quantitative', bin: { extent: [lo, hi], step }, ...x },
            y: { aggregate: 'count', type: 'quantitative', axis: { title: 'restarts', tickCount: 3 } },
          },
        },
        {
          name: 'thresholds',
          transform: [{ filter: "datum.kind === 'threshold'" }],
          mark: { type: 'rule', strokeWidth: 1.5 },
          encoding: {
            x: { field: 'x', type: 'quantitative', ...x },
            color: { field: 'id', type: 'nominal', scale: { domain: ['E0', 'Einf', 'Ek'], range: [RED, DARK, '#999'] }, legend: null },
            strokeDash: { field: 'id', type: 'nominal', scale: { domain: ['E0', 'Einf', 'Ek'], range: [[], [5, 3], [1, 2]] }, legend: null },
            description: { field: 'label' },
          },
        },
        label('E0', 1),
        label('Einf', 0),
      ],
    },
  };
}

/** Mean ± sd (error bars) and the 5–95% band of H/Λ against Λ, with rules at −E_0 and −E∞. */
export function spreadVsSizeSpec(summary: PSpinSummary, caption: string): FigureSpec {
  if (!summary.groups.length) throw new RangeError('spreadVsSizeSpec: the summary has no groups');
  const groups = summary.groups.map((g) => ({ ...g, lo: g.mean - g.sd, hi: g.mean + g.sd }));
  const ns = [...new Set(groups.map((g) => g.n))].sort((a, b) => a - b);
  const instances = new Set(groups.map((g) => g.instance)).size;
  const byInstance = instances > 1 ? { color: { field: 'instance', type: 'nominal' as const, title: 'instance' } } : {};
  const x = { field: 'n', type: 'quantitative' as const, scale: { type: 'log' as const, domain: [ns[0] / 1.25, ns[ns.length - 1] * 1.25], nice: false }, axis: { values: ns, title: 'size Λ (log scale)', format: 'd' } };
  const rules = [
    { label: `−E₀ = ${fmt(-summary.E0)} (ground state)`, y: -summary.E0, color: RED },
    { label: `−E∞ = ${fmt(-summary.Einf)}`, y: -summary.Einf, color: DARK },
  ];
  const frame = figureFrame('[P2] Fig. 3 (left), supp. Fig. 8 — spread of the final H/Λ against size Λ', caption);
  return {
    ...frame,
    width: WIDTH,
    height: 300,
    data: { values: groups },
    layer: [
      { name: 'band', mark: { type: 'area', opacity: 0.18, color: '#4c78a8' }, encoding: { x, y: { field: 'q05', type: 'quantitative', scale: { zero: false }, title: 'energy density H/Λ' }, y2: { field: 'q95' }, detail: { field: 'instance', type: 'nominal' }, ...byInstance } },
      { name: 'sd', mark: { type: 'rule', strokeWidth: 1.5, color: '#4c78a8' }, encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, ...byInstance } },
      {
        name: 'mean',
        mark: { type: 'point', filled: true, size: 40, color: '#4c78a8' },
        encoding: {
          x,
          y: { field: 'mean', type: 'quantitative' },
          ...byInstance,
          tooltip: [{ field: 'n', title: 'Λ' }, { field: 'count' }, { field: 'mean', format: '.4f' }, { field: 'sd', format: '.4f' }, { field: 'q05', format: '.4f' }, { field: 'q95', format: '.4f' }],
        },
      },
      {
        name: 'thresholds',
        data: { values: rules },
        mark: { type: 'rule', strokeDash: [5, 3] },
        encoding: { y: { field: 'y', type: 'quantitative' }, color: { field: 'color', type: 'nominal', scale: null }, description: { field: 'label' } },
      },
      {
        name: 'threshold_labels',
        data: { values: rules },
        mark: { type: 'text', align: 'right', baseline: 'bottom', dy: -2, fontSize: 10 },
        encoding: { x: { value: WIDTH - 4 }, y: { field: 'y', type: 'quantitative' }, text: { field: 'label' }, color: { field: 'color', type: 'nominal', scale: null } },
      },
    ],
  };
}
