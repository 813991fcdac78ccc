// `landscape report DIR`: (re)builds DIR/report.html from the result files already in DIR, as
// written by `landscape reproduce` (DIR/theory.json, DIR/pspin/, DIR/mlp/) or by a single
// `landscape pspin` run (DIR/pspin.jsonl). Nothing is recomputed.
import type { Command } from 'commander';
import { existsSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { packageVersion } from '../version.js';
import { buildReport, type ReportSection, type RunFacts } from '../../report/html.js';
import { mlpSection, pspinSection, sideBySide, theorySection } from '../../report/sections.js';
import type { MlpRecord, MlpSummary } from '../../mlp/experiment.js';
import { commandOf } from './mlp.js';
import type { PSpinSummary } from '../../pspin/experiment.js';
import type { RestartResult } from '../../pspin/batch.js';

const readJson = (path: string) => {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UsageError(`${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'not valid JSON'}`);
  }
};
const readJsonl = <T>(path: string): T[] => readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l, i) => {
  try {
    return JSON.parse(l) as T;
  } catch {
    throw new UsageError(`${path}: line ${i + 1} is not valid JSON`);
  }
});

/** The folder holding one experiment's files: DIR/kind/ (reproduce) or DIR itself (a single run). */
function experimentDir(dir: string, kind: string): string | null {
  if (existsSync(join(dir, kind, `${kind}.jsonl`))) return join(dir, kind);
  if (existsSync(join(dir, `${kind}.jsonl`))) return dir;
  return null;
}

/** Extra sections (the network lab registers its own), each built from a folder of results. */
const EXTRA: { kind: string; build: (dir: string) => Promise<{ section: ReportSection; stage: RunFacts['stages'][number] }> }[] = [];
export function registerReportSection(kind: string, build: (dir: string) => Promise<{ section: ReportSection; stage: RunFacts['stages'][number] }>): void {
  EXTRA.push({ kind, build });
}

export async function writeReport(dir: string): Promise<string> {
  if (!existsSync(dir)) throw new UsageError(`report: ${dir} does not exist`);
  const sections: ReportSection[] = [];
  const stages: RunFacts['stages'] = [];
  const repro = existsSync(join(dir, 'reproduce-meta.json')) ? readJson(join(dir, 'reproduce-meta.json')) : null;
  const theory = existsSync(join(dir, 'theory.json')) ? readJson(join(dir, 'theory.json')) : null;
  if (theory) sections.push(theorySection(theory.p, theory.k));
  const pdir = experimentDir(dir, 'pspin');
  let seed = repro?.seed;
  if (pdir) {
    const summary = readJson(join(pdir, 'pspin-summary.json')) as PSpinSummary;
    const lines = readJsonl<RestartResult>(join(pdir, 'pspin.jsonl'));
    const meta = existsSync(join(pdir, 'pspin-meta.json')) ? readJson(join(pdir, 'pspin-meta.json')) : {};
    const s = summary.settings;
    const caption = `landscape pspin --p ${s.p} --n ${s.ns.join(',')} --restarts ${s.restarts} --instances ${s.instances} --method ${s.method} --coupling ${s.coupling} --seed ${s.seed}${s.index ? ' --index' : ''}; ${s.storage} couplings`;
    sections.push(pspinSection(summary, lines, caption));
    stages.push({ name: 'spin glass', seconds: meta.totalWallSeconds ?? meta.wallSeconds ?? 0, workers: meta.workers });
    seed ??= s.seed;
  }
  let side: Parameters<typeof sideBySide>[0] | undefined;
  if (pdir) {
    const summary = readJson(join(pdir, 'pspin-summary.json')) as PSpinSummary;
    side = { summary, lines: readJsonl<RestartResult>(join(pdir, 'pspin.jsonl')), caption: 'landscape pspin (above)' };
  }
  const mdir = experimentDir(dir, 'mlp');
  let sidePair: Awaited<ReturnType<typeof sideBySide>> | undefined;
  if (mdir) {
    const summary = readJson(join(mdir, 'mlp-summary.json')) as MlpSummary;
    const records = readJsonl<MlpRecord>(join(mdir, 'mlp.jsonl'));
    const meta = existsSync(join(mdir, 'mlp-meta.json')) ? readJson(join(mdir, 'mlp-meta.json')) : {};
    if (records.length) {
      sections.push(mlpSection(summary, records, commandOf(summary.settings)));
      if (side && side.lines.length && summary.groups.length) sidePair = sideBySide(side, { summary, records, caption: 'landscape mlp (above)' });
    }
    stages.push({ name: 'networks', seconds: meta.totalWallSeconds ?? meta.wallSeconds ?? 0, workers: meta.workers });
    seed ??= summary.settings.seed;
  }
  for (const extra of EXTRA) {
    const edir = experimentDir(dir, extra.kind);
    if (!edir) continue;
    const { section, stage } = await extra.build(edir);
    sections.push(section);
    stages.push(stage);
  }
  if (!sections.length) throw new UsageError(`report: ${dir} holds no results (expected theory.json, pspin/ or mlp/ from landscape reproduce, or a pspin.jsonl)`);
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
  const html = await buildReport(run, sections, sidePair);
  const path = join(dir, 'report.html');
  writeFileSync(`${path}.tmp`, html); // never a half-written report
  renameSync(`${path}.tmp`, path);
  return path;
}

export function registerReport(program: Command): void {
  program.command('report')
    .description('rebuild DIR/report.html from the results already in DIR (nothing is recomputed)')
    .argument('<dir>', 'a folder written by landscape reproduce (or by landscape pspin)')
    .option('--debug', 'print stack traces on errors', false)
    .action(async (dir: string) => {
      process.stdout.write(`${await writeReport(dir)}\n`);
    });
}
