// The open problem of [P1]: the audit goes beyond the papers, so its rows say what was measured.
import type { Claim } from '../experiment/claims.js';
import type { AuditSummary } from './descriptor.js';

export function auditClaims(sum: AuditSummary | null): Claim[] {
  const base = { source: '[P1]', claim: 'How far trained nets are from the spin-glass assumptions A1p–A7p' };
  if (!sum) return [{ ...base, status: 'not run', note: '' }];
  return [{ ...base, status: 'beyond the paper', note: sum.verdicts.filter((v) => v.id !== 'expansion').map((v) => `${v.id}: ${v.holds === true ? 'holds' : v.holds === false ? 'fails' : 'undecided'}`).join(', ') }];
}
