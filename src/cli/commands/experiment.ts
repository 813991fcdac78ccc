// One command per registered experiment, built from its descriptor: the flags come from its
// fields, the settings resolve as defaults ← profile ← --config file ← flags, and the generic
// runner does the work. A thin face: parse, call the library, print.
import { Command, InvalidArgumentError, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { withGlobals, type GlobalOptions } from '../globals.js';
import { parseChoice } from '../args.js';
import { parseShard, type Shard } from '../shard.js';
import { startProgress } from '../progress.js';
import { onInterrupt, resumeCommand } from '../run.js';
import { PROFILES, resolveSettings, type Experiment } from '../../experiment/descriptor.js';
import { SettingsError, fieldPlaceholder, parseFieldText, rangeText, type Field } from '../../experiment/fields.js';
import { dryRun, runExperiment, type RunPlan } from '../../run/runner.js';
import { Heap, formatBytes } from '../../heap.js';
import { loadWasm } from '../../wasm.js';
import { readDataDir, readNetDir } from '../../io/node-files.js';
import { join } from 'node:path';

interface ExperimentOptions extends GlobalOptions {
  profile?: string;
  config?: string;
  printConfig: boolean;
  dryRun: boolean;
  resume: boolean;
  shard?: Shard;
  [key: string]: unknown;
}

function fieldOption(f: Field<any>, shown: unknown): Option {
  const placeholder = fieldPlaceholder(f);
  const def = shown === undefined || shown === null ? '' : `; default ${Array.isArray(shown) ? shown.join(',') : String(shown)}`;
  const opt = new Option(`--${f.flag}${placeholder ? ` ${placeholder}` : ''}`, `${f.help} (${rangeText(f.kind)}${f.kind.type === 'bool' ? '' : def})`);
  if (f.kind.type !== 'bool') {
    opt.argParser((raw: string) => {
      try {
        return parseFieldText(f, raw);
      } catch (e) {
        throw new InvalidArgumentError((e as Error).message);
      }
    });
  }
  return opt;
}

/** Reads --config: a *-settings.json (its shard label dropped) or any subset of the settings. */
function readConfig(exp: Experiment, path: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new SettingsError(`--config: ${path} ${code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a folder, not a JSON file' : code ? `cannot be read (${code})` : 'is not valid JSON'}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new SettingsError(`--config: ${path} must hold one JSON object of ${exp.name} settings`);
  const { shard: _, ...settings } = parsed as Record<string, unknown>;
  return settings;
}

/** The settings this command line asks for, checked; the library does the same checks. */
export function settingsOf(exp: Experiment, opts: ExperimentOptions, cmd: Command): Record<string, unknown> & { seed: number } {
  const explicit = (key: string) => cmd.getOptionValueSource(key) === 'cli';
  const config = opts.config ? readConfig(exp, opts.config) : {};
  const flags: Record<string, unknown> = {};
  for (const f of exp.fields) {
    const attr = new Option(`--${f.flag}`).attributeName();
    // Path settings are recorded absolute, so a resumed or merged run finds the same file.
    if (explicit(attr)) flags[f.key] = f.kind.type === 'path' ? resolve(String(opts[attr])) : opts[attr];
  }
  if (explicit('seed')) flags.seed = opts.seed;
  const given = { ...config, ...flags };
  const flagOf = (key: string) => `--${exp.fields.find((f) => f.key === key)?.flag ?? key}`;
  for (const [a, b] of exp.conflicts ?? []) {
    // null (a settings file's "layers": null) counts as not given
    if (given[a] != null && given[b] != null) throw new SettingsError(`${flagOf(a)}: give either ${flagOf(a)} or ${flagOf(b)}, not both`);
  }
  const where = opts.config ? `--config ${opts.config}` : exp.name;
  return resolveSettings(exp, opts.profile, { ...config, ...flags } as never, where);
}

function optionValues(exp: Experiment, opts: ExperimentOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of exp.options ?? []) {
    const v = opts[new Option(`--${f.flag}`).attributeName()];
    if (v === undefined) continue;
    // Paths reach the platform-neutral code as file URLs (folders with a trailing slash).
    out[f.key] = f.kind.type === 'path' ? pathToFileURL(resolve(String(v)) + (String(f.key).endsWith('Dir') ? '/' : '')).href : v;
  }
  return out;
}

const duration = (s: number) => (s < 120 ? `${s.toFixed(0)} s` : s < 7200 ? `${(s / 60).toFixed(0)} min` : `${(s / 3600).toFixed(1)} h`);

/** Said before an estimate's calibration, which can take minutes at the large profiles. */
export const estimatingLine = (name: string) => `${name}: estimating the time (a short calibration in the workers)`;

export function describePlan(exp: Experiment, plan: RunPlan, resultPath: string): string[] {
  const out: string[] = [];
  if (plan.alreadyDone) out.push(`resuming: ${plan.alreadyDone} of ${plan.total} ${plan.unit} already in ${resultPath}`);
  if (plan.estimate) {
    const e = plan.estimate;
    out.push(`${exp.name}: ${plan.todo} task(s)${e.flops ? ` (${(e.flops / 1e12).toFixed(2)} TFLOP)` : ''}; estimated ${duration(e.seconds)} on ${plan.workers} worker(s)${e.seconds > 3600 ? ' — consider --shard k/n on a cluster (README: "On a cluster")' : ''}`);
  }
  return out;
}

/** `--net DIR --data DIR`: the experiment's measurement of one given net, as JSON on stdout. */
async function runOneNet(exp: Experiment, opts: ExperimentOptions): Promise<void> {
  if (!opts.data) throw new SettingsError('--data: --net needs a data folder too (X.npy, y.npy, data.json)');
  const net = readNetDir(String(opts.net));
  const data = readDataDir(String(opts.data));
  if (data.d !== net.layers[0]) throw new SettingsError(`--data: X.npy has ${data.d} columns but the net takes ${net.layers[0]} inputs`);
  const values: Record<string, unknown> = {};
  for (const f of exp.oneNet!.options ?? []) values[f.key] = opts[new Option(`--${f.flag}`).attributeName()];
  const heap = new Heap(await loadWasm(opts.fast ? 'relaxed' : 'simd'));
  process.stdout.write(JSON.stringify(exp.oneNet!.run(heap, net, data, values)) + '\n');
}

async function runCommand(exp: Experiment, opts: ExperimentOptions, cmd: Command): Promise<void> {
  if (exp.oneNet && opts.net !== undefined) return runOneNet(exp, opts);
  const settings = settingsOf(exp, opts, cmd);
  if (opts.printConfig) {
    process.stdout.write(JSON.stringify(settings, null, 2) + '\n');
    return;
  }
  if (opts.dryRun) {
    const d = await dryRun(exp, settings as never, { workers: opts.workers, fast: opts.fast, shard: opts.shard, options: optionValues(exp, opts) });
    if (opts.json) {
      process.stdout.write(JSON.stringify(d) + '\n');
      return;
    }
    const e = d.estimate;
    process.stdout.write([
      JSON.stringify(d.settings, null, 2),
      `${exp.name}: ${d.tasks} task(s), ${d.lines} ${d.unit}${opts.shard ? ` (shard ${opts.shard.index}/${opts.shard.count})` : ''}`,
      `memory per worker: ${d.memoryBytes === null ? 'not stated' : formatBytes(d.memoryBytes)}; workers: ${d.workers}`,
      e ? `work: ${e.flops ? `${(e.flops / 1e12).toFixed(3)} TFLOP, ` : ''}estimated ${duration(e.seconds)} on ${d.workers} worker(s)` : 'estimate: none for this experiment',
      `nothing was written (--dry-run); drop --dry-run to run into ${opts.out}`,
    ].join('\n') + '\n');
    return;
  }
  const dir = opts.out!;
  const bar = startProgress(exp.name, 0, { quiet: opts.quiet, unit: exp.unit });
  const r = await (async () => {
    try {
      return await runExperiment(exp, settings, {
        out: dir, workers: opts.workers, fast: opts.fast, taskTimeoutSeconds: opts.taskTimeout, resume: opts.resume, shard: opts.shard,
        options: optionValues(exp, opts), estimate: !opts.quiet,
        onPool: (pool) => onInterrupt(pool, resumeCommand()),
        onEstimating: () => { if (!opts.quiet) process.stderr.write(`${estimatingLine(exp.name)}\n`); },
        onPlan: (plan) => { if (!opts.quiet) for (const l of describePlan(exp, plan, join(dir, `${exp.name}.jsonl`))) process.stderr.write(`${l}\n`); },
        onProgress: (done, total, work) => bar.update(done, total, work),
      });
    } finally {
      bar.stop();
    }
  })();
  if (opts.json) {
    process.stdout.write(JSON.stringify(r.summary) + '\n');
    if (r.failure) throw new RunFailure(r.failure);
    return;
  }
  const out = [`${exp.table(r.settings, r.summary)}`, `${r.seconds.toFixed(1)} s on ${r.workers} worker(s)${r.timingNote}`];
  out.push(`results: ${join(dir, `${exp.name}.jsonl`)}, ${join(dir, `${exp.name}-summary.json`)}`);
  if (r.figures.length) out.push(`figures: ${r.figures.join(', ')}`);
  process.stdout.write(out.join('\n') + '\n');
  if (r.failure) throw new RunFailure(r.failure);
}

/** A run that wrote its results but failed as a whole: exit 1, one line, no "--debug" hint needed. */
export class RunFailure extends Error {
  override name = 'RunFailure';
}

export function helpExamples(examples: [string, string][]): string {
  return `\nExamples:\n${examples.map(([c, w]) => `  $ ${c}\n      ${w}`).join('\n')}`;
}

export function registerExperiment(program: Command, exp: Experiment): void {
  const cmd = withGlobals(program.command(exp.name).description(exp.title), { out: `results/${exp.name}` });
  const shown = resolveSettings(exp, undefined);
  cmd.option('--profile <name>', `settings preset: ${PROFILES.join(', ')}${exp.defaultProfile ? ` (default ${exp.defaultProfile})` : ' (default: the defaults below)'}`, parseChoice(PROFILES));
  for (const f of exp.fields) cmd.addOption(fieldOption(f, shown[f.key]));
  for (const f of exp.options ?? []) cmd.addOption(fieldOption(f, undefined));
  if (exp.oneNet) {
    cmd.option('--net <dir>', 'measure one given net folder (net.json, W*.npy) instead of training an ensemble; prints JSON')
      .option('--data <dir>', 'with --net: the data folder (X.npy, y.npy) to measure it on, e.g. from export-mnist');
    for (const f of exp.oneNet.options ?? []) cmd.addOption(fieldOption(f, undefined));
  }
  cmd.option('--config <file>', 'settings from a JSON file (a *-settings.json, or any subset of the settings); flags override it')
    .option('--print-config', 'print the resolved settings as JSON and exit', false)
    .option('--dry-run', 'print the settings, task count, memory, FLOP and time estimate, then exit without creating --out', false)
    .option('--resume', 'continue the results already in --out, recomputing only unfinished tasks', false)
    .option('--shard <k/n>', 'run only shard k of n (tasks i with i mod n = k−1), for a cluster; join with landscape merge', parseShard)
    .action((opts: ExperimentOptions) => runCommand(exp, opts, cmd));
  cmd.addHelpText('after', helpExamples([
    ...(exp.examples ?? []),
    [`landscape ${exp.name} --profile smoke --dry-run`, 'the settings, task count, memory and time estimate; nothing is written'],
    [`landscape ${exp.name} --config results/${exp.name}/${exp.name}-settings.json --out again`, 'the same run again from its settings file'],
  ]));
}
