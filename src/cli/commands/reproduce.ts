// `landscape reproduce --profile quick|standard|paper --out DIR`: the main job. Runs the theory,
// the spin-glass experiment and the network experiment with the profile's settings, through the
// same commands a user would type (so flags, checks, resume and shards behave identically), then
// writes DIR/report.html. `npm start` runs the quick profile.
import type { Command } from 'commander';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { withGlobals, type GlobalOptions } from '../globals.js';
import { parseChoice } from '../args.js';
import { parseShard, shardLabel, type Shard } from '../shard.js';
import { packageVersion } from '../version.js';
import { writeReport } from './report.js';

export const REPRODUCE_PROFILES = ['smoke', 'quick', 'standard', 'paper'] as const;
export type ReproduceProfile = (typeof REPRODUCE_PROFILES)[number];

/** What each profile runs. The spin-glass flags are `landscape pspin` flags; the network stage uses `landscape mlp --profile`. */
export const PROFILE_PLAN: Record<ReproduceProfile, { theory: { p: number; k: number }; pspin: string[]; mlp: string[]; about: string }> = {
  smoke: {
    theory: { p: 3, k: 5 }, pspin: ['--p', '3', '--n', '9,16', '--restarts', '24', '--index'],
    mlp: ['--profile', 'quick', '--hidden', '5,10', '--runs', '6', '--epochs', '2', '--train-size', '600', '--test-size', '500'],
    about: 'seconds; tries the whole pipeline, shows nothing',
  },
  quick: { theory: { p: 3, k: 5 }, pspin: ['--p', '3', '--n', '25,50,100,250', '--restarts', '200', '--index'], mlp: ['--profile', 'quick'], about: 'a few minutes on 2 cores' },
  standard: { theory: { p: 3, k: 5 }, pspin: ['--p', '3', '--n', '25,50,100,250,500', '--restarts', '200', '--index'], mlp: ['--profile', 'standard'], about: 'about half an hour on 2 cores' },
  paper: { theory: { p: 3, k: 5 }, pspin: ['--p', '3', '--n', '25,50,100,250,500', '--restarts', '1000', '--index'], mlp: ['--profile', 'paper'], about: '[P2] scale: a cluster job' },
};

/** Measured on this project's 2-core machine: the paper spin-glass stage took 2643 s on 2 workers. */
const PAPER_PSPIN_CORE_SECONDS = 2 * 2643;

interface ReproduceOptions extends GlobalOptions {
  profile: ReproduceProfile;
  resume: boolean;
  shard?: Shard;
}

function globalsFor(opts: ReproduceOptions): string[] {
  const a = ['--seed', String(opts.seed)];
  if (opts.workers) a.push('--workers', String(opts.workers));
  if (opts.quiet) a.push('--quiet');
  if (opts.fast) a.push('--fast');
  if (opts.debug) a.push('--debug');
  if (opts.taskTimeout) a.push('--task-timeout', String(opts.taskTimeout));
  // Always resume: results already in DIR with the same settings are kept (an interrupted run
  // continues, a repeated `npm start` only rebuilds the report); other settings are refused.
  a.push('--resume');
  if (opts.shard) a.push('--shard', shardLabel(opts.shard));
  return a;
}

/** Runs one `landscape …` command in this process; with --json its tables go to stderr. */
async function runCommand(args: string[], json: boolean): Promise<void> {
  const { buildProgram } = await import('../main.js');
  const write = process.stdout.write;
  if (json) process.stdout.write = process.stderr.write.bind(process.stderr) as typeof write;
  try {
    await buildProgram().parseAsync(['node', 'landscape', ...args]);
  } finally {
    process.stdout.write = write;
  }
}

function stageSeconds(dir: string, kind: string, fallback: number): { seconds: number; workers?: number } {
  const path = join(dir, `${kind}-meta.json`);
  if (!existsSync(path)) return { seconds: fallback };
  const m = JSON.parse(readFileSync(path, 'utf8'));
  return { seconds: m.totalWallSeconds ?? m.wallSeconds ?? fallback, workers: m.workers };
}

async function runReproduce(opts: ReproduceOptions): Promise<void> {
  const dir = opts.out!;
  const plan = PROFILE_PLAN[opts.profile];
  const say = (s: string) => { if (!opts.quiet) process.stderr.write(`${s}\n`); };
  const { buildProgram } = await import('../main.js');
  const hasMlp = buildProgram().commands.some((c) => c.name() === 'mlp');
  if (opts.profile === 'paper' && !opts.shard) {
    const cores = opts.workers ?? cpus().length;
    say(`reproduce --profile paper: [P2] scale. Estimated spin-glass stage ≈ ${(PAPER_PSPIN_CORE_SECONDS / cores / 3600).toFixed(1)} h on ${cores} core(s) (measured: 44 min on 2 cores); the network stage is printed by landscape mlp before it starts.`);
    say(`On a cluster, run shard k of n on each node and merge:\n  landscape reproduce --profile paper --shard k/n --out part-k   (k = 1..n)\n  landscape merge part-1 … part-n --out ${dir}`);
  }
  mkdirSync(dir, { recursive: true });
  const stages: { name: string; seconds: number; workers?: number }[] = [];
  const g = globalsFor(opts);

  let t = performance.now();
  say(`[1/${hasMlp ? 4 : 3}] theory: p = ${plan.theory.p}, thresholds E∞, E_0..E_${plan.theory.k}`);
  writeFileSync(join(dir, 'theory.json'), JSON.stringify(plan.theory) + '\n');
  await runCommand(['theory', '--p', String(plan.theory.p), '--k', String(plan.theory.k), '--u', '-1.7,-1.6', '--points', '11', '--quiet'], opts.json);
  stages.push({ name: 'theory', seconds: (performance.now() - t) / 1000 });

  t = performance.now();
  say(`[2/${hasMlp ? 4 : 3}] spin glass: landscape pspin ${plan.pspin.join(' ')}`);
  await runCommand(['pspin', ...plan.pspin, ...g, '--out', join(dir, 'pspin')], opts.json);
  stages.push({ name: 'spin glass', ...stageSeconds(join(dir, 'pspin'), 'pspin', (performance.now() - t) / 1000) });

  if (hasMlp) {
    t = performance.now();
    say(`[3/4] networks: landscape mlp ${plan.mlp.join(' ')}`);
    await runCommand(['mlp', ...plan.mlp, ...g, '--out', join(dir, 'mlp')], opts.json);
    stages.push({ name: 'networks', ...stageSeconds(join(dir, 'mlp'), 'mlp', (performance.now() - t) / 1000) });
  }

  writeFileSync(join(dir, 'reproduce-meta.json'), JSON.stringify({
    profile: opts.profile, command: `landscape ${process.argv.slice(2).join(' ')}`, seed: opts.seed,
    ...(opts.shard ? { shard: shardLabel(opts.shard) } : {}),
    finished: new Date().toISOString(), cores: cpus().length, cpu: cpus()[0]?.model,
    versions: { 'loss-landscape-lab': packageVersion(), node: process.versions.node, v8: process.versions.v8 }, stages,
  }, null, 2) + '\n');
  if (opts.shard) {
    say(`shard ${shardLabel(opts.shard)} done; when all shards are done: landscape merge <shard folders> --out DIR`);
    if (opts.json) process.stdout.write(JSON.stringify({ profile: opts.profile, dir, shard: shardLabel(opts.shard), stages }) + '\n');
    return;
  }
  say(`[${hasMlp ? 4 : 3}/${hasMlp ? 4 : 3}] report`);
  const report = await writeReport(dir);
  if (opts.json) process.stdout.write(JSON.stringify({ profile: opts.profile, dir, report, stages }) + '\n');
  else process.stdout.write(`report: ${report}\n${stages.map((s) => `  ${s.name}: ${s.seconds.toFixed(1)} s`).join('\n')}\n`);
}

export function registerReproduce(program: Command): void {
  withGlobals(program.command('reproduce').description('the main job: theory, spin-glass and network experiments of [P2] with one profile, then DIR/report.html'), { out: 'results' })
    .option('--profile <name>', `smoke (${PROFILE_PLAN.smoke.about}), quick (${PROFILE_PLAN.quick.about}), standard (${PROFILE_PLAN.standard.about}) or paper (${PROFILE_PLAN.paper.about})`, parseChoice(REPRODUCE_PROFILES), 'quick')
    .option('--resume', 'accepted for symmetry: reproduce always continues results in --out that have the same settings', false)
    .option('--shard <k/n>', 'run only shard k of n of every experiment; join the shard folders with landscape merge', parseShard)
    .action((opts: ReproduceOptions) => runReproduce(opts));
}
