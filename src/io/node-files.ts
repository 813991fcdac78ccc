// Node's side of the NumPy interchange: net and data folders and single .npy files as real files.
// Every write goes to a temp name in the same directory and is renamed into place, so a crash
// never leaves a half-written file under the final name. Node only (the CLI); the page uses folders.ts.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type DataFolder, type FolderFiles, type NetFolder, FolderError, decodeDataFolder, decodeNetFolder, encodeDataFolder, encodeNetFolder } from './folders.js';
import { type NpyArray, type NpyData, type NpyDType, NpyError, readNpy, writeNpy } from './npy.js';

const code = (e: unknown) => (e as NodeJS.ErrnoException).code;
const NET_FILE = /^(net\.json|[Wb][1-9]\d*\.npy)$/;
const DATA_FILE = /^(data\.json|X\.npy|y\.npy)$/;

function fsDetail(e: unknown, kind: 'file' | 'directory'): string {
  if (code(e) === 'ENOENT') return `no such ${kind}`;
  if (code(e) === 'ENOTDIR') return 'not a directory';
  if (code(e) === 'EISDIR') return 'a directory, expected a file';
  return `cannot read: ${(e as Error).message}`;
}

/** The folder's files whose names `keep` matches; a missing directory is a FolderError naming it. */
function readFolder(dir: string, keep: RegExp): FolderFiles {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    throw new FolderError(dir, fsDetail(e, 'directory'));
  }
  const files: FolderFiles = {};
  for (const name of names.filter((n) => keep.test(n))) {
    try {
      files[name] = new Uint8Array(readFileSync(join(dir, name)));
    } catch (e) {
      throw new FolderError(join(dir, name), fsDetail(e, 'file'));
    }
  }
  return files;
}

/** Writes every file under a temp name, then renames them all; removes stale files `stale` matches. */
function writeFolder(dir: string, files: FolderFiles, stale?: RegExp): void {
  mkdirSync(dir, { recursive: true });
  const tmp = (name: string) => join(dir, `.${name}.tmp-${process.pid}`);
  const names = Object.keys(files);
  try {
    for (const name of names) writeFileSync(tmp(name), files[name]);
  } catch (e) {
    for (const name of names) rmSync(tmp(name), { force: true });
    throw e;
  }
  for (const name of names) renameSync(tmp(name), join(dir, name));
  // A net saved before with more layers or with biases leaves W/b files that the new net.json denies.
  if (stale) for (const name of readdirSync(dir)) if (stale.test(name) && !(name in files)) rmSync(join(dir, name), { force: true });
}

export function readNetDir(dir: string): NetFolder {
  return decodeNetFolder(readFolder(dir, NET_FILE), dir);
}

export function writeNetDir(dir: string, net: NetFolder): void {
  writeFolder(dir, encodeNetFolder(net), /^[Wb][1-9]\d*\.npy$/);
}

export function readDataDir(dir: string): DataFolder {
  return decodeDataFolder(readFolder(dir, DATA_FILE), dir);
}

export function writeDataDir(dir: string, data: DataFolder): void {
  writeFolder(dir, encodeDataFolder(data));
}

export function readNpyFile(path: string): NpyArray {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(path));
  } catch (e) {
    throw new NpyError(path, fsDetail(e, 'file'));
  }
  return readNpy(bytes, path);
}

export function writeNpyFile(path: string, data: NpyData, shape: readonly number[], dtype?: NpyDType): void {
  const bytes = writeNpy(data, shape, dtype);
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, bytes);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
