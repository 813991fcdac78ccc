// `landscape theory`: thresholds E∞, E_0..E_k and Θ curves of [P2] §4 (Fig. 2), as a table or JSON.
import type { Command } from 'commander';
import { checkOutputFile } from '../../run/paths.js';
import { InvalidArgumentError } from 'commander';
import { withGlobals, type GlobalOptions } from '../globals.js';
import { parseIntRange, parseNonNegativeInt, parsePositiveInt } from '../args.js';
import { theoryTable } from '../../theory/table.js';
import { writeFileSync } from 'node:fs';
import { UsageError } from '../errors.js';

interface TheoryOptions extends GlobalOptions {
  p: number;
  k: number;
  u: number[];
  points: number;
  svg?: string;
  fig1?: string;
}

/** Energy densities far outside the band overflow Θ (it grows like u²): a bound keeps every value finite. */
const MAX_U = 1000;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Two energies: a range "from,to" (with --points); three or more: exactly those energies. */
function parseEnergies(raw: string): number[] {
  const texts = raw.split(',').map((s) => s.trim());
  const values = texts.map(Number);
  const bad = texts.some((t) => !DECIMAL.test(t)) || values.some((v) => !(Math.abs(v) <= MAX_U));
  if (bad || values.length < 2 || (values.length === 2 && values[0] > values[1])) {
    throw new InvalidArgumentError(`expected a range "from,to" with from ≤ to (e.g. -1.7,0) or a list of three or more energies (e.g. -1.7,-1.65,-1.6), decimal numbers in [−${MAX_U}, ${MAX_U}]`);
  }
  return values;
}

export function registerTheory(program: Command): void {
  withGlobals(program.command('theory').description('complexity thresholds E∞, E_0..E_k and the curves Θ_p, Θ_{k,p} ([P2] §4, Fig. 2)'), {}, ['json', 'debug'])
    .option('--p <n>', 'interaction order p (integer 2..20)', parseIntRange('an interaction order', 2, 20), 3)
    .option('--k <n>', 'largest index k for E_k and Θ_{k,p} (integer 0..50)', parseNonNegativeInt('an index', 50), 5)
    .option('--u <energies>', 'energy densities of the Θ table: a range "from,to" of --points values, or a list of three or more', parseEnergies, [-1.7, 0])
    .option('--points <n>', 'grid points in the range (1..100000)', parsePositiveInt('a point count', 100000), 18)
    .option('--svg <file>', 'also write the Θ_p and Θ_{k,p} curves ([P2] Fig. 2) to this SVG file (p ≥ 3)')
    .option('--fig1 <file>', 'also write [P2] Fig. 1 (mean number of critical points of index 0..k below Λu, Λ = 1000) to this SVG file')
    .addHelpText('after', `
Examples:
  $ landscape theory --p 3 --k 5                     thresholds and the Θ table on [−1.7, 0]
  $ landscape theory --p 3 --u -1.7,-1.65,-1.6 --json Θ at three energies, as JSON
  $ landscape theory --p 3 --svg fig2.svg --fig1 fig1.svg   [P2] Figs. 2 and 1 as SVG`)
    .action(async (opts: TheoryOptions, cmd: Command) => {
      if (opts.u.length > 2 && cmd.getOptionValueSource('points') === 'cli') throw new UsageError('--points: a list of energies in --u gives the points itself; drop --points or give --u as "from,to"');
      if (opts.svg !== undefined) checkOutputFile(opts.svg, '--svg');
      if (opts.fig1 !== undefined) checkOutputFile(opts.fig1, '--fig1');
      if (opts.fig1) {
        if (opts.p < 3) throw new UsageError('--fig1: needs --p 3 or more');
        const { specToSvg } = await import('../../report/render.js');
        const { meanCountSpec } = await import('../../report/asymptotics-figure.js');
        writeFileSync(opts.fig1, await specToSvg(meanCountSpec(opts.p, 1000, Math.min(opts.k, 5), `landscape theory --p ${opts.p} --k ${opts.k} --fig1; prefactors derived from the Kac–Rice/GOE identity (see src/theory/asymptotics.ts)`)));
      }
      if (opts.svg) {
        if (opts.p < 3) throw new UsageError('--svg: the Θ figure needs --p 3 or more (p = 2 has no band of minima)');
        const { specToSvg } = await import('../../report/render.js');
        const { thetaCurvesSpec } = await import('../../report/theory-figures.js');
        writeFileSync(opts.svg, await specToSvg(thetaCurvesSpec(opts.p, opts.k, `landscape theory --p ${opts.p} --k ${opts.k}`)));
      }
      const t = opts.u.length === 2 ? theoryTable(opts.p, opts.k, opts.u[0], opts.u[1], opts.points) : theoryTable(opts.p, opts.k, 0, 0, 1, opts.u);
      const rows = t.theta.flatMap((r) => [r.u, r.theta, ...r.thetaK]);
      if (!rows.every(Number.isFinite)) throw new UsageError(`--u: Θ is not finite over ${opts.u.join(',')}; choose energies nearer the band (|u| of a few units)`);
      if (opts.json) {
        process.stdout.write(JSON.stringify(t) + '\n');
        return;
      }
      const out: string[] = [];
      out.push(`spherical ${t.p}-spin glass ([P2] §4; Θ_{k,p} uses the continuity erratum (p−2)/p)`);
      out.push(`  E∞  = ${t.Einf.toFixed(12)}`);
      t.E.forEach((e, k) => out.push(`  E_${k}${k < 10 ? ' ' : ''} = ${e.toFixed(12)}`));
      out.push('');
      const head = ['u', 'Θ_p', ...t.E.map((_, k) => `Θ_${k},p`)];
      out.push(head.map((h) => h.padStart(12)).join(''));
      for (const r of t.theta) out.push([r.u, r.theta, ...r.thetaK].map((v) => v.toFixed(6).padStart(12)).join(''));
      process.stdout.write(out.join('\n') + '\n');
    });
}
