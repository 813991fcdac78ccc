// Table 1 from the shards finished so far (an interim look while a sharded mlp run is under way):
//   node scripts/partial-table1.mjs docs/paper/shards/mlp-1-of-4 docs/paper/shards/mlp-2-of-4 ...
// The lines of every given shard, summarised as one run would be (src/mlp/experiment.ts), with
// [P2]'s values beside. Nothing is written; `landscape merge` makes the real folder once all are in.
import { readFileSync } from 'node:fs';
import { summarizeMlp } from '../dist/mlp/experiment.js';
import { P2_TABLE1 } from '../dist/mlp/claims.js';

const dirs = process.argv.slice(2);
const settings = JSON.parse(readFileSync(`${dirs[0]}/mlp-settings.json`, 'utf8'));
delete settings.shard;
const lines = dirs.flatMap((d) => readFileSync(`${d}/mlp.jsonl`, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)));
const sum = summarizeMlp(settings, lines);
const f = (x, d = 4) => (Number.isFinite(x) ? x.toFixed(d) : '–');
console.log(`${lines.length} nets from ${dirs.length} shard(s); ${settings.epochs} epochs, ${settings.trainSize} training images`);
console.log('| n1 | nets | mean test loss [95% CI] | variance [95% CI] | Pearson r [95% CI] | [P2] r |');
console.log('|---|---|---|---|---|---|');
for (const g of sum.groups) {
  console.log(`| ${g.hidden} | ${g.runs} | ${f(g.test.mean)} [${f(g.testMean?.lo)}, ${f(g.testMean?.hi)}] | ${g.test.variance.toExponential(2)} [${g.testVariance?.lo.toExponential(2)}, ${g.testVariance?.hi.toExponential(2)}] | ${f(g.pearson.value, 3)} [${f(g.pearson.lo, 3)}, ${f(g.pearson.hi, 3)}] | ${P2_TABLE1[g.hidden] ?? '–'} |`);
}
const t = sum.trends;
if (t?.pearson) console.log(`trend of atanh r per doubling of width: ${f(t.pearson.slope.value, 3)} [${f(t.pearson.slope.lo, 3)}, ${f(t.pearson.slope.hi, 3)}], permutation p = ${t.pearson.p}`);
if (t?.variance) console.log(`trend of log variance per doubling: ${f(t.variance.slope.value, 3)} [${f(t.variance.slope.lo, 3)}, ${f(t.variance.slope.hi, 3)}], permutation p = ${t.variance.p}`);
