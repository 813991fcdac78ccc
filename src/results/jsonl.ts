// Append-only JSONL result files that survive interruption. Each finished task's lines go out in
// one write, in completion order; a crash can tear at most the last line, which load() drops.
// A task counts as done only when all its lines are present; finalize() rewrites the file in
// task order (temp file + rename), so the final bytes never depend on scheduling.
import { SettingsError } from '../experiment/fields.js';
import { appendFileSync, existsSync, readFileSync, renameSync, writeFileSync, truncateSync } from 'node:fs';

/** A result file that cannot belong to the run: bad input (exit 2), naming the file and line. */
export class ResultFileError extends SettingsError {
  override name = 'ResultFileError';
}

export interface TaskLines {
  key: string;
  expected: number;
}

export class ResultLog<Line extends object> {
  private done = new Map<string, Line[]>();

  constructor(
    readonly path: string,
    private readonly keyOf: (line: Line) => string,
    /** A problem with a parsed line (its schema, or settings it contradicts), or null. */
    private readonly check: (line: Line) => string | null = () => null,
  ) {}

  /** Reads what an earlier run left; repairs a torn last line. Returns the finished task keys. */
  load(expectedPerKey: Map<string, number>): Set<string> {
    this.done.clear();
    if (!existsSync(this.path)) return new Set();
    const text = readFileSync(this.path, 'utf8');
    const lines = text.split('\n');
    let validBytes = 0;
    const partial = new Map<string, Line[]>();
    for (let i = 0; i < lines.length; i++) {
      const raw = lines[i];
      const last = i === lines.length - 1;
      if (raw === '') { if (!last) validBytes += 1; continue; }
      let parsed: Line;
      try {
        parsed = JSON.parse(raw) as Line;
      } catch {
        if (last || i === lines.length - 2) break; // torn by a crash mid-write: drop it
        throw new ResultFileError(`${this.path}: line ${i + 1} is not valid JSON; the file is damaged beyond a torn last line`);
      }
      if (last) break; // a complete JSON line without its newline may still be torn
      validBytes += Buffer.byteLength(raw) + 1;
      const problem = parsed === null || typeof parsed !== 'object' || Array.isArray(parsed) ? 'expected one JSON object per line' : this.check(parsed);
      if (problem) throw new ResultFileError(`${this.path}: line ${i + 1}: ${problem}`);
      const key = this.keyOf(parsed);
      if (!expectedPerKey.has(key)) throw new ResultFileError(`${this.path}: line ${i + 1} belongs to no task of these settings (task ${key}); the folder holds other results`);
      if (!partial.has(key)) partial.set(key, []);
      partial.get(key)!.push(parsed);
    }
    if (validBytes < Buffer.byteLength(text)) truncateSync(this.path, validBytes);
    const finished = new Set<string>();
    for (const [key, ls] of partial) {
      if (ls.length > expectedPerKey.get(key)!) throw new ResultFileError(`${this.path}: task ${key} has ${ls.length} lines, expected ${expectedPerKey.get(key)}; the file was written twice into`);
      if (ls.length === expectedPerKey.get(key)) {
        this.done.set(key, ls);
        finished.add(key);
      }
    }
    return finished;
  }

  /** Appends one finished task's lines in a single write. */
  append(key: string, lines: Line[]): void {
    this.done.set(key, lines);
    appendFileSync(this.path, lines.map((l) => JSON.stringify(l) + '\n').join(''));
  }

  /** Rewrites the file with exactly the given tasks' lines, in the given order. */
  finalize(order: string[]): Line[] {
    const all: Line[] = [];
    for (const key of order) {
      const ls = this.done.get(key);
      if (ls) all.push(...ls);
    }
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, all.map((l) => JSON.stringify(l) + '\n').join(''));
    renameSync(tmp, this.path);
    return all;
  }

  lines(key: string): Line[] | undefined {
    return this.done.get(key);
  }
}
