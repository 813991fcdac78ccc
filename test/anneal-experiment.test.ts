// `landscape anneal-nets` ([P2] supp. Fig. 6, §5.1): the descriptor through the generic runner on
// its smoke profile (the same bytes on 1 and 2 workers; SGD and annealing start from the same
// weights; SGD trains the very nets `landscape mlp` trains), and the paired statistics against
// small hand-computed cases. Needs the dist (npm run build) and the descriptor in src/registry.ts
// (the workers serve the registered experiments' handlers).
import { describe, it, expect, beforeAll } from 'vitest';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runExperiment } from '../dist/run/runner.js';
import { resolveSettings } from '../dist/experiment/descriptor.js';
import { annealNetsDescriptor } from '../dist/anneal/descriptor.js';
import { mlpDescriptor } from '../dist/mlp/descriptor.js';
import { annealEndpoints } from '../dist/anneal/task.js';
import { exactHessian } from '../dist/curvature/hessian.js';
import { countsFromSpectrum, curvatureIndex } from '../dist/curvature/spectrum.js';
import { dataset } from '../dist/mlp/task.js';
import { lossLabels } from '../dist/mlp/train.js';
import { loadWasm } from '../dist/wasm.js';
import { Heap } from '../dist/heap.js';
import { indexSeconds, secondsPerAnnealRun } from '../dist/anneal/estimate.js';
import { dryRun } from '../dist/run/runner.js';
import {
  normalCdf, pairedComparison, signedRankExactP, signedRankNormalP, studentTCdf, studentTQuantile, tMeanCI, wilcoxonSignedRank,
} from '../src/anneal/stats.js';

const tmp = mkdtempSync(join(tmpdir(), 'anneal-nets-'));
const read = (dir: string, f: string) => readFileSync(join(dir, f), 'utf8');
const jsonl = (dir: string, f: string) => read(dir, f).trim().split('\n').map((l) => JSON.parse(l));

describe('paired statistics', () => {
  it('Student t: quantiles and CDF against tables', () => {
    // scipy.stats.t.ppf(0.975, df)
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.7062047, 5);
    expect(studentTQuantile(0.975, 2)).toBeCloseTo(4.3026527, 6);
    expect(studentTQuantile(0.975, 10)).toBeCloseTo(2.2281389, 6);
    expect(studentTQuantile(0.975, 1000)).toBeCloseTo(1.9623391, 6);
    expect(studentTQuantile(0.025, 10)).toBeCloseTo(-2.2281389, 6);
    expect(studentTCdf(0, 7)).toBeCloseTo(0.5, 12);
    expect(studentTCdf(1, 1)).toBeCloseTo(0.75, 10); // Cauchy: 1/2 + atan(1)/π
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021, 6);
  });

  it('paired t CI: d = (2, 3, 4) gives 3 ± t(0.975, 2)·1/√3', () => {
    const c = pairedComparison([3, 5, 7], [1, 2, 3]);
    expect(c.n).toBe(3);
    expect(c.diff.mean).toBe(3);
    expect(c.diff.hi - 3).toBeCloseTo(4.3026527 / Math.sqrt(3), 6);
    expect(3 - c.diff.lo).toBeCloseTo(4.3026527 / Math.sqrt(3), 6);
    expect(c.wilcoxon).toMatchObject({ n: 3, wPlus: 6, wMinus: 0, method: 'exact' });
    expect(c.wilcoxon.p).toBe(0.25); // 2 · (1/8): all three signs positive
    expect(tMeanCI([5]).lo).toBeNaN();
    expect(pairedComparison([1, NaN, 3], [0, 0, 1]).n).toBe(2);
  });

  it('Wilcoxon signed-rank, exact: d = (1, 2, −3, 4, 5) has W+ = 12 and p = 2·5/32', () => {
    // P(W+ ≥ 12) = P(the complement's rank sum ≤ 3) = |{∅, {1}, {2}, {3}, {1,2}}| / 2^5 = 5/32.
    const w = wilcoxonSignedRank([1, 2, -3, 4, 5]);
    expect(w).toMatchObject({ n: 5, wPlus: 12, wMinus: 3, method: 'exact' });
    expect(w.p).toBe(10 / 32);
    expect(wilcoxonSignedRank([0, 1, 2, -3, 4, 5, 0])).toEqual(w); // zeros are dropped
    expect(signedRankExactP(5, 15)).toBe(2 / 32);
    expect(signedRankExactP(5, 0)).toBe(2 / 32);
    expect(signedRankExactP(4, 5)).toBe(1); // the centre
    expect(wilcoxonSignedRank([]).p).toBe(1);
  });

  it('Wilcoxon signed-rank, normal approximation with tie and continuity corrections', () => {
    // n = 5, W+ = 12: z = (12 − 7.5 − 0.5)/√13.75.
    expect(signedRankNormalP(5, 12)).toBeCloseTo(0.2807127, 5);
    // |d| = 1, 1, 2, 3: ranks 1.5, 1.5, 3, 4; W+ = 7; variance 7.5 − (2³ − 2)/48 (scipy: 0.5807122).
    const w = wilcoxonSignedRank([1, 1, -2, 3]);
    expect(w).toMatchObject({ wPlus: 7, wMinus: 3, method: 'normal' });
    expect(w.p).toBeCloseTo(0.5807122, 5);
    // 12 differences with one tie (scipy.stats.wilcoxon(method='approx', correction=True): 0.0228566).
    const d = [0.3, -0.1, 0.25, 0.4, 0.05, -0.2, 0.35, 0.6, 0.15, 0.45, -0.05, 0.5];
    expect(wilcoxonSignedRank(d).p).toBeCloseTo(0.0228566, 5);
  });
});

describe('landscape anneal-nets through the generic runner', () => {
  const s = resolveSettings(annealNetsDescriptor, 'smoke');
  const a = join(tmp, 'w1'), b = join(tmp, 'w2');
  let lines: any[] = [];
  let outcome: any;
  beforeAll(async () => {
    outcome = await runExperiment(annealNetsDescriptor, s, { out: a, workers: 1 });
    await runExperiment(annealNetsDescriptor, s, { out: b, workers: 2 });
    lines = jsonl(a, 'anneal-nets.jsonl');
  }, 120_000);

  it('the smoke profile: one line per (width, run), the same bytes on 1 and 2 workers', () => {
    expect(s).toMatchObject({ hidden: [2, 3], runs: 3, ternary: true, index: 'exact' });
    expect(lines.map((l) => [l.hidden, l.run])).toEqual([[2, 0], [2, 1], [2, 2], [3, 0], [3, 1], [3, 2]]);
    expect(read(b, 'anneal-nets.jsonl')).toBe(read(a, 'anneal-nets.jsonl'));
    expect(read(b, 'anneal-nets-summary.json')).toBe(read(a, 'anneal-nets-summary.json'));
    for (const f of ['anneal-test-loss.svg', 'anneal-ternary-drop.svg', 'anneal-zero-fraction.svg']) expect(existsSync(join(a, f)), f).toBe(true);
    expect(read(a, 'anneal-nets.jsonl')).not.toMatch(/seconds|time/i);
  });

  it('SGD and annealing start from the same weights on the same subset (initial training losses agree)', () => {
    for (const l of lines) {
      // f32 kernels (SGD's evaluation) against the annealer's f64 pass over the same 200 images.
      expect(Math.abs(l.sgd.initialLoss - l.anneal.initialLoss)).toBeLessThan(1e-6);
      expect(l.ternary.initialLoss).not.toBe(l.anneal.initialLoss); // snapped to three levels
      expect(l.ternary.zeroFraction).toBeGreaterThan(0);
      expect(l.ternary.zeroFraction).toBeLessThan(1);
      expect(l.anneal.drift).toBeLessThan(1e-9);
    }
    // The check can tell runs apart: different initial weights give initial losses further apart.
    const init = lines.map((l) => l.sgd.initialLoss);
    expect(new Set(init.map((x) => x.toFixed(6))).size).toBe(init.length);
  });

  it('SGD trains the very nets `landscape mlp` trains with the same settings', async () => {
    const { sweeps: _1, schedule: _2, step: _3, ternary: _4, ternaryScale: _5, index: _6, ...mlp } = s as any;
    const m = join(tmp, 'mlp');
    await runExperiment(mlpDescriptor, resolveSettings(mlpDescriptor, undefined, mlp), { out: m, workers: 2 });
    const theirs = jsonl(m, 'mlp.jsonl');
    expect(theirs.map((l) => [l.hidden, l.run, l.trainLoss, l.testLoss, l.testError])).toEqual(lines.map((l) => [l.hidden, l.run, l.sgd.trainLoss, l.sgd.testLoss, l.sgd.testError]));
  }, 60_000);

  it('summary: per width, each optimiser with a CI, the paired test, a verdict sentence, the ternary drops', () => {
    const { groups } = outcome.summary;
    expect(groups.map((g: any) => g.hidden)).toEqual([2, 3]);
    for (const g of groups) {
      const mine = lines.filter((l) => l.hidden === g.hidden);
      const d = mine.map((l) => l.sgd.testLoss - l.anneal.testLoss);
      expect(g.testDiff.diff.mean).toBeCloseTo(d.reduce((x, y) => x + y, 0) / d.length, 12);
      expect(g.testDiff.wilcoxon.method).toBe('exact');
      expect(['better', 'tie', 'worse']).toContain(g.verdict);
      expect(g.sentence).toMatch(g.verdict === 'worse' ? /SGD did not do as well as annealing/ : /SGD did at least as well as annealing/);
      const drop = mine.map((l) => l.ternary.testError - l.sgd.testError);
      expect(g.ternary.dropVsSgd.diff.mean).toBeCloseTo(drop.reduce((x, y) => x + y, 0) / drop.length, 12);
      expect(g.ternary.zeroFraction.mean).toBeGreaterThan(0);
    }
    const section = annealNetsDescriptor.section(s, lines, outcome.summary, 'caption');
    expect(section.tables!.map((t) => t.caption).some((c) => c.startsWith('[P2] §5.1'))).toBe(true);
    expect(section.figures.map((f) => f.label)).toEqual(['[P2] supp. Fig. 6', '[P2] §5.1', '[P2] §5.1 (zero weights)']);
    expect(annealNetsDescriptor.table(s, outcome.summary)).toMatch(/SGD − anneal/);
  });

  it('--index: each end point\'s index (LDLᵀ inertia) equals the count from the full spectrum of the same net', async () => {
    // The oracle: the same task's end points rebuilt in this process, then QL eigenvalues of their
    // exact Hessians over the same 200 training images (no inertia), counted below −1e-3.
    const heap = new Heap(await loadWasm('simd'));
    const ctx = { wasm: heap.wasm, heap, binary: 'simd', progress: () => {}, resident: (_k: string, init: () => unknown) => init() } as any;
    const tasks = annealNetsDescriptor.tasks(s, { options: {} } as any);
    for (const k of [0, 4]) { // n_h = 2 run 0 (P = 220), n_h = 3 run 1 (P = 330)
      const t = tasks[k], line = lines[k];
      const e = await annealEndpoints(ctx, { ...t, index: k } as any);
      const ds = await dataset(t.params.data, 'cross-entropy');
      const y = lossLabels(ds.yTrain, 'cross-entropy');
      for (const [name, w] of [['sgd', e.sgd], ['anneal', e.anneal], ['ternary', e.ternary]] as const) {
        const h = exactHessian(heap, { layers: t.params.train.layers, bias: false, loss: 'cross-entropy' }, w!, ds.xTrain, y, ds.nTrain);
        const ev = curvatureIndex(heap, h.H, h.P, { spectrum: true, inertia: false }).eigenvalues;
        const negative = countsFromSpectrum(ev, 1e-3).negative;
        expect({ name, negative, ni: negative / h.P, g: h.gradNorm.toPrecision(10) }).toEqual({ name, negative: line[name].hessian.negative, ni: line[name].hessian.normalisedIndex, g: line[name].hessian.gradNorm.toPrecision(10) });
      }
      // And the end points are those the runner's line reports.
      expect(e.line.anneal.trainLoss).toBe(line.anneal.trainLoss);
    }
  }, 60_000);

  it('--index: summary, table and report section carry every optimiser\'s index; --index none drops it', () => {
    for (const g of outcome.summary.groups) {
      const mine = lines.filter((l) => l.hidden === g.hidden);
      for (const k of ['sgd', 'anneal', 'ternary']) {
        const ni = mine.map((l) => l[k].hessian.normalisedIndex);
        expect(g.index[k].normalisedIndex.mean).toBeCloseTo(ni.reduce((a, b) => a + b, 0) / ni.length, 12);
        expect(g.index[k].minima).toBe(mine.filter((l) => l[k].hessian.negative === 0).length);
      }
    }
    expect(annealNetsDescriptor.table(s, outcome.summary)).toMatch(/exact f64 Hessian index/);
    const section = annealNetsDescriptor.section(s, lines, outcome.summary, 'caption');
    expect(section.tables!.some((t) => t.caption.includes('supp. Fig. 5'))).toBe(true);
    const off = { ...s, index: 'none' as const };
    expect(annealNetsDescriptor.checkLine!(lines[0], off)).toMatch(/index/);
    const { hessian: _h, ...sgd } = lines[0].sgd;
    expect(annealNetsDescriptor.checkLine!({ ...lines[0], sgd }, s)).toMatch(/sgd: no Hessian index/);
  });

  it('checkLine refuses a line of other settings or a damaged one', () => {
    expect(annealNetsDescriptor.checkLine!(lines[0], s)).toBeNull();
    expect(annealNetsDescriptor.checkLine!({ ...lines[0], run: 3 }, s)).toMatch(/--runs/);
    expect(annealNetsDescriptor.checkLine!({ ...lines[0], anneal: { ...lines[0].anneal, accept: 'x' } }, s)).toMatch(/anneal/);
    expect(annealNetsDescriptor.checkLine!(lines[0], { ...s, ternary: false })).toMatch(/ternary/);
  });
});

describe('the estimate of anneal-nets', () => {
  const p = (hidden: number, anneal: object) => ({ train: { layers: [100, hidden, 10], bias: false }, data: { trainSize: 1000 }, anneal: { sweeps: 60, ternary: true, index: 'exact', ...anneal } }) as any;
  const index = { hessian: 2.8e-10, fixed: 0, ldlt: 1.8e-10 };
  const cal = [{ probe: 0.1, proposal: 1e-5, ternaryProposal: 2e-5, evaluate: 0.05, index }, { probe: 0.3, proposal: 3e-5, ternaryProposal: 4e-5, evaluate: 0.15, index: { hessian: 3 * 2.8e-10, fixed: 0, ldlt: 3 * 1.8e-10 } }];

  it('one run: probes and evaluations per chain, 40 stages × round(1.5·P) proposals, the index of three end points', () => {
    // P = 550: 40 · 825 = 33 000 proposals at 2e-5 + 3e-5 s; two chains of 0.2 s probes + 0.1 s evaluations.
    const base = 2 * 0.3 + 33000 * 5e-5;
    expect(secondsPerAnnealRun(p(5, { index: 'none' }), cal)).toBeCloseTo(base, 12);
    // The index constants: the workers' mean, (1 + 3)/2 times the first's.
    expect(secondsPerAnnealRun(p(5, {}), cal)).toBeCloseTo(base + 3 * 2 * (2.8e-10 * 1000 * 550 ** 2 + 1.8e-10 * 550 ** 3), 12);
    expect(secondsPerAnnealRun(p(5, { ternary: false }), cal)).toBeCloseTo(0.3 + 33000 * 2e-5 + 2 * 2 * indexSeconds(index, 1000, 550), 12);
    expect(indexSeconds({ hessian: 1e-10, fixed: 1e-8, ldlt: 2e-10 }, 1000, 100)).toBeCloseTo((1e-7 + 1e-8) * 1e4 + 2e-4, 15);
    // P = 3300 is above the index limit.
    expect(secondsPerAnnealRun(p(30, {}), cal)).toBeCloseTo(2 * 0.3 + 40 * 4950 * 5e-5, 9);
  });

  it('--dry-run calibrates in the workers on the real subset: a finite, positive time', async () => {
    const d = await dryRun(annealNetsDescriptor, resolveSettings(annealNetsDescriptor, 'smoke'), { workers: 2 });
    expect(d.estimate!.seconds).toBeGreaterThan(0);
    expect(Number.isFinite(d.estimate!.seconds)).toBe(true);
  }, 60_000);
});
