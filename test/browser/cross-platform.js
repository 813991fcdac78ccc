import { createPool, theoryTable } from '../../bundle/index.js';
import { SAMPLE_TASKS, THEORY_ARGS, encodeResults } from './samples.js';

try {
  const pool = await createPool({ workers: 2, binary: 'simd' });
  const results = await pool.run(SAMPLE_TASKS);
  window.__result = { binary: pool.binary, encoded: encodeResults(results), theory: JSON.stringify(THEORY_ARGS.map((a) => theoryTable(...a))) };
  await pool.terminate();
} catch (e) {
  window.__result = { error: String(e && e.stack || e) };
}
