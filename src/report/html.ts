// report.html: one self-contained page (inline SVG figures, inline CSS, no script, no network),
// assembled from sections. Each figure carries its [P2] label in its own title (figureFrame) and
// the page header states exactly what was run. Platform-neutral: callers pass data, not paths.
import { specToSvg, type FigureSpec } from './render.js';
import { reportTitle, type Claim } from '../experiment/claims.js';

export interface RunFacts {
  command: string;
  profile?: string;
  seed: number;
  date: string;
  cores: number;
  cpu?: string;
  versions: Record<string, string>;
  /** Wall time of each stage, with its workers. */
  stages: { name: string; seconds: number; workers?: number }[];
}

export interface ReportFigure {
  /** Anchor id, also used by tests to find the figure. */
  id: string;
  /** The [P2] figure or table it corresponds to, e.g. "[P2] Fig. 3 (left)". */
  label: string;
  spec: FigureSpec;
}

export interface ReportSection {
  id: string;
  title: string;
  /** Short factual sentences computed from the results (HTML-escaped here). */
  findings: string[];
  figures: ReportFigure[];
  /** Pre-built tables: rows of cells, the first row is the header. */
  tables?: { caption: string; rows: (string | number)[][] }[];
}

export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

// Figures scale down to their column (max-width 100% on an SVG with a viewBox keeps its aspect)
// and never up; the tables scroll sideways on a narrow screen rather than squeeze.
const CSS = `body{font:15px/1.5 system-ui,sans-serif;max-width:1180px;margin:2em auto;padding:0 1em;color:#222}
h1{font-size:1.6em;margin-bottom:.2em}h2{margin-top:2em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:1em 0;font-variant-numeric:tabular-nums}td,th{border:1px solid #ccc;padding:.2em .6em;text-align:right}
th{background:#f4f4f4}caption{caption-side:top;text-align:left;font-weight:600;padding:.3em 0}
figure{margin:1.5em 0}figure svg{display:block;max-width:100%;height:auto}figcaption{font-size:.9em;color:#444}
.facts td,.facts th,td.t,th.t{text-align:left}.side{display:flex;flex-wrap:wrap;gap:1em}.side figure{flex:1 1 440px;min-width:0;margin:0}
@media (max-width:700px){body{font-size:14px}td,th{padding:.15em .35em}}
.wide{overflow-x:auto}
ul.findings li{margin:.3em 0}`;

function table(t: { caption: string; rows: (string | number)[][] }): string {
  const [head, ...body] = t.rows;
  // Numbers read best right-aligned, sentences left-aligned: a column is numeric when every
  // body cell starts like a number (a sign, a digit, a dot or a dash for "none").
  const numeric = head.map((_, j) => body.every((r) => typeof r[j] === 'number' || /^\s*([−+-]?[\d.]|–$|-$)/.test(String(r[j] ?? ''))));
  const cells = (r: (string | number)[], tag: string) =>
    `<tr>${r.map((c, j) => `<${tag}${numeric[j] ? '' : ' class="t"'}>${escapeHtml(String(c))}</${tag}>`).join('')}</tr>`;
  return `<div class="wide"><table><caption>${escapeHtml(t.caption)}</caption><thead>${cells(head, 'th')}</thead><tbody>${body.map((r) => cells(r, 'td')).join('')}</tbody></table></div>`;
}

async function figure(f: ReportFigure): Promise<string> {
  const svg = await specToSvg(f.spec);
  return `<figure id="${escapeHtml(f.id)}" data-label="${escapeHtml(f.label)}">${svg}<figcaption>${escapeHtml(f.label)}</figcaption></figure>`;
}

function facts(run: RunFacts): string {
  const rows: [string, string][] = [
    ['command', run.command],
    ...(run.profile ? [['profile', run.profile] as [string, string]] : []),
    ['seed', String(run.seed)],
    ['finished', run.date],
    ['machine', `${run.cores} cores${run.cpu ? `, ${run.cpu}` : ''}`],
    ['wall time', run.stages.map((s) => `${s.name} ${s.seconds.toFixed(1)} s${s.workers ? ` on ${s.workers} worker(s)` : ''}`).join('; ')],
    ['versions', Object.entries(run.versions).map(([k, v]) => `${k} ${v}`).join(', ')],
  ];
  return `<table class="facts"><caption>What was run</caption><tbody>${rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</tbody></table>`;
}

/** Figures shown next to each other: after the section `after`, or at the end (id default 'side-by-side'). */
export interface SidePair { id?: string; after?: string; title: string; caption: string; figures: ReportFigure[] }

/** The whole page. `side`: the pairs of figures shown next to each other. */
export async function buildReport(run: RunFacts, sections: ReportSection[], side?: SidePair | SidePair[], claims: Claim[] = []): Promise<string> {
  const parts: string[] = [];
  const sides = (side === undefined ? [] : Array.isArray(side) ? side : [side]).map((s) => ({ ...s, id: s.id ?? 'side-by-side' }));
  const placed = (s: SidePair) => s.after !== undefined && sections.some((x) => x.id === s.after);
  const pair = async (s: SidePair & { id: string }) => {
    parts.push(`<section id="${escapeHtml(s.id)}"><h2>${escapeHtml(s.title)}</h2><p>${escapeHtml(s.caption)}</p><div class="side">`);
    for (const f of s.figures) parts.push(await figure(f));
    parts.push('</div></section>');
  };
  if (claims.length) {
    parts.push(`<section id="status"><h2>What this run reproduces</h2>${table({
      caption: 'Each claim of [P2] and [P1] the registered experiments test, with its status computed from the results on this page',
      rows: [['source', 'claim', 'status', 'what the numbers were'], ...claims.map((c) => [c.source, c.claim, c.status, c.note])],
    })}</section>`);
  }
  for (const s of sections) {
    parts.push(`<section id="${escapeHtml(s.id)}"><h2>${escapeHtml(s.title)}</h2>`);
    if (s.findings.length) parts.push(`<ul class="findings">${s.findings.map((f) => `<li>${escapeHtml(f)}</li>`).join('')}</ul>`);
    for (const t of s.tables ?? []) parts.push(table(t));
    for (const f of s.figures) parts.push(await figure(f));
    parts.push('</section>');
    for (const p of sides.filter((x) => placed(x) && x.after === s.id)) await pair(p);
  }
  for (const p of sides.filter((x) => !placed(x))) await pair(p);
  const toc = [...sections.flatMap((s) => [[s.id, s.title], ...sides.filter((x) => placed(x) && x.after === s.id).map((x) => [x.id, x.title])]), ...sides.filter((x) => !placed(x)).map((x) => [x.id, x.title])]
    .map(([id, t]) => `<li><a href="#${escapeHtml(id)}">${escapeHtml(t)}</a></li>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>loss-landscape-lab report</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<style>${CSS}</style></head>
<body><h1>${escapeHtml(claims.length ? reportTitle(claims) : 'The loss surfaces of multilayer networks')}</h1>
<p>Choromanska, Henaff, Mathieu, Ben Arous &amp; LeCun, <i>The Loss Surfaces of Multilayer Networks</i>, AISTATS 2015 ([P2]).
Every figure below is computed from the result files beside this page by <code>loss-landscape-lab</code>; its title names the [P2] figure or table it corresponds to.</p>
${facts(run)}<ul>${toc}</ul>
${parts.join('\n')}
</body></html>
`;
}
