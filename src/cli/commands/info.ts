// `landscape info`: which binaries this engine runs, versions and cores. Useful in bug reports.
import type { Command } from 'commander';
import { helpExamples } from './experiment.js';
import { withGlobals, type GlobalOptions } from '../globals.js';
import { BINARIES, compileWasm } from '../../wasm.js';
import { availableCores } from '../../platform.js';
import { packageVersion } from '../../run/version.js';

export function registerInfo(program: Command): void {
  withGlobals(program.command('info').description('show the engine, the wasm binaries it can run, and the cores'), {}, ['json', 'debug']).addHelpText('after', helpExamples([['landscape info', 'binaries, versions and cores, for a bug report'], ['landscape info --json', 'the same as JSON']]))
    .action(
    async (opts: GlobalOptions) => {
      const binaries: Record<string, string> = {};
      for (const b of BINARIES) {
        try {
          const { binary } = await compileWasm(b);
          binaries[b] = binary === b ? 'ok' : `falls back to ${binary}`;
        } catch (e) {
          binaries[b] = `unavailable (${(e as Error).message})`;
        }
      }
      const info = { package: packageVersion(), node: process.versions.node, v8: process.versions.v8, cores: await availableCores(), binaries };
      if (opts.json) process.stdout.write(JSON.stringify(info) + '\n');
      else {
        process.stdout.write(`loss-landscape-lab ${info.package} on Node ${info.node} (V8 ${info.v8}), ${info.cores} cores\n`);
        for (const [b, s] of Object.entries(binaries)) process.stdout.write(`  ${b.padEnd(8)} ${s}\n`);
      }
    },
  );
}
