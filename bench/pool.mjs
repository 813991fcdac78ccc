// Pool scaling: one ensemble of independent GEMM tasks on 1 worker and on 2 workers, side by
// side in the same run. Reports tasks per second and the 2-vs-1 ratio (median of samples).
import { median } from './timing.mjs';

export async function run(ctx) {
  const { lib, quick, log } = ctx;
  const params = quick ? { m: 256, n: 256, k: 256, reps: 20 } : { m: 256, n: 256, k: 256, reps: 60 };
  const count = quick ? 8 : 16;
  const samples = quick ? 3 : 5;
  const tasks = Array.from({ length: count }, (_, i) => ({ kind: 'gemm', seed: 1, stream: i, params }));
  const rate = {};
  let reference;
  for (const workers of [1, 2]) {
    const pool = await lib.createPool({ workers, binary: 'simd' });
    try {
      await pool.run(tasks.slice(0, workers)); // spawn and warm every worker
      const rates = [];
      for (let s = 0; s < samples; s++) {
        const t = performance.now();
        const res = await pool.run(tasks);
        rates.push(count / ((performance.now() - t) / 1000));
        const sums = JSON.stringify(res.map((r) => r.checksum));
        if (reference === undefined) reference = sums;
        else if (sums !== reference) throw new Error('pool benchmark: results differ between runs or worker counts');
      }
      rate[workers] = median(rates);
    } finally {
      await pool.terminate();
    }
    log(`pool ${workers} worker${workers > 1 ? 's' : ' '}: ${rate[workers].toFixed(2)} tasks/s (${count} × ${params.reps} GEMM ${params.m}³)`);
  }
  const name = `${count} tasks × ${params.reps}× ${params.m}³ GEMM`;
  return [
    { suite: 'pool', case: name, binary: 'simd', workers: 1, ours: round(rate[1]), unit: 'tasks/s', peer: null, peerValue: null, ratio: null },
    { suite: 'pool', case: name, binary: 'simd', workers: 2, ours: round(rate[2]), unit: 'tasks/s', peer: '1 worker', peerValue: round(rate[1]), ratio: round(rate[2] / rate[1]) },
  ];
}

const round = (x) => Math.round(x * 100) / 100;
