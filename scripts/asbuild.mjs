// Builds every wasm binary from the one assembly/ source. Targets live in asconfig.json;
// skip the work when no source is newer than the outputs (npm test rebuilds often).
import asc from 'assemblyscript/asc';
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const targets = ['scalar', 'simd', 'relaxed', 'debug'];
const newest = (dir) => Math.max(...readdirSync(dir).map((f) => statSync(join(dir, f)).mtimeMs));
const srcTime = Math.max(newest('assembly'), statSync('asconfig.json').mtimeMs);
const upToDate = targets.every((t) => existsSync(`build/${t}.wasm`) && statSync(`build/${t}.wasm`).mtimeMs > srcTime);
if (upToDate && !process.argv.includes('--force')) process.exit(0);

for (const target of targets) {
  const { error, stderr } = await asc.main(['--config', 'asconfig.json', '--target', target]);
  if (error) {
    console.error(`asbuild: target ${target} failed\n${stderr.toString()}`);
    process.exit(1);
  }
}
