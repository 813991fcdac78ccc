// [P2] Fig. 2 as a Vega-Lite spec: the complexity Θ_p(u) of all critical points and, zoomed on
// the band [−E_0, −E∞], the complexities Θ_{k,p}(u) of index-k critical points, whose zeros
// are the layers −E_k. The curves come from theory/complexity.ts, so the figure is the code.
import { eInf, thresholds, theta, thetaK } from '../theory/complexity.js';
import { grid } from '../theory/table.js';
import { figureFrame, fmt, sub, type FigureSpec } from './render.js';
import { INDEX_PALETTE } from './asymptotics-figure.js';

const PANEL = { width: 320, height: 260 };
/** The zoom is wider: its rules for −E₁..−E₅ lie 0.001–0.002 apart, and each needs room for its label. */
const ZOOM = { width: 440, height: 260 };
const RED = '#c0392b';
const DARK = '#222';

/** An even grid on [a, b] with the kink at −E∞ inserted exactly, so the curve bends there. */
function gridWithKink(a: number, b: number, points: number, kink: number): number[] {
  const us = grid(a, b, points);
  if (kink > a && kink < b && !us.includes(kink)) us.push(kink);
  return us.sort((x, y) => x - y);
}

type ColorScale = { domain: string[]; range: string[] };

interface Rule {
  label: string;
  x: number;
  /** the curve's colour key ('k = …') for −E_k, or a fixed colour for −E_0 / −E∞ */
  key: string;
}

/**
 * The layers every panel shares: Θ = 0, the vertical threshold rules and their labels. Rules a
 * few pixels apart get 'stacked' labels, one line each, all starting right of the rightmost rule
 * (so no rule runs through a label); 'hanging' labels run down just left of their own rule.
 * `legend` lets the rules join the curves' colour legend instead of disabling it.
 */
function ruleLayers(panel: string, rules: Rule[], colorScale: ColorScale, opts: { labels: 'stacked' | 'hanging'; legend: boolean }) {
  const rotate = opts.labels === 'hanging';
  const color = { field: 'key', type: 'nominal' as const, scale: colorScale, ...(opts.legend ? {} : { legend: null }) };
  const right = Math.max(...rules.map((r) => r.x));
  return [
    { name: `${panel}_zero`, data: { values: [{}] }, mark: { type: 'rule' as const, color: '#888' }, encoding: { y: { datum: 0 } } },
    {
      name: `${panel}_thresholds`,
      data: { values: rules },
      mark: { type: 'rule' as const, strokeDash: [5, 2], strokeWidth: 1.25 },
      encoding: { x: { field: 'x', type: 'quantitative' as const }, color, description: { field: 'label' } },
    },
    {
      name: `${panel}_threshold_labels`,
      // pixel offsets from the top (y scale: null), so stacked labels need no per-label layer
      data: { values: rules.map((r, i) => ({ ...r, top: rotate ? 0 : 3 + 13 * (rules.length - 1 - i), at: rotate ? r.x : right })) },
      mark: rotate
        ? { type: 'text' as const, angle: -90, align: 'right' as const, baseline: 'bottom' as const, dx: -3, dy: -1, fontSize: 10, fontWeight: 'bold' as const }
        : { type: 'text' as const, align: 'left' as const, baseline: 'top' as const, dx: 4, fontSize: 10, fontWeight: 'bold' as const },
      encoding: { x: { field: 'at', type: 'quantitative' as const }, y: { field: 'top', type: 'quantitative' as const, scale: null }, text: { field: 'label' }, color },
    },
  ];
}

/**
 * Two panels after [P2] Fig. 2: Θ_p(u) on [−E_0 − 0.05, 0], and Θ_{k,p}(u) for k = 0..kMax on
 * [−E_0 − 0.02, −E∞ + 0.005] (≈ [−1.68, −1.63] for p = 3), with rules at Θ = 0, −E_0, −E_k, −E∞.
 */
export function thetaCurvesSpec(p: number, kMax: number, caption: string, points = 400): FigureSpec {
  if (p < 3) throw new RangeError(`thetaCurvesSpec: p ≥ 3 needed (for p = 2, E_0 = E∞ and the band is empty), got ${p}`);
  const Einf = eInf(p);
  const Ek = thresholds(p, kMax);
  const E0 = Ek[0];
  const left = gridWithKink(-E0 - 0.05, 0, points, -Einf).map((u) => ({ u, theta: theta(u, p) }));
  const ks = Ek.map((_, k) => `k = ${k}`);
  const right = gridWithKink(-E0 - 0.02, -Einf + 0.005, points, -Einf).flatMap((u) =>
    Ek.map((_, k) => ({ u, k: ks[k], theta: thetaK(u, p, k) })),
  );
  const palette = INDEX_PALETTE;
  // one scale for curves and rules, so the rule at −E_k takes the colour of the curve Θ_{k,p}
  const fixed: ColorScale = { domain: [...ks, 'E0', 'Einf'], range: [...ks.map((_, k) => palette[k % palette.length]), RED, DARK] };
  const u = (a: number, b: number) => ({ field: 'u', type: 'quantitative' as const, scale: { domain: [a, b], nice: false, zero: false }, axis: { title: 'u = H/Λ' } });
  const frame = figureFrame(`[P2] Fig. 2 — complexity of critical values of the spherical ${p}-spin glass`, caption);
  return {
    ...frame,
    spacing: 40,
    resolve: { scale: { color: 'independent' } },
    hconcat: [
      {
        ...PANEL,
        title: `Θₚ(u): all critical points`,
        layer: [
          {
            name: 'theta',
            data: { values: left },
            mark: { type: 'line', color: '#2e86c1', strokeWidth: 2 },
            encoding: { x: u(-E0 - 0.05, 0), y: { field: 'theta', type: 'quantitative', title: 'Θₚ(u)' } },
          },
          ...ruleLayers(
            'theta',
            [
              { label: `−E₀ = ${fmt(-E0)}`, x: -E0, key: 'E0' },
              { label: `−E∞ = ${fmt(-Einf)}`, x: -Einf, key: 'Einf' },
            ],
            fixed,
            { labels: 'stacked', legend: false },
          ),
        ],
      },
      {
        ...ZOOM,
        title: `Θₖ,ₚ(u), k = 0..${kMax}: critical points of index k (zoom)`,
        layer: [
          {
            name: 'theta_k',
            data: { values: right },
            mark: { type: 'line', strokeWidth: 1.75 },
            encoding: {
              x: u(-E0 - 0.02, -Einf + 0.005),
              y: { field: 'theta', type: 'quantitative', title: 'Θₖ,ₚ(u)' },
              color: { field: 'k', type: 'nominal', scale: fixed, legend: { title: null, values: ks, orient: 'right', symbolType: 'stroke' } },
            },
          },
          ...ruleLayers(
            'theta_k',
            [
              ...Ek.map((E, k) => ({ label: `−E${sub(k)}`, x: -E, key: ks[k] })),
              { label: '−E∞', x: -Einf, key: 'Einf' },
            ],
            fixed,
            { labels: 'hanging', legend: true },
          ),
        ],
      },
    ],
  };
}
