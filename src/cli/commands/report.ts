// `landscape report DIR`: (re)builds DIR/report.html from the result files already in DIR.
import type { Command } from 'commander';
import { helpExamples } from './experiment.js';
import type { Experiment } from '../../experiment/descriptor.js';
import { writeReport } from '../../run/report.js';

export { writeReport } from '../../run/report.js';

export function registerReport(program: Command, experiments: readonly Experiment[]): void {
  program.command('report')
    .description('rebuild DIR/report.html from the results already in DIR (nothing is recomputed)')
    .argument('<dir>', `a folder written by landscape reproduce (or by one of ${experiments.filter((e) => e.command !== false).map((e) => `landscape ${e.name}`).join(', ')})`)
    .option('--quiet', 'print nothing on success', false)
    .option('--debug', 'print stack traces on errors', false)
    .addHelpText('after', helpExamples([['landscape report results', 'rebuild results/report.html from the folders landscape reproduce wrote'], ['landscape report results/pspin', 'a report of one experiment folder']]))
    .action(async (dir: string, opts: { quiet: boolean }) => {
      const path = await writeReport(dir, experiments);
      if (!opts.quiet) process.stdout.write(`${path}\n`);
    });
}
