// The one orchestration every experiment shares (Node): out folder → result log → pool →
// progress → finalize in task order → summary → figures → meta. Resume and shards come free;
// `merge` reuses the finishing half. Faces (CLI, reproduce, tests) call this; it prints nothing.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { join } from 'node:path';
import { createPool, type Pool } from '../pool/pool.js';
import type { TaskInput } from '../pool/protocol.js';
import type { Estimate, Experiment, NamedFigure, OutputFiles, RunEnv } from '../experiment/descriptor.js';
import { commandLine } from '../experiment/descriptor.js';
import { SettingsError } from '../experiment/fields.js';
import { ResultLog } from '../results/jsonl.js';
import { specToSvg } from '../report/render.js';
import { shardTasks, shardedSettings, shardLabel, type Shard } from './shard.js';
import { earlierShards, earlierWallSeconds, finishedMeta, prepareOut, writeMeta } from './out-folder.js';

export interface RunnerOptions {
  out: string;
  workers?: number;
  /** The relaxed-SIMD binary (`--fast`): faster, not bit-reproducible. */
  fast?: boolean;
  taskTimeoutSeconds?: number;
  resume?: boolean;
  shard?: Shard;
  /** Only finish a folder whose lines are all present (landscape merge); computes nothing. */
  merge?: boolean;
  /** Non-setting options of the experiment (by field key). */
  options?: Record<string, unknown>;
  /** Lines done so far of the total, as tasks finish. */
  /** `work`: the fraction of this session's estimated seconds done (when the estimate has per-task costs). */
  onProgress?: (done: number, total: number, work?: number) => void;
  /** Told once before the pool runs: the number of tasks already done and the estimate, if any. */
  onPlan?: (plan: RunPlan) => void;
  /** Given the pool once it exists; returns a function that detaches (the CLI's Ctrl-C). */
  onPool?: (pool: Pool) => () => void;
  /** Whether to run the experiment's estimate first (the CLI does unless --quiet). */
  estimate?: boolean;
  /** Told as the estimate starts (its calibration in the workers can take a minute or more). */
  onEstimating?: () => void;
}

export interface RunPlan {
  tasks: number;
  todo: number;
  total: number;
  alreadyDone: number;
  unit: string;
  workers: number;
  estimate: Estimate | null;
}

export interface RunOutcome<S, L, Sum> {
  settings: S;
  lines: L[];
  summary: Sum;
  figures: string[];
  dir: string;
  /** Wall seconds over every session that contributed to DIR. */
  seconds: number;
  workers: number;
  alreadyDone: number;
  total: number;
  /** How the timing should be read ('' for one uninterrupted run). */
  timingNote: string;
  /** Why the run failed as a whole though its results are written (exit 1), or null. */
  failure: string | null;
}

export interface DryRun {
  settings: object;
  tasks: number;
  lines: number;
  unit: string;
  /** Wasm memory one worker needs, when the experiment can say. */
  memoryBytes: number | null;
  workers: number;
  estimate: Estimate | null;
}

/** The estimate as plans print it: the per-task costs stay with the runner's progress. */
function printable(e: Estimate | null): Estimate | null {
  if (!e) return null;
  const { perTask: _, ...rest } = e;
  return rest;
}

/** What a run would do, without creating anything: tasks, memory, FLOP and the estimate. */
export async function dryRun<S extends { seed: number }>(exp: Experiment<S>, settings: S, o: Pick<RunnerOptions, 'workers' | 'fast' | 'shard' | 'options'>): Promise<DryRun> {
  const env: RunEnv = { options: o.options ?? {} };
  await exp.check?.(settings, env);
  const tasks = shardTasks(exp.tasks(settings, env), o.shard);
  const lines = tasks.reduce((s, t) => s + exp.linesPerTask(t.params), 0);
  const pool = await createPool({ workers: o.workers, binary: o.fast ? 'relaxed' : 'simd' });
  try {
    const estimate = exp.estimate && tasks.length ? await exp.estimate(settings, tasks, pool.size, (t) => pool.run(t)) : null;
    return { settings, tasks: tasks.length, lines, unit: exp.unit, memoryBytes: exp.memoryBytes?.(settings) ?? null, workers: pool.size, estimate: printable(estimate) };
  } finally {
    await pool.terminate();
  }
}

/** The caption figures carry: the command that reproduces the settings, and the cost. */
export function runCaption(exp: Experiment, settings: object, seconds: number, workers: number, note: string): string {
  return `${commandLine(exp, settings as { seed: number })}; ${seconds.toFixed(0)} s on ${workers} worker(s)${note}`;
}

export async function writeFigures(dir: string, figures: NamedFigure[]): Promise<string[]> {
  const out: string[] = [];
  for (const f of figures) {
    const path = join(dir, f.name);
    writeFileSync(path, await specToSvg(f.spec));
    out.push(path);
  }
  return out;
}

/** The output folder for descriptors' extra files: atomic writes, names relative to DIR. */
export function outputFiles(dir: string): OutputFiles {
  return {
    read: (name) => (existsSync(join(dir, name)) ? new Uint8Array(readFileSync(join(dir, name))) : null),
    write(name, bytes) {
      const path = join(dir, name);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(`${path}.tmp`, bytes);
      renameSync(`${path}.tmp`, path);
      return path;
    },
    remove: (name) => rmSync(join(dir, name), { force: true }),
    path: (name) => join(dir, name),
  };
}

export async function runExperiment<S extends { seed: number }, P, L extends object, Sum>(exp: Experiment<S, P, L, Sum>, settings: S, o: RunnerOptions): Promise<RunOutcome<S, L, Sum>> {
  const env: RunEnv = { options: o.options ?? {} };
  const dir = o.out;
  if (!o.merge) await exp.check?.(settings, env);
  const resultFile = `${exp.name}.jsonl`;
  const lock = prepareOut(dir, exp.name, resultFile, shardedSettings(settings, o.shard), Boolean(o.resume || o.merge));
  try {
    return await runLocked(exp, settings, o, env, lock.path);
  } finally {
    lock.release();
  }
}

async function runLocked<S extends { seed: number }, P, L extends object, Sum>(exp: Experiment<S, P, L, Sum>, settings: S, o: RunnerOptions, env: RunEnv, _lock: string): Promise<RunOutcome<S, L, Sum>> {
  const dir = o.out;
  const resultFile = `${exp.name}.jsonl`;
  const tasks = shardTasks(exp.tasks(settings, env), o.shard);
  const keyOfTask = (t: TaskInput<P>) => exp.taskKey(t.params);
  const log = new ResultLog<L>(join(dir, resultFile), (l) => exp.lineKey(l, settings), (l) => exp.checkLine?.(l, settings) ?? null);
  const finished = log.load(new Map(tasks.map((t) => [keyOfTask(t), exp.linesPerTask(t.params)])));
  const todo = tasks.filter((t) => !finished.has(keyOfTask(t)));
  const total = tasks.reduce((s, t) => s + exp.linesPerTask(t.params), 0);
  const alreadyDone = total - todo.reduce((s, t) => s + exp.linesPerTask(t.params), 0);
  if (o.merge && todo.length) {
    throw new SettingsError(`merge: the shard folders lack ${todo.length} of ${tasks.length} ${exp.name} tasks (first: ${keyOfTask(todo[0])}); finish those shards with --resume first`);
  }
  const files = outputFiles(dir);
  const earlier = o.resume || o.merge ? earlierWallSeconds(dir, exp.name) : 0;
  const shards = o.resume ? earlierShards(dir, exp.name) : null; // a merged folder, resumed
  const t0 = performance.now();
  const pool = await createPool({ workers: o.workers, binary: o.fast ? 'relaxed' : 'simd', taskTimeoutMs: o.taskTimeoutSeconds === undefined ? undefined : 1000 * o.taskTimeoutSeconds });
  const detach = o.onPool?.(pool) ?? (() => {});
  let done = alreadyDone;
  // An interrupted session's time still counts: the meta file says so while the run goes on and
  // when the process exits early, so a resumed run sums the wall time over every session.
  let lastMeta = performance.now();
  const partialMeta = () => writeMeta(dir, exp.name, { partial: true, wallSeconds: (performance.now() - t0) / 1000, totalWallSeconds: (performance.now() - t0) / 1000 + earlier, workers: pool.size, binary: pool.binary });
  process.once('exit', partialMeta);
  try {
    const estimating = Boolean(o.estimate && todo.length && !o.merge && exp.estimate);
    if (estimating) o.onEstimating?.();
    const estimate = estimating ? await exp.estimate!(settings, todo, pool.size, (t) => pool.run(t)) : null;
    o.onPlan?.({ tasks: tasks.length, todo: todo.length, total, alreadyDone, unit: exp.unit, workers: pool.size, estimate: printable(estimate) });
    o.onProgress?.(done, total, estimate?.perTask ? 0 : undefined);
    const weights = estimate?.perTask?.length === todo.length ? estimate.perTask : null;
    const workTotal = weights?.reduce((a, b) => a + b, 0) ?? 0;
    let workDone = 0;
    await pool.run<unknown, P>(todo, {
      onResult: (i, result) => {
        for (const f of exp.extras?.(settings, todo[i].params, result) ?? []) files.write(f.name, f.bytes);
        const lines = exp.toLines ? exp.toLines(todo[i].params, result) : ((Array.isArray(result) ? result : [result]) as L[]);
        log.append(keyOfTask(todo[i]), lines);
        done += lines.length;
        if (weights) workDone += weights[i];
        o.onProgress?.(done, total, weights && workTotal > 0 ? workDone / workTotal : undefined);
        if (performance.now() - lastMeta > 5000) { lastMeta = performance.now(); partialMeta(); }
      },
    });
  } catch (e) {
    partialMeta();
    throw e;
  } finally {
    process.removeListener('exit', partialMeta);
    detach();
    await pool.terminate();
  }
  const lines = log.finalize(tasks.map(keyOfTask));
  // A shard leaves its per-task files as they are: merge joins them over all shards.
  const extraFiles = o.shard ? [] : exp.finish?.(settings, files, tasks.map((t) => t.params)) ?? [];
  const summary = exp.summarize(settings, lines);
  writeFileSync(join(dir, `${exp.name}-summary.json`), JSON.stringify(summary, null, 2) + '\n');
  // Nothing computed and the folder finished before: its meta (command, times, shards) still says
  // how the results were made, so it stays as it is and the captions give the time it records.
  const untouched = !todo.length && !o.merge && finishedMeta(dir, exp.name);
  const seconds = untouched ? earlier : (performance.now() - t0) / 1000 + earlier;
  const timingNote = o.merge ? ' (the sum over the shards)' : shards ? ' (the sum over its shards and sessions)' : alreadyDone ? (earlier ? ' (sum over sessions)' : ` (this session only; ${alreadyDone} of ${total} ${exp.unit} were done before)`) : '';
  // A shard can own no task at all (more shards than tasks): then there is nothing to plot.
  const figures = lines.length ? await writeFigures(dir, exp.figures(settings, lines, summary, runCaption(exp, settings, seconds, pool.size, timingNote))) : [];
  if (!untouched) writeMeta(dir, exp.name, {
    wallSeconds: seconds - earlier, totalWallSeconds: seconds, workers: pool.size, binary: pool.binary,
    computed: total - alreadyDone, [`computed${exp.unit[0].toUpperCase()}${exp.unit.slice(1)}`]: total - alreadyDone,
    ...(o.shard ? { shard: shardLabel(o.shard) } : {}),
    ...(shards ? { shards } : {}),
  });
  return { settings, lines, summary, figures: [...figures, ...extraFiles], dir, seconds, workers: pool.size, alreadyDone, total, timingNote, failure: exp.outcome?.(settings, summary) ?? null };
}
