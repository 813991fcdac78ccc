// Runs the GEMM suite in the page with the same .wasm binaries, beside TF.js-wasm.
import * as lib from '../bundle/index.js';
import * as gemmSuite from './gemm.mjs';

const params = new URLSearchParams(location.search);
const quick = params.get('quick') === '1';
const logEl = document.getElementById('log');
const log = (line) => { logEl.textContent += line + '\n'; };

try {
  const heaps = {};
  for (const b of ['scalar', 'simd', 'relaxed']) {
    const w = await lib.loadWasm(b);
    heaps[b] = w.binary === b ? new lib.Heap(w) : null;
  }
  let tf = globalThis.tf ?? null;
  if (tf) {
    tf.wasm.setWasmPaths(new URL('../node_modules/@tensorflow/tfjs-backend-wasm/dist/', location.href).href);
    await tf.setBackend('wasm');
    await tf.ready();
  }
  const results = await gemmSuite.run({ lib, heaps, tf, quick, log, platform: 'chromium' });
  window.__bench = { env: { platform: 'chromium', userAgent: navigator.userAgent, cores: navigator.hardwareConcurrency, tfjsSimd: tf?.env().getBool('WASM_HAS_SIMD_SUPPORT') ?? null }, results };
} catch (e) {
  window.__bench = { error: String(e?.stack ?? e) };
}
