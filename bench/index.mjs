// The benchmark suite: `npm run bench`, `landscape bench`, or
//   node bench/index.mjs [--json] [--quick] [--no-browser] [--suite gemm] [--suite pool]
// The roofline suite runs first in every run, on each platform; every row carries fractionOfPeak.
// Measures and prints; never asserts. Every run writes its report to bench/out/<timestamp>.json.
// With --json, stdout carries only the JSON report; progress and tables go to stderr.
import os from 'node:os';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SUITES, withRoofline } from './suites.mjs';
import { steadiness, steadinessLine } from './roofline.mjs';
import { annotate } from './peak.mjs';
import { loadLibrary, loadTfjs, openPeer } from './node.mjs';
import { timerResolution } from './timing.mjs';

const OUT_DIR = new URL('./out/', import.meta.url);

function pkgVersion(name) {
  try {
    const url = name ? new URL(`../node_modules/${name}/package.json`, import.meta.url) : new URL('../package.json', import.meta.url);
    return JSON.parse(readFileSync(url, 'utf8')).version;
  } catch {
    return null;
  }
}

function nodeEnv(quick) {
  let avx512 = null;
  try { avx512 = /\bavx512f\b/.test(readFileSync('/proc/cpuinfo', 'utf8')); } catch { /* not Linux */ }
  return {
    platform: 'node',
    node: process.versions.node,
    v8: process.versions.v8,
    cores: os.availableParallelism?.() ?? os.cpus().length,
    cpu: os.cpus()[0]?.model?.trim() ?? 'unknown',
    avx512,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    loadavg: { start: os.loadavg().map((x) => Math.round(x * 100) / 100) },
    timerResolutionMs: Number(timerResolution().toPrecision(3)),
    quick,
    date: new Date().toISOString(),
    versions: {
      'loss-landscape-lab': pkgVersion(),
      assemblyscript: pkgVersion('assemblyscript'),
      '@tensorflow/tfjs-backend-wasm': pkgVersion('@tensorflow/tfjs-backend-wasm'),
      'playwright-core': pkgVersion('playwright-core'),
    },
    peers: {},
  };
}

/**
 * Runs the suites in Node and (unless browser is false) the same suites in headless Chromium.
 * Returns { env, results, targets, errors, file }. `json` is accepted for the CLI's sake; the
 * report is the same, and printing is the caller's job. Extra knobs (tests, smoke runs): `out`
 * (a directory, or false for no file), `shapes` ([{m, n, k, trans?}]), `timing` ({minMs,
 * samples}), `pool` ({tasks, params, samples}), `native` (false skips the Python peers), `tiles`
 * (gemm: also time every tile sweep of gemm_f32 forced, Node only).
 */
export async function runBench({ suites: asked = ['roofline', 'gemm', 'pool', 'pspin', 'mlp', 'curvature'], json = false, quick = false, browser = true, log = console.error, out = OUT_DIR, shapes, timing, pool, native = true, tiles = false } = {}) {
  void json;
  for (const s of asked) if (!SUITES[s]) throw new Error(`unknown bench suite "${s}" (known: ${Object.keys(SUITES).join(', ')})`);
  const suites = withRoofline(asked);
  const env = nodeEnv(quick);
  const report = { env, results: [], targets: [], errors: [] };
  const lib = await loadLibrary();
  for (const name of suites) {
    const ctx = { platform: 'node', lib, quick, log, env, loadTfjs, openPeer, native, shapes, timing, pool, tiles };
    const t0 = performance.now();
    try {
      report.results.push(...(await SUITES[name].run(ctx)).map((r) => ({ ...r, platform: 'node' })));
    } catch (e) {
      report.errors.push({ platform: 'node', suite: name, error: e.stack ?? String(e) });
      log(`suite ${name} failed in Node: ${e.message}`);
    }
    (env.seconds ??= {})[name] = Math.round((performance.now() - t0) / 100) / 10;
  }
  // After the last suite: a machine that slowed during the run shows here (its fractions read low).
  if (env.steadiness?.start) env.steadiness.end = await steadiness({ lib });
  annotate(report.results, SUITES, env.roofline);
  if (browser) {
    const { runInChromium } = await import('./browser.mjs');
    const t0 = performance.now();
    // Every suite: the Node-only peers (NumPy, PyTorch) drop out there; the page has no CPU model, so Node's is passed.
    const b = await runInChromium({ suites, quick, shapes, timing, pool, log, hostCpu: env.cpu });
    (env.seconds ??= {}).chromium = Math.round((performance.now() - t0) / 100) / 10;
    if (b.error) {
      env.browser = { platform: 'chromium', error: b.error };
      report.errors.push({ platform: 'chromium', suite: null, error: b.error });
      log(`chromium run failed: ${b.error}`);
    } else {
      env.browser = b.env;
      report.results.push(...b.results.map((r) => ({ ...r, platform: 'chromium' })));
      report.errors.push(...(b.errors ?? []).map((e) => ({ platform: 'chromium', ...e })));
    }
  }
  env.loadavg.end = os.loadavg().map((x) => Math.round(x * 100) / 100);
  for (const [platform, penv] of [['node', env], ['chromium', env.browser]]) {
    const rows = report.results.filter((r) => r.platform === platform);
    for (const name of suites) {
      for (const t of SUITES[name].targets?.(rows, penv ?? {}) ?? []) report.targets.push({ platform, suite: name, ...t });
    }
  }
  if (out) {
    const dir = out instanceof URL ? out : new URL(`file://${out.replace(/\/?$/, '/')}`);
    mkdirSync(dir, { recursive: true });
    const file = new URL(`${env.date.replace(/[:.]/g, '-')}.json`, dir);
    report.file = fileURLToPath(file);
    writeFileSync(file, JSON.stringify(report, null, 2) + '\n');
    log(`bench: wrote ${report.file}`);
  }
  return report;
}

function describePeer(name, p) {
  if (p == null) return null;
  if (typeof p === 'string') return `${name} ${p}`;
  if (name === 'tfjs-wasm') return `tfjs-wasm ${p.version} (${p.simd ? 'SIMD' : 'no SIMD'}, ${p.multithread ? `${p.threads} threads` : '1 thread'})`;
  if (name === 'numpy') return `numpy ${p.version} on ${p.openblas ?? 'unknown BLAS'}, core ${p.core}, ${p.threads} thread(s), OPENBLAS_CORETYPE=${p.OPENBLAS_CORETYPE ?? 'unset'}`;
  if (name === 'torch') return `torch ${p.version} (BLAS ${p.blas}, ${p.cpu}), ${p.threads} thread(s)`;
  if (name === 'pool') return `pool: ${p.binary} binary, ${p.cores} cores reported`;
  return `${name} ${JSON.stringify(p)}`;
}

function envLines(env, label) {
  const lines = [];
  if (label === 'node') {
    const [l1] = env.loadavg.start;
    const busy = l1 >= 0.5 ? ' — other processes were running: timings are noisy' : '';
    lines.push(`Node ${env.node} (V8 ${env.v8}), ${env.cores} cores, ${env.cpu}${env.avx512 ? ' (AVX-512)' : ''}, ${env.os}`);
    lines.push(`load average at start ${env.loadavg.start.join(' ')}, at end ${env.loadavg.end?.join(' ') ?? '?'}${busy}`);
    if (env.seconds) lines.push(`run time, s: ${Object.entries(env.seconds).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  } else {
    lines.push(`${env.browserVersion ?? env.userAgent}, in ${env.where === 'page' ? 'the page' : 'a module Web Worker'}, ${env.cores} cores, crossOriginIsolated ${env.crossOriginIsolated}, timer resolution ${env.timerResolutionMs} ms`);
  }
  const steady = steadinessLine(env.steadiness);
  if (steady) lines.push(steady);
  const peers = Object.entries(env.peers ?? {}).map(([k, v]) => describePeer(k, v)).filter(Boolean);
  if (peers.length) lines.push(`peers: ${peers.join('; ')}`);
  return lines;
}

/** The report as text: per platform, each suite's tables; then errors; then the targets. */
export function formatTable(report) {
  const { env } = report;
  const lines = [`loss-landscape-lab ${env.versions['loss-landscape-lab'] ?? ''} bench, ${env.date}${env.quick ? ' (quick)' : ''}`];
  for (const [platform, penv] of [['node', env], ['chromium', env.browser]]) {
    const rows = report.results.filter((r) => r.platform === platform);
    if (!rows.length) continue;
    lines.push('', `======== ${platform} ========`, ...envLines(penv ?? {}, platform));
    for (const suite of Object.values(SUITES)) {
      const own = rows.filter((r) => r.suite === suite.name);
      if (!own.length) continue;
      const body = suite.format ? suite.format(own) : own.map((r) => `${r.case} ${r.binary ?? ''} ${r.ours} ${r.unit}${r.peer ? ` vs ${r.peer} ${r.peerValue}: ${r.ratio}×` : ''}`);
      lines.push('', `-- ${suite.title} [${platform}] --`, ...body);
    }
  }
  if (env.browser?.error) lines.push('', `chromium: not run (${env.browser.error.split('\n')[0]})`);
  for (const e of report.errors ?? []) if (e.suite) lines.push(`error in ${e.platform} suite ${e.suite}: ${e.error.split('\n')[0]}`);
  if (report.targets?.length) {
    lines.push('', 'targets (medians, measured side by side in this run; printed, never asserted):');
    for (const t of report.targets) {
      // fractions of peak print as percentages, ratios to a peer with ×
      const v = (x) => (/of peak/.test(t.target) ? `${(100 * x).toFixed(0)}%` : `${x}×`);
      const detail = t.of > 1 ? `${t.passed}/${t.of} shapes pass; worst ${v(t.worst)} at ${t.at}, median ${v(t.median)}` : `${v(t.worst)}${t.at ? ` at ${t.at}` : ''}`;
      const miss = t.pass ? '' : ` (short by ${Math.round((1 - t.worst / t.goal) * 100)}% at the worst)`;
      lines.push(`  ${t.pass ? 'PASS' : 'MISS'}  [${t.platform}] ${t.target}: ${detail}${miss}`);
    }
  }
  return lines.join('\n');
}

function parseArgs(argv) {
  const opts = { suites: [], json: false, quick: false, browser: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') opts.json = true;
    else if (a === '--quick') opts.quick = true;
    else if (a === '--no-browser') opts.browser = false;
    else if (a === '--tiles') opts.tiles = true;
    else if (a === '--suite' || a.startsWith('--suite=')) {
      const v = a === '--suite' ? argv[++i] : a.slice(8);
      if (!v) throw new Error('--suite needs a name');
      opts.suites.push(...v.split(','));
    } else if (a === '--help' || a === '-h') opts.help = true;
    else throw new Error(`unknown argument ${a}`);
  }
  if (!opts.suites.length) delete opts.suites;
  return opts;
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`bench: ${e.message}\n`);
    process.exit(2);
  }
  if (opts.help) {
    process.stdout.write(`usage: node bench/index.mjs [--json] [--quick] [--no-browser] [--tiles] [--suite ${Object.keys(SUITES).join('|')}]...\n`);
  } else {
    const report = await runBench(opts);
    if (opts.json) {
      process.stderr.write(formatTable(report) + '\n');
      process.stdout.write(JSON.stringify(report) + '\n');
    } else {
      process.stdout.write(formatTable(report) + '\n');
    }
  }
}
