// How many restarts share one pass over the couplings: 8 (pspin_descend_f32x8) or 16
// (pspin_descend_f32x16). Every lane's arithmetic is the same at either width, so the choice
// changes speed, never bytes (test/pspin-width.test.ts). The 16-lane kernel keeps four
// independent accumulator chains where the 8-lane one has two, which pays where the add latency
// binds (Zen 5: 1.2× at Λ = 100); where it does not, or with register pressure, 8 may win.
// So each worker times both once per (p, Λ, storage) on the task's own couplings and keeps the
// faster. LANDSCAPE_PSPIN_WIDTH=8|16 forces a width (Node), for benchmarks and tests.
import type { WasmExports } from '../wasm.js';
import type { Heap } from '../heap.js';
import { bindKernels } from '../kernels.js';

export type PSpinWidth = 8 | 16;
export type PSpinWidthChoice = 'calibrate' | PSpinWidth;

export interface PSpinWidthReport {
  width: PSpinWidth;
  how: 'forced' | 'calibrated';
  /** Best seconds per 16 restarts: [two 8-lane calls, one 16-lane call], when calibrated. */
  seconds?: [number, number];
}

const ROUNDS = 3;
/** 16 replaces the default 8 only when its best time beats 8's by this factor (a preempted round must not decide). */
const MARGIN = 0.95;

const now = (): number => (globalThis.performance ?? Date).now() / 1000;

function envChoice(): PSpinWidthChoice | undefined {
  const v = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.LANDSCAPE_PSPIN_WIDTH;
  if (v === undefined || v === '' || v === 'calibrate') return undefined;
  if (v === '8' || v === '16') return Number(v) as PSpinWidth;
  throw new RangeError(`LANDSCAPE_PSPIN_WIDTH must be 8, 16 or calibrate, got ${JSON.stringify(v)}`);
}

// Per instance (keyed by its memory), per size: the choice made, so a worker calibrates once.
const chosen = new WeakMap<object, Map<string, PSpinWidthReport>>();

/** Reports of every size this instance has chosen a width for. */
export const pspinWidthReports = (wasm: WasmExports): Map<string, PSpinWidthReport> => chosen.get(wasm.memory) ?? new Map();

/**
 * The width for descents on couplings kPtr (p, Λ = n, sorted = packed): forced by `choice` or
 * LANDSCAPE_PSPIN_WIDTH, else the calibrated one. Calibration allocates above the heap's mark and
 * gives it back; the state of the couplings is untouched.
 */
export function pspinWidth(wasm: WasmExports, heap: Heap, kPtr: number, n: number, p: number, sorted: number, choice?: PSpinWidthChoice): PSpinWidthReport {
  const want = choice ?? envChoice() ?? 'calibrate';
  if (want !== 'calibrate') return { width: want, how: 'forced' };
  const key = `${p}|${n}|${sorted}`;
  let mine = chosen.get(wasm.memory);
  if (!mine) chosen.set(wasm.memory, (mine = new Map()));
  const known = mine.get(key);
  if (known) return known;
  const k = bindKernels(wasm);
  const mark = heap.mark();
  const w = heap.allocF32(16 * n), g = heap.allocF32(16 * n), e = heap.allocF32(16);
  const wv = heap.f32(w, 16 * n);
  for (let i = 0; i < wv.length; i++) wv[i] = 1 + ((i * 2654435761) % 1000) / 2000; // any finite point: only the time is used
  // Enough calls per sample that one lasts about a millisecond, above a browser's coarse clock.
  const couplings = sorted ? k.pspin_packed_count(n, p) : n ** p;
  const reps = Math.max(1, Math.ceil(4e5 / couplings));
  const best: [number, number] = [Infinity, Infinity];
  for (let r = 0; r < ROUNDS; r++) {
    let t = now();
    for (let i = 0; i < reps; i++) {
      k.pspin_eg_f32x8(e, g, kPtr, w, n, p, sorted);
      k.pspin_eg_f32x8(e, g, kPtr, w + 32 * n, n, p, sorted);
    }
    best[0] = Math.min(best[0], (now() - t) / reps);
    t = now();
    for (let i = 0; i < reps; i++) k.pspin_eg_f32x16(e, g, kPtr, w, n, p, sorted);
    best[1] = Math.min(best[1], (now() - t) / reps);
  }
  heap.release(mark);
  const report: PSpinWidthReport = { width: best[1] < MARGIN * best[0] ? 16 : 8, how: 'calibrated', seconds: best };
  mine.set(key, report);
  return report;
}
