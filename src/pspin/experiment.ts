// The spin-glass experiment of [P2] §5 (Fig. 3 left, supplement Fig. 8) as plain data: the task
// list (independent of worker count) and the summary statistics. Platform-neutral.
import { pspinTrends, sizeSummaries, type PSpinSizeSummary, type PSpinTrends } from './sizes.js';
import { mean, sampleStandardDeviation, quantileSorted, min, max } from 'simple-statistics';
import type { TaskInput } from '../pool/protocol.js';
import { SettingsError } from '../experiment/fields.js';
import { eInf, e0 } from '../theory/complexity.js';
import { couplingCount, type PSpinSettings } from './model.js';
import type { PSpinBatchParams, RestartResult } from './batch.js';
import { spectrumSummary, type SpectrumGroupSummary } from './spectrum-summary.js';

export type { PSpinSettings } from './model.js';
/** The older name of PSpinSettings. */
export type PSpinExperiment = PSpinSettings;

/**
 * Restarts per task: a multiple of the 8 SIMD lanes, sized from the coupling count so a task
 * does tens of milliseconds or more of work (a pool round trip costs ~50 µs). Depends only on
 * (p, Λ, storage), so the task list never depends on the number of workers.
 */
export function restartsPerTask(p: number, n: number, storage: 'dense' | 'packed'): number {
  // At least 4 groups, so lanes freed by early convergence are refilled within the task.
  const groups = Math.max(4, Math.min(32, Math.round(4e6 / couplingCount(p, n, storage))));
  return 8 * groups;
}

export const taskKey = (n: number, instance: number, firstRestart: number) => `${n}/${instance}/${firstRestart}`;
export const lineKey = (r: RestartResult, per: (n: number) => number) => taskKey(r.n, r.instance, r.restart - (r.restart % per(r.n)));

/** The task list of resolved settings (resolvePSpinSettings gives them, with every check). */
export function pspinTaskList(exp: PSpinSettings): TaskInput<PSpinBatchParams>[] {
  const missing = (['p', 'ns', 'restarts', 'instances', 'coupling', 'method', 'storage', 'seed'] as const).filter((k) => exp?.[k] === undefined);
  if (missing.length) throw new SettingsError(`pspinTaskList: the settings lack ${missing.join(', ')}; pass resolvePSpinSettings(profile, overrides), which fills and checks every field`);
  const { ns, restarts, instances, seed, ...shared } = exp;
  const tasks: TaskInput<PSpinBatchParams>[] = [];
  for (const n of ns) {
    const per = restartsPerTask(exp.p, n, exp.storage);
    for (let instance = 0; instance < instances; instance++) {
      for (let first = 0; first < restarts; first += per) {
        tasks.push({ kind: 'pspin-batch', seed, stream: tasks.length, params: { ...shared, n, instance, firstRestart: first, count: Math.min(per, restarts - first) } });
      }
    }
  }
  return tasks;
}

export interface PSpinGroupSummary {
  n: number;
  instance: number;
  count: number;
  mean: number;
  sd: number;
  min: number;
  max: number;
  q05: number;
  q50: number;
  q95: number;
  converged: number;
  meanIterations: number;
  /** fraction with index 0, among restarts whose index was computed (null when none was) */
  fracIndex0: number | null;
  fracBelowE0: number;
  fracBelowEinf: number;
  /** with --spectrum-fit only (so summaries of other runs keep their bytes) */
  spectrum?: SpectrumGroupSummary;
}

export interface PSpinSummary {
  p: number;
  Einf: number;
  E0: number;
  settings: PSpinSettings;
  groups: PSpinGroupSummary[];
  /** Per Λ, across coupling instances (src/pspin/sizes.ts). */
  sizes: PSpinSizeSummary[];
  /** Across Λ: the spread's fall and the mean's approach to −E∞, with tests. */
  trends: PSpinTrends;
}

export function summarize(exp: PSpinSettings, lines: RestartResult[]): PSpinSummary {
  const Einf = eInf(exp.p);
  const E0 = e0(exp.p);
  const groups: PSpinGroupSummary[] = [];
  for (const n of exp.ns) {
    for (let instance = 0; instance < exp.instances; instance++) {
      const rs = lines.filter((r) => r.n === n && r.instance === instance);
      if (!rs.length) continue;
      const e = rs.map((r) => r.energy).sort((a, b) => a - b);
      const withIndex = rs.filter((r) => r.index !== null);
      const spectrum = spectrumSummary(rs);
      groups.push({
        n, instance, count: rs.length, mean: mean(e), sd: rs.length > 1 ? sampleStandardDeviation(e) : 0,
        min: min(e), max: max(e), q05: quantileSorted(e, 0.05), q50: quantileSorted(e, 0.5), q95: quantileSorted(e, 0.95),
        converged: rs.filter((r) => r.converged).length / rs.length,
        meanIterations: mean(rs.map((r) => r.iterations)),
        fracIndex0: withIndex.length ? withIndex.filter((r) => r.index === 0).length / withIndex.length : null,
        fracBelowE0: e.filter((x) => x < -E0).length / e.length,
        fracBelowEinf: e.filter((x) => x < -Einf).length / e.length,
        ...(spectrum ? { spectrum } : {}),
      });
    }
  }
  return { p: exp.p, Einf, E0, settings: { ...exp }, groups, sizes: sizeSummaries(groups), trends: pspinTrends(groups, Einf, exp.seed) };
}
