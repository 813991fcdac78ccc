// The weight-side assumptions per architecture (SCIENCE.md §8): A3p (redundancy), A4p (uniformity)
// and A7p (spherical constraint) as means over nets with bootstrap CIs over the nets, per level
// count s and per layer, and the epoch curve of the layer norms (mean over nets) for the figure.
import type { AuditLine } from './task.js';
import { LEVELS, SIGN_TARGET, TERNARY } from './redundancy.js';
import type { Est } from './verdicts.js';

export interface WeightGroup {
  A3p: {
    s: number[];
    signCorr: Est[];
    agree: Est[];
    lossCorr: Est[];
    errorRate: Est[];
    errorFull: Est;
    /** Smallest s with corr(sign) ≥ SIGN_TARGET, over the nets that reach it by the largest s. */
    sMin: Est;
    /** Nets whose sign correlation reaches SIGN_TARGET at some s of LEVELS. */
    reached: number;
    /** 1 − corr(sign Y_3, sign Y): the verdict's statistic. */
    ternaryGap: Est;
    /** Error rate at s = 3 minus the net's own, on the audited samples. */
    ternaryErrorDrop: Est;
  };
  A4p: { s: number[]; cMin: Est[]; outside2: Est[]; absent: Est[] };
  /** drift: per layer; curve[l][e]: mean over nets of ‖W_l‖²/count at epoch e. */
  A7p: { drift: Est[]; totalDrift: Est; maxDrift: Est; curve: number[][] };
}

type EstOf = (f: (l: AuditLine) => number) => Est;

const at = (xs: readonly (number | null)[] | undefined, i: number): number => (xs && typeof xs[i] === 'number' ? (xs[i] as number) : NaN);

/** ok: the finished nets of one architecture; est: the group's seeded bootstrap (called in a fixed order). */
export function weightGroup(ok: readonly AuditLine[], L: number, est: EstOf): WeightGroup {
  const s = [...LEVELS], i3 = s.indexOf(TERNARY);
  const perS = (f: (l: AuditLine) => readonly (number | null)[] | undefined) => s.map((_, i) => est((l) => at(f(l), i)));
  const a3 = {
    s,
    signCorr: perS((l) => l.A3p?.signCorr),
    agree: perS((l) => l.A3p?.agree),
    lossCorr: perS((l) => l.A3p?.lossCorr),
    errorRate: perS((l) => l.A3p?.errorRate),
    errorFull: est((l) => l.A3p?.errorFull ?? NaN),
    sMin: est((l) => l.A3p?.sMin ?? NaN),
    reached: ok.filter((l) => typeof l.A3p?.sMin === 'number').length,
    ternaryGap: est((l) => 1 - at(l.A3p?.signCorr, i3)),
    ternaryErrorDrop: est((l) => at(l.A3p?.errorRate, i3) - (l.A3p?.errorFull ?? NaN)),
  };
  const a4 = { s, cMin: perS((l) => l.A4p?.cMin), outside2: perS((l) => l.A4p?.outside2), absent: perS((l) => l.A4p?.absent) };
  const withNorms = ok.filter((l) => l.A7p);
  const epochs = withNorms.length ? Math.min(...withNorms.map((l) => l.A7p!.total.length)) : 0;
  const curve = Array.from({ length: L }, (_, k) => Array.from({ length: epochs }, (_, e) => withNorms.reduce((a, l) => a + l.A7p!.meanSquare[k][e], 0) / withNorms.length));
  const a7 = {
    drift: Array.from({ length: L }, (_, k) => est((l) => at(l.A7p?.drift, k))),
    totalDrift: est((l) => l.A7p?.totalDrift ?? NaN),
    maxDrift: est((l) => l.A7p?.maxDrift ?? NaN),
    curve,
  };
  return { A3p: a3, A4p: a4, A7p: a7 };
}

/**
 * The verdict's clause on the levels the signs need, at the architecture that needs the most:
 * "corr(sign) ≥ 0.95 from s = 8.0 [4.0, 16.0] (…) at 25 (Λ = 158.1)", or, when no net gets
 * there, "at 25 (Λ = 158.1) none of 8 nets reach 0.95 by s = 64".
 */
export function signLevelsClause(g: WeightGroup, nets: number, label: string, lambda: number): string {
  const where = `${label} (Λ = ${lambda.toFixed(1)})`;
  return Number.isFinite(g.A3p.sMin.value) ? `corr(sign) ≥ ${SIGN_TARGET} from s = ${sMinText(g, nets)} at ${where}` : `at ${where} ${sMinText(g, nets)}`;
}

/** "corr(sign) ≥ 0.95 from s = 4.0 [3.0, 6.0] (10 of 10 nets by s = 64)" for one architecture. */
export function sMinText(g: WeightGroup, nets: number): string {
  const e = g.A3p.sMin, last = LEVELS[LEVELS.length - 1];
  const ci = Number.isFinite(e.lo) && Number.isFinite(e.hi) ? ` [${e.lo.toFixed(1)}, ${e.hi.toFixed(1)}]` : '';
  return Number.isFinite(e.value) ? `${e.value.toFixed(1)}${ci} (${g.A3p.reached} of ${nets} nets reach ${SIGN_TARGET} by s = ${last})` : `none of ${nets} nets reach ${SIGN_TARGET} by s = ${last}`;
}
