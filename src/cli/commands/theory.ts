// `landscape theory`: thresholds E∞, E_0..E_k and Θ curves of [P2] §4 (Fig. 2), as a table or JSON.
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { withGlobals, type GlobalOptions } from '../globals.js';
import { parseIntRange, parseNonNegativeInt, parsePositiveInt } from '../args.js';
import { theoryTable } from '../../theory/table.js';
import { writeFileSync } from 'node:fs';
import { UsageError } from '../errors.js';

interface TheoryOptions extends GlobalOptions {
  p: number;
  k: number;
  u: [number, number];
  points: number;
  svg?: string;
  fig1?: string;
}

function parseRange(raw: string): [number, number] {
  const parts = raw.split(',').map((s) => Number(s.trim()));
  if (parts.length !== 2 || parts.some((v, i) => !Number.isFinite(v) || raw.split(',')[i].trim() === '') || parts[0] > parts[1]) {
    throw new InvalidArgumentError('expected two energies "from,to" with from ≤ to, e.g. -1.7,0');
  }
  return [parts[0], parts[1]];
}

export function registerTheory(program: Command): void {
  withGlobals(program.command('theory').description('complexity thresholds E∞, E_0..E_k and the curves Θ_p, Θ_{k,p} ([P2] §4, Fig. 2)'))
    .option('--p <n>', 'interaction order p (integer 2..20)', parseIntRange('an interaction order', 2, 20), 3)
    .option('--k <n>', 'largest index k for E_k and Θ_{k,p} (integer 0..50)', parseNonNegativeInt('an index', 50), 5)
    .option('--u <from,to>', 'energy-density range of the Θ grid', parseRange, [-1.7, 0] as [number, number])
    .option('--points <n>', 'grid points in the range (1..100000)', parsePositiveInt('a point count', 100000), 18)
    .option('--svg <file>', 'also write the Θ_p and Θ_{k,p} curves ([P2] Fig. 2) to this SVG file (p ≥ 3)')
    .option('--fig1 <file>', 'also write [P2] Fig. 1 (mean number of critical points of index 0..k below Λu, Λ = 1000) to this SVG file')
    .action(async (opts: TheoryOptions) => {
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
      const t = theoryTable(opts.p, opts.k, opts.u[0], opts.u[1], opts.points);
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
