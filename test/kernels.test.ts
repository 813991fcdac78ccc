import { describe, it, expect } from 'vitest';
import { BINARIES, compileWasm, instantiateWasm, loadWasm, type WasmExports } from '../src/wasm.js';
import { Heap } from '../src/heap.js';
import { bindKernels, checkExports, exportProblems, optional, rawKernels, DESCENT_STATE, KERNEL_FAMILIES } from '../src/kernels.js';

/** A stand-in for an instance's exports: every declared kernel with its declared arity. */
function fakeExports(): Record<string, unknown> {
  const out: Record<string, unknown> = { memory: new WebAssembly.Memory({ initial: 1 }) };
  for (const family of Object.values(KERNEL_FAMILIES)) {
    for (const [name, f] of Object.entries(family)) out[name] = f;
  }
  return out;
}

describe('the load-time export check', () => {
  it.each(BINARIES)('passes for the %s binary, module and instance', async (bin) => {
    const { module } = await compileWasm(bin);
    expect(exportProblems(module)).toEqual([]);
    expect(exportProblems((await instantiateWasm(module)) as unknown as Record<string, unknown>)).toEqual([]);
  });

  it('accepts the fake, then names a missing kernel', () => {
    const fake = fakeExports();
    expect(() => checkExports(fake)).not.toThrow();
    delete fake.pspin_eg_f64;
    expect(() => checkExports(fake)).toThrow(/missing kernel pspin_eg_f64/);
  });

  it('names an extra function (a leaked helper) and a wrong arity', () => {
    const fake = { ...fakeExports(), wordAt: (s: number, t: number, w: number) => s + t + w };
    expect(() => checkExports(fake)).toThrow(/undeclared function export wordAt/);
    const short = { ...fakeExports(), rng_u32: (outPtr: number, n: number, seed: number, stream: number) => outPtr + n + seed + stream };
    expect(() => checkExports(short)).toThrow(/kernel rng_u32 takes 4 arguments, declared 5/);
  });

  it('lets an optional kernel be absent, but not a required one', () => {
    const table = { demo: { twin_f32_scalar: optional((xPtr: number): void => {}), twin_f32: (xPtr: number): void => {} } };
    const memory = new WebAssembly.Memory({ initial: 1 });
    expect(exportProblems({ memory, twin_f32: (x: number) => x }, table)).toEqual([]);
    expect(exportProblems({ memory, twin_f32_scalar: (x: number) => x }, table)).toEqual(['missing kernel twin_f32']);
  });

  it('refuses a module whose exports differ, at instantiation', async () => {
    // (module (func (export "rng_u32")) (memory (export "memory") 1)) plus nothing else
    const bytes = Uint8Array.from([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 5, 3, 1, 0, 1, 7, 20, 2, 7, 114, 110, 103, 95, 117, 51, 50, 0, 0, 6, 109, 101, 109, 111, 114, 121, 2, 0, 10, 4, 1, 2, 0, 11]);
    const module = new WebAssembly.Module(bytes);
    await expect(instantiateWasm(module)).rejects.toThrow(/^this wasm instance does not match the kernel table .*: missing kernel alloc;.* kernel rng_u32 takes 0 arguments, declared 5;/);
    await expect(loadWasm('simd', { bytes })).rejects.toThrow(/does not match the kernel table.*missing kernel alloc/);
  });
});

describe('bound kernels', () => {
  it('turn a trap into an Error naming the kernel and its arguments', async () => {
    const heap = new Heap(await loadWasm('debug'));
    const err = (() => {
      try { bindKernels(heap.wasm).rng_u32(0xfffffff0, 1 << 20, 1, 2, 3); } catch (e) { return e as Error; } // past the end of memory
    })();
    expect(err?.message).toMatch(/^rng_u32\(4294967280, 1048576, 1, 2, 3\): memory access out of bounds/);
    expect(err?.name).toBe('RuntimeError');
  });

  it('name a kernel the exports lack when it is called', () => {
    const k = bindKernels({ memory: new WebAssembly.Memory({ initial: 1 }), alloc: () => 0, reset: () => {} } as WasmExports);
    expect(() => k.gemm_f32_work_bytes(1, 1, 1)).toThrow('this wasm binary has no kernel gemm_f32_work_bytes');
    expect(() => rawKernels({ gemm_f32: () => {} } as unknown as WasmExports, 'gemm')).toThrow(/no kernel gemm_f32_work_bytes/);
  });

  it('are built once per instance', async () => {
    const wasm = await loadWasm('simd');
    expect(bindKernels(wasm)).toBe(bindKernels(wasm));
    expect(rawKernels(wasm, 'gemm').gemm_f32).toBe(wasm.gemm_f32);
  });
});

describe('DESCENT_STATE mirrors the layout pspin_descend_f32x8 writes', () => {
  it.each(['simd', 'scalar'] as const)('steps, converged, gradient norm and energy land at the declared offsets (%s)', async (bin) => {
    const heap = new Heap(await loadWasm(bin));
    const k = bindKernels(heap.wasm);
    const n = 5, p = 3, L = DESCENT_STATE.lanes;
    const kPtr = heap.allocF32(n ** p);
    k.pspin_fill_dense_f32(kPtr, n, p, 0, 7, 1);
    const wPtr = heap.allocF32(L * n), gPtr = heap.allocF32(L * n), ePtr = heap.allocF32(L);
    const w = heap.f32(wPtr, L * n);
    for (let l = 0; l < L; l++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += (w[i * L + l] = Math.sin(3 * i + l + 1)) ** 2;
      for (let i = 0; i < n; i++) w[i * L + l] *= Math.sqrt(n / s);
    }
    const w0 = Float64Array.from(w);
    k.pspin_eg_f32x8(ePtr, gPtr, kPtr, wPtr, n, p, 0);
    const e0 = heap.readF32(ePtr, L), g0 = heap.readF32(gPtr, L * n);
    const state = heap.alloc(DESCENT_STATE.bytes);
    heap.u32(state, DESCENT_STATE.bytes / 4).fill(0);
    heap.u32(state + DESCENT_STATE.converged, L)[5] = 1; // a frozen lane never moves
    k.pspin_descend_f32x8(kPtr, 0, 1, wPtr, gPtr, state, n, p, 0, 0.01, 0, 0, 0, 0, 3);
    expect(Array.from(heap.u32(state + DESCENT_STATE.steps, L))).toEqual([3, 3, 3, 3, 3, 0, 3, 3]);
    expect(Array.from(heap.u32(state + DESCENT_STATE.converged, L))).toEqual([0, 0, 0, 0, 0, 1, 0, 0]);
    // One step from w0: the energy and ‖g_R‖ recorded are those at w0, the state's first evaluation.
    heap.f32(wPtr, L * n).set(w0);
    heap.u32(state, DESCENT_STATE.bytes / 4).fill(0);
    k.pspin_descend_f32x8(kPtr, 0, 1, wPtr, gPtr, state, n, p, 0, 0.01, 0, 0, 0, 0, 1);
    expect(heap.readF32(state + DESCENT_STATE.energy, L)).toEqual(e0);
    const gn = heap.readF32(state + DESCENT_STATE.gradNorm, L);
    for (let l = 0; l < L; l++) {
      let dot = 0, nn = 0;
      for (let i = 0; i < n; i++) dot += g0[i * L + l] * w0[i * L + l];
      for (let i = 0; i < n; i++) nn += (g0[i * L + l] - (dot / n) * w0[i * L + l]) ** 2;
      expect(Math.abs(gn[l] - Math.sqrt(nn))).toBeLessThan(1e-4 * (1 + Math.sqrt(nn))); // f32 sums
    }
  });
});
