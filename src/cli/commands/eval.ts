// `landscape eval --net DIR --data DIR`: loss, error rate and mean-gradient norm of a saved net
// (a net folder) on a data folder, with the kernels of training's final evaluation.
import type { Command } from 'commander';
import { helpExamples } from './experiment.js';
import { join } from 'node:path';
import { withGlobals, type GlobalOptions } from '../globals.js';
import { loadWasm } from '../../wasm.js';
import { Heap } from '../../heap.js';
import { readDataDir, readNetDir } from '../../io/node-files.js';
import { evaluateNet } from '../../mlp/eval.js';

interface EvalOptions extends GlobalOptions {
  net: string;
  data: string;
}

export function registerEval(program: Command): void {
  withGlobals(program.command('eval').description('loss, error rate and gradient norm of a net folder (e.g. from mlp --save-nets) on a data folder (e.g. from export-mnist)'), {}, ['json', 'fast', 'debug'])
    .requiredOption('--net <dir>', 'net folder: net.json, W1.npy, [b1.npy,] W2.npy, ...')
    .requiredOption('--data <dir>', 'data folder: X.npy (S, n0), y.npy (S,), data.json (e.g. export-mnist\'s train/ or test/)')
    .addHelpText('after', helpExamples([['landscape eval --net results/mlp/nets/h25-r0 --data mnist/train', 'loss, error and gradient norm of a saved net on exported data'], ['landscape eval --net my-net --data my-data --json', 'the same as JSON, for a NumPy or PyTorch comparison']]))
    .action(async (opts: EvalOptions) => {
      const net = readNetDir(opts.net);
      const data = readDataDir(opts.data);
      const heap = new Heap(await loadWasm(opts.fast ? 'relaxed' : 'simd'));
      const r = evaluateNet(heap, net, data, { x: join(opts.data, 'X.npy'), y: join(opts.data, 'y.npy') });
      if (opts.json) {
        process.stdout.write(JSON.stringify(r) + '\n');
        return;
      }
      process.stdout.write([
        `net ${opts.net}: layers ${net.layers.join('×')}, ${net.bias ? 'biases' : 'no biases'}, ${net.loss}, ${r.params} params`,
        `data ${opts.data}: ${r.samples} samples`,
        `loss       ${r.loss}`,
        `error      ${(100 * r.error).toFixed(2)}%`,
        `grad norm  ${r.gradNorm.toExponential(6)}`,
      ].join('\n') + '\n');
    });
}
