// What the widget runs, from its state: the same task lists the CLI builds, so a view in the page
// and `landscape pspin` / `landscape mlp` with the same settings give the same lines.
import { pspinTaskList, type PSpinExperiment } from '../pspin/experiment.js';
import { mlpTaskList, type MlpSettings } from '../mlp/experiment.js';
import { resolveMlpSettings } from '../mlp/descriptor.js';
import type { WidgetState } from './state.js';
import type { TaskInput } from '../pool/protocol.js';

export function pspinExperiment(s: WidgetState): PSpinExperiment {
  return {
    p: s.p, ns: s.n, restarts: s.restarts, instances: 1, coupling: 'gaussian', method: 'gd', lr: 0.2, tol: 0.01, maxIter: 20000,
    storage: 'packed', index: false, indexTol: 1e-3, pieces: 4, annealSteps: 2000, annealT0: 1, annealStep: 0.05, seed: s.seed,
  };
}

export function mlpSettings(s: WidgetState): MlpSettings {
  return resolveMlpSettings('quick', { hidden: s.hidden, runs: s.runs, epochs: s.epochs, trainSize: s.trainSize, testSize: 2000, batch: Math.min(10, s.trainSize), seed: s.seed });
}

export function widgetTasks(s: WidgetState, mnistDir?: string): TaskInput<unknown>[] {
  return s.mode === 'pspin' ? pspinTaskList(pspinExperiment(s)) : mlpTaskList(mlpSettings(s), mnistDir);
}
