// Preprocessing of MNIST images for the network lab: exact area averaging 28×28 → s×s (10×10 in
// [P2] §5) and per-feature normalisation with training statistics only. Platform-neutral.

/**
 * For n input pixels and s output cells along one axis, the cells' overlaps with the pixels in
 * units of 1/s: cell i spans [i·n, (i+1)·n) and pixel p spans [p·s, (p+1)·s), so every weight is
 * an integer and each cell's weights sum to n.
 */
function overlaps(n: number, s: number): { first: Int32Array; len: Int32Array; off: Int32Array; w: Int32Array } {
  const first = new Int32Array(s), len = new Int32Array(s), off = new Int32Array(s + 1), w: number[] = [];
  for (let i = 0; i < s; i++) {
    const lo = i * n, hi = lo + n;
    first[i] = Math.floor(lo / s);
    for (let p = first[i]; p * s < hi; p++) w.push(Math.min(hi, (p + 1) * s) - Math.max(lo, p * s));
    off[i + 1] = w.length;
    len[i] = off[i + 1] - off[i];
  }
  return { first, len, off, w: Int32Array.from(w) };
}

/**
 * Area averaging rows×cols → size×size, scaled to [0, 1]. Each output pixel is the exact
 * area-weighted mean of the input pixels its cell covers, the cell being 1/size of the image
 * along each axis; when size does not divide the image (28 → 10: cells 2.8 pixels wide) the
 * boundary pixels count with their fractional overlap. The weights are separable and kept as
 * integers in units of 1/size, so the weighted sums are exact and the only rounding is one
 * division and the f32 store. size = rows = cols gives pixel/255.
 * Returns count × size² floats, row-major per image.
 */
export function downsample(images: Uint8Array, count: number, rows: number, cols: number, size: number): Float32Array {
  for (const [k, v] of Object.entries({ count, rows, cols })) {
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`downsample: ${k} must be a non-negative integer, got ${v}`);
  }
  if (images.length !== count * rows * cols) {
    throw new RangeError(`downsample: ${images.length} bytes is not count × rows × cols = ${count}×${rows}×${cols}`);
  }
  if (!Number.isInteger(size) || size < 1 || size > Math.min(rows, cols)) {
    throw new RangeError(`downsample: size must be an integer in 1..${Math.min(rows, cols)}, got ${size}`);
  }
  // Same rational value, so the same floats as the general path below.
  if (size === rows && size === cols) {
    const out = new Float32Array(images.length);
    for (let t = 0; t < images.length; t++) out[t] = images[t] / 255;
    return out;
  }
  const { first: rFirst, len: rLen, off: rOff, w: rW } = overlaps(rows, size);
  const { first: cFirst, len: cLen, off: cOff, w: cW } = overlaps(cols, size);
  const scale = rows * cols * 255;
  const px = rows * cols, d = size * size;
  const out = new Float32Array(count * d);
  const tmp = new Int32Array(rows * size); // column-pooled rows of one image, each ≤ 255·cols
  for (let n = 0; n < count; n++) {
    const base = n * px;
    for (let p = 0; p < rows; p++) {
      const rowBase = base + p * cols;
      for (let j = 0; j < size; j++) {
        const q0 = rowBase + cFirst[j], o = cOff[j], m = cLen[j];
        let acc = 0;
        for (let k = 0; k < m; k++) acc += cW[o + k] * images[q0 + k];
        tmp[p * size + j] = acc;
      }
    }
    const outBase = n * d;
    for (let i = 0; i < size; i++) {
      const t0 = rFirst[i] * size, o = rOff[i], m = rLen[i];
      for (let j = 0; j < size; j++) {
        let acc = 0;
        for (let k = 0; k < m; k++) acc += rW[o + k] * tmp[t0 + k * size + j];
        out[outBase + i * size + j] = acc / scale;
      }
    }
  }
  return out;
}

export type NormaliseMode = 'none' | 'center' | 'standardize';
/** Per-feature x' = (x − mean) / sd; 'none' has mean 0, sd 1 and 'center' has sd 1. */
export interface NormaliseStats { mode: NormaliseMode; mean: Float64Array; sd: Float64Array }
/** Standardize divides by max(sd, SD_FLOOR), so constant features (MNIST's blank border) stay finite. */
export const SD_FLOOR = 1e-6;

function featureStats(x: Float32Array, d: number, mode: NormaliseMode): NormaliseStats {
  const n = x.length / d;
  const mean = new Float64Array(d), sd = new Float64Array(d).fill(1);
  if (mode === 'none') return { mode, mean, sd };
  if (n === 0) throw new RangeError(`normalise: '${mode}' needs at least one row to compute statistics`);
  for (let r = 0; r < n; r++) for (let k = 0; k < d; k++) mean[k] += x[r * d + k];
  for (let k = 0; k < d; k++) mean[k] /= n;
  if (mode === 'standardize') {
    // Two passes: the sum of squared deviations, not E[x²] − mean², which cancels.
    const ss = new Float64Array(d);
    for (let r = 0; r < n; r++) for (let k = 0; k < d; k++) { const dx = x[r * d + k] - mean[k]; ss[k] += dx * dx; }
    for (let k = 0; k < d; k++) sd[k] = Math.max(Math.sqrt(ss[k] / n), SD_FLOOR); // population sd
  }
  return { mode, mean, sd };
}

/**
 * Normalises rows of d features. Without `stats` it computes them from x (call it on the training
 * set); pass the training stats back in for the test set, so nothing is learnt from test data.
 * Writes a new array unless `inPlace`.
 */
export function normalise(
  x: Float32Array, d: number, mode: NormaliseMode, stats?: NormaliseStats, inPlace = false,
): { x: Float32Array; stats: NormaliseStats } {
  if (!Number.isInteger(d) || d < 1 || x.length % d !== 0) throw new RangeError(`normalise: length ${x.length} is not a multiple of d = ${d}`);
  if (mode !== 'none' && mode !== 'center' && mode !== 'standardize') throw new RangeError(`normalise: unknown mode '${String(mode)}'`);
  if (stats && (stats.mode !== mode || stats.mean.length !== d || stats.sd.length !== d)) {
    throw new RangeError(`normalise: stats are for mode '${stats.mode}', d = ${stats.mean.length}; asked for '${mode}', d = ${d}`);
  }
  const s = stats ?? featureStats(x, d, mode);
  const out = inPlace ? x : new Float32Array(x.length);
  if (mode === 'none') { if (!inPlace) out.set(x); return { x: out, stats: s }; }
  for (let i = 0; i < x.length; i += d) {
    for (let k = 0; k < d; k++) out[i + k] = (x[i + k] - s.mean[k]) / s.sd[k];
  }
  return { x: out, stats: s };
}
