import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { BINARIES, compileWasm, loadWasm } from '../src/wasm.js';

const exportNames = (m: WebAssembly.Module) => WebAssembly.Module.exports(m).map((e) => e.name).sort();

describe('wasm loader', () => {
  it('compiles each binary once per process (cached promise)', async () => {
    for (const b of BINARIES) expect(compileWasm(b)).toBe(compileWasm(b));
  });

  it('every binary exports the same kernel names (one source, several binaries)', async () => {
    const names = await Promise.all(BINARIES.map(async (b) => exportNames((await compileWasm(b)).module)));
    for (const n of names) expect(n).toEqual(names[0]);
  });

  it('loads inline bytes and base64, for single-file pages', async () => {
    const bytes = readFileSync(new URL('../build/simd.wasm', import.meta.url));
    const fromBytes = await loadWasm('simd', { bytes: new Uint8Array(bytes) });
    const fromBase64 = await loadWasm('simd', { base64: bytes.toString('base64') });
    expect(typeof fromBytes.alloc).toBe('function');
    expect(typeof fromBase64.alloc).toBe('function');
  });

  it('refuses bytes that are not a valid module with a clear error', async () => {
    await expect(loadWasm('simd', { bytes: new Uint8Array([0, 97, 115, 109, 9, 9]) })).rejects.toThrow(/cannot run the simd wasm binary/);
  });

  it('the relaxed binary validates once the V8 flag is set (Node 20)', async () => {
    const w = await loadWasm('relaxed');
    expect(w.binary).toBe('relaxed');
  });

  it('each instance has its own memory', async () => {
    const a = await loadWasm('simd');
    const b = await loadWasm('simd');
    expect(a.memory).not.toBe(b.memory);
  });
});
