// Flag parsers shared by every command. Each throws commander's InvalidArgumentError, whose
// text commander prefixes with the flag name, so the one-line message names flag and range.
import { InvalidArgumentError } from 'commander';

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

function integer(raw: string, min: number, max: number, what: string): number {
  const t = raw.trim();
  if (!/^[+]?\d+$/.test(t)) throw new InvalidArgumentError(`expected ${what}, an integer in [${min}, ${max}]`);
  const v = Number(t);
  if (!Number.isSafeInteger(v) || v < min || v > max) throw new InvalidArgumentError(`expected ${what}, an integer in [${min}, ${max}]`);
  return v;
}

export const parseSeed = (raw: string): number => integer(raw, 0, MAX_SAFE, 'a seed');

/** Worker counts above 256 are refused: each worker holds its own wasm memory. */
export const parseWorkers = (raw: string): number => integer(raw, 1, 256, 'a worker count');

export const parsePositiveInt = (what: string, max = MAX_SAFE) => (raw: string): number => integer(raw, 1, max, what);

export const parseIntRange = (what: string, min: number, max: number) => (raw: string): number => integer(raw, min, max, what);

export const parseNonNegativeInt = (what: string, max = MAX_SAFE) => (raw: string): number => integer(raw, 0, max, what);

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A positive decimal number (no hex, no Infinity), at most `max`. */
export function parsePositiveNumber(what: string, max = Number.MAX_VALUE) {
  return (raw: string): number => {
    const v = Number(raw);
    if (!DECIMAL.test(raw.trim()) || !Number.isFinite(v) || v <= 0 || v > max) throw new InvalidArgumentError(`expected ${what}, a positive decimal number${max < Number.MAX_VALUE ? ` up to ${max}` : ''}`);
    return v;
  };
}

/** Comma list of integers, e.g. `--n 25,50,100`. */
export function parseIntList(what: string, min: number, max: number) {
  return (raw: string): number[] => {
    const parts = raw.split(',').map((s) => s.trim());
    if (parts.length === 0 || parts.some((p) => p === '')) throw new InvalidArgumentError(`expected a comma-separated list of ${what} in [${min}, ${max}]`);
    return parts.map((p) => {
      try {
        return integer(p, min, max, what);
      } catch {
        throw new InvalidArgumentError(`expected a comma-separated list of ${what} in [${min}, ${max}], got "${p}"`);
      }
    });
  };
}

export function parseChoice<T extends string>(choices: readonly T[]) {
  return (raw: string): T => {
    if (!(choices as readonly string[]).includes(raw)) throw new InvalidArgumentError(`expected one of ${choices.join(', ')}`);
    return raw as T;
  };
}
