// Every suite, by name. A suite is platform-neutral: `name`, `title`, `async run(ctx) → rows`,
// and optionally `format(rows) → lines` and `targets(rows, env) → [{target, goal, worst, pass…}]`.
// Rows share one shape: { suite, case, binary, ours, unit, peer, peerValue, ratio, ... }, where
// ratio > 1 always means ours is better. Node (bench/index.mjs) and the browser
// (bench/browser/runner.mjs) both run suites from this list.
import * as gemm from './gemm.mjs';
import * as gemmReport from './gemm-report.mjs';
import * as pool from './pool.mjs';
import * as pspin from './pspin.mjs';
import * as mlp from './mlp.mjs';

export const SUITES = { gemm: { ...gemm, ...gemmReport }, pool, pspin, mlp };
