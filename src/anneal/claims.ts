// The claims of [P2] supp. §12.2 and §5.1 the annealing experiment tests, with their status.
import { passed, settingDifferences, type Claim } from '../experiment/claims.js';
import type { AnnealNetsSettings, AnnealSummary } from './descriptor.js';

const CLAIMS = [
  { source: '[P2] supp. Fig. 6', claim: 'SGD does at least as well as simulated annealing (test loss), so it is not stuck at saddles' },
  { source: '[P2] §5.1', claim: 'Annealing with weights in {−1, 0, +1} loses under 2.5 points of accuracy' },
];

export function annealClaims(s: AnnealNetsSettings | null, sum: AnnealSummary | null, paper: AnnealNetsSettings): Claim[] {
  if (!s || !sum || !sum.groups.length) return CLAIMS.map((c) => ({ ...c, status: 'not run', note: '' }));
  const diff = settingDifferences(s as never, paper as never, ['hidden', 'runs', 'epochs', 'trainSize', 'sweeps']);
  const set = diff.length ? `; setting: ${diff.join(', ')}` : '';
  const atLeast = sum.groups.every((g) => g.verdict === 'tie' || g.verdict === 'better');
  const ternary = sum.groups.filter((g) => g.ternary);
  const drops = ternary.map((g) => 100 * g.ternary!.dropVsSgd.diff.mean); // the summary holds fractions; [P2] speaks in points
  return [
    { ...CLAIMS[0], status: atLeast ? passed(diff) : 'not reproduced', note: `${sum.groups.map((g) => `n_h = ${g.hidden}: ${g.verdict}`).join(', ')} (paired t CI of SGD − annealing)${set}` },
    ternary.length
      ? { ...CLAIMS[1], status: drops.every((d) => d < 2.5) ? passed(diff) : 'not reproduced', note: `drop against SGD ${ternary.map((g, i) => `${drops[i].toFixed(1)} at n_h = ${g.hidden}`).join(', ')} points${set}` }
      : { ...CLAIMS[1], status: 'not run', note: 'run with --ternary' },
  ];
}
