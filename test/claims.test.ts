// The report's status table and title follow the results: each claim's status is computed, and
// "reproduced" stands in the title only when every tested claim is.
import { drawsPhrase, pspinTrends, sizeSummaries } from '../src/pspin/sizes.js';
import { describe, it, expect } from 'vitest';
import { passed, reportTitle, settingDifferences, type Claim } from '../src/experiment/claims.js';
import { pspinClaims } from '../src/pspin/claims.js';
import { PSPIN_DEFAULTS, pspinDescriptor } from '../src/pspin/descriptor.js';

const claim = (status: Claim['status']): Claim => ({ source: 's', claim: 'c', status, note: '' });

describe('claims', () => {
  it('the title says "reproduced" only when every tested claim is', () => {
    expect(reportTitle([claim('reproduced'), claim('beyond the paper')])).toBe('The loss surfaces of multilayer networks, reproduced');
    expect(reportTitle([claim('reproduced'), claim('reproduced with a different setting'), claim('not reproduced')])).toBe('The loss surfaces of multilayer networks: 2 of 3 claims reproduced here (1 as in the paper, 1 with a different setting)');
    expect(reportTitle([claim('reproduced with a different setting'), claim('not reproduced')])).toMatch(/: 1 of 2 claims reproduced here \(1 with a different setting\)$/);
    expect(reportTitle([claim('reproduced'), claim('not reproduced')])).toMatch(/: 1 of 2 claims reproduced here$/);
  });

  it('the number of coupling draws reads as one number when every size has it', () => {
    expect(drawsPhrase([{ instances: 8 }, { instances: 8 }])).toBe('8 coupling draws');
    expect(drawsPhrase([{ instances: 2 }, { instances: 8 }])).toBe('2–8 coupling draws');
  });

  it('a setting that differs from the paper is named, and changes the status', () => {
    const diff = settingDifferences({ restarts: 200, p: 3 }, { restarts: 1000, p: 3 }, ['restarts', 'p']);
    expect(diff).toEqual(['restarts 200 (paper 1000)']);
    expect(passed(diff)).toBe('reproduced with a different setting');
    expect(passed([])).toBe('reproduced');
  });

  it('spin glass: computed from the summary (a spread that does not fall is not reproduced)', () => {
    const paper = { ...PSPIN_DEFAULTS, ...pspinDescriptor.profiles.paper };
    const s = { ...paper, index: true };
    const g = (n: number, mean: number, sd: number) => ({ n, instance: 0, count: 10, mean, sd, min: mean, max: mean, q05: mean, q50: mean, q95: mean, converged: 1, meanIterations: 1, fracIndex0: 1, fracBelowE0: 0, fracBelowEinf: 0 });
    const sum = (groups: ReturnType<typeof g>[]) => ({ p: 3, Einf: 1.633, E0: 1.657, settings: s, groups, sizes: sizeSummaries(groups), trends: pspinTrends(groups, 1.633) });
    const falls = pspinClaims(s, sum([g(25, -1.43, 0.13), g(500, -1.60, 0.012)]), paper);
    expect(falls.map((c) => c.status)).toEqual(['reproduced', 'reproduced', 'reproduced']);
    const flat = pspinClaims(s, sum([g(25, -1.43, 0.01), g(500, -1.60, 0.02)]), paper);
    expect(flat[0].status).toBe('not reproduced');
    // with three sizes and draws, a fall within the draw-to-draw noise is not a reproduction
    const noisy = [25, 100, 500].flatMap((n, i) => [0, 1, 2].map((k) => ({ ...g(n, -1.5 - 0.05 * i, [0.05, 0.09, 0.04][(k + i) % 3] - 0.001 * i), instance: k })));
    expect(pspinClaims(s, sum(noisy), paper)[0].status).toBe('not reproduced');
    const clean = [25, 100, 500].flatMap((n, i) => [0, 1, 2].map((k) => ({ ...g(n, -1.633 + 0.2 / 2 ** (2 * i) + 0.001 * k, 0.1 / 2 ** (2 * i) * (1 + 0.05 * k)), instance: k })));
    expect(pspinClaims(s, sum(clean), paper)[0].status).toBe('reproduced');
    expect(pspinClaims(null, null, paper).every((c) => c.status === 'not run')).toBe(true);
    // "Per size" pools the draws: one draw with 4% below −E0 among eight with none is 0.5% of
    // its size (reproduced); the same 4% in every draw is not.
    const draws = (below: (k: number) => number) => [25, 500].flatMap((n, i) => Array.from({ length: 8 }, (_, k) => ({ ...g(n, i ? -1.6 : -1.43, i ? 0.012 : 0.13), instance: k, fracBelowE0: below(k), fracIndex0: k === 0 ? 0.9 : 1 })));
    const one = pspinClaims(s, sum(draws((k) => (k === 0 ? 0.04 : 0))), paper);
    expect(one[1].status).toBe('reproduced');
    expect(one[1].note).toMatch(/at most 0\.5% per size/);
    expect(one[2].status).toBe('reproduced'); // 98.75% index 0 per size, though one draw has 90%
    expect(one[2].note).toMatch(/^98\.8%–98\.8% index 0 per size/);
    expect(pspinClaims(s, sum(draws(() => 0.04)), paper)[1].status).toBe('not reproduced');
  });
});
