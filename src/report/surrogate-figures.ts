// The decoupled surrogate on the audit page (issue #14 item 3): per architecture the GD minima of the
// real net and of its surrogate (same data, starts, optimiser, sphere), the trained nets' losses on the
// same samples, and the p-spin minima at p = H placed on the real minima's mean and sd (an affine map:
// [P2]'s map from loss to energy leaves its two constants unknown, so only the shape is compared).
import type { AuditGroup, AuditSummary } from '../audit/descriptor.js';
import type { AuditLine } from '../audit/task.js';
import { SURROGATE_RULE, standardised } from '../audit/surrogate-summary.js';
import { fmtEst, fmtValue, type Est } from '../audit/verdicts.js';
import { figureFrame, type FigureSpec } from './render.js';

const SERIES = ['real net, GD minima', 'surrogate, GD minima', 'trained net (audit training)', 'p-spin minima, scaled'];
const COLORS = ['#4c78a8', '#f58518', '#54a24b', '#b279a2'];
const archName = (g: AuditGroup) => `[${g.layers.join(', ')}]`;
const num = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x : NaN);
const f3 = (x: unknown) => (Number.isFinite(num(x)) ? num(x).toFixed(3) : '–');
const est = (e: Est | undefined, digits = 3) => (e ? fmtEst({ ...SURROGATE_RULE, digits }, e) : '–');

export function surrogateSpec(lines: AuditLine[], summary: AuditSummary, caption: string): FigureSpec | null {
  const gs = summary.groups.filter((g) => g.surrogate);
  if (!gs.length) return null;
  const values: { arch: string; series: string; loss: number }[] = [];
  for (const g of gs) {
    const ls = lines.filter((l) => l.surrogate && !l.diverged && JSON.stringify(l.hidden) === JSON.stringify(g.hidden)).map((l) => l.surrogate!);
    const real = ls.flatMap((l) => l.real), sur = ls.flatMap((l) => l.sur), z = standardised(ls.flatMap((l) => l.pspin));
    const { mean, sd } = g.surrogate!.minima.real;
    const push = (series: number, v: number[]) => v.forEach((loss) => values.push({ arch: archName(g), series: SERIES[series], loss }));
    push(0, real); push(1, sur); push(2, ls.map((l) => l.realAtTrained)); push(3, z.map((x) => mean + (Number.isFinite(sd) ? sd : 0) * x));
  }
  const s0 = gs[0].surrogate!;
  return {
    ...figureFrame('The decoupled surrogate — the real net\'s minima, its surrogate\'s (A5u, A6u imposed) and the p-spin prediction, per architecture',
      `${caption}\nEach tick one endpoint: ${s0.starts} GD runs per net (${s0.samples} training images, Riemannian GD on the sphere ‖w‖ = ‖w_trained‖, the same starts for the real net and its surrogate); green: the trained nets' losses on those images; purple: GD minima of the spherical p-spin (p = H, Λ = Ψ^{1/H}) mapped onto the real minima's mean and sd (the shape only).`, { wrap: 100 }),
    data: { values: values.filter((v) => Number.isFinite(v.loss)) },
    facet: { row: { field: 'arch', type: 'ordinal', sort: gs.map(archName), header: { title: 'widths n₀, …, n_H', labelAngle: 0 } } },
    resolve: { scale: { x: 'independent' } },
    spec: {
      width: 460, height: 90,
      mark: { type: 'tick', thickness: 1.5, opacity: 0.75 },
      encoding: {
        x: { field: 'loss', type: 'quantitative', scale: { zero: false }, axis: { title: 'mean cross-entropy on the surrogate\'s samples (nats)' } },
        y: { field: 'series', type: 'nominal', sort: SERIES, axis: { title: null } },
        color: { field: 'series', type: 'nominal', scale: { domain: SERIES, range: COLORS }, legend: null },
      },
    },
  };
}

/** One row per architecture: losses at the trained weights, the minima, the distances, the index. */
export function surrogateRows(summary: AuditSummary): (string | number)[][] {
  const head = ['architecture', 'ρ', "S'", 'real at trained w', 'surrogate at trained w', 'real GD minima mean ± sd', 'surrogate GD minima mean ± sd', 'W1 real–surrogate [95% CI]', 'W1 / real mean', 'permutation p', 'p-spin H/Λ mean ± sd (Λ) [−E₀, −E∞]', 'shape W1 p-spin–real', 'shape W1 p-spin–surrogate', 'index real / surrogate (N)'];
  const pm = (m: { mean: number; sd: number }) => `${f3(m.mean)} ± ${f3(m.sd)}`;
  return [head, ...summary.groups.filter((g) => g.surrogate).map((g) => {
    const s = g.surrogate!;
    return [archName(g), est(s.rho), s.samples, est(s.atTrained.real), est(s.atTrained.sur), pm(s.minima.real), pm(s.minima.sur), est(s.minima.w1), f3(s.minima.relative), f3(s.minima.p),
      `${pm(s.pspin.energy)} (${s.pspin.lambda}) [${f3(-s.pspin.E0)}, ${f3(-s.pspin.Einf)}]`, f3(s.pspin.shapeReal), f3(s.pspin.shapeSur), s.index ? `${f3(s.index.real)} / ${f3(s.index.sur)} (${s.index.N})` : '–'];
  })];
}

/** The headline as the assumption table's row. */
export function surrogateVerdictRow(summary: AuditSummary): (string | number)[] {
  const v = summary.surrogate;
  return [v.id, v.says, v.statistic, `≤ ${fmtValue(SURROGATE_RULE, v.threshold)}`, ...summary.groups.map((g) => est(v.points.find((p) => p.label === g.label)?.est)), v.trend, v.text];
}
