import { describe, it, expect } from 'vitest';
import { detLog } from '../src/theory/detmath.js';

/** Distance in units in the last place, from the integer order of doubles of one sign. */
function ulps(a: number, b: number): number {
  const v = new Float64Array([a, b]);
  const i = new BigInt64Array(v.buffer);
  return Number(i[0] > i[1] ? i[0] - i[1] : i[1] - i[0]);
}

describe('detLog: an engine-independent natural log', () => {
  it('is within 1 ulp of the engine\'s Math.log over 13 decades of binades, near 1, and on subnormals', () => {
    let seed = 12345;
    const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const xs: number[] = [];
    for (let i = 0; i < 20000; i++) xs.push(Math.exp((rand() - 0.5) * 1400), 1 + (rand() - 0.5) * 1e-3, 1 + (rand() - 0.5) * 1e-9, rand() * 8);
    xs.push(5e-324, 1e-310, 2.2250738585072014e-308, Number.MAX_VALUE, Math.SQRT2, Math.SQRT1_2);
    let worst = 0;
    for (const x of xs) worst = Math.max(worst, ulps(detLog(x), Math.log(x)));
    expect(worst).toBeLessThanOrEqual(1);
  });

  it('gets the identities and special values exactly', () => {
    expect(detLog(1)).toBe(0);
    for (let k = -1074; k <= 1023; k += 7) expect(ulps(detLog(2 ** k), k * Math.LN2)).toBeLessThanOrEqual(1);
    expect(detLog(0)).toBe(-Infinity);
    expect(detLog(-0)).toBe(-Infinity);
    expect(detLog(-1)).toBeNaN();
    expect(detLog(NaN)).toBeNaN();
    expect(detLog(Infinity)).toBe(Infinity);
  });
});
