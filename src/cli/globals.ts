// The flags every command shares. Commands add them with `withGlobals` so help stays uniform.
import type { Command } from 'commander';
import { parsePositiveNumber, parseSeed, parseWorkers } from './args.js';

export interface GlobalOptions {
  seed: number;
  workers?: number;
  out?: string;
  json: boolean;
  quiet: boolean;
  fast: boolean;
  debug: boolean;
  /** Seconds after which a task counts as hung: its worker is replaced and the task retried once. */
  taskTimeout?: number;
}

export const DEFAULT_SEED = 1;

export const GLOBAL_FLAGS = ['seed', 'workers', 'out', 'json', 'quiet', 'fast', 'debug', 'task-timeout'] as const;
export type GlobalFlag = (typeof GLOBAL_FLAGS)[number];

/** Node's timers hold at most 2^31 − 1 ms; a longer --task-timeout would fire at once. */
export const MAX_TASK_TIMEOUT_S = 2_000_000;

/**
 * Adds the shared flags a command takes (all of them by default). A command that would ignore a
 * flag does not take it, so commander refuses it instead of letting it pass silently.
 */
export function withGlobals(cmd: Command, defaults: { out?: string } = {}, only: readonly GlobalFlag[] = GLOBAL_FLAGS): Command {
  const has = (f: GlobalFlag) => only.includes(f);
  if (has('seed')) cmd.option('--seed <n>', 'base seed; every task derives its own stream from it (integer 0..2^53-1)', parseSeed, DEFAULT_SEED);
  if (has('workers')) cmd.option('--workers <n>', 'worker threads (default: available cores); results do not depend on it', parseWorkers);
  if (has('out')) cmd.option('--out <dir>', 'output directory', defaults.out);
  if (has('json')) cmd.option('--json', 'print one machine-readable JSON summary on stdout', false);
  if (has('quiet')) cmd.option('--quiet', 'no progress or chatter on stderr', false);
  if (has('fast')) cmd.option('--fast', 'use the relaxed-SIMD (fused multiply-add) binary: faster, not bit-reproducible', false);
  if (has('debug')) cmd.option('--debug', 'print stack traces on errors', false);
  if (has('task-timeout')) cmd.option('--task-timeout <s>', `seconds after which a task counts as hung: its worker is replaced and the task retried once (at most ${MAX_TASK_TIMEOUT_S}; default: no limit)`, parsePositiveNumber('a number of seconds', MAX_TASK_TIMEOUT_S));
  return cmd;
}
