// TF.js-wasm in a browser. In a page, the import map in index.html resolves its bare imports.
// Module workers have no import maps (Chromium 156), so there the backend's source is fetched,
// its imports rewritten to URLs (tfjs-core; an empty module for the Node built-ins of its Node
// branch), and imported from a blob: URL. tfjs-core itself imports nothing.
import { initTfjs } from '../tfjs.mjs';

const TF = new URL('../../node_modules/@tensorflow/', import.meta.url);
const CORE = new URL('tfjs-core/dist/tf-core.fesm.js', TF).href;
const BACKEND = new URL('tfjs-backend-wasm/dist/tf-backend-wasm.fesm.js', TF).href;
const WASM_DIR = new URL('tfjs-backend-wasm/dist/', TF).href;
const STUB = new URL('./node-stub.mjs', import.meta.url).href;

export async function loadTfjsImportMap() {
  const t0 = performance.now();
  const tf = await import('@tensorflow/tfjs-core');
  const backend = await import('@tensorflow/tfjs-backend-wasm');
  const out = await initTfjs(tf, backend, WASM_DIR);
  return { ...out, info: { ...out.info, loader: 'import map' }, initMs: performance.now() - t0 };
}

export async function loadTfjsRewritten() {
  const t0 = performance.now();
  const tf = await import(CORE);
  const res = await fetch(BACKEND);
  if (!res.ok) throw new Error(`cannot fetch ${BACKEND}: HTTP ${res.status}`);
  const src = (await res.text())
    .replace(/from\s+'@tensorflow\/tfjs-core'/g, `from '${CORE}'`)
    .replace(/from\s+'(fs|path|perf_hooks|os|worker_threads)'/g, `from '${STUB}'`);
  const url = URL.createObjectURL(new Blob([src], { type: 'text/javascript' }));
  let backend;
  try {
    backend = await import(url);
  } finally {
    URL.revokeObjectURL(url);
  }
  const out = await initTfjs(tf, backend, WASM_DIR);
  return { ...out, info: { ...out.info, loader: 'blob import, specifiers rewritten' }, initMs: performance.now() - t0 };
}
