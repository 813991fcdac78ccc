import { describe, it, expect, vi } from 'vitest';
// @ts-expect-error: a plain .mjs module of the bench harness
import { medianRate } from '../bench/timing.mjs';
// @ts-expect-error plain ESM benchmark harness
import { runBench, formatTable } from '../bench/index.mjs';
// @ts-expect-error plain ESM benchmark harness
import { runInChromium } from '../bench/browser.mjs';
// @ts-expect-error plain ESM helpers shared with the browser page
import { chromiumAvailable } from '../scripts/chromium.mjs';

// A smoke test of the harness on tiny shapes: rows, fields and platform markers. Timings are
// never asserted (they are machine- and load-dependent); that is what `npm run bench` is for.
type Row = { suite: string; case: string; unit: string; platform: string; binary: string; peer: string | null; check?: string; workers?: number; ours: number; fractionOfPeak?: number | null };
const tiny = {
  out: false,
  log: () => {},
  shapes: [{ m: 3, n: 5, k: 4 }, { m: 5, n: 3, k: 4, trans: 'TN' }],
  timing: { minMs: 1, samples: 1 },
  pool: { tasks: 2, samples: 1, params: { m: 8, n: 8, k: 8, reps: 1 } },
};
/** The roofline ran first, every probe figure is positive, and every GFLOPS row got a fraction of it. */
const peaked = (rows: Row[], roof: { single: Record<string, number | null> }) =>
  rows[0]?.suite === 'roofline' && Object.values(roof.single).every((x) => x === null || x > 0) && roof.single.f32MulAdd! > 0 &&
  rows.filter((r) => r.suite === 'gemm' && r.unit === 'GFLOPS').every((r) => typeof r.fractionOfPeak === 'number' && r.fractionOfPeak > 0);
const gemmCases = (rows: Row[]) => [...new Set(rows.filter((r) => r.suite === 'gemm' && r.unit === 'GFLOPS').map((r) => r.case))];

describe('bench timing', () => {
  it('a load spike while the repetitions are calibrated does not yield a 0 ms sample (an infinite rate)', () => {
    let calls = 0;
    const spin = (ms: number) => { const t = performance.now(); while (performance.now() - t < ms); };
    // The warm-up and calibration calls are slow (a spike), every later call is fast.
    const fn = () => { calls++; if (calls <= 2) spin(12); };
    // A browser's clock: 100 µs ticks (Chromium without cross-origin isolation).
    const real = performance.now.bind(performance);
    const coarse = vi.spyOn(performance, 'now').mockImplementation(() => Math.floor(real() / 0.1) * 0.1);
    let rate: number;
    try {
      rate = medianRate(fn, 1, { minMs: 5, samples: 5 });
    } finally {
      coarse.mockRestore();
    }
    expect(Number.isFinite(rate)).toBe(true);
    expect(rate).toBeGreaterThan(0);
  });
});

describe('bench harness smoke run', () => {
  it('runs the roofline probe, then the gemm and pool suites in Node, rows in the shared shape with fractionOfPeak', async () => {
    const report = await runBench({ ...tiny, suites: ['gemm', 'pool'], browser: false });
    const rows: Row[] = report.results;
    expect(report.errors).toEqual([]);
    expect(gemmCases(rows)).toEqual(['3x5x4', '5x3x4 TN']);
    expect(rows.filter((r) => r.unit === 'GFLOPS').every((r) => r.platform === 'node' && r.check !== 'MISMATCH' && 'ratio' in r)).toBe(true);
    expect(rows.filter((r) => r.suite === 'pool').map((r) => r.workers)).toEqual([1, 2]);
    expect(peaked(rows, report.env.roofline)).toBe(true);
    expect(formatTable(report)).toMatch(/targets/);
    expect(formatTable(report)).toMatch(/Roofline[\s\S]*simd%pk/);
    // The machine's steadiness, before the first suite and after the last (sustained against burst).
    for (const st of [report.env.steadiness.start, report.env.steadiness.end]) {
      expect(st.bestGFLOPS).toBeGreaterThan(0);
      expect(st.medianGFLOPS).toBeGreaterThan(0);
      expect(st.ratio).toBeGreaterThan(0);
    }
    expect(formatTable(report)).toMatch(/steadiness, f32 probe sustained .* ÷ burst .*: [\d.]+ \(.*\) at the start, [\d.]+ \(.*\) at the end/);
  });

  it.skipIf(!chromiumAvailable())('runs the roofline probe and the gemm suite in a Chromium module worker, rows marked chromium', async () => {
    const out = await runInChromium({ ...tiny, suites: ['gemm'] });
    expect(out.error).toBeUndefined();
    expect(out.errors).toEqual([]);
    expect(out.env.platform).toBe('chromium');
    expect(gemmCases(out.results)).toEqual(['3x5x4', '5x3x4 TN']);
    expect(out.results.every((r: Row) => r.platform === 'chromium' && r.check !== 'MISMATCH')).toBe(true);
    for (const st of [out.env.steadiness.start, out.env.steadiness.end]) expect(st.bestGFLOPS).toBeGreaterThan(0); // before the first suite and after the last, as in Node
    expect(peaked(out.results, out.env.roofline), JSON.stringify({ roof: out.env.roofline.single, rows: out.results.map((r: Row) => [r.suite, r.case, r.unit, r.fractionOfPeak]) })).toBe(true);
  });
});

describe('curvature suite', () => {
  it('counts the structured Hessian work: with every ReLU on it equals the closed form', async () => {
    // @ts-expect-error plain ESM benchmark harness
    const { structuredFlops } = await import('../bench/curvature.mjs');
    const S = 7, d = 5, n1 = 3, c = 10;
    const params = new Float64Array(n1 * d + c * n1).fill(0.5), X = new Float64Array(S * d).fill(1);
    const pairs = (n: number) => (n * (n + 1)) / 2;
    expect(structuredFlops(params, X, S, d, n1, c)).toBe(2 * S * pairs(n1) * pairs(c) + 2 * S * n1 * c * n1 * d + 2 * S * pairs(n1) * d * d);
    // every unit off: only the W2–W2 block is left
    expect(structuredFlops(params.map((x) => -x), X, S, d, n1, c)).toBe(2 * S * pairs(n1) * pairs(c));
  });

  it('quick run in Node: three f64 rows with fractions of the f64 peak, index counts that agree', async () => {
    const report = await runBench({ ...tiny, quick: true, suites: ['curvature'], browser: false });
    const rows: Row[] = report.results.filter((r: Row) => r.suite === 'curvature');
    expect(report.errors).toEqual([]);
    expect(rows.map((r) => r.case)).toEqual(['Hessian [100,10,10] S=500', 'LDLᵀ inertia n=1100', 'spectrum n=1100']);
    expect(rows.every((r) => r.ours > 0 && typeof r.fractionOfPeak === 'number' && r.fractionOfPeak > 0)).toBe(true);
    expect((rows[2] as Row & { agree: boolean }).agree).toBe(true);
  }, 120_000);
});
