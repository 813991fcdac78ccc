// Settings as data: each setting of an experiment is one field with its flag, its type and range.
// The CLI builds its options from the fields, a JSON config is checked against them, and the
// command line of a settings object is printed from them, so the three can never disagree.
// Platform-neutral.

/** A bad setting: names the flag (or the config key) and what is allowed. */
export class SettingsError extends Error {
  override name = 'SettingsError';
}

export type FieldKind =
  | { type: 'int'; min: number; max: number }
  | { type: 'number'; min?: number; max?: number; minExclusive?: boolean; maxExclusive?: boolean }
  | { type: 'intList'; min: number; max: number; distinct?: boolean }
  | { type: 'path' }
  | { type: 'choice'; choices: readonly string[] }
  | { type: 'bool' };

export interface Field<S = Record<string, unknown>> {
  key: keyof S & string;
  /** The long flag without dashes, e.g. 'max-iter'. */
  flag: string;
  help: string;
  /** The noun used in messages, e.g. 'a restart count'. */
  what: string;
  kind: FieldKind;
  /** Also accept null (e.g. `layers` of the one-hidden-layer sweep); null is never printed. */
  nullable?: boolean;
  /**
   * May be absent: not in the defaults, recorded in the settings file only when given (after the
   * other settings, in field order), so files written before the field existed stay valid.
   */
  optional?: boolean;
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function rangeText(kind: FieldKind): string {
  switch (kind.type) {
    case 'int': return `an integer in [${kind.min}, ${kind.max}]`;
    case 'intList': return `a comma-separated list of ${kind.distinct ? 'distinct ' : ''}integers in [${kind.min}, ${kind.max}]`;
    case 'path': return 'a non-empty path';
    case 'choice': return `one of ${kind.choices.join(', ')}`;
    case 'bool': return 'true or false';
    case 'number': {
      if (kind.min === 0 && kind.minExclusive && kind.max === undefined) return 'a positive decimal number';
      const lo = kind.min === undefined ? '(−∞' : `${kind.minExclusive ? '(' : '['}${kind.min}`;
      const hi = kind.max === undefined ? '∞)' : `${kind.max}${kind.maxExclusive ? ')' : ']'}`;
      return `a decimal number in ${lo}, ${hi}`;
    }
  }
}

function inNumberRange(kind: Extract<FieldKind, { type: 'number' }>, v: number): boolean {
  if (!Number.isFinite(v)) return false;
  if (kind.min !== undefined && (kind.minExclusive ? v <= kind.min : v < kind.min)) return false;
  if (kind.max !== undefined && (kind.maxExclusive ? v >= kind.max : v > kind.max)) return false;
  return true;
}

function intOk(v: unknown, min: number, max: number): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max;
}

/** Parses a flag's text; throws a message (without the flag name) on bad input. */
export function parseFieldText(field: Field<any>, raw: string): unknown {
  const k = field.kind;
  const bad = (extra = '') => new SettingsError(`expected ${field.what}, ${rangeText(k)}${extra}`);
  const t = raw.trim();
  switch (k.type) {
    case 'int': {
      if (!/^[+]?\d+$/.test(t) || !intOk(Number(t), k.min, k.max)) throw bad();
      return Number(t);
    }
    case 'number': {
      if (!DECIMAL.test(t) || !inNumberRange(k, Number(t))) throw bad();
      return Number(t);
    }
    case 'intList': {
      const parts = raw.split(',').map((s) => s.trim());
      const values = parts.map((p) => (/^[+]?\d+$/.test(p) && intOk(Number(p), k.min, k.max) ? Number(p) : null));
      const i = values.indexOf(null);
      if (i >= 0) throw bad(parts[i] === '' ? '' : `, got "${parts[i]}"`);
      const dup = values.find((v, j) => values.indexOf(v) !== j);
      if (k.distinct && dup !== undefined) throw bad(`; ${dup} is given twice`);
      return values;
    }
    case 'choice': {
      if (!k.choices.includes(t)) throw bad();
      return t;
    }
    case 'path': {
      if (raw === '' || raw.includes('\0')) throw bad();
      return raw;
    }
    case 'bool': {
      if (t === 'true') return true;
      if (t === 'false') return false;
      throw bad();
    }
  }
}

/** Checks a value from a JSON config or a library call; returns a message, or null when valid. */
export function fieldProblem(field: Field<any>, v: unknown): string | null {
  const k = field.kind;
  if (v === null && field.nullable) return null;
  if (v === undefined && field.optional) return null;
  const bad = `expected ${field.what}, ${rangeText(k)}, got ${JSON.stringify(v) ?? String(v)}`;
  switch (k.type) {
    case 'int': return intOk(v, k.min, k.max) ? null : bad;
    case 'number': return typeof v === 'number' && inNumberRange(k, v) ? null : bad;
    case 'choice': return typeof v === 'string' && k.choices.includes(v) ? null : bad;
    case 'bool': return typeof v === 'boolean' ? null : bad;
    case 'path': return typeof v === 'string' && v !== '' && !v.includes('\0') ? null : bad;
    case 'intList': {
      if (!Array.isArray(v) || v.length === 0 || !v.every((x) => intOk(x, k.min, k.max))) return bad;
      return !k.distinct || new Set(v).size === v.length ? null : `${bad} (a value is given twice)`;
    }
  }
}

/** The flag and value as typed on a command line, or [] when the value is the field's absence. */
export function fieldArgs(field: Field<any>, v: unknown): string[] {
  if (v === null || v === undefined) return [];
  if (field.kind.type === 'bool') return v ? [`--${field.flag}`] : [];
  if (Array.isArray(v)) return [`--${field.flag}`, v.join(',')];
  return [`--${field.flag}`, String(v)];
}

/** Flag placeholder for --help, e.g. `<n>` or `<list>`. */
export function fieldPlaceholder(field: Field<any>): string {
  switch (field.kind.type) {
    case 'int': return '<n>';
    case 'number': return '<x>';
    case 'intList': return '<list>';
    case 'choice': return '<name>';
    case 'path': return '<path>';
    case 'bool': return '';
  }
}
