// [P2] Fig. 1: the mean number of critical points of index k (and of any index) with values
// below Λu, for p = 3, Λ = 1000, from the sharp asymptotics in src/theory/asymptotics.ts. Drawn
// as log10 counts against Λu, with rules at −ΛE_0 and −ΛE∞ where the layers start.
import { figureFrame, fmt, type FigureSpec } from './render.js';
import { figure1Series } from '../theory/asymptotics.js';
import { e0, eInf } from '../theory/complexity.js';

/** The index-k colours of [P2] Fig. 2 (theory-figures.ts), so a layer has one colour on the page. */
export const INDEX_PALETTE = ['#c0392b', '#e67e22', '#d4ac0d', '#27ae60', '#2e86c1', '#7d3c98', '#5d6d7e', '#a93226'];
/** 'any index' is a wide pale band underneath: below −ΛE∞ it coincides with 'index 0', drawn on top of it. */
export const ANY_INDEX = { color: '#b8b8b8', width: 6 };

export function meanCountSpec(p: number, N: number, kMax: number, caption: string): FigureSpec {
  const series = figure1Series(p, N, Array.from({ length: kMax + 1 }, (_, k) => k));
  const values = series.flatMap((s) =>
    s.points.filter((pt) => Number.isFinite(pt.logCount)).map((pt) => ({ series: s.k === 'all' ? 'any index' : `index ${s.k}`, energy: pt.energy, log10: pt.logCount / Math.LN10 })));
  const rules = [{ at: -N * e0(p), label: `−ΛE₀ = ${fmt(-N * e0(p), 1)}` }, { at: -N * eInf(p), label: `−ΛE∞ = ${fmt(-N * eInf(p), 1)}` }];
  const names = ['any index', ...Array.from({ length: kMax + 1 }, (_, k) => `index ${k}`)];
  const color = {
    field: 'series', type: 'nominal' as const, title: null,
    scale: { domain: names, range: [ANY_INDEX.color, ...names.slice(1).map((_, k) => INDEX_PALETTE[k % INDEX_PALETTE.length])] },
    legend: { values: names, symbolType: 'stroke', symbolStrokeWidth: 3 },
  };
  const x = { field: 'energy', type: 'quantitative' as const, title: 'Λu (energy H)', scale: { zero: false }, axis: { format: 'd', tickCount: 6 } };
  const y = { field: 'log10', type: 'quantitative' as const, title: 'log₁₀ E[# critical values below Λu]' };
  return {
    ...figureFrame(`[P2] Fig. 1 — mean number of critical points below Λu (p = ${p}, Λ = ${N}), sharp asymptotics`, caption + '\nThe wide grey band (any index) lies under index 0 wherever minima dominate the count.'),
    width: 560,
    height: 320,
    data: { values },
    layer: [
      {
        name: 'any_index',
        transform: [{ filter: "datum.series === 'any index'" }],
        mark: { type: 'line', strokeWidth: ANY_INDEX.width, strokeCap: 'round' },
        encoding: { x, y, color },
      },
      {
        name: 'by_index',
        transform: [{ filter: "datum.series !== 'any index'" }],
        mark: { type: 'line', strokeWidth: 1.75 },
        encoding: { x, y, color },
      },
      { data: { values: [{ y: 0 }] }, mark: { type: 'rule', color: '#999' }, encoding: { y: { field: 'y', type: 'quantitative' } } },
      {
        data: { values: rules },
        layer: [
          { name: 'count_thresholds', mark: { type: 'rule', strokeDash: [6, 3], strokeWidth: 1.5, color: '#222' }, encoding: { x: { field: 'at', type: 'quantitative' }, description: { field: 'label' } } },
          // read upwards from the bottom, just left of the rule: the curves there are far below
          { name: 'count_threshold_labels', mark: { type: 'text', angle: 270, align: 'left', baseline: 'bottom', dx: 6, dy: -4, fontSize: 10, color: '#222' }, encoding: { x: { field: 'at', type: 'quantitative' }, y: { value: 320 }, text: { field: 'label' } } },
        ],
      },
    ],
  };
}
