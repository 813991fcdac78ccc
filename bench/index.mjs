// The benchmark suite: `npm run bench`, `landscape bench`, or `node bench/index.mjs [--json]
// [--quick] [--no-browser] [--suite gemm]`. Measures; never asserts. Writes bench/out/*.json.
import os from 'node:os';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import * as gemmSuite from './gemm.mjs';
import * as poolSuite from './pool.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const SUITES = { gemm: gemmSuite, pool: poolSuite };
const PYTHON = '/usr/bin/python3'; // Debian's, with its numpy/torch (the first python3 on PATH is another)

function pkgVersion(name) {
  try {
    return JSON.parse(readFileSync(join(here, '..', 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return null;
  }
}

export async function loadTfjs(log) {
  try {
    const tf = await import('@tensorflow/tfjs-core');
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const dir = dirname(fileURLToPath(import.meta.resolve('@tensorflow/tfjs-backend-wasm')));
    wasm.setWasmPaths(dir + '/');
    await tf.setBackend('wasm');
    await tf.ready();
    return tf;
  } catch (e) {
    log(`peer tfjs-wasm unavailable: ${e.message}`);
    return null;
  }
}

/** NumPy/PyTorch through Debian's python3, single-threaded, AVX-512 OpenBLAS kernels where present. */
function nativePeers(shapes, log) {
  if (!existsSync(PYTHON)) { log('native peers unavailable: no /usr/bin/python3'); return { env: null, map: new Map() }; }
  const env = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', OPENBLAS_CORETYPE: 'SkylakeX' };
  delete env.OPENBLAS_L2_SIZE; // set here for older OpenBLAS builds; it slows the current one
  const input = JSON.stringify(shapes.map((s) => ({ name: gemmSuite.caseName(s), m: s.m, n: s.n, k: s.k, tA: s.tA, tB: s.tB })));
  const r = spawnSync(PYTHON, [join(here, 'peers', 'native_gemm.py')], { input, env, encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0) { log(`native peers failed: ${(r.stderr || '').trim().split('\n').pop()}`); return { env: null, map: new Map() }; }
  const out = JSON.parse(r.stdout);
  log(`native peers: numpy ${out.env.numpy ?? 'absent'} (OpenBLAS core ${out.env.openblas_core ?? '-'}), torch ${out.env.torch ?? 'absent'}, 1 thread`);
  return { env: out.env, map: new Map(Object.entries(out.results)) };
}

async function loadLibrary() {
  return import('../dist/index.js');
}

export async function runBench({ suites = ['gemm', 'pool'], json = false, quick = false, browser = true, log = console.error } = {}) {
  for (const s of suites) if (!SUITES[s]) throw new Error(`unknown bench suite "${s}" (known: ${Object.keys(SUITES).join(', ')})`);
  const lib = await loadLibrary();
  const report = {
    env: {
      platform: 'node',
      node: process.versions.node,
      cores: os.availableParallelism?.() ?? os.cpus().length,
      cpu: os.cpus()[0]?.model ?? 'unknown',
      versions: { 'loss-landscape-lab': pkgVersion('..') ?? JSON.parse(readFileSync(join(here, '..', 'package.json'), 'utf8')).version, '@tensorflow/tfjs-backend-wasm': pkgVersion('@tensorflow/tfjs-backend-wasm'), v8: process.versions.v8 },
      quick,
      date: new Date().toISOString(),
    },
    results: [],
  };
  if (suites.includes('gemm')) {
    const heaps = {};
    for (const b of ['scalar', 'simd', 'relaxed']) {
      const w = await lib.loadWasm(b);
      heaps[b] = w.binary === b ? new lib.Heap(w) : null;
      if (!heaps[b]) log(`binary ${b} unavailable here (engine fell back to ${w.binary})`);
    }
    const tf = await loadTfjs(log);
    const native = nativePeers(gemmSuite.shapes(quick), log);
    if (native.env) Object.assign(report.env.versions, { numpy: native.env.numpy, openblasCore: native.env.openblas_core, torch: native.env.torch });
    report.results.push(...(await gemmSuite.run({ lib, heaps, tf, native: native.map, quick, log, platform: 'node' })));
  }
  if (suites.includes('pool')) report.results.push(...(await poolSuite.run({ lib, quick, log })));
  if (browser && suites.includes('gemm')) {
    const { runInChromium } = await import('./browser.mjs');
    report.browser = await runInChromium({ quick, log });
  }
  report.targets = targets(report);
  mkdirSync(join(here, 'out'), { recursive: true });
  writeFileSync(join(here, 'out', `bench-${report.env.date.replace(/[:.]/g, '-')}.json`), JSON.stringify(report, null, 2) + '\n');
  return report;
}

/** The issue's targets, checked on medians; printed, never asserted. */
function targets(report) {
  const out = [];
  const gemm = report.results.filter((r) => r.suite === 'gemm');
  const worst = (binary, peer) => {
    const rows = gemm.filter((r) => r.binary === binary && r.peer === peer && r.ratio != null);
    return rows.length ? rows.reduce((a, b) => (b.ratio < a.ratio ? b : a)) : null;
  };
  const check = (label, row, goal) => row && out.push({ target: label, goal, worst: row.ratio, at: row.case, pass: row.ratio >= goal });
  check('simd ≥ 1.2× tfjs-wasm on every shape', worst('simd', 'tfjs-wasm'), 1.2);
  check('relaxed ≥ 1.8× tfjs-wasm on every shape', worst('relaxed', 'tfjs-wasm'), 1.8);
  const big = gemm.filter((r) => r.binary === 'relaxed' && r.peer === 'numpy' && r.group === 'square' && r.case.startsWith('1024') || (r.binary === 'relaxed' && r.peer === 'numpy' && r.case.startsWith('512x512')));
  if (big.length) check('relaxed ≥ 0.25× AVX-512 OpenBLAS (512³, 1024³)', big.reduce((a, b) => (b.ratio < a.ratio ? b : a)), 0.25);
  const pool = report.results.find((r) => r.suite === 'pool' && r.workers === 2);
  if (pool) out.push({ target: '2 workers ≥ 1.8× one', goal: 1.8, worst: pool.ratio, at: pool.case, pass: pool.ratio >= 1.8 });
  return out;
}

export function formatTable(report) {
  const lines = [];
  const env = report.env;
  lines.push(`loss-landscape-lab bench — Node ${env.node}, ${env.cores} cores, ${env.cpu}${env.quick ? ' (quick)' : ''}`);
  lines.push(`versions: ${Object.entries(env.versions).filter(([, v]) => v).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  const sections = [['node', report.results]];
  if (report.browser?.results) sections.push([`chromium ${report.browser.env?.userAgent?.match(/Chrome\/[\d.]+/)?.[0] ?? ''}`, report.browser.results]);
  if (report.browser?.error) lines.push(`chromium: ${report.browser.error}`);
  for (const [where, results] of sections) {
    const gemm = results.filter((r) => r.suite === 'gemm');
    if (gemm.length) {
      lines.push('', `GEMM GFLOPS, single thread, warm medians [${where}]`);
      const peers = ['tfjs-wasm', 'js', 'numpy', 'torch'].filter((p) => gemm.some((r) => r.peer === p));
      lines.push(['case'.padEnd(16), 'scalar', '  simd', 'relaxd', ...peers.map((p) => p.slice(0, 9).padStart(9)), ' simd/tfjs', ' relx/tfjs', ...(peers.includes('numpy') ? [' relx/numpy'] : [])].join(' '));
      const byCase = new Map();
      for (const r of gemm) { if (!byCase.has(r.case)) byCase.set(r.case, []); byCase.get(r.case).push(r); }
      for (const [name, rows] of byCase) {
        const ours = (b) => rows.find((r) => r.binary === b)?.ours;
        const peer = (p) => rows.find((r) => r.peer === p)?.peerValue;
        const ratio = (b, p) => rows.find((r) => r.binary === b && r.peer === p)?.ratio;
        const f = (x, w = 6) => (x == null ? '-'.padStart(w) : x.toFixed(1).padStart(w));
        const fr = (x, w = 10) => (x == null ? '-'.padStart(w) : `${x.toFixed(2)}×`.padStart(w));
        lines.push([name.padEnd(16), f(ours('scalar')), f(ours('simd')), f(ours('relaxed')), ...peers.map((p) => f(peer(p), 9)), fr(ratio('simd', 'tfjs-wasm')), fr(ratio('relaxed', 'tfjs-wasm')), ...(peers.includes('numpy') ? [fr(ratio('relaxed', 'numpy'), 11)] : [])].join(' '));
      }
    }
    for (const r of results.filter((x) => x.suite === 'pool')) lines.push(`pool [${where}] ${r.case}: ${r.workers} worker(s) ${r.ours} ${r.unit}${r.ratio ? ` — ${r.ratio}× one worker` : ''}`);
  }
  if (report.targets?.length) {
    lines.push('', 'targets (medians, side by side; measured, not asserted):');
    for (const t of report.targets) lines.push(`  ${t.pass ? 'PASS' : 'MISS'}  ${t.target}: worst ${t.worst}× at ${t.at}`);
  }
  return lines.join('\n');
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const argv = process.argv.slice(2);
  const suites = argv.flatMap((a, i) => (a === '--suite' ? [argv[i + 1]] : []));
  const report = await runBench({ json: argv.includes('--json'), quick: argv.includes('--quick'), browser: !argv.includes('--no-browser'), suites: suites.length ? suites : undefined });
  if (argv.includes('--json')) process.stdout.write(JSON.stringify(report) + '\n');
  else process.stdout.write(formatTable(report) + '\n');
}
