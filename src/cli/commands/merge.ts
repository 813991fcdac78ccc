// `landscape merge DIR... --out DIR`: joins the folders of `--shard k/n` runs (of any registered
// experiment, or of reproduce) into the results of a single run, byte for byte.
import type { Command } from 'commander';
import { helpExamples } from './experiment.js';
import { withGlobals, type GlobalOptions } from '../globals.js';
import { UsageError } from '../errors.js';
import type { Experiment } from '../../experiment/descriptor.js';
import { isReproduceShard, mergeReproduce, mergeShards } from '../../run/merge.js';

export function registerMerge(program: Command, experiments: readonly Experiment[]): void {
  withGlobals(program.command('merge').description('join the folders of --shard k/n runs into the results of a single run (byte-identical)'), {}, ['workers', 'out', 'quiet', 'fast', 'debug', 'task-timeout'])
    .argument('<dirs...>', 'shard output folders (all n shards of one run)')
    .addHelpText('after', helpExamples([['landscape merge part-1 part-2 part-3 --out results/pspin', 'three pspin shard folders joined into the single-run files'], ['landscape merge r-1 r-2 --out results', 'two reproduce shards: every experiment merged, then the report']]))
    .action(async (dirs: string[], opts: GlobalOptions) => {
      if (!opts.out) throw new UsageError('--out: merge needs an output folder');
      const runner = { workers: opts.workers, fast: opts.fast, taskTimeoutSeconds: opts.taskTimeout, experiments };
      if (dirs.every(isReproduceShard)) {
        process.stdout.write(`report: ${await mergeReproduce(dirs, opts.out, runner)}\n`);
        return;
      }
      const name = await mergeShards(dirs, opts.out, runner);
      if (!opts.quiet) process.stdout.write(`merged ${dirs.length} ${name} shards into ${opts.out}\n`);
    });
}
