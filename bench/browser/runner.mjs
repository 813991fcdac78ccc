// Runs suites in a browser (page or worker) on the rollup bundle; rows and env in the same shape
// as in Node, marked platform "chromium".
import * as lib from '../../bundle/index.js';
import { SUITES, withRoofline } from '../suites.mjs';
import { annotate } from '../peak.mjs';
import { timerResolution } from '../timing.mjs';
import { steadiness } from '../roofline.mjs';

export async function runSuites(config, { log, loadTfjs, where }) {
  const quick = !!config.quick;
  const env = {
    platform: 'chromium',
    where,
    userAgent: navigator.userAgent,
    cores: navigator.hardwareConcurrency,
    hostCpu: config.hostCpu ?? null, // the page cannot read it; bench/browser.mjs passes Node's
    crossOriginIsolated: globalThis.crossOriginIsolated ?? false,
    timerResolutionMs: Number(timerResolution().toPrecision(3)),
    quick,
    versions: {},
    peers: {},
  };
  const results = [];
  const errors = [];
  for (const name of withRoofline(config.suites ?? Object.keys(SUITES))) {
    const suite = SUITES[name];
    if (!suite) continue;
    const ctx = { platform: 'chromium', lib, quick, log, env, loadTfjs, shapes: config.shapes, timing: config.timing, pool: config.pool };
    try {
      results.push(...(await suite.run(ctx)).map((r) => ({ ...r, platform: 'chromium' })));
    } catch (e) {
      errors.push({ suite: name, error: String(e?.stack ?? e) });
      log(`suite ${name} failed: ${e?.message ?? e}`);
    }
  }
  // After the last suite, as in Node: a page that slowed during the run shows here.
  if (env.steadiness?.start) env.steadiness.end = await steadiness({ lib });
  annotate(results, SUITES, env.roofline);
  return { env, results, errors };
}
