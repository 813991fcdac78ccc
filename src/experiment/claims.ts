// The status of each claim of [P2]/[P1] an experiment tests, computed from its results: the rows
// of the status table at the top of the report, and what its title may say. Platform-neutral.

export type ClaimStatus = 'reproduced' | 'reproduced with a different setting' | 'not reproduced' | 'beyond the paper' | 'not run' | 'in progress';

export interface Claim {
  /** The figure, table or section, e.g. '[P2] Fig. 3 (left)'. */
  source: string;
  claim: string;
  status: ClaimStatus;
  /** What the numbers were, and which settings differ from the paper's. */
  note: string;
}

/** The settings that differ from the paper profile's, as "trainSize 2000 (paper 60000)". */
export function settingDifferences(s: Record<string, unknown>, paper: Record<string, unknown>, keys: readonly string[]): string[] {
  return keys.filter((k) => paper[k] !== undefined && JSON.stringify(s[k]) !== JSON.stringify(paper[k]))
    .map((k) => `${k} ${fmt(s[k])} (paper ${fmt(paper[k])})`);
}

const fmt = (v: unknown) => (Array.isArray(v) ? v.join(',') : String(v));

/** 'reproduced' when the test passed at the paper's settings, else with the setting said. */
export function passed(differences: string[]): ClaimStatus {
  return differences.length ? 'reproduced with a different setting' : 'reproduced';
}

/** The report's title follows the table: "reproduced" only when every claim is. */
export function reportTitle(claims: readonly Claim[]): string {
  const tested = claims.filter((c) => c.status !== 'beyond the paper');
  if (tested.length && tested.every((c) => c.status === 'reproduced')) return 'The loss surfaces of multilayer networks, reproduced';
  const exact = tested.filter((c) => c.status === 'reproduced').length;
  const other = tested.filter((c) => c.status === 'reproduced with a different setting').length;
  // "Reproduced" only where it is: the claims met under another setting are counted apart.
  const how = other ? ` (${exact ? `${exact} as in the paper, ` : ''}${other} with a different setting)` : '';
  return `The loss surfaces of multilayer networks: ${exact + other} of ${tested.length} claims reproduced here${how}`;
}

/**
 * The claims of an unfinished run: whatever the partial numbers say, the status is 'in progress'
 * (a claim is not reproduced, nor refuted, by part of a run); the note says how far it got.
 */
export function inProgress(claims: readonly Claim[], done: number, expected: number, unit: string): Claim[] {
  return claims.map((c) => (c.status === 'not run' ? c : { ...c, status: 'in progress', note: `${done} of ${expected} ${unit} so far; on those: ${c.note}` }));
}
