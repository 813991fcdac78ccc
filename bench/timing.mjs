// Timing shared by every suite, platform-neutral (Node and a browser worker). Cold = the first
// call, timed alone. Warm = the median of `samples` batches taken after a warm-up; each batch
// repeats the call until it lasts ≥ minMs, so timer resolution (Chromium coarsens
// performance.now() to 100 µs without cross-origin isolation) and V8's background tier-up of
// fresh wasm code never show in a warm figure. Competitors are sampled round-robin: sample s of
// every implementation is taken before sample s+1 of any, so a burst of load from another
// process lands on all of them alike instead of on whoever ran during it.
const now = () => performance.now();

export const FULL = { minMs: 50, samples: 5 };
export const QUICK = { minMs: 10, samples: 5 };
const MAX_REPS = 1 << 24;

/**
 * An implementation timed in this thread. `fn` runs one call; `settle` (optional) runs once
 * after each batch, inside the timed region, to force completion (e.g. a dataSync).
 * The result has the shape every timed implementation shares: cold(), calibrate(), sample().
 */
export function local(name, fn, settle = () => {}) {
  let reps = 1;
  const batch = (n) => {
    const t = now();
    for (let r = 0; r < n; r++) fn();
    settle();
    return now() - t;
  };
  return {
    name,
    cold: () => batch(1),
    calibrate(minMs) {
      // Warm-up: grow the batch ×4 until it lasts ≥ minMs/2 and ≥ minMs has run in all. Then size
      // the batch for minMs and check it, since code that tiers up mid-warm-up (JS JIT, wasm
      // Liftoff → TurboFan) runs later batches many times faster than the early ones.
      let spent = 0;
      let dt = 0;
      for (reps = 1; ; reps = Math.min(reps * 4, MAX_REPS)) {
        dt = batch(reps);
        spent += dt;
        if ((dt >= minMs / 2 && spent >= minMs) || reps >= MAX_REPS) break;
      }
      for (let tries = 0; tries < 6; tries++) {
        reps = Math.min(MAX_REPS, Math.max(1, Math.ceil((reps * minMs) / Math.max(dt, minMs / 64))));
        dt = batch(reps);
        if (dt >= minMs * 0.7 || reps >= MAX_REPS) break;
      }
      return reps;
    },
    sample: () => batch(reps) / reps,
  };
}

/**
 * Times several implementations of one job side by side. Each implementation is
 * { name, cold(), calibrate(minMs) → reps, sample() → ms per call }, sync or async (a peer in
 * another process answers asynchronously). Returns { [name]: { coldMs, warmMs, reps, spread,
 * times } }: warmMs is the median of `times` (ms per call, one per round), spread = (max − min) /
 * median, a noise gauge.
 */
export async function compare(impls, { minMs = FULL.minMs, samples = FULL.samples } = {}) {
  const out = {};
  for (const impl of impls) out[impl.name] = { coldMs: await impl.cold(), times: [] };
  for (const impl of impls) out[impl.name].reps = await impl.calibrate(minMs);
  for (let s = 0; s < samples; s++) for (const impl of impls) out[impl.name].times.push(await impl.sample());
  for (const r of Object.values(out)) {
    r.warmMs = median(r.times);
    r.spread = r.warmMs > 0 ? (Math.max(...r.times) - Math.min(...r.times)) / r.warmMs : 0;
  }
  return out;
}

/**
 * How many times faster `a` is than `b`: the median over rounds of b's time / a's time in the
 * same round. Pairing samples taken back to back cancels load that drifts between rounds, so on
 * a busy machine this is steadier than a ratio of two medians.
 */
export function pairedSpeedup(a, b) {
  const n = Math.min(a.times.length, b.times.length);
  const rs = [];
  for (let s = 0; s < n; s++) if (a.times[s] > 0 && b.times[s] > 0) rs.push(b.times[s] / a.times[s]);
  return rs.length ? median(rs) : null;
}

/** The smallest step of performance.now() seen in a short spin (Chromium: 0.1 ms unless isolated). */
export function timerResolution() {
  let best = Infinity;
  let last = now();
  for (let i = 0, seen = 0; i < 1e6 && seen < 20; i++) {
    const t = now();
    if (t !== last) { best = Math.min(best, t - last); last = t; seen++; }
  }
  return best;
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

/** x to `digits` significant figures (null stays null), for JSON that stays readable. */
export const sig = (x, digits = 4) => (x == null || !Number.isFinite(x) ? null : Number(x.toPrecision(digits)));

/**
 * Median rate of `fn` in units of `work` per second: calls are repeated until one sample lasts
 * about `minMs`, then `samples` samples are timed.
 */
export function medianRate(fn, work, timing) {
  return median(sampleRates(fn, work, timing));
}

/**
 * The best of the same samples: for a ceiling (the roofline probes), as STREAM reports its best
 * time, since load from other processes can only slow a sample down.
 */
export function bestRate(fn, work, timing) {
  return Math.max(...sampleRates(fn, work, timing));
}

/** Best and median of the same samples: how far below its best a machine runs (steadiness). */
export function rateSpread(fn, work, timing) {
  const rates = sampleRates(fn, work, timing);
  return { best: Math.max(...rates), median: median(rates) };
}

function sampleRates(fn, work, { minMs, samples }) {
  fn();
  let reps = 1;
  for (;;) {
    const t = performance.now();
    for (let r = 0; r < reps; r++) fn();
    const dt = performance.now() - t;
    if (dt >= minMs / 2) { reps = Math.max(1, Math.ceil((reps * minMs) / dt)); break; }
    reps *= 2;
  }
  // A load spike during that calibration inflates dt, so `reps` can come out far too small; a
  // sample then lasts less than a browser's coarse clock tick (100 µs without cross-origin
  // isolation) and reads 0 ms, an infinite rate. Such a sample is retimed with twice the reps.
  const rates = [];
  for (let s = 0, retries = 0; s < samples; ) {
    const t = performance.now();
    for (let r = 0; r < reps; r++) fn();
    const dt = performance.now() - t;
    if (dt < minMs / 4 && retries++ < 40) { reps *= 2; continue; }
    if (dt > 0) rates.push((work * reps) / (dt / 1000));
    s++;
  }
  return rates;
}
