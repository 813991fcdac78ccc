// Picks gemm_f32's tile sweep (assembly/gemm_variants.ts) per instance by a short calibration. The
// sweeps differ only in how they walk m and n, never in the order of a k sum, so every choice
// gives the same bytes (test/gemm-variants.test.ts): the clock decides speed, never results.
import type { WasmExports } from './wasm.js';

/** How an instance chooses its sweep: 'calibrate' (time each), or a sweep index to force. */
export type GemmTileChoice = 'calibrate' | number;

export interface GemmTileReport {
  /** The sweep now in force. */
  variant: number;
  /** How many the binary has (1 for a binary without the export). */
  count: number;
  /** 'forced', 'calibrated', or 'none' (no SIMD sweeps in this binary). */
  how: 'forced' | 'calibrated' | 'none';
  /** Best seconds of the calibration mix per sweep, when calibrated. */
  seconds?: number[];
}

/** The GEMM shapes timed (~2 Mflop a pass, ~2 ms for the whole calibration when not preempted): the MLP's three products at batch 10, width 250 on 10×10 MNIST, and one small square block. */
const MIX: readonly (readonly [number, number, number, number, number])[] = [
  // m, n, k, transA, transB
  [10, 250, 100, 0, 1],
  [250, 100, 10, 1, 0],
  [10, 100, 250, 0, 0],
  [64, 64, 64, 0, 0],
];
const ROUNDS = 5;
/** Another sweep replaces the default 4×8 only when its best time beats the default's by this factor: on a loaded machine one preempted round must not swap in a sweep that is slower everywhere (8×4 here). */
const MARGIN = 0.9;

type Raw = WasmExports & Record<string, (...a: number[]) => number>;

const now = (): number => (globalThis.performance ?? Date).now() / 1000;

/** LANDSCAPE_GEMM_TILE from the environment (Node), or undefined. */
function envChoice(): GemmTileChoice | undefined {
  const v = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.LANDSCAPE_GEMM_TILE;
  if (v === undefined || v === '') return undefined;
  if (v === 'calibrate') return v;
  const i = Number(v);
  if (!Number.isInteger(i) || i < 0) throw new RangeError(`LANDSCAPE_GEMM_TILE must be 'calibrate' or a sweep index ≥ 0, got ${JSON.stringify(v)}`);
  return i;
}

// Keyed by the instance's memory, which every copy of its exports object shares.
const reports = new WeakMap<object, GemmTileReport>();
function remember(wasm: WasmExports, r: GemmTileReport): GemmTileReport {
  reports.set(wasm.memory, r);
  return r;
}

/** How the instance's sweep was chosen at load (calibration times included), if it was. */
export const gemmTileReport = (wasm: WasmExports): GemmTileReport | undefined => reports.get(wasm.memory);

/** Current sweep and count of an instance. */
export function gemmTile(wasm: WasmExports): { variant: number; count: number } {
  const raw = wasm as Raw;
  if (typeof raw.gemm_f32_variant !== 'function') return { variant: 0, count: 1 };
  const v = raw.gemm_f32_variant() >>> 0;
  return { variant: v & 0xff, count: v >>> 8 };
}

/** Forces sweep v (RangeError past the binary's count). */
export function setGemmTile(wasm: WasmExports, v: number): void {
  const { count } = gemmTile(wasm);
  if (!Number.isInteger(v) || v < 0 || v >= count) throw new RangeError(`gemm tile sweep must be an integer in [0, ${count}), got ${v}`);
  (wasm as Raw).gemm_f32_set_variant(v);
}

/**
 * Chooses the sweep of a fresh instance: `choice` (else LANDSCAPE_GEMM_TILE, else 'calibrate').
 * Calibration times the MIX once per sweep per round, round-robin, ROUNDS rounds (a few ms), and
 * keeps the sweep with the least best-of-rounds time, if it beats the default's by MARGIN. It uses the heap above its mark and gives it back.
 */
export function chooseGemmTile(wasm: WasmExports, choice?: GemmTileChoice): GemmTileReport {
  const { count } = gemmTile(wasm);
  const want = choice ?? envChoice() ?? 'calibrate';
  if (typeof want === 'number') {
    setGemmTile(wasm, want);
    return remember(wasm, { variant: want, count, how: 'forced' });
  }
  const raw = wasm as Raw;
  if (count <= 1) return remember(wasm, { variant: 0, count, how: 'none' });
  const mark = raw.heap_mark();
  try {
    let bytes = 0;
    for (const [m, n, k] of MIX) bytes = Math.max(bytes, 4 * (m * k + k * n + m * n) + (raw.gemm_f32_work_bytes(m, n, k) >>> 0) + 64);
    const base = raw.alloc(bytes) >>> 0;
    const f32 = new Float32Array(raw.memory.buffer, base, bytes >>> 2);
    for (let i = 0; i < f32.length; i++) f32[i] = ((i * 2654435761) % 1000) / 1000 - 0.5;
    const run = () => {
      for (const [m, n, k, tA, tB] of MIX) {
        const a = base, b = a + 4 * m * k, c = b + 4 * k * n, w = (c + 4 * m * n + 15) & ~15;
        raw.gemm_f32(c, a, b, m, n, k, tA ? m : k, tB ? k : n, n, tA, tB, 1, 0, w);
      }
    };
    const best = new Array<number>(count).fill(Infinity);
    for (let v = 0; v < count; v++) { raw.gemm_f32_set_variant(v); run(); } // tier-up
    for (let r = 0; r < ROUNDS; r++) {
      for (let v = 0; v < count; v++) {
        raw.gemm_f32_set_variant(v);
        const t0 = now();
        run();
        best[v] = Math.min(best[v], now() - t0);
      }
    }
    let pick = 0;
    for (let v = 1; v < count; v++) if (best[v] < best[pick] && best[v] < MARGIN * best[0]) pick = v;
    raw.gemm_f32_set_variant(pick);
    return remember(wasm, { variant: pick, count, how: 'calibrated', seconds: best });
  } finally {
    raw.heap_release(mark);
  }
}
