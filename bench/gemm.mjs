// GEMM suite: C = op(A)·op(B) in GFLOPS = 2mnk / time, single thread. Our scalar / simd /
// relaxed binaries beside TF.js-wasm (XNNPACK), plain JS loops and, in Node, NumPy and PyTorch
// in a Python subprocess. Platform-neutral: ctx brings the library (dist/ in Node, bundle/ in a
// browser) and whichever peers that platform could load.
//
// What is timed, per call (A and B are uploaded once, outside every timed region):
//   ours       gemmPtr(heap, C, A, B, m, n, k, {transA, transB}, work): the TS wrapper's checks
//              plus the kernel, which packs B on every call; C stays in wasm memory.
//   tfjs-wasm  tf.matMul(a, b, transposeA, transposeB) and the dispose of the previous product;
//              one dataSync() per timed batch forces completion (the wasm backend computes
//              synchronously, so that reads back one product per batch, not per call). Without
//              transposes TF.js runs XNNPACK and caches the operator, B packed, per B tensor, so
//              repeated calls on one B (as here) skip the packing that ours redoes every call.
//   tfjs+T     transposed shapes only: tf.transpose of the transposed operand, then matMul without
//              flags (TF.js sends flagged matMuls to a slower non-XNNPACK loop; this is the
//              workaround a user could write). Informational; targets use tfjs-wasm.
//   js         i-k-j loops on Float32Array, C in a preallocated Float32Array.
//   numpy      np.matmul(a, b, out=c), one OpenBLAS thread; transposes are views, so BLAS gets flags.
//   torch      torch.mm(a, b, out=c), torch.set_num_threads(1).
import { compare, local, pairedSpeedup, FULL, QUICK, sig } from './timing.mjs';

export const name = 'gemm';
export const title = 'GEMM, f32, single thread';
export const BINARIES = ['scalar', 'simd', 'relaxed'];
export const PEERS = ['tfjs-wasm', 'tfjs+T', 'js', 'numpy', 'torch'];
/** Slow implementations skip shapes above this many flops (2·512³: about 0.25 s a call). */
const SLOW_LIMIT = 2 * 512 ** 3;
/** A sanity check, not an accuracy test (the vitest suite does that): max|C − ref| / max|ref|. */
const CHECK_TOL = 1e-3;

/**
 * The issue's shapes: squares; the two layers of a 100→h→10 network at batch B; and at B = 100,
 * h ∈ {25, 100, 500}, the four backward products, two of them Aᵀ·B (weight gradients) and two
 * A·Bᵀ (deltas).
 */
export function shapes(quick = false) {
  const out = [];
  const add = (m, n, k, group, trans = 'NN') => {
    const s = { m, n, k, trans, group, case: `${m}x${n}x${k}${trans === 'NN' ? '' : ` ${trans}`}` };
    if (!out.some((o) => o.case === s.case)) out.push(s);
  };
  for (const s of quick ? [64, 256] : [64, 128, 256, 512, 1024]) add(s, s, s, 'squares');
  const batches = quick ? [1, 100] : [1, 10, 100];
  const hidden = quick ? [25, 500] : [25, 50, 100, 250, 500];
  for (const B of batches) for (const h of hidden) add(B, h, 100, 'layer 1 forward (B×100)·(100×h)');
  for (const B of batches) for (const h of hidden) add(B, 10, h, 'layer 2 forward (B×h)·(h×10)');
  const B = 100;
  for (const h of quick ? [500] : [25, 100, 500]) {
    add(100, h, B, 'backward at B=100: dW1 = Xᵀ·δ1, dW2 = Hᵀ·δ2 (TN); δ1 = δ2·W2ᵀ, dX = δ1·W1ᵀ (NT)', 'TN');
    add(h, 10, B, 'backward at B=100: dW1 = Xᵀ·δ1, dW2 = Hᵀ·δ2 (TN); δ1 = δ2·W2ᵀ, dX = δ1·W1ᵀ (NT)', 'TN');
    add(B, h, 10, 'backward at B=100: dW1 = Xᵀ·δ1, dW2 = Hᵀ·δ2 (TN); δ1 = δ2·W2ᵀ, dX = δ1·W1ᵀ (NT)', 'NT');
    add(B, 100, h, 'backward at B=100: dW1 = Xᵀ·δ1, dW2 = Hᵀ·δ2 (TN); δ1 = δ2·W2ᵀ, dX = δ1·W1ᵀ (NT)', 'NT');
  }
  return out;
}

/**
 * Work per unit of a row's figure, for fractionOfPeak (bench/peak.mjs): GFLOPS rows against the
 * f32 compute peak (mul+add; relaxed FMA for the relaxed binary). The operands of these shapes
 * (≤ 12 MiB at 1024³, packed per 2 MiB block) stay cache-resident, so bandwidth does not bound them.
 */
export function work(row) {
  if (row.unit !== 'GFLOPS') return null;
  return { flops: 1e9, precision: 'f32', fused: row.binary === 'relaxed', workers: 1 };
}

/** Normalises a shape given as {m, n, k, trans?} (tests pass their own). */
function shapeOf(s) {
  const trans = s.trans ?? 'NN';
  return { group: 'custom', case: `${s.m}x${s.n}x${s.k}${trans === 'NN' ? '' : ` ${trans}`}`, ...s, trans };
}

function fill(n, seed) {
  const a = new Float32Array(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) { x = (Math.imul(x, 1664525) + 1013904223) >>> 0; a[i] = x / 2 ** 32 - 0.5; }
  return a;
}

/** i-k-j loops on Float32Array: what a careful JS author writes without wasm. */
export function jsGemm(c, a, b, m, n, k, tA, tB) {
  c.fill(0);
  for (let i = 0; i < m; i++) {
    const row = i * n;
    for (let p = 0; p < k; p++) {
      const av = tA ? a[p * m + i] : a[i * k + p];
      if (tB) for (let j = 0; j < n; j++) c[row + j] += av * b[j * k + p];
      else for (let j = 0, bRow = p * n; j < n; j++) c[row + j] += av * b[bRow + j];
    }
  }
}

function relErr(c, ref) {
  let d = 0;
  let r = 0;
  for (let i = 0; i < ref.length; i++) { d = Math.max(d, Math.abs(c[i] - ref[i])); r = Math.max(r, Math.abs(ref[i])); }
  return d / (r || 1);
}

/** A timed implementation living in another process (the Python peer), one request per step. */
function remote(session, peer) {
  return {
    name: peer,
    remote: true,
    cold: async () => (await session.request({ op: 'cold', peer })).ms,
    calibrate: async (minMs) => (await session.request({ op: 'calibrate', peer, minMs })).reps,
    sample: async () => (await session.request({ op: 'sample', peer })).ms,
  };
}

/** Startup: every binary compiled and instantiated, TF.js loaded, the Python peer started. */
async function setUp(ctx) {
  const { lib, log, env } = ctx;
  const rows = [];
  const heaps = {};
  const startup = {};
  for (const b of BINARIES) {
    const t0 = performance.now();
    const w = await lib.loadWasm(b);
    startup[b] = performance.now() - t0;
    heaps[b] = w.binary === b ? new lib.Heap(w) : null;
    if (!heaps[b]) { env.peers[b] = `unavailable: this engine runs ${w.binary} instead`; log(`binary ${b} unavailable here (fell back to ${w.binary})`); }
  }
  let tf = null;
  let tfInitMs = null;
  try {
    if (!ctx.loadTfjs) throw new Error('no loader on this platform');
    const t = await ctx.loadTfjs();
    tf = t.tf;
    tfInitMs = t.initMs;
    env.versions['@tensorflow/tfjs-backend-wasm'] = t.info.version;
    env.peers['tfjs-wasm'] = { ...t.info, initMs: sig(t.initMs) };
    if (t.info.multithread || (t.info.threads ?? 1) > 1) log(`warning: TF.js-wasm runs with ${t.info.threads} threads here`);
  } catch (e) {
    env.peers['tfjs-wasm'] = `unavailable: ${e.message}`;
    log(`peer tfjs-wasm unavailable: ${e.message}`);
  }
  let session = null;
  if (ctx.openPeer && ctx.native !== false) {
    const s = await ctx.openPeer('native_gemm.py', { log });
    if (s.unavailable) {
      env.peers.numpy = env.peers.torch = `unavailable: ${s.unavailable}`;
    } else {
      session = s;
      const { numpy, torch } = s.env;
      env.native = s.env;
      env.peers.numpy = numpy.unavailable ? `unavailable: ${numpy.unavailable}` : { version: numpy.version, openblas: numpy.blas?.config?.split(' ').slice(0, 2).join(' ') ?? null, openblasConfig: numpy.blas?.config ?? null, core: numpy.blas?.core ?? null, threads: numpy.blas?.threads ?? null, OPENBLAS_CORETYPE: s.env.OPENBLAS_CORETYPE };
      env.peers.torch = torch.unavailable ? `unavailable: ${torch.unavailable}` : torch;
      if (!numpy.unavailable) Object.assign(env.versions, { numpy: numpy.version, openblas: numpy.blas?.config?.split(' ')[1] ?? null, openblasCore: numpy.blas?.core ?? null });
      if (!torch.unavailable) env.versions.torch = torch.version;
      log(`native peers (${s.python}): numpy ${numpy.version ?? numpy.unavailable}` +
        `${numpy.blas ? ` on OpenBLAS core ${numpy.blas.core} (OPENBLAS_CORETYPE=${s.env.OPENBLAS_CORETYPE ?? 'unset'}, ${numpy.blas.threads} thread` +
        `${numpy.threadpoolctl ? `; threadpoolctl: ${numpy.threadpoolctl.map((d) => `${d.internal_api} ${d.architecture} ×${d.num_threads}`).join(', ')}` : '; no threadpoolctl'})` : ''}` +
        `, torch ${torch.version ?? torch.unavailable}${torch.blas ? ` (BLAS ${torch.blas}, ${torch.cpu}, ${torch.threads} thread)` : ''}`);
    }
  }
  for (const b of BINARIES) {
    if (!heaps[b]) continue;
    rows.push({ suite: name, case: 'startup', group: 'startup', binary: b, ours: sig(startup[b]), unit: 'ms', peer: tf ? 'tfjs-wasm' : null,
      peerValue: sig(tfInitMs), ratio: tf ? sig(tfInitMs / startup[b], 3) : null, note: 'ours: read + compile + instantiate; tfjs: import + setBackend("wasm") + ready; ratio = peer / ours' });
  }
  return { heaps, tf, session, rows };
}

async function runShape(ctx, s, setup, timing) {
  const { heaps, tf, session } = setup;
  const { lib } = ctx;
  const { m, n, k } = s;
  const tA = s.trans === 'TN';
  const tB = s.trans === 'NT';
  const flops = 2 * m * n * k;
  const a = fill(m * k, 1);
  const b = fill(k * n, 2);
  const impls = [];
  const outputs = {};
  const cleanups = [];
  for (const bin of BINARIES) {
    const heap = heaps[bin];
    if (!heap || (bin === 'scalar' && flops > SLOW_LIMIT)) continue;
    const aPtr = heap.allocF32(a.length, a);
    const bPtr = heap.allocF32(b.length, b);
    const cPtr = heap.allocF32(m * n);
    const work = heap.alloc(lib.gemmWorkBytes(heap.wasm, m, n, k));
    const opts = { transA: tA, transB: tB };
    const chosen = lib.gemmTile(heap.wasm).variant;
    impls.push(local(bin, () => lib.gemmPtr(heap, cPtr, aPtr, bPtr, m, n, k, opts, work)));
    outputs[bin] = () => heap.readF32(cPtr, m * n);
    if (ctx.tiles && bin !== 'scalar') {
      // Each tile sweep forced for its own impl (one wasm call to switch), the calibrated choice
      // restored after every call; all sweeps write the same bytes, so one output serves.
      for (let v = 0; v < lib.gemmTile(heap.wasm).count; v++) {
        impls.push(local(`${bin}:t${v}`, () => {
          lib.setGemmTile(heap.wasm, v);
          lib.gemmPtr(heap, cPtr, aPtr, bPtr, m, n, k, opts, work);
          lib.setGemmTile(heap.wasm, chosen);
        }));
      }
    }
    cleanups.push(() => heap.reset());
  }
  if (tf) {
    const ta = tf.tensor2d(a, tA ? [k, m] : [m, k]);
    const tb = tf.tensor2d(b, tB ? [n, k] : [k, n]);
    let last = null;
    impls.push(local('tfjs-wasm', () => { last?.dispose(); last = tf.matMul(ta, tb, tA, tB); }, () => last.dataSync()));
    outputs['tfjs-wasm'] = () => last.dataSync();
    let lastT = null;
    if (tA || tB) {
      impls.push(local('tfjs+T', () => {
        lastT?.dispose();
        const t = tf.transpose(tA ? ta : tb);
        lastT = tA ? tf.matMul(t, tb) : tf.matMul(ta, t);
        t.dispose();
      }, () => lastT.dataSync()));
    }
    cleanups.push(() => { last?.dispose(); lastT?.dispose(); ta.dispose(); tb.dispose(); });
  }
  if (flops <= SLOW_LIMIT) {
    const c = new Float32Array(m * n);
    impls.push(local('js', () => jsGemm(c, a, b, m, n, k, tA, tB)));
    outputs.js = () => c;
  }
  if (session) {
    try {
      const { peers } = await session.request({ op: 'prepare', m, n, k, tA, tB });
      for (const p of peers) impls.push(remote(session, p));
    } catch (e) {
      ctx.log(`native peers dropped at ${s.case}: ${e.message}`);
      void session.close();
      setup.session = null;
    }
  }
  let r;
  try {
    r = await compare(impls, timing);
  } catch (e) {
    // A peer process that dies takes its impls with it; time the rest rather than lose the shape.
    if (!impls.some((i) => i.remote)) throw e;
    ctx.log(`native peers dropped at ${s.case}: ${e.message}`);
    void session.close();
    setup.session = null;
    r = await compare(impls.filter((i) => !i.remote), timing);
  }
  const refName = ['js', 'scalar', 'tfjs-wasm'].find((p) => outputs[p]);
  const check = {};
  if (refName) {
    const ref = outputs[refName]();
    for (const bin of BINARIES) if (outputs[bin] && bin !== refName) check[bin] = relErr(outputs[bin](), ref);
  }
  for (const c of cleanups) c();
  return { r, check, refName, flops };
}

export async function run(ctx) {
  const timing = ctx.timing ?? (ctx.quick ? QUICK : FULL);
  const list = ctx.shapes ? ctx.shapes.map(shapeOf) : shapes(ctx.quick);
  const setup = await setUp(ctx);
  const rows = [...setup.rows];
  try {
    for (const [i, s] of list.entries()) {
      const { r, check, refName, flops } = await runShape(ctx, s, setup, timing);
      const gf = (name) => (r[name] ? flops / r[name].warmMs / 1e6 : null);
      const base = { suite: name, case: s.case, group: s.group, m: s.m, n: s.n, k: s.k, trans: s.trans, unit: 'GFLOPS' };
      const peers = PEERS.filter((p) => r[p]);
      for (const bin of BINARIES) {
        if (!r[bin]) continue;
        const mine = { binary: bin, ours: sig(gf(bin), 3), coldMs: sig(r[bin].coldMs), warmMs: sig(r[bin].warmMs), spread: sig(r[bin].spread, 2),
          ...(check[bin] != null ? { check: check[bin] <= CHECK_TOL ? 'ok' : 'MISMATCH', checkVs: refName, relErr: sig(check[bin], 2) } : {}) };
        const tile = ctx.lib.gemmTile(setup.heaps[bin].wasm).variant;
        mine.tile = tile;
        for (const [key, t] of Object.entries(r)) {
          const v = key.startsWith(`${bin}:t`) ? Number(key.slice(bin.length + 2)) : -1;
          if (v < 0) continue;
          rows.push({ ...base, tileRow: true, binary: bin, tile: v, tileCalibrated: tile, ours: sig(gf(key), 3), coldMs: sig(t.coldMs), warmMs: sig(t.warmMs), spread: sig(t.spread, 2),
            peer: `${bin}:t${tile}`, peerValue: sig(gf(`${bin}:t${tile}`), 3), ratio: sig(pairedSpeedup(t, r[`${bin}:t${tile}`]), 3), note: 'tile sweep forced; peer = the calibrated sweep' });
        }
        if (!peers.length) rows.push({ ...base, ...mine, peer: null, peerValue: null, ratio: null });
        for (const p of peers) {
          rows.push({ ...base, ...mine, peer: p, peerValue: sig(gf(p), 3), ratio: sig(pairedSpeedup(r[bin], r[p]), 3),
            peerColdMs: sig(r[p].coldMs), peerWarmMs: sig(r[p].warmMs), peerSpread: sig(r[p].spread, 2) });
        }
        if (check[bin] > CHECK_TOL) ctx.log(`WARNING ${s.case} ${bin}: max|C − ${refName}| / max|${refName}| = ${check[bin].toExponential(2)}`);
      }
      const f = (x) => (x == null ? '    - ' : x.toFixed(1).padStart(6));
      const tiles = Object.keys(r).filter((key) => key.includes(':t'));
      ctx.log(`gemm ${`${i + 1}/${list.length}`.padStart(5)} ${s.case.padEnd(15)} ${BINARIES.map((b) => `${b} ${f(gf(b))}`).join(' ')} | ${peers.map((p) => `${p} ${f(gf(p))}`).join(' ')}` +
        `${tiles.length ? ` | ${tiles.map((t) => `${t} ${f(gf(t))}`).join(' ')}` : ''}`);
    }
  } finally {
    await setup.session?.close();
    for (const h of Object.values(setup.heaps)) h?.reset();
  }
  return rows;
}
