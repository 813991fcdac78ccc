// Reading an experiment's finished folder back (Node): settings (checked against the descriptor),
// result lines, summary and meta. Every problem names the file.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkSettings, type Experiment } from '../experiment/descriptor.js';
import { SettingsError } from '../experiment/fields.js';

export function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new SettingsError(`${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : `cannot be read (${(e as NodeJS.ErrnoException).code})`}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new SettingsError(`${path}: not valid JSON`);
  }
}

export function readJsonLines<T>(path: string): T[] {
  return readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l, i) => {
    try {
      return JSON.parse(l) as T;
    } catch {
      throw new SettingsError(`${path}: line ${i + 1} is not valid JSON`);
    }
  });
}

/** The folder holding one experiment's files: DIR/name/ (reproduce) or DIR itself (a single run). */
export function experimentDir(dir: string, name: string): string | null {
  if (existsSync(join(dir, name, `${name}.jsonl`))) return join(dir, name);
  if (existsSync(join(dir, `${name}.jsonl`))) return dir;
  return null;
}

export interface FolderResults {
  settings: any;
  /** The shard label the settings file records, if any. */
  shard?: string;
  lines: any[];
  summary: any;
  meta: Record<string, any>;
  /** Result lines its tasks still owe (an unfinished run): 0 when complete. */
  missing: number;
  /** Result lines of the complete run (of this shard, for a shard folder). */
  expected: number;
}

/** Settings of a folder, checked; the shard label (if any) returned apart. */
export function readSettings(exp: Experiment, dir: string): { settings: any; shard?: string } {
  const path = join(dir, `${exp.name}-settings.json`);
  const raw = readJsonFile(path);
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new SettingsError(`${path}: expected one JSON object of ${exp.name} settings`);
  const { shard, ...rest } = raw as Record<string, unknown>;
  if (shard !== undefined && (typeof shard !== 'string' || !/^\d+\/\d+$/.test(shard))) throw new SettingsError(`${path}: shard must be "k/n", got ${JSON.stringify(shard)}`);
  return { settings: checkSettings(exp, rest, path), ...(shard ? { shard: shard as string } : {}) };
}

/**
 * A finished folder: settings checked, every line checked against them, and the summary computed
 * again from the lines (so a damaged or hand-edited summary file can never reach a report).
 */
export function readFolder(exp: Experiment, dir: string): FolderResults {
  const { settings, shard } = readSettings(exp, dir);
  const path = join(dir, `${exp.name}.jsonl`);
  const lines = readJsonLines<object>(path);
  lines.forEach((l, i) => {
    const problem = l === null || typeof l !== 'object' || Array.isArray(l) ? 'expected one JSON object per line' : exp.checkLine?.(l, settings);
    if (problem) throw new SettingsError(`${path}: line ${i + 1}: ${problem}`);
  });
  // Every line must belong to a task of these settings, and no task may have more lines than it makes.
  const tasks = exp.tasks(settings, { options: {} });
  const mine = shard ? tasks.filter((_, i) => i % Number(shard.split('/')[1]) === Number(shard.split('/')[0]) - 1) : tasks;
  const room = new Map(mine.map((t) => [exp.taskKey(t.params), exp.linesPerTask(t.params)]));
  lines.forEach((l, i) => {
    const key = exp.lineKey(l, settings);
    const left = room.get(key);
    if (left === undefined) throw new SettingsError(`${path}: line ${i + 1} belongs to no task of these settings (task ${key})`);
    if (left === 0) throw new SettingsError(`${path}: line ${i + 1}: task ${key} has more lines than it writes; the file was written into twice`);
    room.set(key, left - 1);
  });
  const summary = exp.summarize(settings, lines);
  const metaPath = join(dir, `${exp.name}-meta.json`);
  const meta = existsSync(metaPath) ? (readJsonFile(metaPath) as Record<string, any>) : {};
  const missing = [...room.values()].reduce((a, b) => a + b, 0);
  return { settings, ...(shard ? { shard } : {}), lines, summary, meta, missing, expected: lines.length + missing };
}
