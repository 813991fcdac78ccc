// The claim of [P2] supp. §12.1 the curvature experiment tests, with its status from a summary.
import { passed, settingDifferences, type Claim } from '../experiment/claims.js';
import type { HessianSettings, HessianSummary } from './descriptor.js';

const CLAIM = { source: '[P2] supp. Fig. 5', claim: 'SGD solutions have normalised index 0 or at most about 0.01 (almost all are minima)' };

export function hessianClaims(s: HessianSettings | null, sum: HessianSummary | null, paper: HessianSettings): Claim[] {
  if (!s || !sum || !sum.groups.length) return [{ ...CLAIM, status: 'not run', note: '' }];
  const diff = settingDifferences(s as never, paper as never, ['hidden', 'runs', 'epochs', 'trainSize']);
  const ok = sum.groups.every((g) => g.normalisedIndex.mean <= 0.01);
  const note = sum.groups.map((g) => `n1 = ${g.hidden}: mean ${g.normalisedIndex.mean.toFixed(4)}, ${g.minima}/${g.nets} minima, median ‖∇L‖ ${g.gradNorm.median.toExponential(1)}`).join('; ');
  return [{ ...CLAIM, status: ok ? passed(diff) : 'not reproduced', note: `${note}; exact f64 Hessians of unpolished SGD endpoints${diff.length ? `; setting: ${diff.join(', ')}` : ''}` }];
}
