// The CLI as a user runs it, and the shape of a usage error (exit 2, one line naming the flag or
// file, no stack trace), shared by the tests of bad input and of folder locks.
import { expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const bin = fileURLToPath(new URL('../../bin/landscape.js', import.meta.url));
export const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 60_000 });
export const tmp = () => mkdtempSync(join(tmpdir(), 'hardening-'));
export const PSPIN = ['pspin', '--n', '5', '--restarts', '8', '--quiet'];

export function expectUsage(r: ReturnType<typeof run>, flag: RegExp | string): void {
  expect(r.signal, 'no hang').toBeNull();
  expect(r.status, r.stderr).toBe(2);
  expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
  expect(r.stderr).toMatch(flag);
  expect(r.stderr).not.toMatch(/\bat .*\.js:\d+|EEXIST|ENOTDIR|EISDIR/);
}
