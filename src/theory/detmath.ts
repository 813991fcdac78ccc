// Engine-independent natural logarithm. JavaScript engines may implement Math.log differently
// (Node 20's V8 and Chromium 156's differ in the last bit for some arguments), which would make
// the theory output differ between Node and the browser. This is the classic fdlibm algorithm
// (Sun Microsystems, 1993): reduce x = 2^k·(1+f) with √2/2 < 1+f < √2, then
// log(1+f) = f − s·(f − R(s²)), s = f/(2+f), R a degree-14 minimax polynomial in s (7 terms in s²).
// It uses only IEEE +, −, ×, ÷ (exactly rounded everywhere), so every engine gets the same bits;
// the error stays below 1 ulp (tested against Math.log).

const LN2_HI = 6.93147180369123816490e-1; // upper bits of ln 2: k·LN2_HI is exact for |k| < 2^11
const LN2_LO = 1.90821492927058770002e-10;
const TWO54 = 1.80143985094819840000e16;
const LG1 = 6.666666666666735130e-1;
const LG2 = 3.999999999940941908e-1;
const LG3 = 2.857142874366239149e-1;
const LG4 = 2.222219843214978396e-1;
const LG5 = 1.818357216161805012e-1;
const LG6 = 1.531383769920937332e-1;
const LG7 = 1.479819860511658591e-1;

const view = new DataView(new ArrayBuffer(8));
const hiWord = (x: number): number => { view.setFloat64(0, x); return view.getInt32(0); };
const loWord = (x: number): number => { view.setFloat64(0, x); return view.getUint32(4); };
const withHiWord = (x: number, hi: number): number => { view.setFloat64(0, x); view.setInt32(0, hi); return view.getFloat64(0); };

export function detLog(x: number): number {
  let hx = hiWord(x);
  let k = 0;
  if (hx < 0x00100000) { // x < 2^−1022: zero, negative or subnormal
    if (((hx & 0x7fffffff) | loWord(x)) === 0) return -Infinity;
    if (hx < 0) return NaN;
    k -= 54;
    x *= TWO54; // scale the subnormal up
    hx = hiWord(x);
  }
  if (hx >= 0x7ff00000) return x + x; // Inf or NaN
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  const i = (hx + 0x95f64) & 0x100000; // chooses x or x/2 so that 1+f lands in [√2/2, √2)
  x = withHiWord(x, hx | (i ^ 0x3ff00000));
  k += i >> 20;
  const f = x - 1.0;
  const dk = k;
  if ((0x000fffff & (2 + hx)) < 3) { // |f| < 2^−20: a short series suffices
    if (f === 0) return k === 0 ? 0 : dk * LN2_HI + dk * LN2_LO;
    const r = f * f * (0.5 - 0.33333333333333333 * f);
    return k === 0 ? f - r : dk * LN2_HI - ((r - dk * LN2_LO) - f);
  }
  const s = f / (2.0 + f);
  const z = s * s;
  const w = z * z;
  const t1 = w * (LG2 + w * (LG4 + w * LG6));
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
  const R = t2 + t1;
  const j = (hx - 0x6147a) | (0x6b851 - hx);
  if (j > 0) {
    const hfsq = 0.5 * f * f;
    return k === 0 ? f - (hfsq - s * (hfsq + R)) : dk * LN2_HI - ((hfsq - (s * (hfsq + R) + dk * LN2_LO)) - f);
  }
  return k === 0 ? f - s * (f - R) : dk * LN2_HI - ((s * (f - R) - dk * LN2_LO) - f);
}
