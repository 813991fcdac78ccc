// The Node side of a suite's context: the library from dist/, TF.js from node_modules, native
// peers through Python. bench/browser/runner.mjs builds the same context in a browser.
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initTfjs } from './tfjs.mjs';
import { openPeer } from './native.mjs';

export const loadLibrary = () => import('../dist/index.js');

/** Imports TF.js and selects its wasm backend; the time it took is the peer's cold start. */
export async function loadTfjs() {
  const t0 = performance.now();
  const tf = await import('@tensorflow/tfjs-core');
  const backend = await import('@tensorflow/tfjs-backend-wasm');
  const dir = dirname(fileURLToPath(import.meta.resolve('@tensorflow/tfjs-backend-wasm')));
  const out = await initTfjs(tf, backend, dir + '/');
  return { ...out, initMs: performance.now() - t0 };
}

export { openPeer };
