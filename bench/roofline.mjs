// Roofline suite: this machine's own limits, measured in wasm (assembly/roofline.ts), at one thread
// and on every core at once: peak f32x4 and f64x2 rates (mul+add from the simd binary, fused
// relaxed_madd from the relaxed one), streaming read and STREAM-triad bandwidth from wasm memory.
// runBench runs it before every other suite; bench/peak.mjs turns the figures into each result's
// fractionOfPeak. Platform-neutral: one thread is the thread the suite runs in (Node's main
// thread, Chromium's bench worker); "all" is a pool of availableCores() workers, each running the
// probe for the same wall time, their rates summed. Each figure is the best of its samples (STREAM's
// convention: on a shared machine, load only ever slows a sample down).
import { bestRate, rateSpread, sig } from './timing.mjs';

export const name = 'roofline';
export const title = "Roofline: this machine's own limits (wasm SIMD128)";

/** 2^20 iterations of 12 chains: 96 or 48 Mflop, a few ms a call. */
const ITERATIONS = 1 << 20;
const MIB = 1 << 20;
/** ≥ 64 MiB read and 3 × 32 MiB for the triad: both well past any L3 this code meets (32 MiB here). */
const READ_BYTES = 64 * MIB;
const TRIAD_BYTES = 32 * MIB;

/** key → probe. `work` is flops (or bytes) per call; `unit` what the summary reports. */
export const PROBES = {
  f32MulAdd: { kernel: 'roofline_madd_f32x4', binary: 'simd', unit: 'GFLOPS', label: 'f32x4 mul+add', work: 96 * ITERATIONS },
  f32Fma: { kernel: 'roofline_fma_f32x4', binary: 'relaxed', unit: 'GFLOPS', label: 'f32x4 relaxed FMA', work: 96 * ITERATIONS },
  f64MulAdd: { kernel: 'roofline_madd_f64x2', binary: 'simd', unit: 'GFLOPS', label: 'f64x2 mul+add', work: 48 * ITERATIONS },
  f64Fma: { kernel: 'roofline_fma_f64x2', binary: 'relaxed', unit: 'GFLOPS', label: 'f64x2 relaxed FMA', work: 48 * ITERATIONS },
  readGBs: { kernel: 'roofline_read_f32', binary: 'simd', unit: 'GB/s', label: 'read Σx (v128 loads)', work: READ_BYTES },
  triadGBs: { kernel: 'roofline_triad_f32', binary: 'simd', unit: 'GB/s', label: 'triad a = b + s·c', work: 3 * TRIAD_BYTES },
};

/**
 * One call of probe `key` on this instance, as a thunk; null where the binary lacks the kernel's
 * feature (it returns −1). Bandwidth buffers are allocated and written once per heap.
 */
export function probeCall(wasm, heap, key, buffers) {
  const p = PROBES[key];
  const f = wasm[p.kernel];
  if (p.unit === 'GFLOPS') {
    if (f(1) < 0) return null;
    return () => f(ITERATIONS);
  }
  const b = buffers();
  if (key === 'readGBs') return () => f(b.x, READ_BYTES >> 2);
  return () => f(b.a, b.b, b.c, TRIAD_BYTES >> 2, 0.5);
}

/** Lazily allocated probe buffers on `heap`, filled so sums are non-zero and pages are touched. */
export function probeBuffers(heap) {
  let b = null;
  return () => {
    if (b) return b;
    const x = heap.alloc(READ_BYTES);
    heap.f32(x, READ_BYTES >> 2).fill(1);
    const [a, bb, c] = [0, 1, 2].map(() => heap.alloc(TRIAD_BYTES));
    heap.f32(bb, TRIAD_BYTES >> 2).fill(1);
    heap.f32(c, TRIAD_BYTES >> 2).fill(2);
    heap.f32(a, TRIAD_BYTES >> 2).fill(0);
    return (b = { x, a, b: bb, c });
  };
}

/**
 * Pool task 'roofline' (bench/roofline-worker.mjs): runs one probe for `ms` of wall time. Returns
 * the work done and the interval on the shared clock (timeOrigin + now), so the caller can divide
 * the workers' summed work by the span from the first start to the last end: workers that do not
 * overlap then count as one, never as several.
 */
export function rooflineTask(ctx, task) {
  const { probe, ms } = task.params;
  const buffers = ctx.resident('roofline-buffers', () => probeBuffers(ctx.heap));
  const call = probeCall(ctx.wasm, ctx.heap, probe, buffers);
  if (!call) return { work: null };
  call(); // tiered up by the warm-up run already; this also touches the buffers
  let calls = 0;
  const t0 = performance.now();
  let t1;
  do { call(); calls++; } while ((t1 = performance.now()) - t0 < ms);
  return { work: PROBES[probe].work * calls, start: performance.timeOrigin + t0, end: performance.timeOrigin + t1, rate: (PROBES[probe].work * calls) / ((t1 - t0) / 1000) };
}

function workerUrl(platform) {
  return platform === 'node' ? new URL('./roofline-worker.mjs', import.meta.url) : new URL('./browser/roofline-worker.mjs', import.meta.url);
}

/** Rates at one thread, in this thread. Returns { key: units/s | null }. */
async function single(ctx, timing) {
  const out = {};
  const inst = {};
  for (const b of ['simd', 'relaxed']) {
    const w = await ctx.lib.loadWasm(b);
    inst[b] = w.binary === b ? { w, heap: new ctx.lib.Heap(w) } : null;
  }
  const buffers = probeBuffers(inst.simd.heap);
  try {
    for (const [key, p] of Object.entries(PROBES)) {
      const i = inst[p.binary];
      const call = i && probeCall(i.w, i.heap, key, buffers);
      out[key] = call ? bestRate(call, p.work, timing) : null;
    }
  } finally {
    for (const i of Object.values(inst)) i?.heap.reset();
  }
  return out;
}

/**
 * Rates with every worker busy at once: the workers' summed work over the span from the first
 * start to the last end, best of `samples` runs.
 */
async function all(ctx, workers, timing) {
  const out = {};
  const perWorker = {};
  for (const binary of ['simd', 'relaxed']) {
    const keys = Object.keys(PROBES).filter((k) => PROBES[k].binary === binary);
    const pool = await ctx.lib.createPool({ workers, binary, workerUrl: workerUrl(ctx.platform) });
    try {
      if (pool.binary !== binary) { for (const k of keys) out[k] = null; continue; }
      for (const key of keys) {
        const tasks = (ms) => Array.from({ length: workers }, (_, i) => ({ kind: 'roofline', seed: 0, stream: i, params: { probe: key, ms } }));
        await pool.run(tasks(Math.min(20, timing.minMs))); // spawn, instantiate, allocate, tier up
        let best = null;
        for (let s = 0; s < timing.samples; s++) {
          const res = await pool.run(tasks(timing.minMs * 2));
          if (res.some((r) => r.work == null)) break;
          const span = Math.max(...res.map((r) => r.end)) - Math.min(...res.map((r) => r.start));
          const rate = res.reduce((a, r) => a + r.work, 0) / (span / 1000);
          if (best == null || rate > best) { best = rate; perWorker[key] = res.map((r) => sig(r.rate / 1e9, 4)); }
        }
        out[key] = best;
      }
    } finally {
      await pool.terminate();
    }
  }
  return { rates: out, perWorker };
}

/**
 * The f32 mul+add probe sustained against its burst, at one thread: the median of 5 samples of
 * 100 ms against the best of 25 of 5 ms (the peak's own convention). A steady machine sustains its
 * burst (ratio ≈ 1); a shared or throttled one does not, and then every median-based result reads
 * low against the best-of peak. Run at the start and after the last suite (about 1 s each).
 */
export async function steadiness(ctx) {
  const w = await ctx.lib.loadWasm('simd');
  const heap = new ctx.lib.Heap(w);
  try {
    const call = probeCall(w, heap, 'f32MulAdd', () => null);
    const { best } = rateSpread(call, PROBES.f32MulAdd.work, { minMs: 5, samples: 25 });
    const { median } = rateSpread(call, PROBES.f32MulAdd.work, { minMs: 100, samples: 5 });
    return { bestGFLOPS: sig(best / 1e9, 4), medianGFLOPS: sig(median / 1e9, 4), ratio: sig(median / best, 3), at: new Date().toISOString() };
  } finally {
    heap.reset();
  }
}

/** One line on the machine's steadiness at the start and the end of a run, for the tables. */
export function steadinessLine(st) {
  if (!st?.start) return null;
  const part = (x) => `${x.ratio} (${x.medianGFLOPS} of ${x.bestGFLOPS} GFLOPS)`;
  const low = [st.start, st.end].some((x) => x && x.ratio < 0.9);
  return `steadiness, f32 probe sustained (median of 5 × 100 ms) ÷ burst (best of 25 × 5 ms): ${part(st.start)} at the start${st.end ? `, ${part(st.end)} at the end` : ''}` +
    (low ? ' — below 0.9: the machine was shared or throttled, so medians read low against the best-of peak' : '');
}

export async function run(ctx) {
  const { lib, quick, log, env } = ctx;
  // Best-of wants many short samples: on a loaded machine a 5 ms window is often left alone by
  // the scheduler, a 100 ms one never (about 2 s for the whole suite when quick).
  const timing = ctx.timing ?? (quick ? { minMs: 5, samples: 15 } : { minMs: 10, samples: 25 });
  const workers = await lib.availableCores();
  (env.steadiness ??= {}).start = await steadiness(ctx);
  const one = await single(ctx, timing);
  const many = await all(ctx, workers, timing);
  const g = (x) => (x == null ? null : sig(x / 1e9, 4));
  const summary = { cpu: env.cpu ?? env.hostCpu ?? 'unknown', workers, buffersMiB: { read: READ_BYTES / MIB, triad: (3 * TRIAD_BYTES) / MIB }, single: {}, all: {}, perWorker: many.perWorker };
  for (const key of Object.keys(PROBES)) { summary.single[key] = g(one[key]); summary.all[key] = g(many.rates[key]); }
  env.roofline = summary;
  const s = summary.single;
  log(`roofline ${summary.cpu}: f32 ${s.f32MulAdd} GFLOPS (FMA ${s.f32Fma ?? '-'}), f64 ${s.f64MulAdd} (FMA ${s.f64Fma ?? '-'}), read ${s.readGBs} GB/s, triad ${s.triadGBs} GB/s at 1 thread; ` +
    `×${workers} workers: f32 ${summary.all.f32MulAdd}, read ${summary.all.readGBs} GB/s`);
  const rows = [];
  for (const [key, p] of Object.entries(PROBES)) {
    for (const [w, fig] of [[1, summary.single[key]], [workers, summary.all[key]]]) {
      if (fig == null) continue;
      rows.push({ suite: name, case: p.label, probe: key, cpu: summary.cpu, binary: p.binary, workers: w, ours: fig, unit: p.unit, peer: null, peerValue: null, ratio: null, fractionOfPeak: null, isPeak: true });
    }
  }
  return rows;
}

const cell = (x, w = 10) => (x == null ? '-' : String(x)).padStart(w);

export function format(rows) {
  const rs = rows.filter((r) => r.suite === name);
  if (!rs.length) return [];
  const cores = Math.max(...rs.map((r) => r.workers));
  const lines = [`CPU ${rs[0].cpu}; the ceilings every other result is a fraction of (fractionOfPeak; best of the samples)`];
  lines.push(`${'probe'.padEnd(24)}${'binary'.padEnd(9)}${'1 thread'.padStart(10)}${`${cores} workers`.padStart(11)}  unit`);
  for (const [key, p] of Object.entries(PROBES)) {
    const at = (w) => rs.find((r) => r.probe === key && r.workers === w)?.ours;
    if (at(1) == null && at(cores) == null) { lines.push(`${p.label.padEnd(24)}${p.binary.padEnd(9)}${cell(null)}${cell(null, 11)}  (not in this engine's binaries)`); continue; }
    lines.push(`${p.label.padEnd(24)}${p.binary.padEnd(9)}${cell(at(1))}${cell(at(cores), 11)}  ${p.unit}`);
  }
  lines.push(`buffers: read ${READ_BYTES / MIB} MiB, triad 3 × ${TRIAD_BYTES / MIB} MiB; triad counts 12 bytes per element (STREAM; the write-allocate read is not counted)`);
  return lines;
}
