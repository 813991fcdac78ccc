// [P2] Fig. 1: the mean number of critical points of index k (and of any index) with values
// below Λu, for p = 3, Λ = 1000, from the sharp asymptotics in src/theory/asymptotics.ts. Drawn
// as log10 counts against Λu, with rules at −ΛE_0 and −ΛE∞ where the layers start.
import { figureFrame, fmt, type FigureSpec } from './render.js';
import { figure1Series } from '../theory/asymptotics.js';
import { e0, eInf } from '../theory/complexity.js';

export function meanCountSpec(p: number, N: number, kMax: number, caption: string): FigureSpec {
  const series = figure1Series(p, N, Array.from({ length: kMax + 1 }, (_, k) => k));
  const values = series.flatMap((s) =>
    s.points.filter((pt) => Number.isFinite(pt.logCount)).map((pt) => ({ series: s.k === 'all' ? 'any index' : `index ${s.k}`, energy: pt.energy, log10: pt.logCount / Math.LN10 })));
  const rules = [{ at: -N * e0(p), label: `−ΛE₀ = ${fmt(-N * e0(p), 1)}` }, { at: -N * eInf(p), label: `−ΛE∞ = ${fmt(-N * eInf(p), 1)}` }];
  return {
    ...figureFrame(`[P2] Fig. 1 — mean number of critical points below Λu (p = ${p}, Λ = ${N}), sharp asymptotics`, caption),
    width: 560,
    height: 320,
    layer: [
      {
        data: { values },
        mark: { type: 'line', strokeWidth: 1.5 },
        encoding: {
          x: { field: 'energy', type: 'quantitative', title: 'Λu (energy H)', scale: { zero: false } },
          y: { field: 'log10', type: 'quantitative', title: 'log₁₀ E[# critical values below Λu]' },
          color: { field: 'series', type: 'nominal', title: null },
        },
      },
      { data: { values: [{ y: 0 }] }, mark: { type: 'rule', color: '#999' }, encoding: { y: { field: 'y', type: 'quantitative' } } },
      {
        data: { values: rules },
        layer: [
          { mark: { type: 'rule', strokeDash: [4, 3], color: '#333' }, encoding: { x: { field: 'at', type: 'quantitative' } } },
          { mark: { type: 'text', angle: 270, align: 'left', dx: -6, dy: -4, fontSize: 10 }, encoding: { x: { field: 'at', type: 'quantitative' }, y: { value: 4 }, text: { field: 'label' } } },
        ],
      },
    ],
  };
}
