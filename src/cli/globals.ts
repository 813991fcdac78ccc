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

export function withGlobals(cmd: Command, defaults: { out?: string } = {}): Command {
  return cmd
    .option('--seed <n>', 'base seed; every task derives its own stream from it (integer 0..2^53-1)', parseSeed, DEFAULT_SEED)
    .option('--workers <n>', 'worker threads (default: available cores); results do not depend on it', parseWorkers)
    .option('--out <dir>', 'output directory', defaults.out)
    .option('--json', 'print one machine-readable JSON summary on stdout', false)
    .option('--quiet', 'no progress bar or chatter on stderr', false)
    .option('--fast', 'use the relaxed-SIMD (fused multiply-add) binary: faster, not bit-reproducible', false)
    .option('--debug', 'print stack traces on errors', false)
    .option('--task-timeout <s>', 'seconds after which a task counts as hung: its worker is replaced and the task retried once (default: no limit)', parsePositiveNumber('a number of seconds'));
}
