// The time estimate of `landscape audit`: the training as the network lab estimates it (calibrated
// in the workers on the real data), plus the audit statistics timed by one pilot per architecture
// on the pool (all at once): a net of the architecture trained for one epoch on a subset as large
// as the audit sample (the surrogate's samples are the first of these), then audited with the
// run's own settings, the statistics timed inside the worker. The statistics (A5u's permutation null,
// A6u's paths, the surrogate's descents) cost the same whatever the training was, so the pilot's
// time stands for every net of its architecture. Left out: run 0's surrogate index (once per
// architecture). A rough guide, like every estimate here.
import type { TaskInput } from '../pool/protocol.js';
import type { Estimate } from '../experiment/descriptor.js';
import type { MlpSettings } from '../mlp/experiment.js';
import { hiddenKey } from '../mlp/experiment.js';
import { mlpDescriptor } from '../mlp/descriptor.js';
import type { AuditLine, AuditNetParams } from './task.js';

export async function auditEstimate(
  s: MlpSettings,
  todo: TaskInput<AuditNetParams>[],
  workers: number,
  run: (tasks: TaskInput<unknown>[]) => Promise<unknown[]>,
): Promise<Estimate | null> {
  const train = await mlpDescriptor.estimate!(s, todo as never, workers, run);
  const first = new Map<string, TaskInput<AuditNetParams>>();
  for (const t of todo) if (!first.has(hiddenKey(t.params.hidden))) first.set(hiddenKey(t.params.hidden), t);
  // Pilots as run 1 of each architecture (run 0 also takes the surrogate's index, once per
  // architecture: left out), timed inside the worker, so data uploads and training do not count.
  const pilots = [...first.values()].map((t) => ({
    ...t, params: { ...t.params, run: 1, save: undefined, timeAudit: true as const, train: { ...t.params.train, epochs: 1 }, data: { ...t.params.data, trainSize: Math.min(t.params.data.trainSize, t.params.audit.samples) } },
  }));
  const lines = (await run(pilots)) as AuditLine[];
  const perArch = new Map(lines.map((l, i) => [hiddenKey(pilots[i].params.hidden), l.auditSeconds ?? 0]));
  const audit = todo.map((t) => perArch.get(hiddenKey(t.params.hidden))!);
  const perTask = audit.map((a, i) => a + (train?.perTask?.[i] ?? 0));
  return { seconds: (train?.seconds ?? 0) + audit.reduce((x, y) => x + y, 0) / workers, flops: train?.flops, perTask };
}
