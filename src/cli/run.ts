// Shared plumbing for long experiment commands: output folder checks, the pool, a progress bar,
// Ctrl-C that stops cleanly with the resume command, and meta.json for timings.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus } from 'node:os';
import { createPool, type Pool } from '../pool/pool.js';
import { UsageError } from './errors.js';
import type { GlobalOptions } from './globals.js';
import { packageVersion } from './version.js';

/** Prepares DIR: refuses to overwrite results unless --resume, and refuses to resume other settings. */
export function prepareOut(dir: string, resultFile: string, settings: object, resume: boolean): void {
  mkdirSync(dir, { recursive: true });
  const settingsPath = join(dir, `${resultFile.replace(/\.jsonl$/, '')}-settings.json`);
  const results = join(dir, resultFile);
  const text = JSON.stringify(settings, null, 2) + '\n';
  if (existsSync(results)) {
    if (!resume) throw new UsageError(`--out: ${results} already exists; pass --resume to continue it, or choose another --out`);
    if (existsSync(settingsPath) && readFileSync(settingsPath, 'utf8') !== text) {
      throw new UsageError(`--resume: ${settingsPath} records different settings; rerun with those settings or choose another --out`);
    }
  }
  writeFileSync(settingsPath, text);
}

export async function openPool(opts: GlobalOptions): Promise<Pool> {
  return createPool({ workers: opts.workers, binary: opts.fast ? 'relaxed' : 'simd', taskTimeoutMs: opts.taskTimeout === undefined ? undefined : 1000 * opts.taskTimeout });
}

/** Ctrl-C: terminate the workers (results so far are on disk), print how to resume, exit 130. */
export function onInterrupt(pool: Pool, resumeCommand: string): () => void {
  const handler = () => {
    process.stderr.write(`\nlandscape: interrupted; finished tasks are saved. Resume with:\n  ${resumeCommand}\n`);
    void pool.terminate().finally(() => process.exit(130));
  };
  process.once('SIGINT', handler);
  return () => process.removeListener('SIGINT', handler);
}

/** The command line as typed, plus --resume, for the interrupt message. */
export function resumeCommand(): string {
  const args = process.argv.slice(2).filter((a) => a !== '--resume');
  return `landscape ${args.map((a) => (/^[\w.,:/=+-]+$/.test(a) ? a : JSON.stringify(a))).join(' ')} --resume`;
}

/**
 * Wall seconds already spent on DIR by earlier sessions of a resumed run (from its meta file), so
 * captions and meta give the whole cost, not just the last session's.
 */
export function earlierWallSeconds(dir: string, name: string, resume: boolean): number {
  const path = join(dir, `${name}-meta.json`);
  if (!resume || !existsSync(path)) return 0;
  try {
    const meta = JSON.parse(readFileSync(path, 'utf8'));
    const s = Number(meta.totalWallSeconds ?? meta.wallSeconds);
    return Number.isFinite(s) && s > 0 ? s : 0;
  } catch {
    return 0;
  }
}

/** Timings and environment live here, never in result lines, so result files stay byte-identical. */
export function writeMeta(dir: string, name: string, meta: object): void {
  writeFileSync(join(dir, `${name}-meta.json`), JSON.stringify({
    package: packageVersion(), node: process.versions.node, cpu: cpus()[0]?.model, cores: cpus().length,
    command: `landscape ${process.argv.slice(2).join(' ')}`, finished: new Date().toISOString(), ...meta,
  }, null, 2) + '\n');
}
