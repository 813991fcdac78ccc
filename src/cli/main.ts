// The command line: parse, call the library, print. No science lives here.
import { Command, CommanderError } from 'commander';
import { UsageError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './errors.js';
import { MemoryLimitError } from '../heap.js';
import { SettingsError } from '../experiment/fields.js';
import type { Experiment } from '../experiment/descriptor.js';
import { EXPERIMENTS } from '../registry.js';
import { packageVersion } from '../run/version.js';
import { registerInfo } from './commands/info.js';
import { registerBench } from './commands/bench.js';
import { registerTheory } from './commands/theory.js';
import { registerExperiment, RunFailure } from './commands/experiment.js';
import { registerMerge } from './commands/merge.js';
import { registerReport } from './commands/report.js';
import { registerReproduce } from './commands/reproduce.js';
import { registerExportMnist } from './commands/export-mnist.js';
import { registerEval } from './commands/eval.js';
import { NpyError } from '../io/npy.js';
import { FolderError } from '../io/folders.js';

const EXAMPLES = `
Shared flags (each command takes those its --help lists; another is refused):
  --seed <n>      base seed, integer 0..2^53-1 (default 1); each task derives its own stream
  --workers <n>   worker threads, 1..256 (default: available cores); results never depend on it
  --out <dir>     output directory
  --json          one machine-readable JSON summary on stdout
  --quiet         no progress bar or chatter on stderr
  --fast          relaxed-SIMD fused multiply-add binary: faster, not bit-reproducible
  --debug         stack traces on errors
  --task-timeout <s>  a task running longer counts as hung: new worker, one retry (at most 2000000 s; default: none)

Examples:
  $ landscape reproduce --profile quick --out results   the main job: theory, spin glass, networks, results/report.html
  $ landscape theory --p 3 --k 7 --json  thresholds E∞, E_0..E_7 and Θ curves as JSON
  $ landscape pspin --p 3 --n 25,50,100 --restarts 200 --index   GD minima of the 3-spin glass with their index
  $ landscape mlp --profile quick       60 nets per width n1 = 25..500 on MNIST: loss spread and train–test correlation
  $ landscape pspin --shard 2/3 --out r2 …   one deterministic third of a run; then:
  $ landscape merge r1 r2 r3 --out r   the three shards joined, byte-identical to one run
  $ landscape info                       which wasm binaries this engine runs, and the cores
  $ landscape bench --quick              GEMM and pool benchmarks beside TF.js-wasm, JS and NumPy
  $ landscape bench --json > bench.json  the same, as one JSON object
  $ landscape bench --suite gemm --no-browser --fast

Exit codes: 0 ok, 1 runtime failure, 2 bad input.`;

export function buildProgram(experiments: readonly Experiment[] = EXPERIMENTS): Command {
  const program = new Command('landscape')
    .description('Loss surfaces of neural networks and spherical spin glasses (Choromanska et al. 2015), on a WebAssembly core')
    .version(packageVersion(), '-V, --version')
    .addHelpText('after', EXAMPLES)
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ outputError: () => {} });
  registerReproduce(program, experiments);
  registerInfo(program);
  registerTheory(program);
  for (const exp of experiments) if (exp.command !== false) registerExperiment(program, exp);
  registerMerge(program, experiments);
  registerReport(program, experiments);
  registerBench(program);
  registerExportMnist(program);
  registerEval(program);
  for (const cmd of program.commands) cmd.exitOverride().configureOutput({ outputError: () => {} });
  return program;
}

/** Commander's messages on one line: its "(Did you mean …?)" hint stays, joined to the error. */
function oneLine(message: string): string {
  return message.replace(/^error:\s*/i, '').split('\n').map((l) => l.trim()).filter(Boolean).join(' ');
}

/** Flags that may be given more than once (each adds a value). */
const REPEATABLE = new Set(['--suite']);

/** A flag given twice would silently keep one value: refuse it, naming the flag. */
function refuseRepeatedFlags(args: string[]): void {
  const seen = new Set<string>();
  for (const a of args) {
    if (a === '--') return;
    if (!/^--[a-z]/.test(a)) continue;
    const name = a.split('=')[0];
    if (seen.has(name) && !REPEATABLE.has(name)) throw new UsageError(`${name}: given twice; give each flag once`);
    seen.add(name);
  }
}

/** Runs the CLI and returns the exit code; never throws. */
export async function main(argv: string[], experiments: readonly Experiment[] = EXPERIMENTS): Promise<number> {
  const debug = argv.includes('--debug');
  const program = buildProgram(experiments);
  try {
    if (argv.length <= 2) {
      program.outputHelp();
      return EXIT_OK;
    }
    refuseRepeatedFlags(argv.slice(2));
    await program.parseAsync(argv);
    return EXIT_OK;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT_OK;
      process.stderr.write(`landscape: ${oneLine(e.message)} (see landscape --help)\n`);
      return EXIT_USAGE;
    }
    const err = e as Error;
    if (err instanceof RunFailure) {
      process.stderr.write(`landscape: ${oneLine(err.message)}\n`);
      return EXIT_FAILURE;
    }
    if (err instanceof UsageError || err instanceof SettingsError || err instanceof MemoryLimitError || err instanceof NpyError || err instanceof FolderError) {
      process.stderr.write(`landscape: ${oneLine(err.message)}\n`);
      if (debug) process.stderr.write(`${err.stack}\n`);
      return EXIT_USAGE;
    }
    process.stderr.write(`landscape: ${oneLine(err?.message ?? String(e))}${debug ? '' : ' (run with --debug for details)'}\n`);
    if (debug) process.stderr.write(`${err?.stack}\n`);
    return EXIT_FAILURE;
  }
}
