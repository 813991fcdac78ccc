// The output folder of one experiment run (Node): created, checked against the settings it
// records, and given timings in a meta file that never touches the result lines.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus } from 'node:os';
import { SettingsError } from '../experiment/fields.js';
import { packageVersion } from './version.js';

export const settingsPath = (dir: string, name: string) => join(dir, `${name}-settings.json`);
export const settingsText = (settings: object) => JSON.stringify(settings, null, 2) + '\n';

/** Prepares DIR: refuses to overwrite results unless resuming, and refuses to resume other settings. */
export function prepareOut(dir: string, name: string, resultFile: string, settings: object, resume: boolean): void {
  mkdirSync(dir, { recursive: true });
  const path = settingsPath(dir, name);
  const results = join(dir, resultFile);
  const text = settingsText(settings);
  if (existsSync(results)) {
    if (!resume) throw new SettingsError(`--out: ${results} already exists; pass --resume to continue it, or choose another --out`);
    if (existsSync(path) && readFileSync(path, 'utf8') !== text) {
      throw new SettingsError(`--resume: ${path} records different settings; rerun with those settings or choose another --out`);
    }
  }
  writeFileSync(path, text);
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

/** Timings and environment live here, never in result lines, so result files stay byte-identical. */
export function writeMeta(dir: string, name: string, meta: object): void {
  writeFileSync(join(dir, `${name}-meta.json`), JSON.stringify({
    package: packageVersion(), node: process.versions.node, cpu: cpus()[0]?.model, cores: cpus().length,
    command: `landscape ${process.argv.slice(2).join(' ')}`, finished: new Date().toISOString(), ...meta,
  }, null, 2) + '\n');
}
