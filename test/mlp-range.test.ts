// The loss-range figure's numbers ([P2] supp. Fig. 7 ranges) against plain scans of the records:
// min and max by a linear scan, medians of odd counts by counting, the overlap by a loop.
import { describe, it, expect } from 'vitest';
import { lossRanges, regimeOverlap, lossRangeSpec, P2_TEST_LOSS_RANGE } from '../src/report/mlp-range-figure.js';
import { specToSvg } from '../src/report/render.js';
import type { MlpRecord, MlpSummary } from '../src/mlp/experiment.js';
import { mulberry32 } from './support/data.js';

function records(widths: number[], runs: number, seed: number): MlpRecord[] {
  const rnd = mulberry32(seed);
  return widths.flatMap((h) => Array.from({ length: runs }, (_, run) => ({ hidden: h, run, trainLoss: 0.02 + 0.2 * rnd(), testLoss: 0.05 + 0.3 * rnd(), trainError: 0, testError: 0, epochs: 1 })));
}

describe('loss ranges per width', () => {
  const widths = [25, 50, 100];
  const recs = records(widths, 31, 7);
  const summary = { groups: widths.map((hidden) => ({ hidden })) } as unknown as MlpSummary;

  it('min, median and max equal plain scans; quantiles are ordered', () => {
    const rows = lossRanges(recs, summary);
    expect(rows).toHaveLength(6);
    for (const r of rows) {
      const v = recs.filter((x) => String(x.hidden) === r.hidden).map((x) => (r.kind === 'test loss' ? x.testLoss : x.trainLoss));
      let lo = Infinity, hi = -Infinity;
      for (const x of v) { lo = Math.min(lo, x); hi = Math.max(hi, x); }
      expect(r.min).toBe(lo);
      expect(r.max).toBe(hi);
      const below = v.filter((x) => x < r.median).length, above = v.filter((x) => x > r.median).length;
      expect(below).toBe(15); // 31 values: the median is the 16th
      expect(above).toBe(15);
      expect(r.min).toBeLessThanOrEqual(r.q05);
      expect(r.q05).toBeLessThanOrEqual(r.median);
      expect(r.median).toBeLessThanOrEqual(r.q95);
      expect(r.q95).toBeLessThanOrEqual(r.max);
    }
  });

  it("counts the test losses inside [P2]'s range", () => {
    let n = 0;
    for (const r of recs) if (r.testLoss >= P2_TEST_LOSS_RANGE[0] && r.testLoss <= P2_TEST_LOSS_RANGE[1]) n++;
    expect(regimeOverlap(recs)).toEqual({ inside: n, of: recs.length });
    expect(n).toBeGreaterThan(0);
  });

  it('renders, with the band and the count in the caption', async () => {
    const svg = await specToSvg(lossRangeSpec(recs, summary, 'caption'));
    expect(svg).toContain("[P2]'s test losses");
    expect(svg).toContain(`${regimeOverlap(recs).inside} of ${recs.length}`);
  });
});
