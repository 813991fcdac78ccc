// Simulated annealing of the spin glass on the sphere, one batch of SIMD lanes at a time (the
// `anneal` method of landscape pspin; src/pspin/batch.ts drives it and polishes with GD after).
import type { TaskContext, TaskSpec } from '../pool/protocol.js';
import { bindKernels, descentState } from '../kernels.js';
import type { PSpinWidth } from './width.js';
import { acceptSeed, initSeed, restartStream } from './model.js';
import type { PSpinBatchParams, RestartResult } from './batch.js';

/** The lanes of one task's batch: buffers, the width in force, and how to load and report a lane. */
export interface Lanes {
  /** The calibrated batch width (8 or 16). */
  wide: PSpinWidth;
  /** The width in force, and the switch to another (lanes kept in order). */
  lanes: () => PSpinWidth;
  setWidth: (w: PSpinWidth, keep: number[]) => void;
  wPtr: number;
  gPtr: number;
  state: number;
  x: number;
  load: (l: number, r: number) => void;
  report: (l: number, r: number, reachedTol: boolean) => RestartResult;
}

/**
 * Simulated annealing on the sphere, one batch of lanes: propose w' = √Λ·(w + s·ξ)/|w + s·ξ| with ξ ~ N(0, I)
 * from the restart's own stream, accept with probability min(1, exp(−(H(w') − H(w))/T)), and
 * cool linearly T_t = T0·(1 − t/steps). Each lane draws only from its restart's streams, so a
 * restart's path does not depend on its lane or task. Steps counted in the lane state.
 */
export function anneal(ctx: TaskContext, task: TaskSpec<PSpinBatchParams>, kPtr: number, L: Lanes, r0: number, lanes: number): void {
  const P = task.params;
  const { p, n } = P;
  const { heap, wasm } = ctx;
  const sorted = P.storage === 'packed' ? 1 : 0;
  const k = bindKernels(wasm);
  const LANES = L.lanes();
  const eg = LANES === 16 ? k.pspin_eg_f32x16 : k.pspin_eg_f32x8;
  const { rng_normal_f64: normal, rng_uniform_f64: uniform } = k;
  const mark = heap.mark();
  const trial = heap.allocF32(LANES * n);
  const e = heap.allocF32(LANES);
  const xi = heap.allocF64(n);
  const u = heap.allocF64(1);
  eg(e, L.gPtr, kPtr, L.wPtr, n, p, sorted);
  const current = Float64Array.from(heap.f32(e, LANES));
  const seed = initSeed(task.seed);
  for (let t = 0; t < P.annealSteps; t++) {
    const T = P.annealT0 * (1 - t / P.annealSteps);
    const w = heap.f32(L.wPtr, LANES * n);
    const tr = heap.f32(trial, LANES * n);
    tr.set(w);
    for (let l = 0; l < lanes; l++) {
      normal(xi, n, seed, restartStream(p, n, P.instance, r0 + l), n * (1 + t));
      const z = heap.f64(xi, n);
      const tw = heap.f32(trial, LANES * n);
      let norm = 0;
      for (let i = 0; i < n; i++) { const v = tw[i * LANES + l] + P.annealStep * z[i]; tw[i * LANES + l] = v; norm += v * v; }
      const sc = Math.sqrt(n / norm);
      for (let i = 0; i < n; i++) tw[i * LANES + l] *= sc;
    }
    eg(e, L.gPtr, kPtr, trial, n, p, sorted);
    const et = heap.f32(e, LANES);
    const wNow = heap.f32(L.wPtr, LANES * n);
    const tNow = heap.f32(trial, LANES * n);
    for (let l = 0; l < lanes; l++) {
      const dH = et[l] - current[l];
      uniform(u, 1, acceptSeed(task.seed), restartStream(p, n, P.instance, r0 + l), t);
      const accept = dH <= 0 || (T > 0 && heap.f64(u, 1)[0] < Math.exp(-dH / T));
      if (accept) {
        for (let i = 0; i < n; i++) wNow[i * LANES + l] = tNow[i * LANES + l];
        current[l] = et[l];
      }
    }
    const steps = heap.u32(L.state + descentState(LANES).steps, LANES);
    for (let l = 0; l < lanes; l++) steps[l] += 1;
  }
  heap.release(mark);
}
