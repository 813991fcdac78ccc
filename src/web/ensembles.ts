// What the page runs, from a checked state: the descriptor's own task list, lines and figures, as
// the Node runner (src/run/runner.ts) uses them, so the page and `landscape <exp>` with the same
// settings give the same lines. Platform-neutral; knows no experiment by name.
import { commandLine, type Experiment, type NamedFigure } from '../experiment/descriptor.js';
import type { TaskInput } from '../pool/protocol.js';

export interface PageRun {
  exp: Experiment;
  settings: Record<string, unknown> & { seed: number };
  tasks: TaskInput<unknown>[];
  /** Workers it runs on (named in the figures' caption; changes no line). */
  workers: number;
}

/** The experiment's non-setting options the page can supply, by key (e.g. mnistDir: a URL). */
export type PageOptions = Record<string, unknown>;

export function pageRun(exp: Experiment, settings: Record<string, unknown> & { seed: number }, workers: number, options: PageOptions = {}): PageRun {
  const known = new Set((exp.options ?? []).map((f) => f.key as string));
  const env = { options: Object.fromEntries(Object.entries(options).filter(([k]) => known.has(k))) };
  return { exp, settings, tasks: exp.tasks(settings, env), workers };
}

/** A task's result as result lines, as the runner writes them. */
export function linesOfTask(exp: Experiment, task: TaskInput<unknown>, result: unknown): unknown[] {
  return exp.toLines ? exp.toLines(task.params, result) : Array.isArray(result) ? result : [result];
}

/** Lines as the CLI writes them: one JSON per line. */
export const toJsonl = (lines: readonly unknown[]): string => lines.map((l) => JSON.stringify(l) + '\n').join('');

/**
 * Every figure of the experiment over the lines so far, or [] when the summary or a spec builder
 * cannot cope with partial data yet (an empty group, a fit over one width).
 */
export function pageFigures(run: PageRun, lines: unknown[]): NamedFigure[] {
  if (!lines.length) return [];
  const caption = `${commandLine(run.exp, run.settings)}; live in the browser on ${run.workers} worker(s), the same bytes as the CLI`;
  try {
    return run.exp.figures(run.settings, lines as object[], run.exp.summarize(run.settings, lines as object[]), caption);
  } catch {
    return [];
  }
}
