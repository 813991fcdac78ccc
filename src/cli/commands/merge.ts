// `landscape merge DIR... --out DIR`: joins the folders of `--shard k/n` runs into the folder a
// single run would have written. The shards must record the same settings and cover 1..n once;
// their result lines are pooled, then the experiment's own finishing steps (task order, summary,
// figures) run over them, so the merged files equal a single run's byte for byte.
import type { Command } from 'commander';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withGlobals, type GlobalOptions } from '../globals.js';
import { UsageError } from '../errors.js';
import { finishPSpinFromSettings } from './pspin.js';
import { finishMlpFromSettings } from './mlp.js';
import type { PSpinExperiment } from '../../pspin/experiment.js';
import type { MlpSettings } from '../../mlp/experiment.js';

/** The experiments that can be sharded: their result file and how to finish a merged folder. */
const MERGEABLE: Record<string, { results: string; finish: (settings: any, globals: GlobalOptions, dir: string) => Promise<void> }> = {
  pspin: { results: 'pspin.jsonl', finish: (s: PSpinExperiment, g, dir) => finishPSpinFromSettings(s, g, dir) },
  mlp: { results: 'mlp.jsonl', finish: (s: MlpSettings, g, dir) => finishMlpFromSettings(s, g, dir) },
};

export function registerMergeable(kind: string, results: string, finish: (settings: any, globals: GlobalOptions, dir: string) => Promise<void>): void {
  MERGEABLE[kind] = { results, finish };
}

interface ShardFolder { dir: string; kind: string; settings: Record<string, unknown>; index: number; count: number }

function readShard(dir: string): ShardFolder {
  if (!existsSync(dir)) throw new UsageError(`merge: ${dir} does not exist`);
  for (const [kind, { results }] of Object.entries(MERGEABLE)) {
    const settingsPath = join(dir, `${kind}-settings.json`);
    if (!existsSync(settingsPath)) continue;
    if (!existsSync(join(dir, results))) throw new UsageError(`merge: ${dir} has ${kind}-settings.json but no ${results}`);
    let settings: Record<string, unknown>;
    try {
      settings = JSON.parse(readFileSync(settingsPath, 'utf8'));
    } catch {
      throw new UsageError(`merge: ${settingsPath} is not valid JSON`);
    }
    const m = typeof settings.shard === 'string' ? /^(\d+)\/(\d+)$/.exec(settings.shard) : null;
    if (!m) throw new UsageError(`merge: ${dir} is not a shard folder (its settings record no shard k/n; run with --shard)`);
    const { shard: _, ...rest } = settings;
    return { dir, kind, settings: rest, index: Number(m[1]), count: Number(m[2]) };
  }
  throw new UsageError(`merge: ${dir} holds no result folder of ${Object.keys(MERGEABLE).join(' or ')} (no *-settings.json)`);
}

async function runMerge(dirs: string[], opts: GlobalOptions): Promise<void> {
  const out = opts.out;
  if (!out) throw new UsageError('--out: merge needs an output folder');
  if (dirs.every((d) => existsSync(join(d, 'reproduce-meta.json')))) return mergeReproduce(dirs, opts, out);
  const shards = dirs.map(readShard);
  const first = shards[0];
  const text = JSON.stringify(first.settings, null, 2) + '\n';
  for (const s of shards) {
    if (s.kind !== first.kind) throw new UsageError(`merge: ${s.dir} holds ${s.kind} results, ${first.dir} holds ${first.kind}`);
    if (s.count !== first.count) throw new UsageError(`merge: ${s.dir} is a shard of ${s.count}, ${first.dir} of ${first.count}`);
    if (JSON.stringify(s.settings, null, 2) + '\n' !== text) throw new UsageError(`merge: ${s.dir} records other settings than ${first.dir}`);
  }
  const seen = new Map<number, string>();
  for (const s of shards) {
    if (seen.has(s.index)) throw new UsageError(`merge: shard ${s.index}/${s.count} given twice (${seen.get(s.index)} and ${s.dir})`);
    seen.set(s.index, s.dir);
  }
  const missing = Array.from({ length: first.count }, (_, i) => i + 1).filter((k) => !seen.has(k));
  if (missing.length) throw new UsageError(`merge: shards ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', …' : ''} of ${first.count} are missing`);
  const { results, finish } = MERGEABLE[first.kind];
  const target = join(out, results);
  if (existsSync(target)) throw new UsageError(`--out: ${target} already exists; choose an empty folder`);
  const created = !existsSync(out);
  mkdirSync(out, { recursive: true });
  // Complete lines only: a shard interrupted mid-write has a torn tail, and merge refuses
  // unfinished tasks anyway (the finishing step names the first one).
  const pooled = shards.map((s) => {
    const body = readFileSync(join(s.dir, results), 'utf8');
    return body.slice(0, body.lastIndexOf('\n') + 1);
  }).join('');
  const settingsPath = join(out, `${first.kind}-settings.json`);
  writeFileSync(settingsPath, text);
  writeFileSync(target, pooled);
  try {
    await finish(first.settings, opts, out);
  } catch (e) {
    // Leave no half-merged folder behind: only what this call wrote goes.
    for (const f of [target, settingsPath]) rmSync(f, { force: true });
    if (created && readdirSync(out).length === 0) rmSync(out, { recursive: true });
    throw e;
  }
}

export function registerMerge(program: Command): void {
  withGlobals(program.command('merge').description('join the folders of --shard k/n runs into the results of a single run (byte-identical)'))
    .argument('<dirs...>', 'shard output folders (all n shards of one run)')
    .action((dirs: string[], opts: GlobalOptions) => runMerge(dirs, opts));
}

/** Shards of `landscape reproduce`: merge each experiment's folder, keep the theory, rebuild the report. */
async function mergeReproduce(dirs: string[], opts: GlobalOptions, out: string): Promise<void> {
  const metas = dirs.map((d) => {
    try {
      return JSON.parse(readFileSync(join(d, 'reproduce-meta.json'), 'utf8'));
    } catch {
      throw new UsageError(`merge: ${join(d, 'reproduce-meta.json')} is not valid JSON`);
    }
  });
  metas.forEach((m, i) => {
    if (typeof m.shard !== 'string') throw new UsageError(`merge: ${dirs[i]} is not a shard folder (run reproduce with --shard k/n)`);
    if (m.profile !== metas[0].profile || m.seed !== metas[0].seed) throw new UsageError(`merge: ${dirs[i]} ran profile ${m.profile} seed ${m.seed}, ${dirs[0]} profile ${metas[0].profile} seed ${metas[0].seed}`);
  });
  if (existsSync(join(out, 'report.html')) || existsSync(join(out, 'reproduce-meta.json'))) throw new UsageError(`--out: ${out} already holds a report; choose an empty folder`);
  const kinds = ['pspin', 'mlp'].filter((k) => existsSync(join(dirs[0], k)));
  const stages: { name: string; seconds: number; workers?: number }[] = [];
  for (const kind of kinds) {
    await runMerge(dirs.map((d) => join(d, kind)), { ...opts, out: join(out, kind) });
    const name = kind === 'pspin' ? 'spin glass' : 'networks';
    const seconds = metas.reduce((s, m) => s + (m.stages?.find((x: { name: string }) => x.name === name)?.seconds ?? 0), 0);
    stages.push({ name: `${name} (sum over ${dirs.length} shards)`, seconds });
  }
  writeFileSync(join(out, 'theory.json'), readFileSync(join(dirs[0], 'theory.json')));
  const { shard: _, stages: __, ...rest } = metas[0];
  writeFileSync(join(out, 'reproduce-meta.json'), JSON.stringify({ ...rest, command: `landscape ${process.argv.slice(2).join(' ')}`, mergedShards: dirs.length, finished: new Date().toISOString(), stages }, null, 2) + '\n');
  const { writeReport } = await import('./report.js');
  process.stdout.write(`report: ${await writeReport(out)}\n`);
}
