// Pool scaling: one ensemble of independent GEMM tasks ('gemm' task kind: A, B from the task's
// RNG stream, C = A·B `reps` times) on 1 worker and on 2, in the same run. Timed: pool.run()
// of the whole ensemble on live, warmed workers (spawning and compiling are excluded). Reports
// tasks/s (medians of `samples` runs) and the 2-vs-1 ratio (median over rounds of the paired
// ratio), alternating 1 and 2 workers so that load from other processes hits both. Each task also times its own GEMM loop inside the worker, which
// tells contention for cores (per-worker GFLOPS drops) from pool overhead (it does not).
import { median, pairedSpeedup, sig } from './timing.mjs';
import { pct } from './peak.mjs';

export const name = 'pool';
export const title = 'Worker pool scaling';

export async function run(ctx) {
  const { lib, quick, log, env } = ctx;
  const o = ctx.pool ?? {};
  const params = o.params ?? { m: 256, n: 256, k: 256, reps: quick ? 10 : 40 };
  const count = o.tasks ?? (quick ? 8 : 16);
  const samples = o.samples ?? (quick ? 3 : 5);
  const binary = o.binary ?? 'simd';
  const flopsPerTask = 2 * params.m * params.n * params.k * params.reps;
  const tasks = Array.from({ length: count }, (_, i) => ({ kind: 'gemm', seed: 1, stream: i, params }));
  const cases = `${count} tasks × ${params.reps}× ${params.m}x${params.n}x${params.k} GEMM`;
  const pools = {};
  const stats = { 1: { rates: [], gflops: [], times: [] }, 2: { rates: [], gflops: [], times: [] } };
  let reference;
  try {
    for (const w of [1, 2]) {
      pools[w] = await lib.createPool({ workers: w, binary });
      await pools[w].run(tasks.slice(0, w)); // spawn, instantiate and warm every worker
    }
    env.peers.pool = { binary: pools[1].binary, cores: await lib.availableCores() };
    for (let s = 0; s < samples; s++) {
      for (const w of [1, 2]) {
        const t = performance.now();
        const res = await pools[w].run(tasks);
        const wall = performance.now() - t;
        stats[w].rates.push(count / (wall / 1000));
        stats[w].times.push(wall);
        const busyMs = res.reduce((acc, x) => acc + x.ms, 0);
        if (busyMs > 0) stats[w].gflops.push((flopsPerTask * count) / busyMs / 1e6); // 0 when tasks beat the timer's resolution
        const sums = res.map((x) => x.checksum).join(',');
        reference ??= sums;
        if (sums !== reference) throw new Error('pool benchmark: checksums differ between runs or worker counts');
      }
    }
  } finally {
    await Promise.all(Object.values(pools).map((p) => p.terminate()));
  }
  const rate = (w) => median(stats[w].rates);
  const perWorker = (w) => (stats[w].gflops.length ? median(stats[w].gflops) : null);
  for (const w of [1, 2]) log(`pool ${w} worker${w > 1 ? 's' : ' '}: ${rate(w).toFixed(2)} tasks/s, ${perWorker(w)?.toFixed(1) ?? '?'} GFLOPS per worker inside its tasks`);
  const row = (w) => ({ suite: name, case: cases, binary, workers: w, ours: sig(rate(w), 4), unit: 'tasks/s', tasks: count, params,
    gflopsTotal: sig((rate(w) * flopsPerTask) / 1e9, 3), gflopsPerWorker: sig(perWorker(w), 3), samples });
  return [
    { ...row(1), peer: null, peerValue: null, ratio: null },
    { ...row(2), peer: '1 worker', peerValue: sig(rate(1), 4), ratio: sig(pairedSpeedup(stats[2], stats[1]), 3) },
  ];
}

/** fractionOfPeak: tasks/s × 2mnk·reps flops against the f32 mul+add peak of that many workers. */
export function work(row) {
  const { m, n, k, reps } = row.params ?? {};
  if (!m) return null;
  return { flops: 2 * m * n * k * reps, precision: 'f32', fused: row.binary === 'relaxed', workers: row.workers };
}

export function format(rows) {
  const rs = rows.filter((r) => r.suite === name);
  if (!rs.length) return [];
  const lines = [`ensemble of ${rs[0].case}, ${rs[0].binary} binary; medians of ${rs[0].samples} runs`];
  lines.push(`${'workers'.padEnd(9)}${'tasks/s'.padStart(9)}${'GFLOPS'.padStart(9)}${'per worker'.padStart(12)}${'vs 1'.padStart(8)}${'%peak'.padStart(8)}`);
  for (const r of rs) {
    lines.push(`${String(r.workers).padEnd(9)}${r.ours.toFixed(2).padStart(9)}${r.gflopsTotal.toFixed(1).padStart(9)}${(r.gflopsPerWorker?.toFixed(1) ?? '-').padStart(12)}${(r.ratio ? `${r.ratio.toFixed(2)}×` : '').padStart(8)}${pct(r.fractionOfPeak, 8)}`);
  }
  const two = rs.find((r) => r.workers === 2);
  const one = rs.find((r) => r.workers === 1);
  if (two?.gflopsPerWorker && one?.gflopsPerWorker && two.gflopsPerWorker < 0.75 * one.gflopsPerWorker) {
    lines.push(`(each of 2 workers computed at ${Math.round((100 * two.gflopsPerWorker) / one.gflopsPerWorker)}% of the lone worker's speed: the cores were not both free)`);
  }
  return lines;
}

export function targets(rows) {
  const two = rows.find((r) => r.suite === name && r.workers === 2);
  if (!two) return [];
  return [{ target: '2 workers ≥ 1.8× one', goal: 1.8, worst: two.ratio, at: two.case, passed: two.ratio >= 1.8 ? 1 : 0, of: 1, pass: two.ratio >= 1.8 }];
}
