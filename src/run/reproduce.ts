// The main job (Node): every registered experiment with one profile's settings, each in its own
// folder DIR/<name>/, then DIR/report.html. Results already in DIR with the same settings are kept,
// so an interrupted run continues and a repeated run only rebuilds the report.
import { writeFileSync } from 'node:fs';
import { lockFolder, makeFolder } from './paths.js';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { commandLine, resolveSettings, type Experiment, type ProfileName } from '../experiment/descriptor.js';
import { EXPERIMENTS } from '../registry.js';
import { runExperiment, type RunnerOptions } from './runner.js';
import { shardLabel, type Shard } from './shard.js';
import { writeReport } from './report.js';
import { packageVersion } from './version.js';

export interface ReproduceOptions extends Omit<RunnerOptions, 'out' | 'resume' | 'merge' | 'options' | 'onPlan'> {
  profile: ProfileName;
  seed: number;
  shard?: Shard;
  /** One line per stage as it starts. */
  log?: (line: string) => void;
  /** Per experiment, as its run starts: hooks for its progress. */
  stage?: (exp: Experiment) => Pick<RunnerOptions, 'onPlan' | 'onProgress' | 'onEstimating'> & { done?: () => void };
  experiments?: readonly Experiment[];
}

export interface Stage { name: string; seconds: number; workers?: number }

export async function reproduce(dir: string, o: ReproduceOptions): Promise<{ report?: string; stages: Stage[] }> {
  const experiments = o.experiments ?? EXPERIMENTS;
  // Every profile is checked before anything runs or is written.
  const plans = experiments.map((exp) => ({ exp, settings: resolveSettings(exp, o.profile, { seed: o.seed }) }));
  makeFolder(dir, '--out');
  const lock = lockFolder(dir);
  try {
    return await reproduceLocked(dir, o, plans);
  } finally {
    lock.release();
  }
}

async function reproduceLocked(dir: string, o: ReproduceOptions, plans: { exp: Experiment; settings: { seed: number } }[]): Promise<{ report?: string; stages: Stage[] }> {
  const experiments = o.experiments ?? EXPERIMENTS;
  const stages: Stage[] = [];
  const { log = () => {}, stage, experiments: _, profile, seed: __, ...runner } = o;
  for (const [i, { exp, settings }] of plans.entries()) {
    log(`[${i + 1}/${plans.length + (o.shard ? 0 : 1)}] ${exp.name}: ${commandLine(exp, settings)}`);
    const hooks = stage?.(exp) ?? {};
    try {
      const r = await runExperiment(exp, settings, { ...runner, ...hooks, out: join(dir, exp.name), resume: true, shard: o.shard });
      stages.push({ name: exp.label, seconds: r.seconds, workers: r.workers });
    } finally {
      hooks.done?.();
    }
  }
  writeFileSync(join(dir, 'reproduce-meta.json'), JSON.stringify({
    profile, command: `landscape ${process.argv.slice(2).join(' ')}`, seed: o.seed,
    ...(o.shard ? { shard: shardLabel(o.shard) } : {}),
    finished: new Date().toISOString(), cores: cpus().length, cpu: cpus()[0]?.model,
    versions: { 'loss-landscape-lab': packageVersion(), node: process.versions.node, v8: process.versions.v8 }, stages,
  }, null, 2) + '\n');
  if (o.shard) return { stages };
  log(`[${plans.length + 1}/${plans.length + 1}] report`);
  return { report: await writeReport(dir, experiments), stages };
}
