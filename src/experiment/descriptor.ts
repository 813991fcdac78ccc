// An experiment as one descriptor: its settings (fields, defaults, profiles, checks), its task
// list and keys, its summary, figures, report section and text table. The generic runner
// (src/run/), merge, report, reproduce, the CLI and the page all work from descriptors and
// name no experiment. Platform-neutral.
import type { TaskHandler, TaskInput } from '../pool/protocol.js';
import type { FigureSpec } from '../report/render.js';
import type { ReportSection } from '../report/html.js';
import type { Heap } from '../heap.js';
import type { DataFolder, NetFolder } from '../io/folders.js';
import type { Claim } from './claims.js';
import { SettingsError, fieldArgs, fieldProblem, type Field } from './fields.js';

export { SettingsError } from './fields.js';

export const PROFILES = ['smoke', 'quick', 'standard', 'workstation', 'paper'] as const;
export type ProfileName = (typeof PROFILES)[number];

export interface NamedFigure {
  /** File name beside the results, e.g. 'pspin-spread.svg'. */
  name: string;
  /** The [P2] figure or table it corresponds to. */
  label: string;
  spec: FigureSpec;
}

/** What a run knows besides the settings: things that do not change results (paths, workers). */
export interface RunEnv {
  /** Options that are not settings (e.g. a data folder URL), by field key. */
  options: Record<string, unknown>;
}

/** A run's printed cost. `perTask` (one worker's seconds for each todo task, in order) lets the
 * progress ETA weigh a big Λ or a wide net by its cost instead of counting it as one task. */
export interface Estimate { seconds: number; flops?: number; perTask?: number[] }

export interface Experiment<S extends { seed: number } = any, P = any, L extends object = any, Sum = any> {
  /** Command, folder and file stem: results go to `${name}.jsonl` and `${name}-summary.json`. */
  name: string;
  /** False when another face owns the command name (theory's `landscape theory` prints tables). */
  command?: boolean;
  /** One line for --help. */
  title: string;
  /** Two or three command lines with what they do, for the end of --help. */
  examples?: [command: string, what: string][];
  /** A short name for stages and timings, e.g. 'spin glass'. */
  label: string;
  /** Every setting, in the order the settings file records them. `seed` comes from the global flag. */
  fields: Field<S>[];
  defaults: S;
  /** Flags that are not settings (they change no result line): data folders, files to save. */
  options?: Field<any>[];
  /** Checks that read inputs (files) before anything is created; throws SettingsError naming the flag. */
  check?(s: S, env: RunEnv): Promise<void>;
  /** Overrides per profile; `reproduce --profile X` runs every experiment's profile X. */
  profiles: Record<ProfileName, Partial<S>>;
  /** The profile used when none is given (else the defaults alone). */
  defaultProfile?: ProfileName;
  /** Pairs of settings that exclude each other when both are given (by flag or config). */
  conflicts?: [string, string][];
  /** Cross-field checks and memory; throws SettingsError naming the flag. */
  validate?(s: S): void;
  /** Settings after derived values are fixed (e.g. storage auto → packed); defaults to identity. */
  normalise?(s: S): S;
  /** The worker-side handlers of its task kinds (the worker entry serves every registered one). */
  handlers: Record<string, TaskHandler>;
  /** Unit of progress lines ('restarts', 'runs'). */
  unit: string;
  tasks(s: S, env: RunEnv): TaskInput<P>[];
  taskKey(params: P): string;
  /** A result line read back (resume, merge, report) that does not fit these settings: why, or null. */
  checkLine?(line: L, s: S): string | null;
  /** The key of the task that wrote a result line. */
  lineKey(line: L, s: S): string;
  linesPerTask(params: P): number;
  /** A task's result as result lines (default: the result itself, or its elements when an array). */
  toLines?(params: P, result: unknown): L[];
  /** Bytes of wasm memory one worker needs for these settings. */
  memoryBytes?(s: S): number;
  /** Tasks to run on the pool first to estimate the time (results: seconds per task of `tasks`). */
  estimate?(s: S, todo: TaskInput<P>[], workers: number, run: (tasks: TaskInput<unknown>[]) => Promise<unknown[]>): Promise<Estimate | null>;
  /**
   * Files a task's result carries besides its lines (saved nets, endpoints), by name relative to
   * the output folder. The runner writes them before the task's lines, so a finished task always
   * has its files.
   */
  extras?(s: S, params: P, result: unknown): { name: string; bytes: Uint8Array }[];
  /** After the last task: joins per-task files into final ones; returns the paths written. */
  finish?(s: S, files: OutputFiles, tasks: P[]): string[];
  summarize(s: S, lines: L[]): Sum;
  /**
   * The experiment's measurement of one given net on given data (`--net DIR --data DIR`, the
   * folders of FORMATS.md), printed as JSON instead of running the ensemble.
   */
  oneNet?: {
    options?: Field<any>[];
    run(heap: Heap, net: NetFolder, data: DataFolder, options: Record<string, unknown>): object;
  };
  /**
   * The claims of [P2]/[P1] this experiment tests, with their status computed from the results
   * (summary null: the experiment did not run, so every claim is 'not run').
   */
  claims?(s: S | null, summary: Sum | null): Claim[];
  /** A run whose results are written but failed as a whole (e.g. every net diverged): one line, exit 1. */
  outcome?(s: S, summary: Sum): string | null;
  figures(s: S, lines: L[], summary: Sum, caption: string): NamedFigure[];
  section(s: S, lines: L[], summary: Sum, caption: string): ReportSection;
  /** The summary as the CLI prints it (several lines, no trailing newline). */
  table(s: S, summary: Sum): string;
}

/** The output folder as the platform-neutral code sees it (names relative to it). */
export interface OutputFiles {
  read(name: string): Uint8Array | null;
  /** Writes atomically (temp file, then rename); returns the path. */
  write(name: string, bytes: Uint8Array): string;
  remove(name: string): void;
  path(name: string): string;
}

/** A report section that needs several experiments' results (e.g. the side-by-side pair). */
export interface Comparison {
  id: string;
  needs: string[];
  /** The id of the section it follows in the report (default: after every section). */
  after?: string;
  build(results: Record<string, { settings: any; lines: any[]; summary: any }>): { title: string; caption: string; figures: { id: string; label: string; spec: FigureSpec }[] } | null;
}

/** Checks every field of a settings object (and nothing unknown); throws naming the key. */
export function checkSettings<S extends { seed: number }>(exp: Experiment<S>, s: Record<string, unknown>, where: string): S {
  const known = new Set<string>([...exp.fields.map((f) => f.key as string), 'seed']);
  for (const key of Object.keys(s)) {
    if (!known.has(key)) throw new SettingsError(`${where}: unknown setting "${key}" for ${exp.name}; known: ${[...known].join(', ')}`);
  }
  for (const f of exp.fields) {
    const problem = fieldProblem(f, s[f.key]);
    if (problem) throw new SettingsError(`${where}: ${f.key} (--${f.flag}): ${problem}`);
  }
  const seed = s.seed;
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0) throw new SettingsError(`${where}: seed (--seed): expected an integer in [0, 2^53−1], got ${JSON.stringify(seed)}`);
  return s as S;
}

/**
 * Defaults, then the profile, then the overrides (undefined values are ignored), in the key order
 * of the defaults; every field checked, then the experiment's own cross checks.
 */
export function resolveSettings<S extends { seed: number }>(exp: Experiment<S>, profile: string | undefined, overrides: Partial<S> = {}, where = exp.name): S {
  const name = profile ?? exp.defaultProfile;
  if (name !== undefined && !(PROFILES as readonly string[]).includes(name)) {
    throw new SettingsError(`${where}: unknown profile "${name}"; one of ${PROFILES.join(', ')}`);
  }
  const fromProfile = name ? exp.profiles[name as ProfileName] : {};
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  const merged = { ...exp.defaults, ...fromProfile, ...defined } as Record<string, unknown>;
  const keys = [...Object.keys(exp.defaults), ...exp.fields.filter((f) => f.optional && merged[f.key] !== undefined).map((f) => f.key as string)];
  for (const k of Object.keys(merged)) if (!keys.includes(k)) keys.push(k); // unknown: refused below, by name
  const ordered = Object.fromEntries(keys.map((k) => [k, merged[k]]));
  const s = checkSettings(exp, ordered, where);
  const norm = exp.normalise ? exp.normalise(s) : s;
  exp.validate?.(norm);
  return norm;
}

/** The settings as a command line that reproduces them: every field that differs from the defaults. */
export function commandLine<S extends { seed: number }>(exp: Experiment<S>, s: S): string {
  const args: string[] = [];
  for (const f of exp.fields) {
    const v = s[f.key], d = exp.defaults[f.key];
    if (JSON.stringify(v) !== JSON.stringify(d) && !(f.kind.type === 'bool' && !v)) args.push(...fieldArgs(f, v));
  }
  if (s.seed !== exp.defaults.seed) args.push('--seed', String(s.seed));
  return ['landscape', exp.name, ...args].join(' ');
}
