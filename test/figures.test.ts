import { describe, it, expect, beforeEach, afterEach, afterAll, vi } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { energyHistogramSpec, spreadVsSizeSpec, niceStep } from '../src/report/pspin-figures.js';
import { thetaCurvesSpec } from '../src/report/theory-figures.js';
import { specToSvg, wrapText, type FigureSpec } from '../src/report/render.js';
import { eInf, e0, thresholds } from '../src/theory/complexity.js';
import type { PSpinGroupSummary, PSpinSummary } from '../src/pspin/experiment.js';
import { mulberry32 } from './support/data.js';

const OUT = 'test-output/figures';
const P = 3;
const theory = { E0: e0(P), Einf: eInf(P), Ek: thresholds(P, 3) };

/** Synthetic endpoints: |N(0,1)|-tailed energies above −E∞ whose spread shrinks like 1/√Λ. */
function syntheticLines(ns: number[], perN: number, seed = 7) {
  const r = mulberry32(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  return ns.flatMap((n) => Array.from({ length: perN }, () => ({ n, energy: -1.61 + (0.6 / Math.sqrt(n)) * Math.abs(gauss()) })));
}

function syntheticSummary(ns: number[], instances = 1): PSpinSummary {
  const groups: PSpinGroupSummary[] = ns.flatMap((n) =>
    Array.from({ length: instances }, (_, instance) => {
      const mean = -1.6 + 0.3 / Math.sqrt(n) + 0.005 * instance;
      const sd = 0.2 / Math.sqrt(n);
      return { n, instance, count: 100, mean, sd, min: mean - 3 * sd, max: mean + 3 * sd, q05: mean - 1.6 * sd, q50: mean, q95: mean + 1.6 * sd, converged: 1, meanIterations: 200, fracIndex0: 1, fracBelowE0: 0, fracBelowEinf: 0 };
    }),
  );
  return { p: P, Einf: theory.Einf, E0: theory.E0, settings: {} as PSpinSummary['settings'], groups };
}

/** The leaf elements (one per mark item) of every group vega emits for the named layer. */
function items(svg: string, layer: string): string[] {
  const groups = [...svg.matchAll(new RegExp(`<g class="mark-\\w+ role-mark ${layer}_marks"[^>]*>(.*?)</g>`, 'g'))];
  return groups.flatMap((g) => g[1].match(/<(path|line|text)\b[^>]*>/g) ?? []);
}

const translate = (el: string) => el.match(/translate\(([-\d.e]+),([-\d.e]+)\)/)!.slice(1).map(Number);

/** Length of the drawn x (or y) axis domain line: the axis runs from 0 to this many pixels. */
function axisLength(svg: string, axis: 'X' | 'Y'): number {
  const from = svg.indexOf(`aria-label="${axis}-axis`);
  const line = svg.slice(from).match(/role-axis-domain[^>]*><line[^>]*x2="([-\d.]+)" y2="([-\d.]+)"/)!;
  return Math.abs(Number(axis === 'X' ? line[1] : line[2]));
}

const count = (svg: string, role: string) => svg.split(`aria-roledescription="${role}"`).length - 1;

const rendered = new Map<string, string>();
async function render(name: string, spec: FigureSpec): Promise<string> {
  const svg = await specToSvg(spec);
  rendered.set(name, svg);
  return svg;
}

describe('figures: Vega-Lite specs rendered headless to SVG', () => {
  beforeEach(() => {
    vi.stubGlobal('fetch', vi.fn(() => { throw new Error('figures must not touch the network'); }));
  });
  afterEach(() => {
    expect(fetch).not.toHaveBeenCalled();
    vi.unstubAllGlobals();
  });
  afterAll(() => {
    mkdirSync(OUT, { recursive: true });
    for (const [name, svg] of rendered) writeFileSync(`${OUT}/${name}.svg`, svg);
    try {
      execFileSync('convert', [`${OUT}/energy-histogram.svg`, `${OUT}/energy-histogram.png`], { stdio: 'ignore' });
    } catch { /* ImageMagick is optional */ }
  });

  it('niceStep gives 1, 2, 2.5 or 5 × 10^k with at most maxBins bins', () => {
    expect([niceStep(0.4), niceStep(0.1), niceStep(0.5), niceStep(3, 10)]).toEqual([0.01, 0.0025, 0.02, 0.5]);
    for (const range of [0.013, 0.37, 1.9, 42]) expect(range / niceStep(range)).toBeLessThanOrEqual(40);
  });

  it('specs are plain JSON with a white background and explicit sizes', () => {
    const specs = [energyHistogramSpec(syntheticLines([25], 20), theory, 'c'), thetaCurvesSpec(P, 2, 'c'), spreadVsSizeSpec(syntheticSummary([25, 50]), 'c')];
    for (const s of specs) expect(JSON.parse(JSON.stringify(s))).toEqual(s);
    expect(specs.every((s) => s.background === 'white')).toBe(true);
    expect(JSON.stringify(specs)).not.toMatch(/"url"/);
  });

  it('energy histogram: one bar per non-empty bin per Λ, rules at −E₀, −E₁..₃, −E∞ in every row', async () => {
    const ns = [25, 50, 100, 250];
    const lines = syntheticLines(ns, 300);
    const spec = energyHistogramSpec(lines, theory, 'p = 3, 300 synthetic restarts per Λ, one coupling draw');
    const svg = await render('energy-histogram', spec);
    const step = niceStep(Math.max(...lines.map((l) => l.energy)) - Math.min(...lines.map((l) => l.energy)));
    const bins = ns.reduce((s, n) => s + new Set(lines.filter((l) => l.n === n).map((l) => Math.floor(l.energy / step))).size, 0);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('[P2] Fig. 3 (left), supp. Fig. 8');
    expect(count(svg, 'bar')).toBe(bins);
    expect(items(svg, 'thresholds')).toHaveLength(ns.length * 5);
  });

  it('energy histogram: the −E∞ rule lies inside the x axis, right of −E₀', async () => {
    const svg = await render('energy-histogram-small', energyHistogramSpec(syntheticLines([25, 50], 50), theory, 'small'));
    const rules = items(svg, 'thresholds');
    const x = (label: string) => translate(rules.find((r) => r.includes(`aria-label="${label}`))!)[0];
    expect(x('−E∞')).toBeGreaterThan(x('−E₀'));
    expect(x('−E∞')).toBeGreaterThan(0);
    expect(x('−E∞')).toBeLessThan(axisLength(svg, 'X'));
  });

  it('Θ curves: one Θ_p line, kMax+1 Θ_{k,p} lines, rules at 0, −E₀..−E_kMax and −E∞', async () => {
    const kMax = 5;
    const svg = await render('theta-curves', thetaCurvesSpec(P, kMax, 'closed forms of [ABC], continuity erratum applied'));
    expect(svg).toContain('[P2] Fig. 2');
    expect(items(svg, 'theta')).toHaveLength(1);
    expect(items(svg, 'theta_k')).toHaveLength(kMax + 1);
    expect(items(svg, 'theta_thresholds')).toHaveLength(2);
    expect(items(svg, 'theta_k_thresholds')).toHaveLength(kMax + 2);
    expect(items(svg, 'theta_zero').length + items(svg, 'theta_k_zero').length).toBe(2);
  });

  it('Θ curves: the zoom panel spans [−E₀ − 0.02, −E∞ + 0.005] with −E∞ inside it', async () => {
    const spec = thetaCurvesSpec(P, 2, 'zoom');
    const x = JSON.stringify(spec).match(/"u","type":"quantitative","scale":\{"domain":\[([^\]]+)\]/g)!;
    expect(x[1]).toContain(`${-theory.E0 - 0.02},${-theory.Einf + 0.005}`);
    const svg = await specToSvg(spec);
    const rule = items(svg, 'theta_k_thresholds').find((r) => r.includes('aria-label="−E∞'))!;
    expect(translate(rule)[0]).toBeGreaterThan(0);
    expect(translate(rule)[0]).toBeLessThan(440);
  });

  it('spread vs Λ: a mean point and an sd bar per group, two threshold rules inside the y axis', async () => {
    const ns = [25, 50, 100, 250, 500];
    const svg = await render('spread-vs-size', spreadVsSizeSpec(syntheticSummary(ns), '5 synthetic sizes, 100 restarts each'));
    expect(svg).toContain('spread of the final H/Λ against size Λ');
    expect(items(svg, 'mean')).toHaveLength(ns.length);
    expect(items(svg, 'sd')).toHaveLength(ns.length);
    const y = translate(items(svg, 'thresholds').find((r) => r.includes('aria-label="−E∞'))!)[1];
    expect(y).toBeGreaterThan(0);
    expect(y).toBeLessThan(axisLength(svg, 'Y'));
  });

  it('spread vs Λ: several instances get one point each and a colour legend', async () => {
    const svg = await render('spread-vs-size-instances', spreadVsSizeSpec(syntheticSummary([25, 100], 3), 'three instances'));
    expect(items(svg, 'mean')).toHaveLength(6);
    expect(count(svg, 'legend')).toBe(1);
  });

  it('specToSvg refuses a spec that asks for external data', async () => {
    const spec = { data: { url: 'https://example.com/energies.json' }, mark: 'point', encoding: { x: { field: 'e', type: 'quantitative' } } } as FigureSpec;
    await expect(specToSvg(spec)).rejects.toThrow(/external resource refused/);
  });

  it('wrapText breaks a long caption at word boundaries', () => {
    const lines = wrapText('a '.repeat(100).trim(), 30);
    expect(lines.every((l) => l.length <= 30)).toBe(true);
    expect(lines.join(' ')).toBe('a '.repeat(100).trim());
  });
});

describe('[P2] Fig. 1 (sharp asymptotic mean counts)', () => {
  it('renders one line per index plus the total, with the −ΛE0 and −ΛE∞ rules', async () => {
    const { meanCountSpec } = await import('../src/report/asymptotics-figure.js');
    const { specToSvg } = await import('../src/report/render.js');
    const svg = await specToSvg(meanCountSpec(3, 1000, 3, 'test caption'));
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('[P2] Fig. 1');
    expect((svg.match(/aria-roledescription="line mark"/g) ?? []).length).toBe(5);
    expect(svg).toContain('−ΛE∞ = −1633.0');
  });
});
