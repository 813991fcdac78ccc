// Our nets' loss ranges per width beside [P2]'s (supp. Fig. 7 and Fig. 3 right): is this run in
// [P2]'s regime? [P2] gives no table of ranges, only plots; the project's review read the test-loss
// axis span off them once, for all widths together, and that span is the band drawn here.
import type { MlpRecord, MlpSummary } from '../mlp/experiment.js';
import { figureFrame, type FigureSpec } from './render.js';

/** [P2]'s test losses, read off its Fig. 3 (right) and supp. Fig. 7 (all widths). */
export const P2_TEST_LOSS_RANGE: readonly [number, number] = [0.075, 0.145];
export const P2_TEST_LOSS_SPAN = `${P2_TEST_LOSS_RANGE[0]}–${P2_TEST_LOSS_RANGE[1]}`;

const label = (h: number | number[]) => (Array.isArray(h) ? h.join('-') : String(h));

export interface LossRange {
  hidden: string;
  kind: 'test loss' | 'train loss';
  min: number;
  q05: number;
  median: number;
  q95: number;
  max: number;
}

const quantile = (sorted: number[], q: number) => {
  const i = q * (sorted.length - 1), lo = Math.floor(i), hi = Math.ceil(i);
  return sorted[lo] + (i - lo) * (sorted[hi] - sorted[lo]);
};

/** Per width and kind: min, 5%, median, 95%, max of the finite losses (type-7 quantiles). */
export function lossRanges(records: MlpRecord[], summary: MlpSummary): LossRange[] {
  return summary.groups.flatMap((g) => (['test loss', 'train loss'] as const).map((kind) => {
    const v = records.filter((r) => label(r.hidden) === label(g.hidden)).map((r) => (kind === 'test loss' ? r.testLoss : r.trainLoss)).filter(Number.isFinite).sort((a, b) => a - b);
    return v.length ? { hidden: label(g.hidden), kind, min: v[0], q05: quantile(v, 0.05), median: quantile(v, 0.5), q95: quantile(v, 0.95), max: v[v.length - 1] } : null;
  }).filter((x): x is LossRange => x !== null));
}

/** The fraction of test losses inside [P2]'s range, and the widths whose whole range lies in it. */
export function regimeOverlap(records: MlpRecord[]): { inside: number; of: number } {
  const t = records.map((r) => r.testLoss).filter(Number.isFinite);
  return { inside: t.filter((x) => x >= P2_TEST_LOSS_RANGE[0] && x <= P2_TEST_LOSS_RANGE[1]).length, of: t.length };
}

export function lossRangeSpec(records: MlpRecord[], summary: MlpSummary, caption: string): FigureSpec {
  const rows = lossRanges(records, summary);
  const widths = summary.groups.map((g) => label(g.hidden));
  const { inside, of } = regimeOverlap(records);
  const x = { field: 'hidden', type: 'ordinal' as const, sort: widths, scale: { type: 'band' as const, paddingInner: 0.4 }, axis: { title: 'hidden width n1', labelAngle: 0 } };
  const color = { field: 'kind', type: 'nominal' as const, title: null, scale: { domain: ['test loss', 'train loss'], range: ['#4c78a8', '#f58518'] } };
  const all = rows.flatMap((r) => [r.min, r.max]).concat(P2_TEST_LOSS_RANGE);
  const y = { type: 'quantitative' as const, scale: { type: 'log' as const, domain: [Math.min(...all) / 1.15, Math.max(...all) * 1.15], nice: false }, axis: { title: 'loss (log scale)', tickCount: 6 } };
  const note = `Thin bars: min to max over the nets of each width; thick bars: 5% to 95%; dots: medians. The grey band is [P2]'s test-loss span, ${P2_TEST_LOSS_SPAN}, read off its Fig. 3 (right) and supp. Fig. 7 for all widths together (no per-width ranges are given). ${inside} of ${of} of our nets' test losses lie inside it.`;
  return {
    ...figureFrame('[P2] supp. Fig. 7, Fig. 3 (right) — our loss ranges per width beside [P2]\'s test-loss range', `${caption}\n${note}`, { wrap: 120 }),
    width: 520,
    height: 260,
    layer: [
      { data: { values: [{ lo: P2_TEST_LOSS_RANGE[0], hi: P2_TEST_LOSS_RANGE[1] }] }, mark: { type: 'rect', color: '#bbbbbb', opacity: 0.35 }, encoding: { y: { field: 'lo', ...y }, y2: { field: 'hi' } } },
      { data: { values: [{ hi: P2_TEST_LOSS_RANGE[1] }] }, mark: { type: 'text', align: 'right', baseline: 'bottom', dx: -4, dy: -2, color: '#555', text: "[P2]'s test losses" }, encoding: { y: { field: 'hi', ...y }, x: { value: 520 } } },
      {
        data: { values: rows },
        encoding: { x, xOffset: { field: 'kind', scale: { paddingOuter: 0.5 } }, color },
        layer: [
          { mark: { type: 'rule', strokeWidth: 1 }, encoding: { y: { field: 'min', ...y }, y2: { field: 'max' } } },
          { mark: { type: 'rule', strokeWidth: 5 }, encoding: { y: { field: 'q05', ...y }, y2: { field: 'q95' } } },
          { mark: { type: 'point', filled: true, size: 40 }, encoding: { y: { field: 'median', ...y }, tooltip: [{ field: 'hidden' }, { field: 'kind' }, { field: 'min', format: '.4f' }, { field: 'median', format: '.4f' }, { field: 'max', format: '.4f' }] } },
        ],
      },
    ],
  };
}
