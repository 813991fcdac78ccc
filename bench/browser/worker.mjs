// The bench worker: the same suites as in Node, on the rollup bundle, in a module Web Worker.
import { runSuites } from './runner.mjs';
import { loadTfjsRewritten } from './tfjs.mjs';

self.onmessage = async ({ data: config }) => {
  try {
    const report = await runSuites(config, { log: (line) => postMessage({ log: line }), loadTfjs: loadTfjsRewritten, where: 'worker' });
    postMessage({ report });
  } catch (e) {
    postMessage({ error: String(e?.stack ?? e) });
  }
};
