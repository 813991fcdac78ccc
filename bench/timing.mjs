// Timing helpers shared by every suite, platform-neutral. Cold = the first call; warm = the
// median over samples after warm-up, each sample repeating the call until it lasts ≥ minMs.
const now = () => performance.now();

export function measure(fn, { minMs = 40, samples = 5, maxReps = 1 << 20 } = {}) {
  const t0 = now();
  fn();
  const cold = now() - t0;
  let reps = 1;
  for (;;) {
    const t = now();
    for (let r = 0; r < reps; r++) fn();
    const dt = now() - t;
    if (dt >= minMs / 2 || reps >= maxReps) {
      reps = Math.max(1, Math.ceil((reps * minMs) / Math.max(dt, 1e-3)));
      break;
    }
    reps *= 4;
  }
  const times = [];
  for (let s = 0; s < samples; s++) {
    const t = now();
    for (let r = 0; r < reps; r++) fn();
    times.push((now() - t) / reps);
  }
  times.sort((a, b) => a - b);
  return { coldMs: cold, warmMs: times[times.length >> 1], reps, samples };
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
