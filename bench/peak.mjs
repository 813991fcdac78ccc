// fractionOfPeak for every result: a suite exports work(row) → { flops, bytes?, precision, fused,
// workers } per unit of row.ours (flops and streamed bytes per GFLOPS, per eval, per sample…),
// and the row is set against the roofline (bench/roofline.mjs) of the platform it ran on:
// min(compute peak, bytes-per-unit × read bandwidth), the classic roofline bound. Compute peaks:
// f32 or f64 mul+add for the simd (and scalar) binary, relaxed FMA for the relaxed binary. A
// scalar result is set against the SIMD peak too: the machine's limit, not the binary's.
import { sig } from './timing.mjs';

/** The roofline figures for `workers` workers: measured at 1 and at all cores, w × one thread between. */
function figures(roof, workers) {
  if (workers <= 1) return roof.single;
  if (workers >= roof.workers) return roof.all;
  const out = {};
  for (const k of Object.keys(roof.single)) out[k] = roof.single[k] == null ? null : Math.min(roof.single[k] * workers, roof.all[k] ?? Infinity);
  return out;
}

/** { value (in the row's unit), bound: 'compute' | 'bandwidth', against } or null. */
export function ceiling(roof, w) {
  if (!roof || !w) return null;
  const f = figures(roof, w.workers ?? 1);
  const p = w.precision === 'f64' ? 'f64' : 'f32';
  const fma = w.fused ? f[`${p}Fma`] : null;
  const gflops = fma ?? f[`${p}MulAdd`];
  if (gflops == null) return null;
  const threads = (w.workers ?? 1) > 1 ? `${w.workers} workers` : '1 thread';
  let out = { value: (gflops * 1e9) / w.flops, bound: 'compute', against: `${p} ${fma != null ? 'relaxed FMA' : 'mul+add'}, ${threads}` };
  if (w.bytes && f.readGBs != null) {
    const bw = (f.readGBs * 1e9) / w.bytes;
    if (bw < out.value) out = { value: bw, bound: 'bandwidth', against: `read bandwidth, ${threads}` };
  }
  return out;
}

/** Sets fractionOfPeak and peak { value, unit, bound, against } on every row not from the probe itself. */
export function annotate(rows, suites, roof) {
  for (const r of rows) {
    if (r.suite === 'roofline') continue;
    const c = r.ours == null ? null : ceiling(roof, suites[r.suite]?.work?.(r));
    r.fractionOfPeak = c ? sig(r.ours / c.value, 3) : null;
    r.peak = c ? { value: sig(c.value, 4), unit: r.unit, bound: c.bound, against: c.against } : null;
  }
  return rows;
}

/** "43%" (or "-"), for the tables. */
export const pct = (x, w = 7) => (x == null ? '-' : `${(100 * x).toFixed(x < 0.1 ? 1 : 0)}%`).padStart(w);
