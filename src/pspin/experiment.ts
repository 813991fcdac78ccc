// The spin-glass experiment of [P2] §5 (Fig. 3 left, supplement Fig. 8) as plain data: the task
// list (independent of worker count) and the summary statistics. Platform-neutral.
import { mean, sampleStandardDeviation, quantileSorted, min, max } from 'simple-statistics';
import type { TaskInput } from '../pool/protocol.js';
import { eInf, e0 } from '../theory/complexity.js';
import { couplingCount, type Coupling } from './model.js';
import type { Method, PSpinBatchParams, RestartResult } from './batch.js';

export interface PSpinExperiment {
  p: number;
  ns: number[];
  restarts: number;
  instances: number;
  coupling: Coupling;
  method: Method;
  lr: number;
  tol: number;
  maxIter: number;
  storage: 'dense' | 'packed';
  index: boolean;
  indexTol: number;
  pieces: number;
  annealSteps: number;
  annealT0: number;
  annealStep: number;
  seed: number;
}

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

export function pspinTaskList(exp: PSpinExperiment): TaskInput<PSpinBatchParams>[] {
  const tasks: TaskInput<PSpinBatchParams>[] = [];
  for (const n of exp.ns) {
    const per = restartsPerTask(exp.p, n, exp.storage);
    for (let instance = 0; instance < exp.instances; instance++) {
      for (let first = 0; first < exp.restarts; first += per) {
        tasks.push({
          kind: 'pspin-batch',
          seed: exp.seed,
          stream: tasks.length,
          params: {
            p: exp.p, n, storage: exp.storage, coupling: exp.coupling, instance, firstRestart: first,
            count: Math.min(per, exp.restarts - first), method: exp.method, lr: exp.lr, tol: exp.tol,
            maxIter: exp.maxIter, index: exp.index, indexTol: exp.indexTol, pieces: exp.pieces,
            annealSteps: exp.annealSteps, annealT0: exp.annealT0, annealStep: exp.annealStep,
          },
        });
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
}

export interface PSpinSummary {
  p: number;
  Einf: number;
  E0: number;
  settings: Omit<PSpinExperiment, 'ns'> & { ns: number[] };
  groups: PSpinGroupSummary[];
}

export function summarize(exp: PSpinExperiment, lines: RestartResult[]): PSpinSummary {
  const Einf = eInf(exp.p);
  const E0 = e0(exp.p);
  const groups: PSpinGroupSummary[] = [];
  for (const n of exp.ns) {
    for (let instance = 0; instance < exp.instances; instance++) {
      const rs = lines.filter((r) => r.n === n && r.instance === instance);
      if (!rs.length) continue;
      const e = rs.map((r) => r.energy).sort((a, b) => a - b);
      const withIndex = rs.filter((r) => r.index !== null);
      groups.push({
        n, instance, count: rs.length, mean: mean(e), sd: rs.length > 1 ? sampleStandardDeviation(e) : 0,
        min: min(e), max: max(e), q05: quantileSorted(e, 0.05), q50: quantileSorted(e, 0.5), q95: quantileSorted(e, 0.95),
        converged: rs.filter((r) => r.converged).length / rs.length,
        meanIterations: mean(rs.map((r) => r.iterations)),
        fracIndex0: withIndex.length ? withIndex.filter((r) => r.index === 0).length / withIndex.length : null,
        fracBelowE0: e.filter((x) => x < -E0).length / e.length,
        fracBelowEinf: e.filter((x) => x < -Einf).length / e.length,
      });
    }
  }
  return { p: exp.p, Einf, E0, settings: { ...exp }, groups };
}
