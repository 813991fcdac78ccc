// Temperature schedules of the annealing runs and their calibration from probed loss changes
// (SCIENCE.md §7). Stage k of K (k = 0..K−1) runs at
//   linear      T_k = T0 + (T_end − T0)·k/(K−1)
//   geometric   T_k = T0·(T_end/T0)^{k/(K−1)}
// (K = 1: T0). Calibration follows Ben-Ameur (Computational Optimization and Applications 29,
// 2004): T such that the mean Metropolis acceptance e^{−ΔL/T} of the probed uphill moves is χ.

export const SCHEDULES = ['geometric', 'linear'] as const;
export type Schedule = (typeof SCHEDULES)[number];

export function linearTemperature(T0: number, Tend: number, k: number, stages: number): number {
  return stages === 1 ? T0 : T0 + ((Tend - T0) * k) / (stages - 1);
}

export function geometricTemperature(T0: number, Tend: number, k: number, stages: number): number {
  return stages === 1 ? T0 : T0 * (Tend / T0) ** (k / (stages - 1));
}

/** The K stage temperatures of a schedule, from T0 down to T_end. */
export function temperatures(schedule: Schedule, T0: number, Tend: number, stages: number): number[] {
  if (!(T0 > 0) || !(Tend > 0) || !Number.isFinite(T0) || !Number.isFinite(Tend)) throw new RangeError(`anneal: T0 and T_end must be finite and > 0, got ${T0}, ${Tend}`);
  if (!Number.isInteger(stages) || stages < 1) throw new RangeError(`anneal: stages must be an integer ≥ 1, got ${stages}`);
  const f = schedule === 'linear' ? linearTemperature : schedule === 'geometric' ? geometricTemperature : null;
  if (!f) throw new RangeError(`anneal: unknown schedule ${schedule}; one of ${SCHEDULES.join(', ')}`);
  return Array.from({ length: stages }, (_, k) => f(T0, Tend, k, stages));
}

/** Mean e^{−ΔL/T} over the uphill moves (ΔL > 0) of `deltas`. */
export function uphillAcceptance(deltas: ArrayLike<number>, T: number): number {
  let sum = 0, n = 0;
  for (let i = 0; i < deltas.length; i++) if (deltas[i] > 0) { sum += Math.exp(-deltas[i] / T); n++; }
  return n ? sum / n : NaN;
}

/**
 * The T at which the probed uphill moves are accepted with mean probability χ ∈ (0, 1): bisection
 * in log T (the mean is increasing in T), to a relative 1e-9. Throws when no probe went uphill.
 */
export function calibrateTemperature(deltas: ArrayLike<number>, chi: number): number {
  if (!(chi > 0 && chi < 1)) throw new RangeError(`anneal: acceptance target must lie in (0, 1), got ${chi}`);
  const up = Array.from(deltas).filter((d) => d > 0);
  if (!up.length) throw new RangeError('anneal: no probed proposal raised the loss, so no temperature can be calibrated (set T0 and T_end)');
  let lo = Math.log(Math.min(...up)) - 50, hi = Math.log(Math.max(...up)) + 50;
  while (hi - lo > 1e-9) {
    const mid = (lo + hi) / 2;
    if (uphillAcceptance(up, Math.exp(mid)) < chi) lo = mid;
    else hi = mid;
  }
  return Math.exp((lo + hi) / 2);
}
