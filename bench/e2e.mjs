// End to end: the ensembles users run, as whole commands on 2 cores. The `mlp` quick profile
// (`landscape mlp --profile quick --workers 2`: [100, h, 10] ReLU nets, no biases, uniform ±0.2,
// SGD at batch 10, lr 0.1/(1 + 0.05·epoch), 40 epochs on a 2000-image subset, tested on 10000)
// beside the same protocol in PyTorch (bench/peers/torch_ensemble.py, 2 processes × 1 thread, on
// the very images ours uses, written by `landscape export-mnist`). Rounds interleave by width:
// ours then PyTorch on width 1, PyTorch then ours on width 2, ..., so load drifting over the run
// lands on both. Times are wall times of the whole command (process start, data, workers,
// figures for ours; process start, data, pool for PyTorch). Then mean test loss per width of
// each side with a 95% CI, and whether they agree (|Δ| within the CI of the difference).
//
// The spin-glass half: `landscape pspin --profile quick --workers 2` by size Λ beside the same GD
// protocol in NumPy (bench/peers/numpy_pspin_ensemble.py, 2 processes × 1 OpenBLAS thread).
//
// And TF.js-wasm (bench/peers/tfjs_ensemble.mjs, 2 processes × 1 thread) on --tfjs-runs nets per
// width (0: none), scaled to --runs by its per-net training time: at ~50× our time per net, the
// full 300 would take hours.
//
//   node bench/e2e.mjs [--only mlp|pspin] [--runs 60] [--tfjs-runs 4] [--hidden 25,50,100,250,500] [--epochs 40]
//                      [--n 25,50,100,250] [--restarts 200] [--coretype SkylakeX] [--own-couplings] [--json]
// As a suite: `node bench/index.mjs --no-browser --suite e2e` (Node only; --quick: 6 runs, 2 widths,
// 32 restarts at Λ = 25, 50).
export const name = 'e2e';
export const title = 'End to end: the quick network ensemble on 2 cores, ours vs PyTorch (whole commands)';

const ROOT = new URL('../', import.meta.url);

/** Mean, sample sd, and the half-width of a 95% CI (Student t, two-sided). */
export function meanCi(xs) {
  const n = xs.length;
  const mean = xs.reduce((s, x) => s + x, 0) / n;
  const sd = n > 1 ? Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1)) : NaN;
  return { n, mean, sd, half: tQuantile(n - 1) * sd / Math.sqrt(n) };
}

// t_{0.975, df}: exact table to 30, then the normal approximation's correction.
const T975 = [NaN, 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];
const tQuantile = (df) => (df <= 30 ? T975[df] : 1.96 + 2.4 / df);

/** Welch: the difference of means and the 95% half-width of it. */
function welch(a, b) {
  const va = a.sd ** 2 / a.n, vb = b.sd ** 2 / b.n;
  const df = (va + vb) ** 2 / (va ** 2 / (a.n - 1) + vb ** 2 / (b.n - 1));
  return { diff: a.mean - b.mean, half: tQuantile(Math.max(1, Math.floor(df))) * Math.sqrt(va + vb) };
}

async function sh(cmd, args, opts = {}) {
  const { spawn } = await import('node:child_process');
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    let out = '', err = '';
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { err += d; });
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve({ out, seconds: (performance.now() - t0) / 1000 }) : reject(new Error(`${cmd} ${args.join(' ')}: exit ${code}\n${err.slice(-2000)}`))));
  });
}

async function ours(h, o, dir) {
  const { readFileSync, rmSync } = await import('node:fs');
  rmSync(dir, { recursive: true, force: true });
  const args = ['bin/landscape.js', 'mlp', '--profile', 'quick', '--hidden', String(h), '--runs', String(o.runs), '--epochs', String(o.epochs), '--workers', '2', '--out', dir, '--quiet', '--json'];
  const { seconds } = await sh(process.execPath, args);
  const lines = readFileSync(`${dir}/mlp.jsonl`, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((l) => l.hidden === h);
  const meta = JSON.parse(readFileSync(`${dir}/mlp-meta.json`, 'utf8'));
  return { seconds, innerSeconds: meta.wallSeconds, binary: meta.binary, test: lines.map((l) => l.testLoss), command: `node ${args.join(' ')}` };
}

async function torch(h, o, data) {
  const args = ['bench/peers/torch_ensemble.py', '--data', data, '--hidden', String(h), '--runs', String(o.runs), '--epochs', String(o.epochs), '--procs', '2'];
  const { out, seconds } = await sh(o.python, args, { env: { ...process.env, OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' } });
  const lines = out.trim().split('\n').map((l) => JSON.parse(l));
  const done = lines.find((l) => l.done);
  return { seconds, innerSeconds: done.seconds, torch: done.torch, test: lines.filter((l) => l.hidden === h).map((l) => l.testLoss), command: `${o.python} ${args.join(' ')}` };
}

/** TF.js-wasm on `tfjsRuns` nets of width h (2 processes × 1 thread), scaled to o.runs nets by its per-net time. */
async function tfjs(h, o, data) {
  const k = Math.min(o.tfjsRuns, o.runs);
  const args = ['bench/peers/tfjs_ensemble.mjs', '--data', data, '--hidden', String(h), '--runs', String(k), '--epochs', String(o.epochs), '--procs', '2'];
  const { out, seconds } = await sh(process.execPath, args);
  const lines = out.trim().split('\n').map((l) => JSON.parse(l));
  const done = lines.find((l) => l.done);
  // Whole command = start-up (import, data) + training; only the training part grows with the nets.
  const scaled = seconds - done.innerSeconds + done.innerSeconds * (o.runs / k);
  return { seconds: scaled, measuredSeconds: seconds, nets: k, innerSeconds: done.innerSeconds * (o.runs / k), tfjs: done.tfjs, test: lines.filter((l) => l.hidden === h).map((l) => l.testLoss), command: `node ${args.join(' ')}` };
}

async function oursPspin(n, o, dir) {
  const { readFileSync, rmSync } = await import('node:fs');
  rmSync(dir, { recursive: true, force: true });
  const args = ['bin/landscape.js', 'pspin', '--profile', 'quick', '--n', String(n), '--restarts', String(o.restarts), '--workers', '2', '--out', dir, '--quiet', '--json'];
  const { seconds } = await sh(process.execPath, args);
  const lines = readFileSync(`${dir}/pspin.jsonl`, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((l) => l.n === n);
  const meta = JSON.parse(readFileSync(`${dir}/pspin-meta.json`, 'utf8'));
  return { seconds, innerSeconds: meta.wallSeconds, binary: meta.binary, test: lines.map((l) => l.energy), index0: lines.filter((l) => l.index === 0).length / lines.length, command: `node ${args.join(' ')}` };
}

async function numpyPspin(n, o, couplings) {
  const args = ['bench/peers/numpy_pspin_ensemble.py', '--n', String(n), '--restarts', String(o.restarts), '--procs', '2', ...(couplings ? ['--couplings', couplings] : [])];
  const { out, seconds } = await sh(o.python, args, { env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OPENBLAS_CORETYPE: o.coretype } });
  const lines = out.trim().split('\n').map((l) => JSON.parse(l));
  const done = lines.find((l) => l.done);
  const mine = lines.filter((l) => l.n === n);
  return { seconds, innerSeconds: done.seconds, numpy: done.numpy, test: mine.map((l) => l.energy), index0: mine.filter((l) => l.index === 0).length / mine.length, command: `${o.python} ${args.join(' ')}` };
}

/** The spin-glass half: the pspin quick profile by size Λ, ours vs NumPy, interleaved the same way. */
export async function runPspinE2e(o, log = console.error) {
  const os = await import('node:os');
  const { mkdtempSync } = await import('node:fs');
  const tmp = mkdtempSync(`${os.tmpdir()}/e2e-pspin-`);
  const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');
  const rows = [];
  // NumPy runs on ours' coupling instance (dense draws from --save-couplings, untimed), so only the starts differ.
  const coup = `${tmp}/couplings`;
  if (o.sameCouplings !== false) await sh(process.execPath, ['bin/landscape.js', 'pspin', '--profile', 'quick', '--n', o.ns.join(','), '--restarts', '1', '--save-couplings', '--out', coup, '--quiet']);
  for (const [i, n] of o.ns.entries()) {
    const order = i % 2 === 0 ? ['ours', 'numpy'] : ['numpy', 'ours'];
    const r = { n, load: {} };
    for (const who of order) {
      r.load[who] = load();
      r[who] = who === 'ours' ? await oursPspin(n, o, `${tmp}/ours`) : await numpyPspin(n, o, o.sameCouplings !== false ? coup : null);
    }
    const a = meanCi(r.ours.test), b = meanCi(r.numpy.test), d = welch(a, b);
    Object.assign(r, { oursE: a, numpyE: b, diff: d, agree: Math.abs(d.diff) <= d.half, ratio: r.numpy.seconds / r.ours.seconds });
    rows.push(r);
    log(`Λ=${String(n).padStart(3)}: ours ${r.ours.seconds.toFixed(1)} s, numpy ${r.numpy.seconds.toFixed(1)} s, numpy/ours ${r.ratio.toFixed(2)}× | E/Λ ours ${a.mean.toFixed(4)} ± ${a.half.toFixed(4)}, numpy ${b.mean.toFixed(4)} ± ${b.half.toFixed(4)} | index 0: ${r.ours.index0} / ${r.numpy.index0} | load ${r.load.ours} / ${r.load.numpy}`);
  }
  const sum = (f) => rows.reduce((s, r) => s + f(r), 0);
  const totals = { ours: sum((r) => r.ours.seconds), numpy: sum((r) => r.numpy.seconds), oursInner: sum((r) => r.ours.innerSeconds), numpyInner: sum((r) => r.numpy.innerSeconds) };
  totals.ratio = totals.numpy / totals.ours;
  totals.ratioInner = totals.numpyInner / totals.oursInner;
  return { rows, totals, numpy: rows[0]?.numpy.numpy, loadEnd: load() };
}

export function formatPspinE2e({ rows, totals, numpy, loadEnd }, o) {
  const f = (c) => `${c.mean.toFixed(4)} ± ${c.half.toFixed(4)}`;
  const lines = [
    `spin glass: pspin quick profile (p = 3, GD lr 0.2 to ‖g_R‖ < 0.01, max 20000 steps, exact index), ${o.restarts} restarts per size; ours packed couplings on 2 workers, NumPy ${numpy} (OPENBLAS_CORETYPE=${o.coretype}, 1 thread) × 2 processes`,
    o.sameCouplings !== false ? 'NumPy runs on ours\' coupling instance (landscape pspin --save-couplings, untimed): only the random starts differ, so the E/Λ CIs should overlap.'
      : 'NB: each side draws its own coupling instance (one per Λ), so the mean E/Λ also differs by the instance-to-instance spread, which the restart CI does not cover.',
    '    Λ   ours s  numpy s  numpy/ours |  ours inner  numpy inner |  E/Λ ours (95% CI)       numpy (95% CI)      | index 0 ours / numpy | load ours / numpy',
  ];
  for (const r of rows) {
    lines.push(`${String(r.n).padStart(5)} ${r.agree ? ' ' : '!'}${r.ours.seconds.toFixed(1).padStart(8)} ${r.numpy.seconds.toFixed(1).padStart(8)} ${r.ratio.toFixed(2).padStart(10)}× | ${r.ours.innerSeconds.toFixed(1).padStart(10)} ${r.numpy.innerSeconds.toFixed(1).padStart(12)} |  ${f(r.oursE).padEnd(24)} ${f(r.numpyE).padEnd(19)} | ${r.ours.index0.toFixed(3)} / ${r.numpy.index0.toFixed(3)} | ${r.load.ours} / ${r.load.numpy}`);
  }
  lines.push(`total ${totals.ours.toFixed(1).padStart(8)} ${totals.numpy.toFixed(1).padStart(8)} ${totals.ratio.toFixed(2).padStart(10)}× | ${totals.oursInner.toFixed(1).padStart(10)} ${totals.numpyInner.toFixed(1).padStart(12)} (inner ratio ${totals.ratioInner.toFixed(2)}×); load at end ${loadEnd}`);
  return lines;
}

/** Runs the comparison; `log` gets progress and the table lines. Returns { env, rows, totals }. */
export async function runE2e(o, log = console.error) {
  const os = await import('node:os');
  const { mkdtempSync } = await import('node:fs');
  const tmp = mkdtempSync(`${os.tmpdir()}/e2e-`);
  const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');
  const env = { cpu: os.cpus()[0]?.model?.trim(), cores: os.availableParallelism?.() ?? os.cpus().length, node: process.versions.node, loadStart: load(), date: new Date().toISOString(), settings: o };
  log(`CPU ${env.cpu}, ${env.cores} cores, Node ${env.node}; load average at start ${env.loadStart}`);
  const exp = await sh(process.execPath, ['bin/landscape.js', 'export-mnist', '--profile', 'quick', '--out', `${tmp}/mnist`, '--quiet']);
  log(`data: landscape export-mnist --profile quick (${exp.seconds.toFixed(1)} s, not counted)`);
  const rows = [];
  for (const [i, h] of o.hidden.entries()) {
    const order = i % 2 === 0 ? ['ours', 'torch'] : ['torch', 'ours'];
    const r = { h, load: {} };
    for (const who of order) {
      r.load[who] = load();
      r[who] = who === 'ours' ? await ours(h, o, `${tmp}/ours`) : await torch(h, o, `${tmp}/mnist`);
    }
    const a = meanCi(r.ours.test), b = meanCi(r.torch.test), d = welch(a, b);
    Object.assign(r, { oursLoss: a, torchLoss: b, diff: d, agree: Math.abs(d.diff) <= d.half, ratio: r.torch.seconds / r.ours.seconds });
    rows.push(r);
    log(`h=${String(h).padStart(3)}: ours ${r.ours.seconds.toFixed(1)} s, torch ${r.torch.seconds.toFixed(1)} s, torch/ours ${r.ratio.toFixed(2)}× | test loss ours ${a.mean.toFixed(4)} ± ${a.half.toFixed(4)}, torch ${b.mean.toFixed(4)} ± ${b.half.toFixed(4)}, Δ ${d.diff.toFixed(4)} ± ${d.half.toFixed(4)} ${r.agree ? 'agree' : 'DIFFER'} | load ${r.load.ours} / ${r.load.torch}`);
    if (o.tfjsRuns > 0) {
      r.load.tfjs = load();
      r.tfjs = await tfjs(h, o, `${tmp}/mnist`);
      r.tfjsLoss = meanCi(r.tfjs.test);
      r.tfjsRatio = r.tfjs.seconds / r.ours.seconds;
      log(`h=${String(h).padStart(3)}: TF.js-wasm ${r.tfjs.nets} nets in ${r.tfjs.measuredSeconds.toFixed(1)} s → ${r.tfjs.seconds.toFixed(1)} s for ${o.runs}, tfjs/ours ${r.tfjsRatio.toFixed(2)}× | test loss ${r.tfjsLoss.mean.toFixed(4)}${r.tfjsLoss.n > 1 ? ` ± ${r.tfjsLoss.half.toFixed(4)}` : ''}`);
    }
  }
  const sum = (f) => rows.reduce((s, r) => s + f(r), 0);
  const totals = { ours: sum((r) => r.ours.seconds), torch: sum((r) => r.torch.seconds), oursInner: sum((r) => r.ours.innerSeconds), torchInner: sum((r) => r.torch.innerSeconds) };
  totals.ratio = totals.torch / totals.ours;
  totals.ratioInner = totals.torchInner / totals.oursInner;
  if (rows.every((r) => r.tfjs)) {
    totals.tfjs = sum((r) => r.tfjs.seconds);
    totals.tfjsRatio = totals.tfjs / totals.ours;
  }
  env.loadEnd = load();
  env.torch = rows[0]?.torch.torch;
  env.tfjs = rows[0]?.tfjs?.tfjs;
  env.binary = rows[0]?.ours.binary;
  return { env, rows, totals };
}

export function formatE2e({ env, rows, totals }) {
  const s = env.settings;
  const nets = rows.length * s.runs;
  const lines = [
    `CPU: ${env.cpu} (${env.cores} cores; only this kind was available, not the Intel Xeon of the issue). Node ${env.node}, ours ${env.binary} binary; PyTorch ${env.torch}, 2 processes × 1 thread.`,
    `load average: start ${env.loadStart}, end ${env.loadEnd} (shared machine: other jobs ran throughout)`,
    `protocol: mlp quick profile, widths ${rows.map((r) => r.h).join(',')}, ${s.runs} nets per width (${nets} nets${nets < 300 ? `, ${(nets / 300 * 100).toFixed(0)}% of the quick profile's 300` : ''}), ${s.epochs} epochs, batch 10, lr 0.1 inv 0.05, uniform ±0.2, 2000 train / 10000 test`,
    '',
    'width   ours s  torch s  torch/ours |  ours inner  torch inner |  test loss ours (95% CI)   torch (95% CI)      Δ (95% CI)         | load ours / torch',
  ];
  for (const r of rows) {
    const f = (c) => `${c.mean.toFixed(4)} ± ${c.half.toFixed(4)}`;
    lines.push(`${String(r.h).padStart(5)} ${r.ours.seconds.toFixed(1).padStart(8)} ${r.torch.seconds.toFixed(1).padStart(8)} ${r.ratio.toFixed(2).padStart(10)}× | ${r.ours.innerSeconds.toFixed(1).padStart(10)} ${r.torch.innerSeconds.toFixed(1).padStart(12)} |  ${f(r.oursLoss).padEnd(24)} ${f(r.torchLoss).padEnd(19)} ${(r.diff.diff >= 0 ? '+' : '') + r.diff.diff.toFixed(4)} ± ${r.diff.half.toFixed(4)} ${r.agree ? 'agree ' : 'DIFFER'} | ${r.load.ours} / ${r.load.torch}`);
  }
  lines.push(`total ${totals.ours.toFixed(1).padStart(8)} ${totals.torch.toFixed(1).padStart(8)} ${totals.ratio.toFixed(2).padStart(10)}× | ${totals.oursInner.toFixed(1).padStart(10)} ${totals.torchInner.toFixed(1).padStart(12)} (inner ratio ${totals.ratioInner.toFixed(2)}×)`);
  lines.push(`goal ours ≥ 3× PyTorch on the same 2 cores (whole commands): ${totals.ratio >= 3 ? 'PASS' : 'MISS'} at ${totals.ratio.toFixed(2)}×`);
  if (totals.tfjs) {
    lines.push('', `TF.js-wasm ${env.tfjs}, 2 processes × 1 thread, ${rows[0].tfjs.nets} nets per width timed and scaled to ${s.runs} by its per-net training time (start-up counted once):`);
    for (const r of rows) lines.push(`${String(r.h).padStart(5)}  tfjs ${r.tfjs.seconds.toFixed(1).padStart(8)} s (measured ${r.tfjs.measuredSeconds.toFixed(1)} s for ${r.tfjs.nets})  tfjs/ours ${r.tfjsRatio.toFixed(2).padStart(7)}×  test loss ${r.tfjsLoss.mean.toFixed(4)}${r.tfjsLoss.n > 1 ? ` ± ${r.tfjsLoss.half.toFixed(4)}` : ''} (ours ${r.oursLoss.mean.toFixed(4)})  load ${r.load.tfjs}`);
    lines.push(`total  tfjs ${totals.tfjs.toFixed(1).padStart(8)} s  tfjs/ours ${totals.tfjsRatio.toFixed(2)}×`);
  }
  lines.push('inner = the run\'s own clock: ours mlp-meta.json wallSeconds (workers + training + evaluation), torch the pool\'s span (data load + training + evaluation).');
  return lines;
}

// --- as a bench suite (Node only) ---
export async function run(ctx) {
  if (ctx.platform !== 'node') return [];
  const o = { runs: ctx.quick ? 6 : 60, tfjsRuns: ctx.quick ? 2 : 4, hidden: ctx.quick ? [25, 500] : [25, 50, 100, 250, 500], epochs: 40, python: '/usr/bin/python3',
    ns: ctx.quick ? [25, 50] : [25, 50, 100, 250], restarts: ctx.quick ? 32 : 200, coretype: 'SkylakeX' };
  const res = await runE2e(o, ctx.log);
  for (const l of formatE2e(res)) ctx.log(l);
  const ps = await runPspinE2e(o, ctx.log);
  for (const l of formatPspinE2e(ps, o)) ctx.log(l);
  const pspinRows = ps.rows.map((r) => ({ suite: name, case: `pspin quick Λ=${r.n} ×${o.restarts}`, binary: res.env.binary, ours: Number(r.ours.seconds.toPrecision(4)), unit: 's', peer: 'numpy', peerValue: Number(r.numpy.seconds.toPrecision(4)), ratio: Number(r.ratio.toPrecision(3)), agree: r.agree }));
  const tfjsRows = res.rows.filter((r) => r.tfjs).map((r) => ({ suite: name, case: `mlp quick h=${r.h} ×${o.runs}`, binary: res.env.binary, ours: Number(r.ours.seconds.toPrecision(4)), unit: 's', peer: 'tfjs-wasm', peerValue: Number(r.tfjs.seconds.toPrecision(4)), ratio: Number(r.tfjsRatio.toPrecision(3)), scaledFrom: r.tfjs.nets }));
  return [...pspinRows, ...res.rows.map((r) => ({ suite: name, case: `mlp quick h=${r.h} ×${o.runs}`, binary: res.env.binary, ours: Number(r.ours.seconds.toPrecision(4)), unit: 's', peer: 'torch', peerValue: Number(r.torch.seconds.toPrecision(4)), ratio: Number(r.ratio.toPrecision(3)), agree: r.agree })), ...tfjsRows];
}

export function targets(rows) {
  const own = rows.filter((r) => r.suite === name && r.peer === 'torch');
  if (!own.length) return [];
  const ratio = own.reduce((s, r) => s + r.peerValue, 0) / own.reduce((s, r) => s + r.ours, 0);
  return [{ target: 'quick network ensemble ≥ 3× PyTorch, 2 cores, whole commands', goal: 3, worst: Number(ratio.toPrecision(3)), at: 'all widths', median: Number(ratio.toPrecision(3)), passed: ratio >= 3 ? 1 : 0, of: 1, pass: ratio >= 3 }];
}

const isMain = typeof process !== 'undefined' && process.argv[1] && new URL(import.meta.url).pathname === process.argv[1];
if (isMain) {
  const argv = process.argv.slice(2);
  const get = (flag, def) => { const i = argv.indexOf(flag); return i >= 0 ? argv[i + 1] : def; };
  const o = {
    runs: Number(get('--runs', 60)), tfjsRuns: Number(get('--tfjs-runs', 4)), hidden: get('--hidden', '25,50,100,250,500').split(',').map(Number), epochs: Number(get('--epochs', 40)), python: get('--python', '/usr/bin/python3'),
    ns: get('--n', '25,50,100,250').split(',').map(Number), restarts: Number(get('--restarts', 200)), coretype: get('--coretype', 'SkylakeX'),
    sameCouplings: !argv.includes('--own-couplings'),
  };
  const only = get('--only', 'both');
  const res = only === 'pspin' ? null : await runE2e(o);
  const ps = only === 'mlp' ? null : await runPspinE2e(o);
  const text = [...(res ? formatE2e(res) : []), ...(ps ? ['', ...formatPspinE2e(ps, o)] : [])];
  if (argv.includes('--json')) process.stdout.write(JSON.stringify({ mlp: res, pspin: ps }) + '\n');
  else process.stdout.write(text.join('\n') + '\n');
}
