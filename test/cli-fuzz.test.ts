// Property-based bad input: for every flag of every command, generated invalid values must give
// exit 2 and exactly one stderr line that names the flag, with no stack trace and no output
// folder created. Runs the CLI in-process (main() never throws), so thousands of cases stay fast.
import { describe, it, expect, vi, afterEach } from 'vitest';
import fc from 'fast-check';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../dist/cli/main.js';

afterEach(() => vi.restoreAllMocks());

async function cli(args: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => { stderr += String(chunk); return true; });
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    return { code: await main(['node', 'landscape', ...args]), stderr };
  } finally {
    vi.restoreAllMocks();
  }
}

const text = fc.string({ unit: 'binary', maxLength: 12 });
const isIntText = (s: string) => /^[+]?\d+$/.test(s.trim());
/** Not an integer in [min, max]: junk text, fractions, or integers outside the range. */
const badInt = (min: number, max: number) => fc.oneof(
  text.filter((s) => !isIntText(s) || Number(s) < min || Number(s) > max),
  fc.double({ noNaN: true }).filter((x) => !Number.isInteger(x)).map(String),
  fc.integer({ min: Number.MIN_SAFE_INTEGER, max: min - 1 }).map(String),
  ...(max < Number.MAX_SAFE_INTEGER ? [fc.integer({ min: max + 1, max: Number.MAX_SAFE_INTEGER }).map(String)] : []),
  fc.constant('9'.repeat(30)),
);
const badPositive = fc.oneof(
  text.filter((s) => s.trim() === '' || !(Number(s) > 0 && Number.isFinite(Number(s)))),
  fc.double({ max: 0, noNaN: true }).map(String),
  fc.constantFrom('NaN', 'Infinity', '-Infinity', '0', '-0', '1e400'),
);
const badChoice = (choices: string[]) => text.filter((s) => !choices.includes(s));
const badList = (min: number, max: number) => fc.tuple(fc.array(fc.integer({ min, max }), { maxLength: 3 }), badInt(min, max))
  .map(([good, bad]) => [...good.map(String), bad].join(','));

type Family = [flag: string, bad: fc.Arbitrary<string>];
const GLOBAL: Family[] = [
  ['--seed', badInt(0, Number.MAX_SAFE_INTEGER)],
  ['--workers', badInt(1, 256)],
  ['--task-timeout', badPositive],
];
const COMMANDS: Record<string, { base: string[]; flags: Family[] }> = {
  theory: {
    base: ['theory'],
    flags: [['--p', badInt(2, 20)], ['--k', badInt(0, 50)], ['--points', badInt(1, 100000)],
      ['--u', fc.oneof(text.filter((s) => s.split(',').length !== 2), fc.tuple(fc.double({ min: 1, max: 10, noNaN: true }), fc.double({ min: -10, max: 0, noNaN: true })).map(([a, b]) => `${a},${b}`))]],
  },
  pspin: {
    base: ['pspin', '--n', '5', '--restarts', '8'],
    flags: [['--p', badInt(2, 5)], ['--n', badList(2, 65535)], ['--restarts', badInt(1, 1 << 16)], ['--instances', badInt(1, 1 << 17)],
      ['--coupling', badChoice(['gaussian', 'rademacher', 'uniform', 'exponential'])], ['--method', badChoice(['gd', 'sgd', 'anneal'])],
      ['--lr', badPositive], ['--tol', badPositive], ['--max-iter', badInt(1, 1e7)], ['--storage', badChoice(['auto', 'dense', 'packed'])],
      ['--index-tol', badPositive], ['--pieces', badInt(1, 64)], ['--anneal-steps', badInt(1, 1e6)], ['--anneal-t0', badPositive],
      ['--anneal-step', badPositive], ['--shard', text.filter((s) => { const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(s); return !m || +m[1] < 1 || +m[1] > +m[2] || +m[2] > 100000; })]],
  },
  bench: { base: ['bench', '--quick', '--no-browser'], flags: [['--suite', badChoice(['gemm', 'pool', 'pspin', 'mlp'])]] },
  mlp: {
    base: ['mlp', '--hidden', '5', '--runs', '2', '--epochs', '1', '--train-size', '100', '--test-size', '100'],
    flags: [['--profile', badChoice(['quick', 'standard', 'workstation', 'paper'])], ['--hidden', badList(1, 100000)], ['--layers', badList(1, 100000)],
      ['--runs', badInt(1, 2 ** 21)], ['--epochs', badInt(1, 100000)], ['--batch', badInt(1, 60000)], ['--lr', badPositive],
      ['--decay', badChoice(['none', 'step', 'inv', 'exp'])], ['--decay-rate', badPositive], ['--decay-step', badInt(1, 100000)],
      ['--momentum', text.filter((s) => s.trim() === '' || !(Number(s) >= 0 && Number(s) < 1))], ['--init', badChoice(['uniform', 'glorot', 'he'])],
      ['--init-range', badPositive], ['--loss', badChoice(['cross-entropy', 'multiclass-hinge', 'binary-absolute', 'binary-hinge'])],
      ['--train-size', badInt(1, 60000)], ['--test-size', badInt(1, 10000)], ['--downsample', badInt(1, 28)],
      ['--normalise', badChoice(['none', 'center', 'standardize'])], ['--shard', text.filter((s) => !/^\s*\d+\s*\/\s*\d+\s*$/.test(s))]],
  },
  reproduce: { base: ['reproduce'], flags: [['--profile', badChoice(['smoke', 'quick', 'standard', 'workstation', 'paper'])], ['--shard', text.filter((s) => !/^\s*\d+\s*\/\s*\d+\s*$/.test(s))]] },
};

describe('every invalid flag value: exit 2, one line naming the flag, nothing written', () => {
  for (const [name, { base, flags }] of Object.entries(COMMANDS)) {
    for (const [flag, bad] of [...GLOBAL, ...flags]) {
      it(`${name} ${flag}`, async () => {
        const root = mkdtempSync(join(tmpdir(), 'fuzz-'));
        await fc.assert(fc.asyncProperty(bad, async (value) => {
          const out = join(root, 'out');
          const { code, stderr } = await cli([...base, `${flag}=${value}`, '--out', out]);
          expect(code).toBe(2);
          const lines = stderr.split('\n').filter(Boolean);
          expect(lines).toHaveLength(1);
          expect(lines[0]).toContain(flag);
          expect(stderr).not.toMatch(/\n\s+at /);
          expect(existsSync(out)).toBe(false);
        }), { numRuns: 60 });
      });
    }
  }

  it('unknown flags of every command', async () => {
    const known = new Set(['--seed', '--workers', '--out', '--json', '--quiet', '--fast', '--debug', '--help', '--version', '--task-timeout']);
    await fc.assert(fc.asyncProperty(fc.constantFrom('theory', 'pspin', 'bench', 'info', 'merge', 'mlp', 'reproduce', 'report'), fc.stringMatching(/^--[a-z][a-z-]{2,14}$/), async (cmd, flag) => {
      fc.pre(!known.has(flag) && !/^--(p|k|u|n|no-|lr|tol|max-iter|restarts|instances|coupling|method|storage|index|pieces|anneal|shard|points|svg|fig1|suite|quick|resume|profile|hidden|layers|runs|epochs|batch|decay|momentum|init|loss|bias|train-size|test-size|downsample|normalise|mnist-dir)/.test(flag));
      const { code, stderr } = await cli([cmd, flag]);
      expect(code).toBe(2);
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toContain(flag);
    }), { numRuns: 100 });
  });

  it('memory guards refuse before allocating, with the size needed', async () => {
    const { code, stderr } = await cli(['pspin', '--p', '3', '--n', '2000', '--storage', 'dense', '--out', join(mkdtempSync(join(tmpdir(), 'fuzz-')), 'o')]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/\d+(\.\d+)? GiB/);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });
});
