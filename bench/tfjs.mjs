// TF.js with its wasm backend (XNNPACK), set up the same way on every platform. The loaders
// differ (bench/node.mjs in Node, bench/browser/tfjs.mjs in a page or worker); this part does not.

/**
 * Selects the wasm backend, its .wasm files served from `wasmDir` (ending in '/'). Without
 * cross-origin isolation (a plain page, a worker, Node) it has no threads: single-threaded.
 */
export async function initTfjs(tf, backend, wasmDir) {
  backend.setWasmPaths(wasmDir);
  if (!(await tf.setBackend('wasm'))) throw new Error('tf.setBackend("wasm") refused');
  await tf.ready();
  return {
    tf,
    info: {
      version: tf.version_core,
      backend: tf.getBackend(),
      simd: tf.env().getBool('WASM_HAS_SIMD_SUPPORT'),
      multithread: tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT'),
      threads: backend.getThreadsCount?.() ?? null,
    },
  };
}
