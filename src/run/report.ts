// DIR/report.html from the result folders already in DIR (Node): one section per registered
// experiment found there, then the comparisons whose experiments are all present. Nothing is recomputed.
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { commandLine, type Experiment } from '../experiment/descriptor.js';
import { SettingsError } from '../experiment/fields.js';
import { buildReport, type ReportSection, type RunFacts } from '../report/html.js';
import { COMPARISONS, EXPERIMENTS } from '../registry.js';
import type { Comparison } from '../experiment/descriptor.js';
import { experimentDir, readFolder, readJsonFile, type FolderResults } from './folders.js';
import { inProgress } from '../experiment/claims.js';
import { packageVersion } from './version.js';

export async function writeReport(dir: string, experiments: readonly Experiment[] = EXPERIMENTS, comparisons: readonly Comparison[] = COMPARISONS): Promise<string> {
  if (!existsSync(dir)) throw new SettingsError(`report: ${dir} does not exist`);
  const sections: ReportSection[] = [];
  const stages: RunFacts['stages'] = [];
  const repro = existsSync(join(dir, 'reproduce-meta.json')) ? (readJsonFile(join(dir, 'reproduce-meta.json')) as Record<string, any>) : null;
  const found: Record<string, FolderResults> = {};
  let seed = repro?.seed as number | undefined;
  for (const exp of experiments) {
    const edir = experimentDir(dir, exp.name);
    if (!edir) continue;
    const r = readFolder(exp, edir);
    found[exp.name] = r;
    if (r.lines.length) {
      const section = exp.section(r.settings, r.lines, r.summary, commandLine(exp, r.settings));
      // An unfinished run is shown, and said to be unfinished, in its title and its claims.
      sections.push(r.missing ? { ...section, title: `${section.title} (in progress: ${r.lines.length} of ${r.expected} ${exp.unit})` } : section);
    }
    stages.push({ name: r.missing ? `${exp.label} (in progress)` : exp.label, seconds: r.meta.totalWallSeconds ?? r.meta.wallSeconds ?? 0, workers: r.meta.workers });
    seed ??= r.settings.seed;
  }
  if (!sections.length) throw new SettingsError(`report: ${dir} holds no results of ${experiments.map((e) => e.name).join(', ')} (expected DIR/<name>/<name>.jsonl from landscape reproduce, or a <name>.jsonl)`);
  const sides = [];
  for (const c of comparisons) {
    if (!c.needs.every((n) => found[n])) continue;
    const built = c.build(found);
    if (built) sides.push({ id: c.id, after: c.after, ...built });
  }
  const run: RunFacts = {
    command: repro?.command ?? `landscape report ${dir}`,
    profile: repro?.profile,
    seed: seed ?? 1,
    date: repro?.finished ?? new Date().toISOString(),
    cores: repro?.cores ?? cpus().length,
    cpu: repro?.cpu ?? cpus()[0]?.model,
    versions: { 'loss-landscape-lab': packageVersion(), node: process.versions.node, ...(repro?.versions ?? {}) },
    stages: repro?.stages ?? stages,
  };
  const claims = experiments.flatMap((exp) => {
    const r = found[exp.name];
    const own = exp.claims?.(r?.settings ?? null, r?.summary ?? null) ?? [];
    return r?.missing ? inProgress(own, r.lines.length, r.expected, exp.unit) : own;
  });
  const html = await buildReport(run, sections, sides, claims);
  const path = join(dir, 'report.html');
  writeFileSync(`${path}.tmp`, html); // never a half-written report
  renameSync(`${path}.tmp`, path);
  return path;
}
