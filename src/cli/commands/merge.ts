// `landscape merge DIR... --out DIR`: joins the folders of `--shard k/n` runs (of any registered
// experiment, or of reproduce) into the results of a single run, byte for byte.
import type { Command } from 'commander';
import { withGlobals, type GlobalOptions } from '../globals.js';
import { UsageError } from '../errors.js';
import type { Experiment } from '../../experiment/descriptor.js';
import { isReproduceShard, mergeReproduce, mergeShards } from '../../run/merge.js';

export function registerMerge(program: Command, experiments: readonly Experiment[]): void {
  withGlobals(program.command('merge').description('join the folders of --shard k/n runs into the results of a single run (byte-identical)'), {}, ['workers', 'out', 'quiet', 'fast', 'debug', 'task-timeout'])
    .argument('<dirs...>', 'shard output folders (all n shards of one run)')
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
