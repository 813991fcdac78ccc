// The curvature pair of the report, right after the network curvature section: the Hessian spectra
// of the SGD networks next to the tangent Hessian spectra of the spin-glass endpoints against
// their semicircle (issue #12 item 6), so the two systems' curvature sits side by side.
import type { Comparison } from '../experiment/descriptor.js';
import type { PSpinSummary } from '../pspin/experiment.js';
import type { HessianSummary } from '../curvature/descriptor.js';
import type { HessianLine } from '../curvature/task.js';
import { spectrumSpec } from './curvature-figures.js';
import { fittedGroups, semicircleSpectraSpec } from './pspin-spectra-figure.js';

export const curvaturePairComparison: Comparison = {
  id: 'curvature-side-by-side',
  needs: ['pspin', 'hessian'],
  after: 'curvature',
  build(r) {
    const pspin = r.pspin as { summary: PSpinSummary };
    const hessian = r.hessian as { summary: HessianSummary; lines: HessianLine[] };
    const gs = fittedGroups(pspin.summary);
    if (!gs.length || !hessian.lines.length || !hessian.summary.groups.length) return null;
    const w1 = gs.map((g) => `${g.spectrum.w1.mean.toFixed(4)} at Λ = ${g.n}`).join(', ');
    return {
      title: 'Curvature side by side: network Hessians and spin-glass tangent Hessians',
      caption: `Left: the exact Hessian spectra of the SGD networks (signed log scale, mean count per net; ${hessian.summary.groups.map((g) => `${g.outliers.mean.toFixed(1)} outliers above the bulk per net at n1 = ${g.hidden}`).join(', ')}). ` +
        `Right: the tangent Hessian spectra of the ${pspin.summary.p}-spin endpoints against the semicircle centred at −p·ū of radius 2√(p(p−1)); W1 of each endpoint's spectrum to its own semicircle: ${w1} (radius units, mean over endpoints).`,
      figures: [
        { id: 'side-hessian-spectra', label: 'network Hessian spectra (landscape hessian, above)', spec: spectrumSpec(hessian.lines, hessian.summary, 'landscape hessian (above)') },
        { id: 'side-pspin-spectra', label: 'spin-glass tangent Hessian spectra (landscape pspin, above)', spec: semicircleSpectraSpec(pspin.summary, 'landscape pspin --spectrum-fit (above)', { width: 170, columns: 2, wrap: 62 }) },
      ],
    };
  },
};
