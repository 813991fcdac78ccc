// Figures are Vega-Lite specs (plain JSON) so the web page can hand the very same objects to
// vega-embed; this file holds the frame they share and the one headless SVG renderer.
// vega and vega-lite are imported lazily: building a spec never loads the renderer.
import type { TopLevelSpec } from 'vega-lite';

export type FigureSpec = TopLevelSpec;

export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Typographic minus: "−1.657" rather than "-1.657". */
export const fmt = (x: number, digits = 3) => x.toFixed(digits).replace('-', '−');

/** Unicode subscript digits, for labels such as −E₁₂. */
export const sub = (k: number) => String(k).replace(/\d/g, (d) => '₀₁₂₃₄₅₆₇₈₉'[Number(d)]);

/** Greedy word wrap; Vega titles do not wrap on their own, and a subtitle may be a string[]. */
export function wrapText(text: string, width = 110): string[] {
  const lines: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(/\s+/).filter(Boolean)) {
      if (line && line.length + 1 + word.length > width) {
        lines.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    lines.push(line);
  }
  return lines;
}

/** wrapText into as few lines, but of even length: no last line holding a single short word. */
export function balancedWrap(text: string, width: number): string[] {
  const lines = wrapText(text, width);
  if (lines.length < 2) return lines;
  for (let w = Math.ceil(text.length / lines.length); w < width; w++) {
    const even = wrapText(text, w);
    if (even.length === lines.length) return even;
  }
  return lines;
}

/**
 * The top-level properties every figure carries: the [P2] figure it reproduces as the title,
 * the caller's description of the run as the subtitle, a white background and a generic font
 * (headless rendering has no font files; a browser substitutes its own sans-serif). Title and
 * subtitle are wrapped so that neither makes the figure wider than its plot: `wrap` is the
 * subtitle's line length in characters (the title's is 4/5 of it, its font being larger).
 * Axis labels keep 3 px between neighbours (Vega drops the ones that would come closer).
 */
export function figureFrame(title: string, caption: string, opts: { wrap?: number } = {}) {
  const wrap = opts.wrap ?? 110;
  const titleLines = balancedWrap(title, Math.round(wrap * 0.8));
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: titleLines.length === 1 ? titleLines[0] : titleLines, subtitle: wrapText(caption, wrap), anchor: 'start' as const, offset: 12 },
    background: 'white',
    padding: 12,
    config: {
      font: 'sans-serif',
      view: { stroke: '#ccc' },
      axis: { labelFontSize: 10, titleFontSize: 11, titleFontWeight: 'normal' as const, labelOverlap: true, labelSeparation: 3 },
      title: { fontSize: 14, subtitleFontSize: 11, subtitleColor: '#444' },
    },
  };
}

/** An integer count axis: ticks at whole numbers only, printed without decimals. */
export const countAxis = (title: string) => ({ title, tickCount: 3, tickMinStep: 1, format: 'd' });

/**
 * A log axis labelled at the powers of ten only, as 10⁻⁶ rather than 0.000001 (the ticks and
 * grid lines in between stay, unlabelled). Plain Vega expressions, so the page's interpreter runs them.
 */
export function logAxis(title: string) {
  const e = 'round(log(datum.value) / LN10)';
  const digit = (d: string) => `slice('⁰¹²³⁴⁵⁶⁷⁸⁹', ${d}, ${d} + 1)`;
  const a = `abs(${e})`;
  const sup = `(${e} < 0 ? '⁻' : '') + (${a} >= 10 ? ${digit(`floor(${a} / 10)`)} : '') + ${digit(`${a} % 10`)}`;
  return {
    title,
    labelExpr: `abs(log(datum.value) / LN10 - ${e}) < 1e-6 ? (${e} === 0 ? '1' : ${e} === 1 ? '10' : '10' + ${sup}) : ''`,
    labelFontSize: 11,
  };
}

/**
 * Advance widths of printable ASCII in Helvetica / Arial / Liberation Sans (what browsers give a
 * "sans-serif" SVG text here), in hundredths of an em; [regular, bold] per character from ' '.
 */
const ASCII_WIDTHS: [string, string] = [
  '28 28 35 56 56 89 67 19 33 33 39 58 28 33 28 28 56 56 56 56 56 56 56 56 56 56 28 28 58 58 58 56 102 67 67 72 72 67 61 78 72 28 50 67 56 83 72 78 67 78 72 67 61 72 67 94 67 67 61 28 28 28 47 56 33 56 56 50 56 56 28 56 56 22 22 50 22 83 56 56 56 56 33 50 28 56 50 72 50 50 50 33 26 33 58',
  '28 33 47 56 56 89 72 24 33 33 39 58 28 33 28 28 56 56 56 56 56 56 56 56 56 56 33 33 58 58 58 61 98 72 72 72 72 67 61 78 72 28 56 72 61 83 72 78 67 78 72 67 61 72 67 94 67 67 61 33 28 33 58 56 33 56 61 56 61 56 33 61 61 28 28 56 28 89 61 61 61 61 39 56 33 61 56 78 56 56 50 39 28 39 58',
];
const WIDTHS = ASCII_WIDTHS.map((row) => row.split(' ').map(Number));
const SUBSCRIPT = /[\u2080-\u209c\u2070-\u207f\u00b9\u00b2\u00b3]/;

/**
 * Text width in pixels from the table above (5% spare for other sans-serif fonts), for headless
 * rendering: without a canvas Vega guesses 0.8 em per character, which makes every SVG about 40%
 * wider than what it draws, and decides label overlaps on the same guess.
 */
export function estimateTextWidth(text: string, fontSize: number, bold = false): number {
  let em = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    em += c >= 32 && c < 127 ? WIDTHS[bold ? 1 : 0][c - 32] / 100 : ch === '—' ? 1 : ch === '∞' ? 0.72 : SUBSCRIPT.test(ch) ? 0.42 : 0.62;
  }
  return Math.ceil(em * fontSize * 1.05);
}

type TextMetrics = { width: (item: Record<string, unknown>, text: unknown) => number; estimateWidth: unknown };

/** Replaces Vega's 0.8-em guess with estimateTextWidth; leaves a canvas measurement (a browser) alone. */
function useWidthTable(metrics: TextMetrics): void {
  if (metrics.width !== metrics.estimateWidth) return;
  metrics.width = (item, text) => {
    const s = text == null ? '' : String(text).trim();
    const size = item.fontSize != null ? Number(item.fontSize) || 0 : 11;
    const weight = item.fontWeight;
    return estimateTextWidth(s, size, weight === 'bold' || (typeof weight === 'number' && weight >= 600) || weight === '600' || weight === '700');
  };
}

/**
 * A loader that refuses every request and remembers it. Vega only logs a failed data load and
 * renders an empty chart, so specToSvg turns any request into an error after the run.
 */
function offlineLoader(problems: string[]) {
  const refuse = (uri: unknown) => {
    problems.push(`external resource refused (figures carry inline data): ${String(uri)}`);
    return Promise.reject(new Error('specToSvg: network and file access are disabled'));
  };
  return { load: refuse, sanitize: refuse, http: refuse, file: refuse };
}

/**
 * Compiles a Vega-Lite spec and renders it to an SVG string without a DOM (Node or browser).
 * Rejects when Vega reports an error or the spec asks for anything but inline data.
 */
export async function specToSvg(spec: FigureSpec): Promise<string> {
  const [vega, vl] = await Promise.all([import('vega'), import('vega-lite')]);
  useWidthTable((vega as unknown as { textMetrics: TextMetrics }).textMetrics);
  const problems: string[] = [];
  const logger = vega.logger(vega.Error);
  logger.error = (...args: readonly unknown[]) => (problems.push(args.map(String).join(' ')), logger);
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none', loader: offlineLoader(problems) as never, logger });
  try {
    const svg = await view.toSVG();
    if (problems.length) throw new Error(`specToSvg: ${[...new Set(problems)].join('; ')}`);
    return svg;
  } finally {
    view.finalize();
  }
}
