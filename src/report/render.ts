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

/**
 * The top-level properties every figure carries: the [P2] figure it reproduces as the title,
 * the caller's description of the run as the subtitle, a white background and a generic font
 * (headless rendering has no font files; a browser substitutes its own sans-serif).
 */
export function figureFrame(title: string, caption: string) {
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: title, subtitle: wrapText(caption), anchor: 'start' as const, offset: 12 },
    background: 'white',
    padding: 12,
    config: {
      font: 'sans-serif',
      view: { stroke: '#ccc' },
      axis: { labelFontSize: 10, titleFontSize: 11, titleFontWeight: 'normal' as const },
      title: { fontSize: 14, subtitleFontSize: 11, subtitleColor: '#444' },
    },
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
