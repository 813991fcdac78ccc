// Joins the folders of `--shard k/n` runs into the folder one run would have written (Node). The
// shards must record the same settings and cover 1..n once; their lines are pooled, then the
// runner's finishing half (task order, summary, figures) runs over them, so the merged files equal
// a single run's byte for byte. Shards of `reproduce` are merged experiment by experiment.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Experiment } from '../experiment/descriptor.js';
import { SettingsError } from '../experiment/fields.js';
import { EXPERIMENTS } from '../registry.js';
import { readJsonFile, readSettings } from './folders.js';
import { earlierWallSeconds, settingsText, writeMeta } from './out-folder.js';
import { runExperiment, type RunnerOptions } from './runner.js';
import { writeReport } from './report.js';

type MergeOptions = Omit<RunnerOptions, 'out' | 'merge' | 'resume' | 'shard'> & { experiments?: readonly Experiment[] };

interface ShardFolder { dir: string; exp: Experiment; settings: object; index: number; count: number }

function readShard(dir: string, experiments: readonly Experiment[]): ShardFolder {
  if (!existsSync(dir)) throw new SettingsError(`merge: ${dir} does not exist`);
  for (const exp of experiments) {
    if (!existsSync(join(dir, `${exp.name}-settings.json`))) continue;
    if (!existsSync(join(dir, `${exp.name}.jsonl`))) throw new SettingsError(`merge: ${dir} has ${exp.name}-settings.json but no ${exp.name}.jsonl`);
    const { settings, shard } = readSettings(exp, dir);
    if (!shard) throw new SettingsError(`merge: ${dir} is not a shard folder (its settings record no shard k/n; run with --shard)`);
    const [index, count] = shard.split('/').map(Number);
    return { dir, exp, settings, index, count };
  }
  throw new SettingsError(`merge: ${dir} holds no result folder of ${experiments.map((e) => e.name).join(', ')} (no <name>-settings.json)`);
}

/** Merges experiment shards into `out`; returns the experiment's name. */
export async function mergeShards(dirs: string[], out: string, o: MergeOptions = {}): Promise<string> {
  const experiments = o.experiments ?? EXPERIMENTS;
  const shards = dirs.map((d) => readShard(d, experiments));
  const first = shards[0];
  const text = settingsText(first.settings);
  for (const s of shards) {
    if (s.exp !== first.exp) throw new SettingsError(`merge: ${s.dir} holds ${s.exp.name} results, ${first.dir} holds ${first.exp.name}`);
    if (s.count !== first.count) throw new SettingsError(`merge: ${s.dir} is a shard of ${s.count}, ${first.dir} of ${first.count}`);
    if (settingsText(s.settings) !== text) throw new SettingsError(`merge: ${s.dir} records other settings than ${first.dir}`);
  }
  const seen = new Map<number, string>();
  for (const s of shards) {
    if (seen.has(s.index)) throw new SettingsError(`merge: shard ${s.index}/${s.count} given twice (${seen.get(s.index)} and ${s.dir})`);
    seen.set(s.index, s.dir);
  }
  const missing = Array.from({ length: first.count }, (_, i) => i + 1).filter((k) => !seen.has(k));
  if (missing.length) throw new SettingsError(`merge: shards ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', …' : ''} of ${first.count} are missing`);
  const name = first.exp.name;
  const target = join(out, `${name}.jsonl`);
  if (existsSync(target)) throw new SettingsError(`--out: ${target} already exists; choose an empty folder`);
  const created = !existsSync(out);
  mkdirSync(out, { recursive: true });
  // Complete lines only: a shard interrupted mid-write has a torn tail, and the finishing step
  // refuses unfinished tasks anyway (naming the first one).
  const pooled = shards.map((s) => {
    const path = join(s.dir, `${name}.jsonl`);
    const body = readFileSync(path, 'utf8');
    const complete = body.slice(0, body.lastIndexOf('\n') + 1);
    checkShardLines(first.exp, s.settings, path, complete);
    return complete;
  }).join('');
  const settingsPath = join(out, `${name}-settings.json`);
  writeFileSync(settingsPath, text);
  // Saved arrays and nets (each task wrote its own files, so shards never share a name).
  for (const s of shards) copyExtras(s.dir, out, name);
  writeFileSync(target, pooled);
  // The merged run's wall time is the shards' (the runner adds the merge's own seconds to it),
  // so the report states what the results cost, not the second the merge took.
  const metaPath = join(out, `${name}-meta.json`);
  const shardTimes = shards.map((s) => ({ shard: `${s.index}/${s.count}`, dir: s.dir, wallSeconds: earlierWallSeconds(s.dir, name) }));
  writeMeta(out, name, { partial: true, totalWallSeconds: shardTimes.reduce((a, t) => a + t.wallSeconds, 0) });
  try {
    const { experiments: _, ...runner } = o;
    await runExperiment(first.exp, first.settings as { seed: number }, { ...runner, out, merge: true });
    writeFileSync(metaPath, JSON.stringify({ ...(readJsonFile(metaPath) as object), shards: shardTimes }, null, 2) + '\n');
  } catch (e) {
    // Leave no half-merged folder behind: only what this call wrote goes.
    for (const f of [target, settingsPath, metaPath]) rmSync(f, { force: true });
    if (created && readdirSync(out).length === 0) rmSync(out, { recursive: true });
    throw e;
  }
  return name;
}

/** Every line of a shard checked before pooling, so a damaged shard is named, not the merged folder. */
function checkShardLines(exp: Experiment, settings: object, path: string, text: string): void {
  text.split('\n').forEach((raw, i) => {
    if (raw === '') return;
    let line: unknown;
    try {
      line = JSON.parse(raw);
    } catch {
      throw new SettingsError(`merge: ${path}: line ${i + 1} is not valid JSON`);
    }
    const problem = line === null || typeof line !== 'object' || Array.isArray(line) ? 'expected one JSON object per line' : exp.checkLine?.(line as object, settings as never);
    if (problem) throw new SettingsError(`merge: ${path}: line ${i + 1}: ${problem}`);
  });
}

/** Copies a shard's extra outputs (.npy files, nets/) into the merged folder. */
function copyExtras(from: string, to: string, name: string): void {
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const own = [`${name}.jsonl`, `${name}-settings.json`, `${name}-summary.json`, `${name}-meta.json`].includes(entry.name);
    if (own || entry.name.endsWith('.svg') || entry.name.endsWith('.tmp')) continue;
    if (entry.isDirectory() || entry.name.endsWith('.npy')) cpSync(join(from, entry.name), join(to, entry.name), { recursive: true });
  }
}

export const isReproduceShard = (dir: string) => existsSync(join(dir, 'reproduce-meta.json'));

/** Shards of `landscape reproduce`: each experiment's folder merged, then the report rebuilt. */
export async function mergeReproduce(dirs: string[], out: string, o: MergeOptions = {}): Promise<string> {
  const experiments = o.experiments ?? EXPERIMENTS;
  const metas = dirs.map((d) => readJsonFile(join(d, 'reproduce-meta.json')) as Record<string, any>);
  metas.forEach((m, i) => {
    if (typeof m.shard !== 'string') throw new SettingsError(`merge: ${dirs[i]} is not a shard folder (run reproduce with --shard k/n)`);
    if (m.profile !== metas[0].profile || m.seed !== metas[0].seed) throw new SettingsError(`merge: ${dirs[i]} ran profile ${m.profile} seed ${m.seed}, ${dirs[0]} profile ${metas[0].profile} seed ${metas[0].seed}`);
  });
  if (existsSync(join(out, 'report.html')) || existsSync(join(out, 'reproduce-meta.json'))) throw new SettingsError(`--out: ${out} already holds a report; choose an empty folder`);
  const stages: { name: string; seconds: number }[] = [];
  for (const exp of experiments.filter((e) => existsSync(join(dirs[0], e.name)))) {
    await mergeShards(dirs.map((d) => join(d, exp.name)), join(out, exp.name), o);
    const seconds = metas.reduce((s, m) => s + (m.stages?.find((x: { name: string }) => x.name === exp.label)?.seconds ?? 0), 0);
    stages.push({ name: `${exp.label} (sum over ${dirs.length} shards)`, seconds });
  }
  const { shard: _, stages: __, ...rest } = metas[0];
  writeFileSync(join(out, 'reproduce-meta.json'), JSON.stringify({ ...rest, command: `landscape ${process.argv.slice(2).join(' ')}`, mergedShards: dirs.length, finished: new Date().toISOString(), stages }, null, 2) + '\n');
  return writeReport(out, experiments);
}
