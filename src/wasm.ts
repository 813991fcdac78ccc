// Loads the same .wasm bytes in Node (file system) and the browser (URL), or from inline
// bytes/base64 for a single-file page. Compiles once per process (module-level promise cache)
// and instantiates once per worker.
import * as asLoader from '@assemblyscript/loader';
import { readBytes, enableRelaxedSimd } from './platform.js';
import { checkExports } from './kernels.js';
import { chooseGemmTile, type GemmTileChoice } from './gemm-tile.js';

/** `simd` is the default and bit-reproducible; `relaxed` fuses multiply-add (opt-in, `--fast`). */
export type Binary = 'simd' | 'scalar' | 'relaxed' | 'debug';
export const BINARIES: readonly Binary[] = ['simd', 'scalar', 'relaxed', 'debug'];

export type WasmSource =
  | { bytes: Uint8Array | ArrayBuffer }
  | { base64: string }
  | { url: URL | string }
  | { dir: URL | string };

/** The raw exports: numbers in, numbers out. Call kernels through bindKernels (src/kernels.ts), which types them. */
export interface WasmExports {
  memory: WebAssembly.Memory;
  alloc(bytes: number): number;
  reset(): void;
  [kernel: string]: unknown;
}

export interface LoadedModule {
  module: WebAssembly.Module;
  /** The binary actually compiled (a fallback may differ from the one asked for). */
  binary: Binary;
}

/** Raised when a kernel traps or aborts; names the kernel and the location. */
export class WasmTrap extends Error {
  override name = 'WasmTrap';
}

const defaultDir = new URL('../build/', import.meta.url);
const cache = new Map<string, Promise<LoadedModule>>();

function decodeBase64(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

async function bytesOf(binary: Binary, source?: WasmSource): Promise<Uint8Array> {
  if (!source) return readBytes(new URL(`${binary}.wasm`, defaultDir));
  if ('bytes' in source) return source.bytes instanceof Uint8Array ? source.bytes : new Uint8Array(source.bytes);
  if ('base64' in source) return decodeBase64(source.base64);
  if ('url' in source) return readBytes(source.url);
  const dir = typeof source.dir === 'string' ? source.dir.replace(/\/?$/, '/') : source.dir;
  return readBytes(new URL(`${binary}.wasm`, dir));
}

/** The order in which binaries are tried when the engine rejects one (WebAssembly.validate). */
const FALLBACK: Record<Binary, Binary[]> = {
  relaxed: ['relaxed', 'simd', 'scalar'],
  simd: ['simd', 'scalar'],
  scalar: ['scalar'],
  debug: ['debug'],
};

/**
 * Compiles a binary once per process. With `bytes`/`base64`/`url` the caller supplies the one
 * binary; with the default or `dir` source, unsupported binaries fall back (relaxed → simd → scalar).
 */
export function compileWasm(binary: Binary = 'simd', source?: WasmSource): Promise<LoadedModule> {
  const key = source ? `${binary}|${JSON.stringify(source, (_k, v) => (v instanceof Uint8Array || v instanceof ArrayBuffer ? `bytes:${v.byteLength}:${Math.random()}` : v instanceof URL ? v.href : v))}` : binary;
  let p = cache.get(key);
  if (!p) {
    p = (async () => {
      if (binary === 'relaxed') await enableRelaxedSimd();
      const single = source && !('dir' in source);
      for (const candidate of single ? [binary] : FALLBACK[binary]) {
        const bytes = await bytesOf(candidate, source);
        if (WebAssembly.validate(bytes as BufferSource)) {
          const module = await WebAssembly.compile(bytes as BufferSource);
          checkExports(module, `the ${candidate} wasm binary`);
          return { module, binary: candidate };
        }
      }
      throw new Error(`this engine cannot run the ${binary} wasm binary (WebAssembly.validate failed)`);
    })();
    cache.set(key, p);
    p.catch(() => cache.delete(key));
  }
  return p;
}

/**
 * Instantiates a compiled module (once per worker); traps in `abort` become WasmTrap errors. The
 * exports are checked against the kernel table again, now with arities. gemm_f32's tile sweep is
 * then chosen (src/gemm-tile.ts: calibrated unless opts.gemmTile or LANDSCAPE_GEMM_TILE forces one).
 */
export async function instantiateWasm(module: WebAssembly.Module, opts: { gemmTile?: GemmTileChoice } = {}): Promise<WasmExports> {
  // The AssemblyScript loader reads the strings of an abort (message, file) from the module's
  // memory; the kernels themselves are called on the raw instance exports, never its wrappers.
  let getString: (ptr: number) => string | null = () => null;
  const imports = {
    env: {
      abort(msgPtr: number, filePtr: number, line: number, column: number) {
        throw new WasmTrap(`wasm abort: ${getString(msgPtr) ?? 'abort'} at ${getString(filePtr) ?? '?'}:${line}:${column}`);
      },
      seed: () => 0, // never used: randomness comes only from the seeded Philox streams
    },
  };
  const { instance, exports: extended } = await asLoader.instantiate(module, imports);
  getString = (ptr) => {
    try {
      return extended.__getString(ptr);
    } catch {
      return null; // not a string object: keep the trap readable anyway
    }
  };
  checkExports(instance.exports, 'this wasm instance');
  const wasm = instance.exports as unknown as WasmExports;
  chooseGemmTile(wasm, opts.gemmTile);
  return wasm;
}

/** Compile (cached) and instantiate in one step, for the main thread and tests. */
export async function loadWasm(binary: Binary = 'simd', source?: WasmSource, opts: { gemmTile?: GemmTileChoice } = {}): Promise<WasmExports & { binary: Binary }> {
  const { module, binary: actual } = await compileWasm(binary, source);
  return { ...(await instantiateWasm(module, opts)), binary: actual };
}
