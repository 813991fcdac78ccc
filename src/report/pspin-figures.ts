// The spin-glass figures of [P2] §5 as Vega-Lite specs: final energies H/Λ of gradient descent
// per size Λ (Fig. 3 left, supplement Fig. 8) and their spread against Λ, each against the
// thresholds −E_0 (ground state) and −E∞ (edge of the band where low minima live).
import type { RestartResult } from '../pspin/batch.js';
import type { PSpinSummary } from '../pspin/experiment.js';
import { countAxis, figureFrame, fmt, sub, type FigureSpec } from './render.js';

export interface Thresholds {
  E0: number;
  Einf: number;
  /** [E_0, E_1, …, E_K] as from theory `thresholds(p, K)`; rules are drawn for k ≥ 1 */
  Ek?: number[];
}

const WIDTH = 520;
const RED = '#c0392b';
const DARK = '#222';
/** The −E_k rules (k ≥ 1): dashed purple, distinct from the red −E₀ and the black dashed −E∞. */
const PURPLE = '#7d3c98';

/** How each threshold rule is drawn; no rule is dotted or thinner than 1.25 px. */
export const THRESHOLD_STYLE = {
  E0: { color: RED, dash: [] as number[], width: 1.75 },
  Einf: { color: DARK, dash: [6, 3], width: 1.5 },
  Ek: { color: PURPLE, dash: [3, 2], width: 1.25 },
};

export interface HistogramOptions {
  /** Plot width in pixels (the side-by-side pair uses a narrower one). */
  width?: number;
  /** Caption line length in characters, see figureFrame. */
  wrap?: number;
}

/** 1, 2, 2.5 or 5 × 10^k, the smallest such step that cuts `range` into at most `maxBins` bins. */
export function niceStep(range: number, maxBins = 40): number {
  const raw = (range > 0 ? range : 1e-2) / maxBins;
  const mag = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw * (1 - 1e-12))!;
}

/**
 * Tick values for a binned x axis: multiples of 1, 2 or 5 × 10^k cutting [lo, hi] into about
 * `count` pieces, with just the decimals that step needs (Vega would tick every few bin edges: −1.64, −1.56).
 */
export function niceTicks(lo: number, hi: number, count: number): { values: number[]; format: string } {
  const range = hi > lo ? hi - lo : 1e-2;
  const mag = 10 ** Math.floor(Math.log10(range / count));
  // the 1-2-5 step giving the number of pieces nearest `count`, never more than 1.5 × count
  const steps = [0.5, 1, 2, 5, 10].map((m) => m * mag).filter((s) => range / s <= 1.5 * count);
  const step = steps.reduce((best, s) => (Math.abs(range / s - count) < Math.abs(range / best - count) ? s : best));
  const digits = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  const values: number[] = [];
  for (let i = Math.ceil(lo / step - 1e-9); i * step <= hi + step * 1e-9; i++) values.push(Number((i * step).toFixed(digits)));
  return { values, format: `.${digits}f` };
}

/** Histograms of H/Λ, one row per Λ on a shared x axis, with rules at −E_0, −E_k and −E∞. */
export function energyHistogramSpec(lines: Pick<RestartResult, 'n' | 'energy'>[], theory: Thresholds, caption: string, opts: HistogramOptions = {}): FigureSpec {
  if (!lines.length) throw new RangeError('energyHistogramSpec: no restarts to plot');
  const ns = [...new Set(lines.map((r) => r.n))].sort((a, b) => a - b);
  // reduce, not Math.min(...): merged full-scale runs can exceed the argument-count limit
  const eMin = lines.reduce((m, r) => Math.min(m, r.energy), Infinity);
  const eMax = lines.reduce((m, r) => Math.max(m, r.energy), -Infinity);
  const step = niceStep(eMax - eMin);
  const lo = Math.floor(eMin / step) * step;
  const hi = (Math.floor(eMax / step) + 1) * step;
  const marks = [
    { id: 'E0' as const, label: `−E₀ = ${fmt(-theory.E0)}`, x: -theory.E0 },
    { id: 'Einf' as const, label: `−E∞ = ${fmt(-theory.Einf)}`, x: -theory.Einf },
    ...(theory.Ek ?? []).slice(1).map((E, k) => ({ id: 'Ek' as const, label: `−E${sub(k + 1)} = ${fmt(-E)}`, x: -E })),
  ].map((m) => ({ ...m, color: THRESHOLD_STYLE[m.id].color, dash: THRESHOLD_STYLE[m.id].dash, width: THRESHOLD_STYLE[m.id].width }));
  const values = [
    ...lines.map((r) => ({ kind: 'run', n: r.n, energy: r.energy })),
    ...ns.flatMap((n) => marks.map((m) => ({ kind: 'threshold', n, ...m }))),
  ];
  const domain = [Math.min(lo, -theory.E0 - step), Math.max(hi, -theory.Einf + step)];
  const width = opts.width ?? WIDTH;
  const x = { scale: { domain, nice: false, zero: false }, axis: { title: 'energy density H/Λ at the endpoint', ...niceTicks(domain[0], domain[1], Math.max(3, Math.floor(width / 65))) } };
  const top = (id: string) => ({ filter: `datum.kind === 'threshold' && datum.id === '${id}' && datum.n === ${ns[0]}` });
  // Labels sit above the top row (the rules stop at its edge), one line each, starting at their
  // rule, so they cover neither bars, rules nor each other.
  const label = (id: 'E0' | 'Einf', line: number) => ({
    name: `label_${id}`,
    transform: [top(id)],
    mark: { type: 'text' as const, align: 'left' as const, dx: -3, baseline: 'bottom' as const, fontSize: 10, color: THRESHOLD_STYLE[id].color, fontWeight: 'bold' as const },
    encoding: { x: { field: 'x', type: 'quantitative' as const, ...x }, y: { value: -3 - 12 * line }, text: { field: 'label' } },
  });
  const extra = (theory.Ek?.length ?? 0) > 1 ? `\nRed: −E₀ (ground state); black dashed: −E∞; purple dashed: −Eₖ for k = 1..${theory.Ek!.length - 1}.` : '\nRed: −E₀ (ground state); black dashed: −E∞.';
  const frame = figureFrame('[P2] Fig. 3 (left), supp. Fig. 8 — energies H/Λ reached by descent, per size Λ', caption + extra, { wrap: opts.wrap });
  return {
    ...frame,
    data: { values },
    facet: {
      row: { field: 'n', type: 'ordinal', sort: ns, header: { title: null, labelExpr: "'Λ = ' + datum.value", labelAngle: 0, labelAlign: 'left', labelFontSize: 11 } },
    },
    spacing: 6,
    resolve: { scale: { y: 'independent' } },
    spec: {
      width,
      height: 64,
      layer: [
        {
          name: 'bars',
          transform: [{ filter: "datum.kind === 'run'" }],
          mark: { type: 'bar', color: '#4c78a8', binSpacing: 0 },
          encoding: {
            x: { field: 'energy', type: 'quantitative', bin: { extent: [lo, hi], step }, ...x },
            y: { aggregate: 'count', type: 'quantitative', axis: countAxis('restarts') },
          },
        },
        {
          name: 'thresholds',
          transform: [{ filter: "datum.kind === 'threshold'" }],
          mark: { type: 'rule' },
          encoding: {
            x: { field: 'x', type: 'quantitative', ...x },
            color: { field: 'color', type: 'nominal', scale: null },
            strokeDash: { field: 'dash', type: 'nominal', scale: null },
            strokeWidth: { field: 'width', type: 'quantitative', scale: null },
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
  // −E₀ < −E∞: −E₀'s label hangs below its rule and −E∞'s stands above its own, both right of the
  // plot, so they never meet each other, a rule or the data, however close the two thresholds.
  const rules = [
    { id: 'E0', label: `−E₀ = ${fmt(-summary.E0)} (ground state)`, y: -summary.E0, color: THRESHOLD_STYLE.E0.color, dash: THRESHOLD_STYLE.E0.dash, width: THRESHOLD_STYLE.E0.width, baseline: 'top', dy: 2 },
    { id: 'Einf', label: `−E∞ = ${fmt(-summary.Einf)}`, y: -summary.Einf, color: THRESHOLD_STYLE.Einf.color, dash: THRESHOLD_STYLE.Einf.dash, width: THRESHOLD_STYLE.Einf.width, baseline: 'bottom', dy: -2 },
  ];
  // an explicit y range with room for the label under −E₀ (a nice domain could end right at it)
  const ys = [...groups.flatMap((g) => [g.q05, g.q95, g.lo, g.hi]), -summary.E0, -summary.Einf];
  const yLo = Math.min(...ys), yHi = Math.max(...ys), pad = 0.06 * (yHi - yLo || 0.1);
  const y = { scale: { zero: false, nice: false, domain: [yLo - pad, yHi + pad] }, axis: { title: 'energy density H/Λ', tickCount: 6 } };
  const frame = figureFrame('[P2] Fig. 3 (left), supp. Fig. 8 — spread of the final H/Λ against size Λ', caption);
  return {
    ...frame,
    width: WIDTH,
    height: 300,
    data: { values: groups },
    layer: [
      { name: 'band', mark: { type: 'area', opacity: 0.18, color: '#4c78a8' }, encoding: { x, y: { field: 'q05', type: 'quantitative', ...y }, y2: { field: 'q95' }, detail: { field: 'instance', type: 'nominal' }, ...byInstance } },
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
        mark: { type: 'rule' },
        encoding: {
          y: { field: 'y', type: 'quantitative' },
          // scale: null, so the instances' colour scale stays their own
          color: { field: 'color', type: 'nominal', scale: null },
          strokeDash: { field: 'dash', type: 'nominal', scale: null },
          strokeWidth: { field: 'width', type: 'quantitative', scale: null },
          description: { field: 'label' },
        },
      },
      ...rules.map((r) => ({
        name: `threshold_label_${r.id}`,
        data: { values: [r] },
        mark: { type: 'text' as const, align: 'left' as const, baseline: r.baseline as 'top' | 'bottom', dx: 4, dy: r.dy, fontSize: 10, fontWeight: 'bold' as const, color: r.color },
        encoding: { x: { value: WIDTH }, y: { field: 'y', type: 'quantitative' as const }, text: { field: 'label' } },
      })),
    ],
  };
}
