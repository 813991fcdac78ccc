// The GEMM suite's tables and targets (bench/gemm.mjs measures). Works on rows alone, so it
// formats a report read back from bench/out/*.json as well as a fresh one.
import { name, BINARIES, PEERS } from './gemm.mjs';
import { median, sig } from './timing.mjs';
import { pct } from './peak.mjs';

const num = (x, w = 8, d = 1) => (x == null ? '-'.padStart(w) : x.toFixed(x < 1 && d < 2 ? 2 : d).padStart(w));
const times = (x, w = 8) => (x == null ? '-'.padStart(w) : `${x.toFixed(x >= 100 ? 0 : x >= 10 ? 1 : 2)}×`.padStart(w));
const SHORT = { 'tfjs-wasm': 'tfjs', 'tfjs+T': 'tfjs+T', js: 'js', numpy: 'numpy', torch: 'torch' };

/** The GEMM tables for one platform's rows: warm GFLOPS with ratios, then cold first calls. */
export function format(rows) {
  const lines = [];
  const all = rows.filter((r) => r.suite === name && r.unit === 'GFLOPS');
  const gemm = all.filter((r) => !r.tileRow);
  const cases = [...new Map(gemm.map((r) => [r.case, r])).values()];
  if (!cases.length) return lines;
  const at = (c, pick) => gemm.filter((r) => r.case === c).find(pick);
  const ours = (c, b) => at(c, (r) => r.binary === b);
  const peers = PEERS.filter((p) => gemm.some((r) => r.peer === p));
  const ratios = [['simd', 'tfjs-wasm'], ['relaxed', 'tfjs-wasm'], ['relaxed', 'numpy']].filter(([b, p]) => gemm.some((r) => r.binary === b && r.peer === p));
  const bins = BINARIES.filter((b) => gemm.some((r) => r.binary === b));
  const W = 16;

  lines.push('warm GFLOPS: medians of samples, each ≥ minMs of repeated calls. Ratios: how many times faster ours is,');
  lines.push('the median over sampling rounds of peer time / our time in the same round (> 1: ours is faster).');
  lines.push('%peak: fraction of this machine\'s f32 peak (roofline suite; simd and scalar vs mul+add, relaxed vs FMA)');
  const fBins = bins.filter((b) => gemm.some((r) => r.binary === b && r.fractionOfPeak != null));
  lines.push(['case'.padEnd(W), ...bins.map((b) => b.padStart(8)), ...fBins.map((b) => `${b === 'relaxed' ? 'relx' : b}%pk`.padStart(10)), ' |', ...peers.map((p) => SHORT[p].padStart(8)), ' |',
    ...ratios.map(([b, p]) => `${b === 'relaxed' ? 'relx' : b}/${SHORT[p]}`.padStart(11))].join(''));
  let group = null;
  for (const { case: c, group: g } of cases) {
    if (g !== group) { lines.push(`  ${g}`); group = g; }
    const bad = bins.some((b) => ours(c, b)?.check === 'MISMATCH');
    lines.push([(c + (bad ? ' !' : '')).padEnd(W), ...bins.map((b) => num(ours(c, b)?.ours)), ...fBins.map((b) => pct(ours(c, b)?.fractionOfPeak, 10)), ' |',
      ...peers.map((p) => num(at(c, (r) => r.peer === p)?.peerValue)), ' |',
      ...ratios.map(([b, p]) => times(at(c, (r) => r.binary === b && r.peer === p)?.ratio, 11))].join(''));
  }
  if (gemm.some((r) => r.check === 'MISMATCH')) lines.push('  ! = result differs from the reference by more than 1e-3 (relative); see relErr in the JSON');

  lines.push('', 'cold: first call at each shape, ms (the kernel has already run other shapes; warm ms per call in the last column)');
  lines.push(['case'.padEnd(W), ...bins.map((b) => b.padStart(9)), ' |', ...peers.map((p) => SHORT[p].padStart(9)), ' |', 'simd warm'.padStart(10)].join(''));
  for (const { case: c } of cases) {
    lines.push([c.padEnd(W), ...bins.map((b) => num(ours(c, b)?.coldMs, 9, 3)), ' |',
      ...peers.map((p) => num(at(c, (r) => r.peer === p)?.peerColdMs, 9, 3)), ' |', num(ours(c, 'simd')?.warmMs, 10, 4)].join(''));
  }
  lines.push(...formatTiles(all.filter((r) => r.tileRow)));
  const startup = rows.filter((r) => r.suite === name && r.case === 'startup');
  if (startup.length) {
    const tfMs = startup.find((r) => r.peerValue != null)?.peerValue;
    lines.push('', `startup (read + compile + instantiate), ms: ${startup.map((r) => `${r.binary} ${r.ours}`).join(', ')}` +
      `${tfMs != null ? `; TF.js-wasm import + setBackend + ready ${tfMs}` : ''}`);
  }
  return lines;
}

/** --tiles: GFLOPS and %peak of every forced tile sweep, per binary; * marks the fastest, c the calibrated one. */
function formatTiles(tiles) {
  if (!tiles.length) return [];
  const W = 16;
  const bins = [...new Set(tiles.map((r) => r.binary))];
  const n = Math.max(...tiles.map((r) => r.tile)) + 1;
  const lines = ['', 'tile sweeps of gemm_f32 forced (0: 4×8, 1: 2×16, 2: 8×4, 3: 4×8 row-block order, 4: 4×8 on A packed in every layout, constant offsets; identical bytes): warm GFLOPS (%peak);',
    '* = fastest at the shape, c = the sweep the load-time calibration chose'];
  lines.push(['case'.padEnd(W), ...bins.flatMap((b) => Array.from({ length: n }, (_, v) => `${b === 'relaxed' ? 'relx' : b}:t${v}`.padStart(15)))].join(''));
  const wins = {};
  for (const c of [...new Set(tiles.map((r) => r.case))]) {
    const cells = [];
    for (const b of bins) {
      const rs = tiles.filter((r) => r.case === c && r.binary === b);
      const best = Math.max(...rs.map((r) => r.ours ?? 0));
      for (let v = 0; v < n; v++) {
        const r = rs.find((x) => x.tile === v);
        if (r && r.ours === best) (wins[b] ??= new Array(n).fill(0))[v]++;
        cells.push(r ? `${num(r.ours, 6)}${pct(r.fractionOfPeak, 6)}${r.ours === best ? '*' : ' '}${r.tileCalibrated === v ? 'c' : ' '}`.padStart(15) : '-'.padStart(15));
      }
    }
    lines.push([c.padEnd(W), ...cells].join(''));
  }
  for (const b of bins) lines.push(`  ${b}: fastest sweep per shape, counts by sweep ${(wins[b] ?? []).map((x, v) => `t${v} ${x}`).join(', ')}`);
  return lines;
}

const AVX512_CORES = ['SkylakeX', 'Cooperlake', 'SapphireRapids'];

/** The issue's GEMM targets over one platform's rows: measured and printed, never asserted. */
export function targets(rows, env = {}) {
  const out = [];
  const gemm = rows.filter((r) => r.suite === name && r.unit === 'GFLOPS' && r.ratio != null && !r.tileRow);
  const rule = (target, binary, peer, goal) => {
    const rs = gemm.filter((r) => r.binary === binary && r.peer === peer);
    if (!rs.length) return;
    const w = rs.reduce((x, y) => (y.ratio < x.ratio ? y : x));
    const passed = rs.filter((r) => r.ratio >= goal).length;
    out.push({ target, goal, worst: w.ratio, at: w.case, median: sig(median(rs.map((r) => r.ratio)), 3), passed, of: rs.length, pass: passed === rs.length });
  };
  rule('simd ≥ 1.5× TF.js-wasm on every shape', 'simd', 'tfjs-wasm', 1.5);
  rule('relaxed ≥ 2× TF.js-wasm on every shape', 'relaxed', 'tfjs-wasm', 2);
  // ≥ 0.8 of the probe's peak (simd: mul+add, relaxed: FMA) on every shape with m, n, k ≥ 128.
  for (const binary of ['simd', 'relaxed']) {
    // one row per shape (a shape has a row per peer, all with our same figure)
    const big = [...new Map(rows.filter((r) => r.suite === name && r.unit === 'GFLOPS' && !r.tileRow && r.binary === binary && r.m >= 128 && r.n >= 128 && r.k >= 128 && r.fractionOfPeak != null).map((r) => [r.case, r])).values()];
    if (!big.length) continue;
    const w = big.reduce((x, y) => (y.fractionOfPeak < x.fractionOfPeak ? y : x));
    const passed = big.filter((r) => r.fractionOfPeak >= 0.8).length;
    out.push({ target: `${binary} GEMM ≥ 0.8 of peak at m, n, k ≥ 128`, goal: 0.8, worst: w.fractionOfPeak, at: w.case, median: sig(median(big.map((r) => r.fractionOfPeak)), 3), passed, of: big.length, pass: passed === big.length });
  }
  const core = env.versions?.openblasCore ?? 'unknown';
  rule(`relaxed ≥ 0.25× native OpenBLAS on every shape (numpy, core ${core}${AVX512_CORES.includes(core) ? ', AVX-512' : ', NOT AVX-512'})`, 'relaxed', 'numpy', 0.25);
  return out;
}
