// The claims of [P2] the network lab tests, with their status from a summary.
import { passed, settingDifferences, type Claim } from '../experiment/claims.js';
import { trendWords, type TrendTest } from '../stats/trend.js';
import { finishedView, type MlpRunSummary, type MlpSettings } from './experiment.js';

const CLAIMS = [
  { source: '[P2] Fig. 3 (right), supp. Fig. 10', claim: 'The spread (variance) of the test loss across nets falls as the hidden width grows' },
  { source: '[P2] Table 1', claim: 'The train–test loss correlation across nets falls as the hidden width grows' },
];

/** [P2] Table 1: Pearson correlation between train and test loss, per n1. */
export const P2_TABLE1: Record<number, number> = { 25: 0.7616, 50: 0.6861, 100: 0.5983, 250: 0.5302, 500: 0.4081 };

export function mlpClaims(s: MlpSettings | null, raw: MlpRunSummary | null, paper: MlpSettings): Claim[] {
  if (!s || !raw) return CLAIMS.map((c) => ({ ...c, status: 'not run', note: '' }));
  const gs = finishedView(raw).groups.filter((g) => typeof g.hidden === 'number');
  if (gs.length < 2) return CLAIMS.map((c) => ({ ...c, status: 'not run', note: 'needs two or more one-hidden-layer widths' }));
  const diff = settingDifferences(s as never, paper as never, ['hidden', 'runs', 'epochs', 'trainSize', 'testSize']);
  const set = diff.length ? `; setting: ${diff.join(', ')}` : '';
  const first = gs[0], last = gs[gs.length - 1];
  const r = gs.map((g) => `${g.pearson.value.toFixed(3)}${P2_TABLE1[g.hidden as number] !== undefined ? ` ([P2] ${P2_TABLE1[g.hidden as number]})` : ''} at n1 = ${g.hidden}`);
  // A trend counts when its permutation test says so (p < 0.05, falling); with fewer than three
  // widths there is no test, and first-to-last is all that can be said.
  const falls = (t: TrendTest | null, firstToLast: boolean) => (t ? t.p < 0.05 && t.slope.value < 0 : firstToLast);
  const how = (t: TrendTest | null) => (t ? `; trend ${trendWords(t)}` : '; first to last only, no trend test (fewer than three widths)');
  const tr = raw.trends ?? { pearson: null, variance: null };
  return [
    { ...CLAIMS[0], status: falls(tr.variance, last.test.variance < first.test.variance) ? passed(diff) : 'not reproduced', note: `variance ${first.test.variance.toExponential(2)} (n1 = ${first.hidden}) → ${last.test.variance.toExponential(2)} (n1 = ${last.hidden})${how(tr.variance)}${set}` },
    { ...CLAIMS[1], status: falls(tr.pearson, last.pearson.value < first.pearson.value) ? passed(diff) : 'not reproduced', note: `Pearson r ${r.join(', ')}${how(tr.pearson)}${set}` },
  ];
}
