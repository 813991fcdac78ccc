// The closing pair of the report: the spin-glass and network ensembles side by side ([P2] Fig. 3).
import type { Comparison } from '../experiment/descriptor.js';
import type { PSpinSummary } from '../pspin/experiment.js';
import type { RestartResult } from '../pspin/batch.js';
import type { MlpRecord, MlpSummary } from '../mlp/experiment.js';
import { sideBySide } from './sections.js';

export const sideBySideComparison: Comparison = {
  id: 'side-by-side',
  needs: ['pspin', 'mlp'],
  build(r) {
    const pspin = r.pspin as { summary: PSpinSummary; lines: RestartResult[] };
    const mlp = r.mlp as { summary: MlpSummary; lines: MlpRecord[] };
    if (!pspin.lines.length || !mlp.lines.length || !mlp.summary.groups.length) return null;
    return sideBySide({ summary: pspin.summary, lines: pspin.lines, caption: 'landscape pspin (above)' }, { summary: mlp.summary, records: mlp.lines, caption: 'landscape mlp (above)' });
  },
};
