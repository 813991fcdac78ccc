// The page's whole state as a query string, so a link reproduces a view:
//   ?exp=pspin&profile=smoke&n=9,16&seed=3&workers=2
// Keys are the experiment's CLI flags; only values that differ from the profile are written, so
// equal states give equal URLs. Text is read by the very field checks the CLI uses
// (parseFieldText, then resolveSettings for the cross checks), within the page caps below.
// Parsing a URL never throws: a bad value falls back to the profile's (the page rewrites the URL
// clean); reading the form reports every bad value by flag instead. Platform-neutral.
import { EXPERIMENTS, experimentNamed } from '../registry.js';
import { resolveSettings, type Experiment } from '../experiment/descriptor.js';
import { parseFieldText, type Field, type FieldKind } from '../experiment/fields.js';

export const PAGE_PROFILES = ['smoke', 'quick'] as const;
export type PageProfile = (typeof PAGE_PROFILES)[number];

/**
 * Upper bounds the page puts on fields that would make a tab unusable (wasm memory per worker, or
 * hours per task); the CLI has none of them. Each admits the smoke and quick profiles
 * (test/web.test.ts checks). By experiment name, then field key.
 */
export const PAGE_CAPS: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  // Λ ≤ 300: p = 3 packed couplings are 18 MB; the restart and iteration caps bound one task.
  pspin: { ns: 300, restarts: 4096, instances: 16, maxIter: 100000, pieces: 16, annealSteps: 100000 },
  // 10000 training images and width 1000 keep a worker's dataset and net under ~100 MB.
  mlp: { hidden: 1000, layers: 1000, runs: 200, epochs: 200, batch: 10000, trainSize: 10000 },
};

/** The seed is a global flag of the CLI, so no descriptor lists it; the page shows it like a field. */
export const SEED_FIELD: Field = { key: 'seed', flag: 'seed', what: 'a seed', help: 'master seed: the same seed gives the same bytes as the CLI', kind: { type: 'int', min: 0, max: Number.MAX_SAFE_INTEGER } };
/** How many Web Workers run the tasks; changes no result line. */
export const WORKERS_FIELD: Field = { key: 'workers', flag: 'workers', what: 'a worker count', help: 'Web Workers that run the tasks (changes no result)', kind: { type: 'int', min: 1, max: 16 } };
export const DEFAULT_WORKERS = 2;
export const DEFAULT_EXPERIMENT = 'pspin';

export interface WidgetState {
  /** An experiment's name in the registry. */
  exp: string;
  profile: PageProfile;
  /** Settings that differ from the profile, by field key (`seed` included). */
  overrides: Record<string, unknown>;
  workers: number;
}

function capped(kind: FieldKind, cap: number | undefined): FieldKind {
  if (cap === undefined) return kind;
  switch (kind.type) {
    case 'int': case 'intList': return { ...kind, max: Math.min(kind.max, cap) };
    case 'number': return { ...kind, max: kind.max === undefined ? cap : Math.min(kind.max, cap) };
    default: return kind;
  }
}

/**
 * The experiment's fields as the page offers them (page caps applied), then the seed. Optional
 * fields are left out: they name files to read or to save beside the results (--couplings,
 * --save-nets, ...), and a tab has neither a local file system nor an output folder.
 */
export function pageFields(exp: Experiment): Field[] {
  const caps = PAGE_CAPS[exp.name] ?? {};
  return [...exp.fields.filter((f: Field) => !f.optional).map((f: Field) => ({ ...f, kind: capped(f.kind, caps[f.key]) })), SEED_FIELD];
}

export function experimentOf(name: string | null | undefined): Experiment {
  return experimentNamed(name ?? '') ?? experimentNamed(DEFAULT_EXPERIMENT) ?? EXPERIMENTS[0];
}

/** The settings of a profile alone (what the form shows before any edit). */
export function profileSettings(exp: Experiment, profile: PageProfile): Record<string, unknown> {
  return resolveSettings(exp, profile, {}, `${exp.name} (page)`);
}

/** A value as typed into a field or a query string. */
export function fieldText(field: Field, v: unknown): string {
  if (v === null || v === undefined) return '';
  return Array.isArray(v) ? v.join(',') : String(v);
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export interface Reading {
  state: WidgetState;
  /** The resolved settings, when there is no error. */
  settings: Record<string, unknown> | null;
  /** Messages by field flag; '' holds one that names no field (e.g. a memory bound). */
  errors: Record<string, string>;
}

/**
 * Reads typed text, by flag, over a profile: every field parsed as the CLI parses its flag, then
 * the whole checked by resolveSettings. Flags not in `texts` keep the profile's value.
 */
export function readState(expName: string, profileName: string, texts: ReadonlyMap<string, string>): Reading {
  const exp = experimentOf(expName);
  const profile: PageProfile = (PAGE_PROFILES as readonly string[]).includes(profileName) ? (profileName as PageProfile) : 'smoke';
  const base = profileSettings(exp, profile);
  const fields = pageFields(exp);
  const errors: Record<string, string> = {};
  const overrides: Record<string, unknown> = {};
  for (const f of fields) {
    const text = texts.get(f.flag);
    if (text === undefined) continue;
    try {
      const v = f.nullable && text.trim() === '' ? null : parseFieldText(f, text);
      if (!same(v, base[f.key])) overrides[f.key] = v;
    } catch (e) {
      errors[f.flag] = (e as Error).message;
    }
  }
  let workers = DEFAULT_WORKERS;
  const wText = texts.get(WORKERS_FIELD.flag);
  if (wText !== undefined) {
    try { workers = parseFieldText(WORKERS_FIELD, wText) as number; } catch (e) { errors[WORKERS_FIELD.flag] = (e as Error).message; }
  }
  let settings: Record<string, unknown> | null = null;
  if (!Object.keys(errors).length) {
    try {
      settings = resolveSettings(exp, profile, overrides, exp.name);
    } catch (e) {
      // Cross checks name their flag (`--batch: …`); put the message beside that field.
      const message = (e as Error).message;
      const named = fields.find((f) => new RegExp(`--${f.flag}(?![\\w-])`).test(message));
      errors[named?.flag ?? ''] = message;
    }
  }
  return { state: { exp: exp.name, profile, overrides, workers }, settings, errors };
}

/** A query string's state; a value that does not parse, or fails a check, falls back to the profile's. */
export function parseState(query: string): WidgetState {
  const q = new URLSearchParams(query.startsWith('?') || query.startsWith('#') ? query.slice(1) : query);
  const exp = experimentOf(q.get('exp'));
  const texts = new Map<string, string>();
  for (const f of [...pageFields(exp), WORKERS_FIELD]) {
    const v = q.get(f.flag);
    if (v !== null) texts.set(f.flag, v);
  }
  for (;;) {
    const r = readState(exp.name, q.get('profile') ?? 'smoke', texts);
    const bad = Object.keys(r.errors);
    if (!bad.length) return r.state;
    if (bad.includes('')) for (const f of pageFields(exp)) texts.delete(f.flag);
    for (const flag of bad) texts.delete(flag);
  }
}

/** The query string of a state: exp and profile, then changed fields in field order, then workers. */
export function stateToQuery(s: WidgetState): string {
  const exp = experimentOf(s.exp);
  const q = new URLSearchParams({ exp: exp.name, profile: s.profile });
  for (const f of pageFields(exp)) if (f.key in s.overrides) q.set(f.flag, fieldText(f, s.overrides[f.key]));
  if (s.workers !== DEFAULT_WORKERS) q.set(WORKERS_FIELD.flag, String(s.workers));
  return `?${q.toString().replaceAll('%2C', ',')}`;
}

/** The state a link without settings gets: the smoke profile of the default experiment. */
export const DEFAULT_STATE: WidgetState = { exp: DEFAULT_EXPERIMENT, profile: 'smoke', overrides: {}, workers: DEFAULT_WORKERS };
