// <landscape-lab>: spin-glass or network ensembles run live in Web Workers (the same wasm binary
// as Node), with the histogram redrawn as tasks finish. Embed with one module script and one tag:
//   <script type="module" src="bundle/landscape-lab.js"></script>
//   <landscape-lab mnist="mnist/"></landscape-lab>
// The whole state lives in the page's query string. Works without cross-origin isolation and under
// `script-src 'self' 'wasm-unsafe-eval'`: Vega runs its expressions through vega-interpreter.
import * as vega from 'vega';
import { compile } from 'vega-lite';
import { expressionInterpreter } from 'vega-interpreter';
import { createPool, type Pool } from '../pool/pool.js';
import { summarize } from '../pspin/experiment.js';
import { summarizeMlp, type MlpRecord } from '../mlp/experiment.js';
import type { RestartResult } from '../pspin/batch.js';
import { energyHistogramSpec } from '../report/pspin-figures.js';
import { testLossHistogramSpec } from '../report/mlp-figures.js';
import type { FigureSpec } from '../report/render.js';
import { DEFAULT_STATE, LIMITS, parseState, stateToQuery, type WidgetState } from './state.js';
import { mlpSettings, pspinExperiment, widgetTasks } from './ensembles.js';

const STYLE = `:host{display:block;font:14px/1.4 system-ui,sans-serif;color:#222}
form{display:flex;flex-wrap:wrap;gap:.5em 1em;align-items:end;margin-bottom:.8em}
label{display:flex;flex-direction:column;font-size:12px;color:#555}input,select{font:inherit;width:8em}
button{font:inherit;padding:.3em 1em}.status{font-size:12px;color:#555;margin:.3em 0}`;

type Field = { key: keyof WidgetState; label: string; modes: WidgetState['mode'][]; list?: boolean };
const FIELDS: Field[] = [
  { key: 'p', label: 'p', modes: ['pspin'] },
  { key: 'n', label: 'sizes Λ', modes: ['pspin'], list: true },
  { key: 'restarts', label: 'restarts', modes: ['pspin'] },
  { key: 'hidden', label: 'hidden widths n1', modes: ['mlp'], list: true },
  { key: 'runs', label: 'nets per width', modes: ['mlp'] },
  { key: 'epochs', label: 'epochs', modes: ['mlp'] },
  { key: 'trainSize', label: 'training images', modes: ['mlp'] },
  { key: 'seed', label: 'seed', modes: ['pspin', 'mlp'] },
  { key: 'workers', label: 'workers', modes: ['pspin', 'mlp'] },
];

export class LandscapeLab extends HTMLElement {
  state: WidgetState = { ...DEFAULT_STATE };
  /** Finished result lines in task order (holes until every task is in). */
  results: unknown[] = [];
  done = false;
  error: string | null = null;
  private pool: Pool | null = null;
  private abort: AbortController | null = null;
  private view: vega.View | null = null;
  private redrawTimer: ReturnType<typeof setTimeout> | null = null;
  private root = this.attachShadow({ mode: 'open' });

  connectedCallback(): void {
    this.state = parseState(location.search);
    const autorun = new URLSearchParams(location.search).get('autorun') === '1' || this.hasAttribute('autorun');
    this.root.innerHTML = `<style>${STYLE}</style><form part="controls"></form><div class="status" part="status"></div><div class="figure" part="figure"></div>`;
    this.renderControls();
    history.replaceState(null, '', stateToQuery(this.state) + location.hash);
    if (autorun) void this.run();
  }

  disconnectedCallback(): void { void this.stop(); }

  /** The results as the CLI writes them: one JSON line per restart or net, in task order. */
  get jsonl(): string { return this.results.flat().map((l) => JSON.stringify(l) + '\n').join(''); }

  private get form() { return this.root.querySelector('form')!; }
  private status(text: string) { this.root.querySelector('.status')!.textContent = text; }

  private renderControls(): void {
    const s = this.state;
    const field = (f: Field) => {
      const v = s[f.key];
      const lim = LIMITS[f.key as keyof typeof LIMITS];
      return `<label>${f.label}<input name="${f.key}" value="${Array.isArray(v) ? v.join(',') : v}" ${f.list ? '' : `type="number" min="${lim[0]}" max="${lim[1]}"`}></label>`;
    };
    this.form.innerHTML = `<label>ensemble<select name="mode"><option value="pspin"${s.mode === 'pspin' ? ' selected' : ''}>spin glass</option><option value="mlp"${s.mode === 'mlp' ? ' selected' : ''}>networks (MNIST)</option></select></label>
      ${FIELDS.filter((f) => f.modes.includes(s.mode)).map(field).join('')}<button type="submit" name="run">Run</button><button type="button" name="stop">Stop</button>`;
    this.form.onsubmit = (e) => { e.preventDefault(); void this.run(); };
    (this.form.elements.namedItem('stop') as HTMLButtonElement).onclick = () => void this.stop();
    this.form.onchange = (e) => {
      this.readControls();
      if ((e.target as HTMLElement).getAttribute('name') === 'mode') this.renderControls();
    };
  }

  /** Controls → state → URL; invalid entries fall back to the previous or default value. */
  private readControls(): void {
    const q = new URLSearchParams(stateToQuery(this.state).slice(1));
    for (const el of Array.from(this.form.elements) as HTMLInputElement[]) if (el.name && el.value !== undefined && el.tagName !== 'BUTTON') q.set(el.name, el.value.replace(/\s+/g, ''));
    this.state = parseState(`?${q}`);
    history.replaceState(null, '', stateToQuery(this.state) + location.hash);
  }

  async run(): Promise<void> {
    await this.stop();
    this.readControls();
    const s = { ...this.state };
    const mnist = new URL(this.getAttribute('mnist') ?? 'mnist/', document.baseURI).href;
    const tasks = widgetTasks(s, mnist);
    this.results = new Array(tasks.length);
    this.done = false;
    this.error = null;
    let finished = 0;
    const started = performance.now();
    this.status(`starting ${s.workers} worker(s)…`);
    try {
      this.pool = await createPool({ workers: s.workers, binary: 'simd' });
      this.abort = new AbortController();
      await this.pool.run(tasks, {
        signal: this.abort.signal,
        onResult: (i, r) => {
          this.results[i] = r;
          finished++;
          this.status(`${finished} of ${tasks.length} tasks, ${((performance.now() - started) / 1000).toFixed(1)} s`);
          this.scheduleRedraw(s);
        },
      });
      this.done = true;
      this.status(`done: ${tasks.length} tasks in ${((performance.now() - started) / 1000).toFixed(1)} s on ${s.workers} worker(s), seed ${s.seed}`);
      await this.redraw(s);
      this.dispatchEvent(new CustomEvent('landscape-done', { detail: { state: s, jsonl: this.jsonl } }));
    } catch (e) {
      if ((e as Error).name !== 'AbortError') {
        this.error = String((e as Error).message ?? e);
        this.status(`error: ${this.error}`);
      }
    } finally {
      await this.pool?.terminate();
      this.pool = null;
    }
  }

  async stop(): Promise<void> {
    this.abort?.abort();
    this.abort = null;
  }

  private scheduleRedraw(s: WidgetState): void {
    if (this.redrawTimer) return;
    this.redrawTimer = setTimeout(() => { this.redrawTimer = null; void this.redraw(s); }, 250);
  }

  private spec(s: WidgetState): FigureSpec | null {
    const caption = `live: seed ${s.seed}, ${s.workers} worker(s); same bytes as the CLI`;
    if (s.mode === 'pspin') {
      const lines = this.results.filter(Boolean).flat() as RestartResult[];
      if (!lines.length) return null;
      const sum = summarize(pspinExperiment(s), lines);
      return energyHistogramSpec(lines, { E0: sum.E0, Einf: sum.Einf }, `landscape pspin --p ${s.p} --n ${s.n.join(',')} --restarts ${s.restarts}; ${caption}`);
    }
    const records = this.results.filter(Boolean) as MlpRecord[];
    if (!records.length) return null;
    const settings = mlpSettings(s);
    return testLossHistogramSpec(records, summarizeMlp(settings, records), `landscape mlp --hidden ${s.hidden.join(',')} --runs ${s.runs} --epochs ${s.epochs} --train-size ${s.trainSize}; ${caption}`);
  }

  private async redraw(s: WidgetState): Promise<void> {
    const spec = this.spec(s);
    if (!spec) return;
    const container = this.root.querySelector('.figure') as HTMLElement;
    const runtime = vega.parse(compile(spec).spec, undefined, { ast: true });
    const view = new vega.View(runtime, { renderer: 'svg', container, hover: false, expr: expressionInterpreter } as vega.ViewOptions);
    await view.runAsync();
    this.view?.finalize();
    this.view = view;
  }
}

if (!customElements.get('landscape-lab')) customElements.define('landscape-lab', LandscapeLab);
