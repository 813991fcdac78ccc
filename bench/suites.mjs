// Every suite, by name. A suite is platform-neutral: `name`, `title`, `async run(ctx) → rows`,
// and optionally `format(rows) → lines` and `targets(rows, env) → [{target, goal, worst, pass…}]`.
// Rows share one shape: { suite, case, binary, ours, unit, peer, peerValue, ratio, ... }, where
// ratio > 1 always means ours is better. Node (bench/index.mjs) and the browser
// (bench/browser/runner.mjs) both run suites from this list, roofline first: its figures are the
// ceilings of every other row's fractionOfPeak (a suite's optional work(row), bench/peak.mjs).
import * as roofline from './roofline.mjs';
import * as gemm from './gemm.mjs';
import * as gemmReport from './gemm-report.mjs';
import * as pool from './pool.mjs';
import * as pspin from './pspin.mjs';
import * as mlp from './mlp.mjs';
import * as e2e from './e2e.mjs';
import * as curvature from './curvature.mjs';

export const SUITES = { roofline, gemm: { ...gemm, ...gemmReport }, pool, pspin, mlp, curvature, e2e };

/** The suites to run, in order: roofline first whenever any suite runs (it gives the ceilings). */
export function withRoofline(names) {
  const rest = names.filter((s) => s !== 'roofline');
  return ['roofline', ...rest];
}
