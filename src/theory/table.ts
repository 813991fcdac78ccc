// The constants and Θ curves as plain data, for `landscape theory`, the report and the page.
import { eInf, thresholds, theta, thetaK } from './complexity.js';

export interface ThetaRow {
  u: number;
  theta: number;
  thetaK: number[];
}

export interface TheoryTable {
  p: number;
  Einf: number;
  /** [E_0, …, E_k] */
  E: number[];
  theta: ThetaRow[];
}

/** Evenly spaced grid of `points` values from a to b inclusive. */
export function grid(a: number, b: number, points: number): number[] {
  if (points === 1) return [a];
  return Array.from({ length: points }, (_, i) => a + ((b - a) * i) / (points - 1));
}

/** The table on `points` energies from uFrom to uTo, or on the given energies `at`. */
export function theoryTable(p: number, k: number, uFrom: number, uTo: number, points: number, at?: number[]): TheoryTable {
  const ks = Array.from({ length: k + 1 }, (_, i) => i);
  return {
    p,
    Einf: eInf(p),
    E: thresholds(p, k),
    theta: (at ?? grid(uFrom, uTo, points)).map((u) => ({ u, theta: theta(u, p), thetaK: ks.map((kk) => thetaK(u, p, kk)) })),
  };
}
