import { describe, it, expect } from 'vitest';
import { bootstrapCorrelation, fitExpPower, lossStats } from '../src/mlp/stats.js';

describe('ensemble statistics', () => {
  it('Pearson and Spearman match hand-computable cases, with a bootstrap interval around them', () => {
    const x = Array.from({ length: 50 }, (_, i) => i);
    const exact = bootstrapCorrelation(x, x.map((v) => 3 * v + 1), 'pearson');
    expect(exact.value).toBeCloseTo(1, 12);
    const mono = bootstrapCorrelation(x, x.map((v) => Math.exp(v / 10)), 'spearman');
    expect(mono.value).toBeCloseTo(1, 12);
    const noisy = bootstrapCorrelation(x, x.map((v, i) => v + 30 * Math.sin(i * 12.9898)), 'pearson', 7);
    expect(noisy.lo).toBeLessThanOrEqual(noisy.value);
    expect(noisy.hi).toBeGreaterThanOrEqual(noisy.value);
    expect(bootstrapCorrelation(x, x, 'pearson', 3)).toEqual(bootstrapCorrelation(x, x, 'pearson', 3));
  });

  it('recovers α and β of an exact exp(α·n^β) law', () => {
    const widths = [25, 50, 100, 250, 500];
    const fit = fitExpPower(widths, widths.map((n) => 2 * Math.exp(0.8 * n ** -0.5)))!;
    expect(fit.beta).toBeCloseTo(-0.5, 2);
    expect(fit.alpha).toBeCloseTo(0.8, 2);
  });

  it('loss statistics: mean, unbiased variance and quantiles', () => {
    const s = lossStats([1, 2, 3, 4, 5]);
    expect(s.mean).toBe(3);
    expect(s.variance).toBe(2.5);
    expect(s.q50).toBe(3);
    expect([s.min, s.max]).toEqual([1, 5]);
  });
});
