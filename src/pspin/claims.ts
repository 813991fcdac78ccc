// The claims of [P2] the spin-glass experiment tests, with their status from a summary.
import { passed, settingDifferences, type Claim } from '../experiment/claims.js';
import type { PSpinSettings } from './model.js';
import type { PSpinSummary } from './experiment.js';
import { drawsPhrase, sizeTrendWords, type PSpinTrends } from './sizes.js';

const CLAIMS = [
  { source: '[P2] Fig. 3 (left), supp. Fig. 8', claim: 'GD minima concentrate just above −E∞ as Λ grows: the mean nears −E∞ and the spread falls' },
  { source: '[P2] §5', claim: 'Almost no endpoint goes below the ground-state threshold −E₀ (at most 1% per size)' },
  { source: '[P2] §5', claim: 'Gradient-descent endpoints are minima (index 0 for at least 95% per size)' },
];

export function pspinClaims(s: PSpinSettings | null, sum: PSpinSummary | null, paper: PSpinSettings): Claim[] {
  if (!s || !sum || !sum.groups.length) return CLAIMS.map((c) => ({ ...c, status: 'not run', note: '' }));
  const diff = settingDifferences(s as never, paper as never, ['p', 'ns', 'restarts', 'instances', 'method']);
  const sizes = sum.sizes ?? [];
  const first = sizes[0], last = sizes[sizes.length - 1];
  const f4 = (x: number) => x.toFixed(4);
  const tr = sum.trends;
  // With three or more (Λ, draw) points the claim needs both trends to fall significantly (the
  // slope's t-test, as sizeTrendWords words it); with two sizes, first to last is all there is.
  const falls = (t: PSpinTrends['spread'] | undefined, firstToLast: boolean) => (t?.slope ? t.slope.p < 0.05 && t.slope.value < 0 : firstToLast);
  const concentrates = sizes.length >= 2 && falls(tr?.spread, last.withinSd.mean < first.withinSd.mean) && falls(tr?.gap, Math.abs(last.mean.mean + sum.Einf) < Math.abs(first.mean.mean + sum.Einf));
  const draws = sizes.length ? (sizes.every((z) => z.instances === 1) ? 'one coupling draw per size' : `${drawsPhrase(sizes)} per size, CIs over draws`) : '';
  const ci = (c: { mean: number; lo: number; hi: number }) => (Number.isFinite(c.lo) ? `${f4(c.mean)} [${f4(c.lo)}, ${f4(c.hi)}]` : f4(c.mean));
  const trendNote = tr ? `; ${sizeTrendWords(tr.spread, 'ln sd')}; ${sizeTrendWords(tr.gap, 'the gap to −E∞')}` : '';
  // "Per size": the draws of a size pooled (weighted by their endpoints), not the worst single draw.
  const below = Math.max(...perSize(sum.groups, (g) => g.fracBelowE0));
  const idx = perSize(sum.groups, (g) => g.fracIndex0);
  const set = diff.length ? `; setting: ${diff.join(', ')}` : '';
  return [
    { ...CLAIMS[0], status: concentrates ? passed(diff) : 'not reproduced', note: sizes.length ? `mean ${ci(first.mean)} (Λ = ${first.n}) → ${ci(last.mean)} (Λ = ${last.n}), −E∞ = ${f4(-sum.Einf)}; within-draw sd ${ci(first.withinSd)} → ${ci(last.withinSd)}; ${draws}${trendNote}${set}` : '' },
    { ...CLAIMS[1], status: below <= 0.01 ? passed(diff) : 'not reproduced', note: `at most ${(100 * below).toFixed(1)}% per size below −E₀ = ${f4(-sum.E0)}${set}` },
    idx.length
      ? { ...CLAIMS[2], status: Math.min(...idx) >= 0.95 ? passed(diff) : 'not reproduced', note: `${(100 * Math.min(...idx)).toFixed(1)}%–${(100 * Math.max(...idx)).toFixed(1)}% index 0 per size (tolerance ${s.indexTol})${set}` }
      : { ...CLAIMS[2], status: 'not run', note: 'run with --index' },
  ];
}

/** A per-draw fraction pooled over the draws of each size (weighted by endpoints); sizes without it are left out. */
export function perSize<G extends { n: number; count: number }>(groups: readonly G[], f: (g: G) => number | null): number[] {
  const sums = new Map<number, { x: number; w: number }>();
  for (const g of groups) {
    const v = f(g);
    if (v === null) continue;
    const acc = sums.get(g.n) ?? { x: 0, w: 0 };
    acc.x += v * g.count;
    acc.w += g.count;
    sums.set(g.n, acc);
  }
  return [...sums.values()].map((a) => a.x / a.w);
}
