// The closing pair of the report: the spin-glass and network ensembles side by side ([P2] Fig. 3).
import type { Comparison } from '../experiment/descriptor.js';
import type { PSpinSummary } from '../pspin/experiment.js';
import type { RestartResult } from '../pspin/batch.js';
import { finishedRuns, finishedView, type MlpLine, type MlpRunSummary } from '../mlp/experiment.js';
import { sideBySide } from './sections.js';

export const sideBySideComparison: Comparison = {
  id: 'side-by-side',
  needs: ['pspin', 'mlp'],
  build(r) {
    const pspin = r.pspin as { summary: PSpinSummary; lines: RestartResult[] };
    // Finished nets only: a diverged net has no loss to draw.
    const mlp = r.mlp as { summary: MlpRunSummary; lines: MlpLine[] };
    const summary = finishedView(mlp.summary), records = finishedRuns(mlp.lines);
    if (!pspin.lines.length || !records.length || !summary.groups.length) return null;
    return sideBySide({ summary: pspin.summary, lines: pspin.lines, caption: 'landscape pspin (above)' }, { summary, records, caption: 'landscape mlp (above)' });
  },
};
