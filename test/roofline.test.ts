import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BINARIES, loadWasm } from '../src/wasm.js';
import { Heap } from '../src/heap.js';
// @ts-expect-error plain ESM benchmark harness
import { run as runRoofline, PROBES } from '../bench/roofline.mjs';
// @ts-expect-error plain ESM benchmark harness
import { ceiling, annotate } from '../bench/peak.mjs';
// @ts-expect-error plain ESM benchmark harness
import { loadLibrary } from '../bench/node.mjs';

// The probes' arithmetic against closed forms (exact: sums of small integers in f32), their
// feature gates per binary, and the suite's figures as positive numbers. No timing is asserted.
const COMPUTE = ['roofline_madd_f32x4', 'roofline_fma_f32x4', 'roofline_madd_f64x2', 'roofline_fma_f64x2'] as const;
const fused = (k: string) => k.includes('fma');

describe('roofline kernels', () => {
  it.each(BINARIES)('%s: the compute probes return Σ accumulators (≈ 12 lanes·chains near 1), or −1 where compiled out', async (bin) => {
    const w = await loadWasm(bin);
    for (const k of COMPUTE) {
      const lanes = k.includes('f32') ? 4 : 2;
      const v = w[k](3);
      if (bin === 'scalar' || (fused(k) && bin !== 'relaxed')) expect(v).toBe(-1);
      else expect(Math.abs(v - 12 * lanes * 1.055)).toBeLessThan(0.01 * 12 * lanes); // chains start at 1.00..1.11, pulled to 1 by 1e-6 a step
    }
  });

  it('the relaxed FMA exists only in the relaxed binary: outside it the opcodes are absent', () => {
    // A child Node without --experimental-wasm-relaxed-simd validates simd.wasm and (on Node < 22,
    // where relaxed SIMD is behind that flag) rejects relaxed.wasm.
    const check = (b: string) => execFileSync(process.execPath, ['-e', `process.stdout.write(String(WebAssembly.validate(require('fs').readFileSync(${JSON.stringify(fileURLToPath(new URL(`../build/${b}.wasm`, import.meta.url)))}))))`]).toString();
    expect(check('simd')).toBe('true');
    if (Number(process.versions.node.split('.')[0]) < 22) expect(check('relaxed')).toBe('false');
  });

  it.each(['simd', 'scalar', 'relaxed'] as const)('%s: read sums x and triad writes a = b + s·c (n = 32, 96; 16, 48)', async (bin) => {
    const heap = new Heap(await loadWasm(bin));
    for (const n of [32, 96]) {
      const x = heap.allocF32(n, Float32Array.from({ length: n }, (_, i) => i % 7));
      expect(heap.wasm.roofline_read_f32(x, n)).toBe(Array.from({ length: n }, (_, i) => i % 7).reduce((a, b) => a + b, 0));
    }
    for (const n of [16, 48]) {
      const b = heap.allocF32(n, Float32Array.from({ length: n }, (_, i) => i)), c = heap.allocF32(n, Float32Array.from({ length: n }, (_, i) => 2 * i + 1));
      const a = heap.allocF32(n);
      expect(heap.wasm.roofline_triad_f32(a, b, c, n, 0.5)).toBe(0.5 + (n - 1 + 0.5 * (2 * n - 1)));
      expect(Array.from(heap.readF32(a, n))).toEqual(Array.from({ length: n }, (_, i) => i + 0.5 * (2 * i + 1)));
    }
    heap.reset();
  });
});

describe('roofline suite and fractionOfPeak', () => {
  it('measures every probe at 1 thread and on all workers as a positive number (Node)', async () => {
    const env: Record<string, any> = { cpu: 'test cpu', peers: {} };
    const rows = await runRoofline({ platform: 'node', lib: await loadLibrary(), quick: true, log: () => {}, env, timing: { minMs: 1, samples: 1 } });
    for (const key of Object.keys(PROBES)) for (const at of ['single', 'all']) expect(env.roofline[at][key]).toBeGreaterThan(0);
    expect(rows.every((r: { ours: number; isPeak: boolean }) => r.ours > 0 && r.isPeak)).toBe(true);
  }, 60_000);

  it('bounds by the smaller of compute and intensity × bandwidth, and uses FMA only for fused work', () => {
    const roof = { workers: 2, single: { f32MulAdd: 50, f32Fma: 60, readGBs: 20 }, all: { f32MulAdd: 100, f32Fma: 120, readGBs: 30 } };
    expect(ceiling(roof, { flops: 1e9, fused: true })).toMatchObject({ value: 60, bound: 'compute' });
    expect(ceiling(roof, { flops: 4, bytes: 4, workers: 2 })).toMatchObject({ value: 7.5e9, bound: 'bandwidth' });
    const [row] = annotate([{ suite: 'x', ours: 25, unit: 'GFLOPS' }], { x: { work: () => ({ flops: 1e9 }) } }, roof);
    expect(row.fractionOfPeak).toBe(0.5);
  });
});
