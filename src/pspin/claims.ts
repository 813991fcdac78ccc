// The claims of [P2] the spin-glass experiment tests, with their status from a summary.
import { passed, settingDifferences, type Claim } from '../experiment/claims.js';
import type { PSpinSettings } from './model.js';
import type { PSpinSummary } from './experiment.js';

const CLAIMS = [
  { source: '[P2] Fig. 3 (left), supp. Fig. 8', claim: 'GD minima concentrate just above −E∞ as Λ grows: the mean nears −E∞ and the spread falls' },
  { source: '[P2] §5', claim: 'Almost no endpoint goes below the ground-state threshold −E₀ (at most 1% per size)' },
  { source: '[P2] §5', claim: 'Gradient-descent endpoints are minima (index 0 for at least 95% per size)' },
];

export function pspinClaims(s: PSpinSettings | null, sum: PSpinSummary | null, paper: PSpinSettings): Claim[] {
  if (!s || !sum || !sum.groups.length) return CLAIMS.map((c) => ({ ...c, status: 'not run', note: '' }));
  const diff = settingDifferences(s as never, paper as never, ['p', 'ns', 'restarts', 'method']);
  const gs = sum.groups.filter((g) => g.instance === 0);
  const first = gs[0], last = gs[gs.length - 1];
  const f4 = (x: number) => x.toFixed(4);
  const concentrates = gs.length >= 2 && last.sd < first.sd && Math.abs(last.mean + sum.Einf) < Math.abs(first.mean + sum.Einf);
  const below = Math.max(...sum.groups.map((g) => g.fracBelowE0));
  const idx = sum.groups.map((g) => g.fracIndex0).filter((x): x is number => x !== null);
  const set = diff.length ? `; setting: ${diff.join(', ')}` : '';
  return [
    { ...CLAIMS[0], status: concentrates ? passed(diff) : 'not reproduced', note: `mean ${f4(first.mean)} (Λ = ${first.n}) → ${f4(last.mean)} (Λ = ${last.n}), −E∞ = ${f4(-sum.Einf)}; sd ${f4(first.sd)} → ${f4(last.sd)}; one coupling draw per size${set}` },
    { ...CLAIMS[1], status: below <= 0.01 ? passed(diff) : 'not reproduced', note: `at most ${(100 * below).toFixed(1)}% per size below −E₀ = ${f4(-sum.E0)}${set}` },
    idx.length
      ? { ...CLAIMS[2], status: Math.min(...idx) >= 0.95 ? passed(diff) : 'not reproduced', note: `${(100 * Math.min(...idx)).toFixed(1)}%–${(100 * Math.max(...idx)).toFixed(1)}% index 0 per size (tolerance ${s.indexTol})${set}` }
      : { ...CLAIMS[2], status: 'not run', note: 'run with --index' },
  ];
}
