// Deterministic shards of an experiment's task list, for clusters: `--shard k/n` runs the tasks
// whose position i in the full list has i mod n = k − 1 (round robin, so every shard gets a share
// of the large sizes at the end of the list). Shard outputs are ordinary result folders; `landscape
// merge` puts them back into the single-run order, byte for byte.
import { SettingsError } from '../experiment/fields.js';

export interface Shard {
  /** 1-based, as Slurm array indices usually are (Kubernetes' JOB_COMPLETION_INDEX is 0-based: add 1). */
  index: number;
  count: number;
}

export const MAX_SHARDS = 100_000;

export function parseShard(raw: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(raw);
  const index = m ? Number(m[1]) : NaN, count = m ? Number(m[2]) : NaN;
  if (!m || !(count >= 1 && count <= MAX_SHARDS) || !(index >= 1 && index <= count)) {
    throw new SettingsError(`expected k/n with 1 ≤ k ≤ n ≤ ${MAX_SHARDS}, e.g. 2/8`);
  }
  return { index, count };
}

export const shardLabel = (s: Shard) => `${s.index}/${s.count}`;

/** The tasks of one shard, in full-list order (all of them without a shard). */
export function shardTasks<T>(tasks: readonly T[], shard: Shard | undefined): T[] {
  return shard ? tasks.filter((_, i) => i % shard.count === shard.index - 1) : [...tasks];
}

/** The settings a result folder records: a shard's carry its label, so a resume cannot mix shards. */
export function shardedSettings<S extends object>(settings: S, shard: Shard | undefined): S & { shard?: string } {
  return shard ? { ...settings, shard: shardLabel(shard) } : settings;
}
