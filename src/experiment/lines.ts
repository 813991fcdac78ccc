// A small schema for result lines read back from disk: each key's kind, checked before a line is
// trusted (resume, merge, report), so a damaged file is named instead of crashing later.
export type LineKind = 'int' | 'number' | 'finite' | 'bool' | 'string' | 'int?' | 'number?' | 'int|int[]';

const OK: Record<LineKind, (v: unknown) => boolean> = {
  int: (v) => Number.isSafeInteger(v),
  number: (v) => typeof v === 'number' || v === null, // non-finite values are stored as null
  finite: (v) => typeof v === 'number' && Number.isFinite(v),
  bool: (v) => typeof v === 'boolean',
  string: (v) => typeof v === 'string',
  'int?': (v) => v === null || Number.isSafeInteger(v),
  'number?': (v) => v === null || typeof v === 'number',
  'int|int[]': (v) => Number.isSafeInteger(v) || (Array.isArray(v) && v.length > 0 && v.every((x) => Number.isSafeInteger(x))),
};

/** The first key missing or of the wrong kind, as a message; null when the line fits. */
export function lineProblem(line: object, shape: Record<string, LineKind>): string | null {
  const l = line as Record<string, unknown>;
  for (const [key, kind] of Object.entries(shape)) {
    if (!(key in l)) return `missing "${key}"`;
    if (!OK[kind](l[key])) return `"${key}" is ${JSON.stringify(l[key])}, expected ${kind === 'int?' ? 'an integer or null' : kind === 'int|int[]' ? 'an integer or a list of integers' : `a${kind === 'int' ? 'n integer' : ` ${kind}`}`}`;
  }
  return null;
}
