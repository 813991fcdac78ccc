// The semicircle law of the p-spin tangent Hessian and pspin --spectrum-fit: the law against its
// analytic moments, the exact W1 against a brute-force integral, the lines' histograms against a
// count of the saved spectra, and at Λ = 200 the spectra against the law's centre and variance.
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FIT_BINS, detAsin, semicircleCdf, semicircleDensity, semicircleFit, semicircleRadius, w1ToSemicircle } from '../src/pspin/semicircle.js';
import { readNpy } from '../src/io/npy.js';
import { semicircleSpectraSpec, semicircleFitSpec } from '../src/report/pspin-spectra-figure.js';
import { specToSvg } from '../src/report/render.js';

const bin = fileURLToPath(new URL('../bin/landscape.js', import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 120_000 });
const tmp = () => mkdtempSync(join(tmpdir(), 'pspin-spectra-'));
const readLines = (dir: string) => readFileSync(join(dir, 'pspin.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));

/** ∫ g over [−R, R] by the midpoint rule after x = R·cos θ, which removes the √ edge singularity. */
const integrate = (g: (x: number) => number, R: number, m = 20000) => {
  let s = 0;
  for (let i = 0; i < m; i++) { const t = (Math.PI * (i + 0.5)) / m; s += g(R * Math.cos(t)) * R * Math.sin(t); }
  return (s * Math.PI) / m;
};

describe('the semicircle of radius 2√(p(p−1))', () => {
  it.each([2, 3, 4, 5])('p = %i: the density integrates to 1, mean 0, second moment R²/4 = p(p−1)', (p) => {
    const R = semicircleRadius(p);
    const f = (x: number) => semicircleDensity(x / R) / R;
    expect(integrate(f, R)).toBeCloseTo(1, 10);
    expect(integrate((x) => x * f(x), R)).toBeCloseTo(0, 10);
    expect(integrate((x) => x * x * f(x), R)).toBeCloseTo(p * (p - 1), 8);
  });

  it('the engine-independent asin and the CDF agree with Math.asin and the density', () => {
    const xs = Array.from({ length: 2001 }, (_, i) => -1 + i / 1000);
    expect(Math.max(...xs.map((x) => Math.abs(detAsin(x) - Math.asin(x))))).toBeLessThan(1e-14);
    const h = 1e-6; // central difference of the CDF is the density (error O(h²))
    for (const x of [-0.9, -0.3, 0, 0.5, 0.99]) expect((semicircleCdf(x + h) - semicircleCdf(x - h)) / (2 * h)).toBeCloseTo(semicircleDensity(x), 7);
    expect([semicircleCdf(-1), semicircleCdf(0), semicircleCdf(1)]).toEqual([0, 0.5, 1]);
  });

  it('W1 equals a brute-force ∫|F_N − F| on a fine grid (Math.asin CDF), for samples inside and outside [−1, 1]', () => {
    const samples = [[-1.3, -0.2, 0.1, 0.4, 0.45, 1.2], Array.from({ length: 37 }, (_, i) => Math.sin(i * 1.7) * 0.98), [0.5, 0.5, 0.5]];
    const F = (x: number) => (x <= -1 ? 0 : x >= 1 ? 1 : 0.5 + (x * Math.sqrt(1 - x * x) + Math.asin(x)) / Math.PI);
    for (const s of samples) {
      const x = [...s].sort((a, b) => a - b);
      const m = 400000, lo = -1.5, hi = 1.5, dx = (hi - lo) / m;
      let brute = 0;
      for (let i = 0; i < m; i++) { const t = lo + (i + 0.5) * dx; brute += Math.abs(x.filter((v) => v <= t).length / x.length - F(t)) * dx; }
      expect(Math.abs(w1ToSemicircle(x) - brute)).toBeLessThan(2e-5);
    }
    // the semicircle's own quantiles are W1-close: at most 1/N (each mass 1/N moves less than its cell)
    const N = 400, q = Array.from({ length: N }, (_, k) => { let a = -1, b = 1; for (let i = 0; i < 60; i++) { const c = (a + b) / 2; if (F(c) < (k + 0.5) / N) a = c; else b = c; } return a; });
    expect(w1ToSemicircle(q)).toBeLessThan(1 / N);
  });

  it('semicircleFit: bins, shift and variance of a known spectrum', () => {
    const p = 3, u = -1.5, R = semicircleRadius(p);
    const x = [-1.3, -0.975, -0.96, -0.02, 0.52, 1.22, 1.26, 2]; // in radius units, none near a bin edge
    const fit = semicircleFit(x.map((v) => R * v - p * u), p, u);
    expect([fit.below, fit.above]).toEqual([1, 2]);
    const expected = new Array(50).fill(0);
    for (const bin of [5, 5, 24, 35, 49]) expected[bin]++; // bin of x: ⌊(x + 1.25)/0.05⌋
    expect(fit.counts).toEqual(expected);
    const mean = x.reduce((a, v) => a + v, 0) / x.length;
    expect(fit.shift).toBeCloseTo(R * mean, 12);
    expect(fit.variance).toBeCloseTo((R * R * x.reduce((a, v) => a + (v - mean) ** 2, 0)) / x.length / (p * (p - 1)), 12);
  });
});

describe('landscape pspin --spectrum-fit', () => {
  it('the lines\' histograms and the summary\'s pooled counts equal a brute-force count of the saved spectra; 1 and 2 workers agree', () => {
    const a = tmp(), b = tmp();
    const args = ['pspin', '--p', '3', '--n', '12,20', '--restarts', '16', '--instances', '2', '--index', '--spectrum-fit', '--save-spectra', '16', '--quiet'];
    expect(run(...args, '--workers', '1', '--out', a).status).toBe(0);
    expect(run(...args, '--workers', '2', '--out', b).status).toBe(0);
    expect(readFileSync(join(a, 'pspin.jsonl'), 'utf8')).toBe(readFileSync(join(b, 'pspin.jsonl'), 'utf8'));
    const lines = readLines(a), summary = JSON.parse(readFileSync(join(a, 'pspin-summary.json'), 'utf8'));
    const R = semicircleRadius(3), edges = Array.from({ length: FIT_BINS.count + 1 }, (_, i) => FIT_BINS.lo + i * FIT_BINS.width);
    for (const g of summary.groups) {
      const S = readNpy(readFileSync(join(a, `spectra-L${g.n}-i${g.instance}.npy`)), 'spectra');
      const mine = lines.filter((l) => l.n === g.n && l.instance === g.instance);
      const pooled = new Array(FIT_BINS.count + 2).fill(0);
      mine.forEach((l, r) => {
        const x = Array.from(S.data.subarray(r * (g.n - 1), (r + 1) * (g.n - 1)) as Float64Array, (lam) => (lam + 3 * l.energy) / R);
        const counts = edges.slice(0, -1).map((e, i) => x.filter((v) => v >= e && v < edges[i + 1]).length);
        expect([...l.semicircle.counts, l.semicircle.below, l.semicircle.above]).toEqual([...counts, x.filter((v) => v < edges[0]).length, x.filter((v) => v >= edges.at(-1)!).length]);
        [...counts, l.semicircle.below, l.semicircle.above].forEach((c, i) => { pooled[i] += c; });
      });
      expect([...g.spectrum.counts, g.spectrum.below, g.spectrum.above]).toEqual(pooled);
      expect(g.spectrum.eigenvalues).toBe(16 * (g.n - 1));
    }
  }, 60_000);

  it('Λ = 200, 4 GD endpoints: the spectrum\'s mean is −p·u and its variance p(p−1) (fails if the scaling is wrong)', () => {
    const dir = tmp();
    expect(run('pspin', '--p', '3', '--n', '200', '--restarts', '4', '--index', '--spectrum-fit', '--quiet', '--out', dir).status).toBe(0);
    // GOE with off-diagonal variance p(p−1)/Λ on Λ−1 directions: sd of the mean eigenvalue √(2p(p−1)/Λ²) ≈ 0.017 and
    // of the variance ratio 2/Λ = 0.01. Endpoints are minima, conditioned on λ ≥ 0, which at this size shifts the mean
    // up by up to ≈ 0.06 (measured 0.00…0.06) and trims the variance by ≈ 2% (0.98…1.00). A wrong centre
    // (e.g. −(p−1)·u) is off by |u| ≈ 1.6, a wrong radius by a factor (e.g. √p!) changes the variance ratio by ≥ 1.5×.
    for (const l of readLines(dir)) {
      expect(Math.abs(l.semicircle.shift)).toBeLessThan(0.15);
      expect(Math.abs(l.semicircle.variance - 1)).toBeLessThan(0.05);
      expect(l.semicircle.below + l.semicircle.above).toBe(0);
      expect(l.semicircle.w1).toBeLessThan(0.03);
    }
  }, 60_000);

  it('the figures render from the summary; the density bars hold the mass inside the bins', async () => {
    const dir = tmp();
    expect(run('pspin', '--p', '3', '--n', '10,16', '--restarts', '8', '--index', '--spectrum-fit', '--quiet', '--out', dir).status).toBe(0);
    const summary = JSON.parse(readFileSync(join(dir, 'pspin-summary.json'), 'utf8'));
    const spec = semicircleSpectraSpec(summary, 'test') as { data: { values: { kind: string; n: number; x0: number; x1: number; density: number }[] } };
    for (const g of summary.groups) {
      const mass = spec.data.values.filter((v) => v.kind === 'bin' && v.n === g.n).reduce((a, v) => a + v.density * (v.x1 - v.x0), 0);
      expect(mass).toBeCloseTo(1 - (g.spectrum.below + g.spectrum.above) / g.spectrum.eigenvalues, 10);
    }
    expect(await specToSvg(spec as never)).toMatch(/^<svg/);
    expect(await specToSvg(semicircleFitSpec(summary, 'test'))).toMatch(/^<svg/);
  }, 60_000);

  it('--spectrum-fit without --index is exit 2 naming the flag', () => {
    const r = run('pspin', '--n', '9', '--restarts', '8', '--spectrum-fit', '--quiet', '--out', tmp());
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--spectrum-fit/);
  });
});

describe('report: the curvature pair', () => {
  it('sits right after the network curvature section, with the spin-glass spectra beside the network spectra', () => {
    const dir = tmp();
    expect(run('hessian', '--profile', 'smoke', '--quiet', '--out', join(dir, 'hessian')).status).toBe(0);
    expect(run('pspin', '--p', '3', '--n', '10,16', '--restarts', '8', '--index', '--spectrum-fit', '--quiet', '--out', join(dir, 'pspin')).status).toBe(0);
    expect(run('report', dir).status).toBe(0);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    const ids = [...html.matchAll(/<section id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids.slice(ids.indexOf('curvature'), ids.indexOf('curvature') + 2)).toEqual(['curvature', 'curvature-side-by-side']);
    const pair = html.slice(html.indexOf('<section id="curvature-side-by-side"'));
    expect(pair.indexOf('id="side-hessian-spectra"')).toBeLessThan(pair.indexOf('id="side-pspin-spectra"'));
    expect(html).toMatch(/id="fig-pspin-hessian-spectra"/);
  }, 90_000);
});
