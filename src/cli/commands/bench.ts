// `landscape bench`: runs the benchmark suite in bench/ (plain ESM beside the package) and
// prints its side-by-side table. Timings are measured, never asserted.
import type { Command } from 'commander';
import { helpExamples } from './experiment.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withGlobals, type GlobalOptions } from '../globals.js';
import { parseChoice } from '../args.js';

// roofline last in this list only: runBench always runs it first, whichever suites are named.
// e2e (whole quick ensembles beside PyTorch and NumPy, minutes) runs only when named.
const SUITES = ['gemm', 'pool', 'pspin', 'mlp', 'curvature', 'e2e', 'roofline'] as const;
const DEFAULT_SUITES = SUITES.filter((s) => s !== 'e2e');

interface BenchOptions extends GlobalOptions {
  suite?: string[];
  quick: boolean;
  browser: boolean;
  tiles: boolean;
}

export function registerBench(program: Command): void {
  const suite = parseChoice(SUITES);
  withGlobals(program.command('bench').description('benchmark the kernels side by side with their peers (TF.js wasm, JS, NumPy, PyTorch)'), {}, ['out', 'json', 'quiet', 'debug'])
    .option('--suite <name>', `suite to run, repeatable (${SUITES.join(', ')}; default all but e2e; roofline always runs first)`, (v: string, acc: string[] = []) => [...acc, suite(v)])
    .option('--quick', 'few shapes and repetitions, for a smoke run', false)
    .option('--no-browser', 'skip the headless-Chromium run of the same suite')
    .option('--tiles', 'gemm: also time every tile variant of gemm_f32, forced (Node only)', false)
    .addHelpText('after', helpExamples([['landscape bench --quick', 'every suite on few shapes, beside its peers'], ['landscape bench --suite gemm --no-browser --json > gemm.json', 'GEMM only, in Node, as JSON'], ['landscape bench --suite e2e --no-browser', 'the quick ensembles end to end on 2 workers beside PyTorch and NumPy (minutes)']]))
    .action(async (opts: BenchOptions) => {
      const bench = await import(new URL('../../../bench/index.mjs', import.meta.url).href);
      const report = await bench.runBench({
        suites: opts.suite ?? [...DEFAULT_SUITES],
        quick: opts.quick,
        tiles: opts.tiles,
        browser: opts.browser,
        json: opts.json,
        log: opts.quiet ? () => {} : (line: string) => process.stderr.write(line + '\n'),
      });
      if (opts.out) {
        mkdirSync(opts.out, { recursive: true });
        writeFileSync(join(opts.out, 'bench.json'), JSON.stringify(report, null, 2) + '\n');
      }
      if (opts.json) process.stdout.write(JSON.stringify(report) + '\n');
      else process.stdout.write(bench.formatTable(report) + '\n');
    });
}
