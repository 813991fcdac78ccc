// The output folder of one experiment run (Node): created, checked against the settings it
// records, and given timings in a meta file that never touches the result lines.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { lockFolder, makeFolder, type FolderLock } from './paths.js';
import { join } from 'node:path';
import { cpus } from 'node:os';
import { SettingsError } from '../experiment/fields.js';
import { packageVersion } from './version.js';

export const settingsPath = (dir: string, name: string) => join(dir, `${name}-settings.json`);
export const settingsText = (settings: object) => JSON.stringify(settings, null, 2) + '\n';

/**
 * Prepares DIR and takes its lock: refuses to overwrite results unless resuming, and resumes only
 * a folder that proves its results belong to these settings (its settings file present and equal;
 * the runner then checks every line). Returns the lock, to release when the run ends.
 */
export function prepareOut(dir: string, name: string, resultFile: string, settings: object, resume: boolean): FolderLock {
  makeFolder(dir, '--out');
  const lock = lockFolder(dir);
  try {
    const path = settingsPath(dir, name);
    const results = join(dir, resultFile);
    const text = settingsText(settings);
    if (existsSync(results)) {
      if (!resume) throw new SettingsError(`--out: ${results} already exists; pass --resume to continue it, or choose another --out`);
      if (!existsSync(path)) throw new SettingsError(`--resume: ${dir} holds ${resultFile} but no ${name}-settings.json, so nothing shows which settings made it; choose another --out`);
      if (readFileSync(path, 'utf8') !== text) throw new SettingsError(`--resume: ${path} records different settings; rerun with those settings or choose another --out`);
    }
    writeFileSync(path, text);
    return lock;
  } catch (e) {
    lock.release();
    throw e;
  }
}

/** Wall seconds spent on DIR by earlier sessions of a resumed run, so timings cover every session. */
export function earlierWallSeconds(dir: string, name: string): number {
  const path = join(dir, `${name}-meta.json`);
  if (!existsSync(path)) return 0;
  try {
    const meta = JSON.parse(readFileSync(path, 'utf8'));
    const s = Number(meta.totalWallSeconds ?? meta.wallSeconds);
    return Number.isFinite(s) && s > 0 ? s : 0;
  } catch {
    return 0;
  }
}

/** Whether DIR holds the meta of a finished run (a resume that computes nothing then leaves it as it is). */
export function finishedMeta(dir: string, name: string): boolean {
  try {
    const meta = JSON.parse(readFileSync(join(dir, `${name}-meta.json`), 'utf8'));
    return meta !== null && typeof meta === 'object' && meta.partial !== true;
  } catch {
    return false;
  }
}

/** The shard-by-shard wall times a merged folder's meta carries (kept when the folder is resumed). */
export function earlierShards(dir: string, name: string): unknown[] | null {
  try {
    const shards = JSON.parse(readFileSync(join(dir, `${name}-meta.json`), 'utf8')).shards;
    return Array.isArray(shards) ? shards : null;
  } catch {
    return null;
  }
}

/** Timings and environment live here, never in result lines, so result files stay byte-identical. */
export function writeMeta(dir: string, name: string, meta: object): void {
  writeFileSync(join(dir, `${name}-meta.json`), JSON.stringify({
    package: packageVersion(), node: process.versions.node, cpu: cpus()[0]?.model, cores: cpus().length,
    command: `landscape ${process.argv.slice(2).join(' ')}`, finished: new Date().toISOString(), ...meta,
  }, null, 2) + '\n');
}
