// Browser bundles of the library and the worker, built from tsc's output in dist/. Names are
// fixed because plain rollup leaves `new URL('./worker.js', import.meta.url)` as written, and
// bundle/ sits at the same depth as dist/ so `../build/*.wasm` resolves in both.
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

export default {
  input: { index: 'dist/index.js', worker: 'dist/worker.js', 'landscape-lab': 'dist/web/landscape-lab.js' },
  output: {
    dir: 'bundle',
    format: 'es',
    entryFileNames: '[name].js',
    chunkFileNames: '[name]-chunk.js', // same folder: relative URLs resolve alike in every file
    sourcemap: true,
  },
  external: (id) => id.startsWith('node:'),
  // Minified for pages (the page bundle carries Vega and Vega-Lite); source maps keep it debuggable.
  plugins: [nodeResolve({ browser: true }), terser()],
};
