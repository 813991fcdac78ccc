// The theory of [P2] §4 as a registry descriptor: one task computes the thresholds E∞, E_0..E_k,
// so `reproduce`, `report` and `merge` treat it like every other experiment.
import type { Experiment } from '../experiment/descriptor.js';
import type { Field } from '../experiment/fields.js';
import { lineProblem } from '../experiment/lines.js';
import type { TaskContext, TaskSpec } from '../pool/protocol.js';
import { eInf, thresholds } from './complexity.js';
import { thetaCurvesSpec } from '../report/theory-figures.js';
import { meanCountSpec } from '../report/asymptotics-figure.js';
import { theorySection } from '../report/sections.js';

export interface TheorySettings { p: number; k: number; seed: number }
export interface TheoryLine { p: number; k: number; Einf: number; E: number[] }
interface TheoryParams { p: number; k: number }

const FIELDS: Field<TheorySettings>[] = [
  { key: 'p', flag: 'p', what: 'an interaction order', help: 'interaction order p', kind: { type: 'int', min: 2, max: 20 } },
  { key: 'k', flag: 'k', what: 'an index', help: 'largest index k for E_k and Θ_{k,p}', kind: { type: 'int', min: 0, max: 50 } },
];

export const theoryTasks = {
  'theory-thresholds': (_ctx: TaskContext, t: TaskSpec<TheoryParams>): TheoryLine => ({ p: t.params.p, k: t.params.k, Einf: eInf(t.params.p), E: thresholds(t.params.p, t.params.k) }),
};

const same = { p: 3, k: 5 };

export const theoryDescriptor: Experiment<TheorySettings, TheoryParams, TheoryLine, TheoryLine> = {
  name: 'theory',
  command: false,
  title: 'complexity thresholds of the spherical p-spin glass ([P2] §4, Figs. 1-2)',
  label: 'theory',
  fields: FIELDS,
  defaults: { p: 3, k: 5, seed: 1 },
  profiles: { smoke: same, quick: same, standard: same, workstation: same, paper: same },
  handlers: theoryTasks,
  unit: 'tables',
  claims(s, t) {
    const c = { source: '[P2] Fig. 2, §4', claim: 'Thresholds −E₀ < −E₁ < … < −E∞: a band of minima above the ground state (Θ_{k,p} with the continuity erratum)' };
    if (!s || !t) return [{ ...c, status: 'not run', note: '' }];
    const ok = t.E.every((e, i) => e > t.Einf && (i === 0 || e < t.E[i - 1]));
    return [{ ...c, status: ok ? 'reproduced' : 'not reproduced', note: `p = ${t.p}: E₀ = ${t.E[0].toFixed(6)} > … > E_${t.k} = ${t.E[t.k].toFixed(6)} > E∞ = ${t.Einf.toFixed(6)}` }];
  },
  tasks: (s) => [{ kind: 'theory-thresholds', seed: s.seed, stream: 0, params: { p: s.p, k: s.k } }],
  checkLine: (l, s) => lineProblem(l, { p: 'int', k: 'int', Einf: 'finite' }) ?? (l.p !== s.p || l.k !== s.k || !Array.isArray(l.E) || l.E.length !== s.k + 1 ? `p=${l.p}, k=${l.k} is not the table of p=${s.p}, k=${s.k}` : null),
  taskKey: (t) => `${t.p}/${t.k}`,
  lineKey: (l) => `${l.p}/${l.k}`,
  linesPerTask: () => 1,
  summarize: (_s, lines) => lines[0],
  figures(s) {
    if (s.p < 3) return [];
    return [
      { name: 'theta-curves.svg', label: '[P2] Fig. 2', spec: thetaCurvesSpec(s.p, s.k, `theoryTable(p = ${s.p}, k = ${s.k}); see src/theory/complexity.ts`) },
      { name: 'mean-counts.svg', label: '[P2] Fig. 1', spec: meanCountSpec(s.p, 1000, Math.min(s.k, 5), `sharp asymptotics, Λ = 1000, p = ${s.p}`) },
    ];
  },
  section: (s) => theorySection(s.p, s.k),
  table: (_s, t) => [`spherical ${t.p}-spin glass: E∞ = ${t.Einf.toFixed(12)}`, ...t.E.map((e, k) => `  E_${k} = ${e.toFixed(12)}`)].join('\n'),
};
