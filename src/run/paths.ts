// Output paths that fail fast and clearly (Node): no recursive mkdir into /proc or /sys (Node 20
// can hang there), no file where a folder must be, and one writer per folder through a lock file
// holding the writer's pid and host; a lock whose process is gone on this host is taken over.
import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, statfsSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { SettingsError } from '../experiment/fields.js';

/** statfs magic numbers of virtual file systems that hold no results. */
const VIRTUAL_FS: Record<number, string> = {
  0x9fa0: 'procfs', 0x62656572: 'sysfs', 0x1cd1: 'devpts', 0x64626720: 'debugfs', 0x27e0eb: 'cgroup', 0x63677270: 'cgroup2',
  0x74726163: 'tracefs', 0x73636673: 'securityfs', 0xcafe4a11: 'bpf', 0x6e736673: 'nsfs', 0x42494e4d: 'binfmt_misc',
};

const code = (e: unknown) => (e as NodeJS.ErrnoException).code ?? String(e);

/** The nearest existing ancestor of a path (the path itself when it exists). */
function existingAncestor(path: string): string {
  let p = resolve(path);
  while (!existsSync(p)) {
    const up = dirname(p);
    if (up === p) break;
    p = up;
  }
  return p;
}

/** Checks that `path` can be a folder we create and write; throws naming the flag. */
export function checkFolderPath(path: string, flag: string): void {
  if (typeof path !== 'string' || path.trim() === '') throw new SettingsError(`${flag}: give a folder path (got an empty one)`);
  if (path.includes('\0')) throw new SettingsError(`${flag}: the path holds a NUL character`);
  const abs = resolve(path);
  const base = existingAncestor(abs);
  let st;
  try {
    st = statSync(base);
  } catch (e) {
    throw new SettingsError(`${flag}: ${base} cannot be read (${code(e)})`);
  }
  if (!st.isDirectory()) throw new SettingsError(`${flag}: ${base} is a file, not a folder${base === abs ? '' : ` (on the way to ${abs})`}`);
  try {
    const fs = statfsSync(base);
    const kind = VIRTUAL_FS[Number(fs.type)];
    if (kind) throw new SettingsError(`${flag}: ${abs} is on ${kind}, a virtual file system; choose a folder on a disk`);
  } catch (e) {
    if (e instanceof SettingsError) throw e;
  }
}

/** Creates the folder (and parents) after the checks; every failure is exit 2 naming the flag. */
export function makeFolder(path: string, flag: string): void {
  checkFolderPath(path, flag);
  try {
    mkdirSync(path, { recursive: true });
  } catch (e) {
    throw new SettingsError(`${flag}: cannot create ${resolve(path)} (${code(e)})`);
  }
}

/** Checks a file that will be written: its folder exists, and it is not itself a folder. */
export function checkOutputFile(path: string, flag: string): void {
  if (typeof path !== 'string' || path.trim() === '') throw new SettingsError(`${flag}: give a file path (got an empty one)`);
  const abs = resolve(path);
  if (existsSync(abs) && statSync(abs).isDirectory()) throw new SettingsError(`${flag}: ${abs} is a folder; give a file name`);
  const parent = dirname(abs);
  if (!existsSync(parent)) throw new SettingsError(`${flag}: the folder ${parent} does not exist`);
  if (!statSync(parent).isDirectory()) throw new SettingsError(`${flag}: ${parent} is a file, not a folder`);
  checkFolderPath(parent, flag);
}

export interface FolderLock { path: string; release(): void }

const LOCK = '.landscape.lock';
const held = new Set<string>();
process.once('exit', () => { for (const p of held) rmSync(p, { force: true }); });

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return code(e) === 'EPERM';
  }
}

/**
 * Takes the folder's lock; refuses a second writer, naming it; recovers a stale lock.
 * The lock is written whole under a private name and then hard-linked into place: link()
 * is atomic and fails when the name exists, so no reader ever sees a half-written lock
 * (with open(O_EXCL) + write, a second process reading in between took it for a torn,
 * stale lock and stole it).
 */
export function lockFolder(dir: string, flag = '--out'): FolderLock {
  const path = join(dir, LOCK);
  const mine = `${path}.${process.pid}`;
  try {
    writeFileSync(mine, JSON.stringify({ pid: process.pid, host: hostname(), started: new Date().toISOString() }) + '\n');
  } catch (e) {
    throw new SettingsError(`${flag}: cannot write in ${resolve(dir)} (${code(e)})`);
  }
  try {
    return takeLock(dir, path, mine, flag);
  } finally {
    rmSync(mine, { force: true });
  }
}

/** link(), or on a file system without hard links an exclusive create of the whole text. */
function link(from: string, to: string): void {
  try {
    linkSync(from, to);
  } catch (e) {
    if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS'].includes(code(e))) throw e;
    writeFileSync(to, readFileSync(from), { flag: 'wx' });
  }
}

function takeLock(dir: string, path: string, mine: string, flag: string): FolderLock {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      link(mine, path);
      held.add(path);
      return { path, release: () => { held.delete(path); rmSync(path, { force: true }); } };
    } catch (e) {
      if (code(e) !== 'EEXIST') throw new SettingsError(`${flag}: cannot write in ${resolve(dir)} (${code(e)})`);
    }
    let holder: { pid?: number; host?: string; started?: string } = {};
    try {
      holder = JSON.parse(readFileSync(path, 'utf8'));
    } catch {
      // unreadable (edited by hand, or torn by an older version's two-step write): stale
    }
    const stale = !holder.pid || (holder.host === hostname() && !alive(holder.pid));
    if (!stale) throw new SettingsError(`${flag}: ${resolve(dir)} is being written by pid ${holder.pid} on ${holder.host} (since ${holder.started}); wait for it to finish, or choose another ${flag}`);
    rmSync(path, { force: true });
  }
  throw new SettingsError(`${flag}: could not take the lock ${path}`);
}
