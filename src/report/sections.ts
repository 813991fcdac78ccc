// The theory and spin-glass sections of report.html: figures from the same Vega-Lite specs as the
// CLI's SVGs, tables of the summaries, and findings computed from the numbers (never canned).
import type { RestartResult } from '../pspin/batch.js';
import type { PSpinSummary } from '../pspin/experiment.js';
import { eInf, thresholds } from '../theory/complexity.js';
import { thetaCurvesSpec } from './theory-figures.js';
import { meanCountSpec } from './asymptotics-figure.js';
import { energyHistogramSpec, spreadVsSizeSpec } from './pspin-figures.js';
import type { ReportSection } from './html.js';

const f4 = (x: number) => x.toFixed(4).replace('-', '−');
const pct = (x: number | null) => (x === null ? '–' : `${(100 * x).toFixed(1)}%`);

export function theorySection(p: number, k: number): ReportSection {
  const E = thresholds(p, k);
  const Einf = eInf(p);
  return {
    id: 'theory',
    title: `Theory: complexity of the spherical ${p}-spin glass`,
    findings: [
      `The ground-state threshold is −E₀ = ${f4(-E[0])} and the band edge −E∞ = ${f4(-Einf)} (energies per spin, H/Λ).`,
      `Between them lie the thresholds −E_k of critical points of index k: ${E.slice(1).map((e, i) => `−E${i + 1} = ${f4(-e)}`).join(', ')}, decreasing towards −E∞; below −E∞ critical points of index k ≥ 1 are exponentially rarer than minima.`,
    ],
    tables: [{ caption: 'Thresholds (natural-log complexity; Θ_{k,p} with the continuity erratum)', rows: [['quantity', 'value'], ['E∞', Einf.toFixed(9)], ...E.map((e, i) => [`E${i}`, e.toFixed(9)])] }],
    figures: [
      { id: 'fig-theta', label: '[P2] Fig. 2', spec: thetaCurvesSpec(p, k, `theoryTable(p = ${p}, k = ${k}); see src/theory/complexity.ts`) },
      ...(p >= 3 ? [{ id: 'fig-counts', label: '[P2] Fig. 1', spec: meanCountSpec(p, 1000, Math.min(k, 5), `sharp asymptotics, Λ = 1000, p = ${p}`) }] : []),
    ],
  };
}

export function pspinSection(summary: PSpinSummary, lines: RestartResult[], caption: string): ReportSection {
  const gs = summary.groups.filter((g) => g.instance === 0);
  const first = gs[0], last = gs[gs.length - 1];
  const findings: string[] = [];
  if (first && last && first !== last) {
    findings.push(`The mean final energy moves from ${f4(first.mean)} at Λ = ${first.n} to ${f4(last.mean)} at Λ = ${last.n} (−E∞ = ${f4(-summary.Einf)}); the standard deviation ${last.sd < first.sd ? 'falls' : 'does not fall'} from ${first.sd.toFixed(4)} to ${last.sd.toFixed(4)}.`);
  }
  const below = Math.max(...summary.groups.map((g) => g.fracBelowE0));
  findings.push(below === 0 ? `No endpoint goes below −E₀ = ${f4(-summary.E0)}.` : `At most ${pct(below)} of endpoints per size go below −E₀ = ${f4(-summary.E0)} (finite-size effects at small Λ).`);
  const idx = summary.groups.map((g) => g.fracIndex0).filter((x): x is number => x !== null);
  if (idx.length) findings.push(`Between ${pct(Math.min(...idx))} and ${pct(Math.max(...idx))} of endpoints per size are minima (index 0 at tolerance ${summary.settings.indexTol}).`);
  return {
    id: 'spin-glass',
    title: `Spin glass: ${summary.settings.method.toUpperCase()} minima of the ${summary.p}-spin glass`,
    findings,
    tables: [{
      caption: 'Final energy density H/Λ per size Λ',
      rows: [['Λ', 'instance', 'restarts', 'mean', 'sd', 'min', 'q05', 'q50', 'q95', 'converged', 'index 0', '< −E₀', '< −E∞'],
        ...summary.groups.map((g) => [g.n, g.instance, g.count, f4(g.mean), g.sd.toFixed(4), f4(g.min), f4(g.q05), f4(g.q50), f4(g.q95), pct(g.converged), pct(g.fracIndex0), pct(g.fracBelowE0), pct(g.fracBelowEinf)])],
    }],
    figures: [
      { id: 'fig-pspin-hist', label: '[P2] Fig. 3 (left), supp. Fig. 8', spec: energyHistogramSpec(lines, { E0: summary.E0, Einf: summary.Einf, Ek: thresholds(summary.p, 3) }, caption) },
      { id: 'fig-pspin-spread', label: '[P2] Fig. 3 (left): spread against Λ', spec: spreadVsSizeSpec(summary, caption) },
    ],
  };
}
