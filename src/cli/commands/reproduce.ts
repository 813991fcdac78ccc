// `landscape reproduce --profile smoke|quick|standard|workstation|paper --out DIR`: the main job. Runs every
// registered experiment with the profile's settings through the library, then DIR/report.html.
// `npm start` runs the quick profile.
import type { Command } from 'commander';
import { describePlan, estimatingLine, helpExamples } from './experiment.js';
import { join } from 'node:path';
import { withGlobals, type GlobalOptions } from '../globals.js';
import { parseChoice } from '../args.js';
import { parseShard, shardLabel, type Shard } from '../shard.js';
import { startProgress } from '../progress.js';
import { onInterrupt, resumeCommand } from '../run.js';
import { PROFILES, resolveSettings, type Experiment, type ProfileName } from '../../experiment/descriptor.js';
import { reproduce } from '../../run/reproduce.js';
import { dryRun, type RunPlan } from '../../run/runner.js';
import { formatBytes } from '../../heap.js';

const ABOUT: Record<ProfileName, string> = {
  smoke: 'seconds; tries the whole pipeline, shows nothing',
  quick: 'a few minutes on 2 cores',
  standard: 'two to three hours on 2 cores',
  workstation: "[P2]'s regime with fewer runs: hours on 2 cores, in shards across sessions",
  paper: '[P2] scale: a cluster job',
};

interface ReproduceCliOptions extends GlobalOptions {
  dryRun: boolean;
  profile: ProfileName;
  resume: boolean;
  shard?: Shard;
}

export function registerReproduce(program: Command, experiments: readonly Experiment[]): void {
  withGlobals(program.command('reproduce').description(`the main job: ${experiments.map((e) => e.name).join(', ')} with one profile, then DIR/report.html`), { out: 'results' })
    .option('--profile <name>', PROFILES.map((p) => `${p} (${ABOUT[p]})`).join(', '), parseChoice(PROFILES), 'quick')
    .option('--resume', 'accepted for symmetry: reproduce always continues results in --out that have the same settings', false)
    .option('--shard <k/n>', 'run only shard k of n of every experiment; join the shard folders with landscape merge', parseShard)
    .option('--dry-run', 'print what every experiment of the profile would run and the time estimates, then exit without creating --out', false)
    .addHelpText('after', helpExamples([['landscape reproduce --profile quick --out results', 'the main job in a few minutes: every experiment, then results/report.html'], ['landscape reproduce --profile paper --dry-run', 'what the paper-scale run would do, and how long it would take'], ['landscape reproduce --profile paper --shard 2/8 --out part-2', 'one of eight shards for a cluster']]))
    .action(async (opts: ReproduceCliOptions) => {
      const dir = opts.out!;
      if (opts.dryRun) {
        let total = 0;
        const rows = [];
        for (const exp of experiments) {
          // The estimates calibrate in the workers (minutes in all at the large profiles): say which one runs.
          if (!opts.quiet) process.stderr.write(`${estimatingLine(exp.name)}\n`);
          const d = await dryRun(exp, resolveSettings(exp, opts.profile, { seed: opts.seed }), { workers: opts.workers, fast: opts.fast, shard: opts.shard });
          total += d.estimate?.seconds ?? 0;
          rows.push({ experiment: exp.name, tasks: d.tasks, lines: d.lines, unit: d.unit, memoryBytes: d.memoryBytes, estimateSeconds: d.estimate?.seconds ?? null });
          if (!opts.json) process.stdout.write(`${exp.name}: ${d.tasks} task(s), ${d.lines} ${d.unit}, ${d.memoryBytes === null ? '' : `${formatBytes(d.memoryBytes)} per worker, `}${d.estimate ? `estimated ${(d.estimate.seconds / 60).toFixed(1)} min` : 'no estimate'} on ${d.workers} worker(s)\n`);
        }
        if (opts.json) process.stdout.write(JSON.stringify({ profile: opts.profile, experiments: rows, estimateSeconds: total }) + '\n');
        else process.stdout.write(`reproduce --profile ${opts.profile}: estimated ${(total / 60).toFixed(1)} min in all; nothing was written (--dry-run)\n`);
        return;
      }
      const say = (s: string) => { if (!opts.quiet) process.stderr.write(`${s}\n`); };
      if (opts.profile === 'paper' && !opts.shard) {
        say(`On a cluster, run shard k of n on each node and merge:\n  landscape reproduce --profile paper --shard k/n --out part-k   (k = 1..n)\n  landscape merge part-1 … part-n --out ${dir}`);
      }
      const r = await reproduce(dir, {
        profile: opts.profile, seed: opts.seed, workers: opts.workers, fast: opts.fast, taskTimeoutSeconds: opts.taskTimeout, shard: opts.shard,
        experiments, log: say, estimate: !opts.quiet, onPool: (pool) => onInterrupt(pool, resumeCommand()),
        stage: (exp) => {
          const bar = startProgress(exp.name, 0, { quiet: opts.quiet, unit: exp.unit });
          // The stage's plan (what a resume finds done, the estimate) as `landscape <name>` prints it.
          const onPlan = (plan: RunPlan) => { if (!opts.quiet) for (const l of describePlan(exp, plan, join(dir, exp.name, `${exp.name}.jsonl`))) say(`  ${l}`); };
          const onEstimating = () => say(`  ${estimatingLine(exp.name)}`);
          return { onPlan, onEstimating, onProgress: (d, t, w) => bar.update(d, t, w), done: () => bar.stop() };
        },
      });
      if (opts.shard) {
        say(`shard ${shardLabel(opts.shard)} done; when all shards are done: landscape merge <shard folders> --out DIR`);
        if (opts.json) process.stdout.write(JSON.stringify({ profile: opts.profile, dir, shard: shardLabel(opts.shard), stages: r.stages }) + '\n');
        return;
      }
      if (opts.json) process.stdout.write(JSON.stringify({ profile: opts.profile, dir, report: r.report, stages: r.stages }) + '\n');
      else process.stdout.write(`report: ${r.report}\n${r.stages.map((s) => `  ${s.name}: ${s.seconds.toFixed(1)} s`).join('\n')}\n`);
    });
}
