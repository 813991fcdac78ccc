// <landscape-lab>: any registered experiment run live in Web Workers (the same wasm binary as
// Node), with all of its figures redrawn as tasks finish. Embed with one module script and one tag:
//   <script type="module" src="bundle/landscape-lab.js"></script>
//   <landscape-lab mnist="mnist/"></landscape-lab>
// The form is built from the chosen descriptor's fields; the whole state lives in the page's query
// string (state.ts). Works without cross-origin isolation and under `script-src 'self'
// 'wasm-unsafe-eval'`: Vega runs its expressions through vega-interpreter.
import * as vega from 'vega';
import { compile } from 'vega-lite';
import { expressionInterpreter } from 'vega-interpreter';
import { createPool, type Pool } from '../pool/pool.js';
import type { NamedFigure } from '../experiment/descriptor.js';
import { DEFAULT_STATE, experimentOf, parseState, profileSettings, readState, stateToQuery, type WidgetState } from './state.js';
import { linesOfTask, pageFigures, pageRun, toJsonl, type PageRun } from './ensembles.js';
import { controlsHtml, readTexts, showErrors } from './controls.js';

const STYLE = `:host{display:block;font:14px/1.4 system-ui,sans-serif;color:#222}
.head{display:flex;flex-wrap:wrap;gap:.5em 1em;align-items:end;margin-bottom:.6em}
.fields{display:grid;grid-template-columns:repeat(auto-fill,minmax(10.5em,1fr));gap:.5em .8em;margin-bottom:.8em}
label{display:flex;flex-direction:column;gap:.1em;font-size:12px;color:#555;min-width:0}
.flag{font-family:ui-monospace,monospace;white-space:nowrap}
input,select{font:inherit;font-size:14px;box-sizing:border-box;width:100%;min-width:0}
.pick select{width:auto}
.switch input{width:auto;align-self:start;margin:.35em 0}
.invalid input,.invalid select{border:1px solid #b00020;outline-color:#b00020}
.error{color:#b00020;font-size:12px;overflow-wrap:anywhere}.error:empty{display:none}
.head .error{align-self:center;max-width:40em}
button{font:inherit;padding:.3em 1em}
.status{font-size:12px;color:#555;margin:.3em 0;min-height:1.4em}
.figures{display:flex;flex-direction:column;gap:1em}
figure{margin:0;overflow-x:auto}figcaption{font-size:12px;color:#555}
figure svg{max-width:100%;height:auto;display:block}`;

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** Element attributes that supply an experiment's non-setting options: key → [attribute, default]. */
const OPTION_ATTRIBUTES: Record<string, [string, string]> = { mnistDir: ['mnist', 'mnist/'] };

export class LandscapeLab extends HTMLElement {
  state: WidgetState = { ...DEFAULT_STATE };
  /** Raw task results in task order (holes until every task is in). */
  results: unknown[] = [];
  done = false;
  error: string | null = null;
  private lines: unknown[][] = [];
  private current: PageRun | null = null;
  private pool: Pool | null = null;
  private abort: AbortController | null = null;
  private running: Promise<void> | null = null;
  /** Bumped by every run, so a stopped run's late callbacks touch nothing. */
  private generation = 0;
  private redrawTimer: ReturnType<typeof setTimeout> | null = null;
  private drawing: Promise<void> = Promise.resolve();
  private drawQueued = false;
  private root = this.attachShadow({ mode: 'open' });

  connectedCallback(): void {
    this.state = parseState(location.search);
    const autorun = new URLSearchParams(location.search).get('autorun') === '1' || this.hasAttribute('autorun');
    this.root.innerHTML = `<style>${STYLE}</style><form part="controls" novalidate></form><div class="status" part="status" role="status"></div><div class="figures" part="figures"></div>`;
    this.renderControls();
    history.replaceState(null, '', stateToQuery(this.state) + location.hash);
    if (autorun) void this.run();
  }

  disconnectedCallback(): void { void this.stop(); }

  /** The finished tasks' lines as the CLI writes them: one JSON per line, in task order. */
  get jsonl(): string { return toJsonl(this.lines.flat()); }

  private get form() { return this.root.querySelector('form')!; }
  private status(text: string) { this.root.querySelector('.status')!.textContent = text; }

  private renderControls(): void {
    const exp = experimentOf(this.state.exp);
    const values = { ...profileSettings(exp, this.state.profile), ...this.state.overrides };
    this.form.innerHTML = controlsHtml(exp, this.state.profile, values, this.state.workers);
    this.form.onsubmit = (e) => { e.preventDefault(); void this.run(); };
    (this.form.elements.namedItem('stop') as HTMLButtonElement).onclick = () => void this.stop();
    (this.form.elements.namedItem('stop') as HTMLButtonElement).disabled = !this.running;
    this.form.onchange = (e) => {
      const name = (e.target as HTMLElement).getAttribute('name');
      if (name === 'exp' || name === 'profile') {
        // A new experiment or profile starts from its profile; only the seed and workers carry over.
        const seed = this.state.overrides.seed;
        const exp = (this.form.elements.namedItem('exp') as HTMLSelectElement).value;
        const profile = (this.form.elements.namedItem('profile') as HTMLSelectElement).value;
        this.state = readState(exp, profile, new Map([['workers', String(this.state.workers)], ...(seed === undefined ? [] : [['seed', String(seed)] as [string, string]])])).state;
        this.renderControls();
        this.commit();
      } else this.readControls();
    };
  }

  /** Controls → state → URL when every field is valid; else the messages beside their fields. */
  private readControls(): ReturnType<typeof readState> {
    const r = readState(this.state.exp, this.state.profile, readTexts(this.form));
    showErrors(this.form, r.errors);
    if (r.settings) {
      this.state = r.state;
      this.commit();
    }
    return r;
  }

  private commit(): void { history.replaceState(null, '', stateToQuery(this.state) + location.hash); }

  async run(): Promise<void> {
    const r = this.readControls();
    if (!r.settings) return; // bad input runs nothing and keeps the previous state
    await this.stop();
    const gen = ++this.generation;
    const state = { ...this.state };
    const options = Object.fromEntries(Object.entries(OPTION_ATTRIBUTES).map(([key, [attr, dflt]]) => [key, new URL(this.getAttribute(attr) ?? dflt, document.baseURI).href]));
    const run = pageRun(experimentOf(state.exp), r.settings as PageRun['settings'], state.workers, options);
    const { tasks } = run;
    this.current = run;
    this.results = new Array(tasks.length);
    this.lines = new Array(tasks.length);
    this.done = false;
    this.error = null;
    this.clearFigures();
    let finished = 0;
    const started = performance.now();
    const seconds = () => ((performance.now() - started) / 1000).toFixed(1);
    this.status(`starting ${count(state.workers, 'worker')}…`);
    this.running = (async () => {
      const abort = (this.abort = new AbortController());
      this.setStopEnabled(true);
      try {
        this.pool = await createPool({ workers: state.workers, binary: 'simd' });
        await this.pool.run(tasks, {
          signal: abort.signal,
          onResult: (i, result) => {
            if (gen !== this.generation || abort.signal.aborted) return;
            this.results[i] = result;
            this.lines[i] = linesOfTask(run.exp, tasks[i], result);
            finished++;
            this.status(`${finished} of ${tasks.length} tasks, ${seconds()} s`);
            this.scheduleRedraw(gen);
          },
        });
        await this.queueDraw(gen);
        this.done = true;
        this.status(`done: ${count(tasks.length, 'task')}, ${this.lines.flat().length} ${run.exp.unit} in ${seconds()} s on ${count(state.workers, 'worker')}, seed ${run.settings.seed}`);
        this.dispatchEvent(new CustomEvent('landscape-done', { detail: { state, jsonl: this.jsonl } }));
      } catch (e) {
        if (abort.signal.aborted) {
          this.status(`stopped after ${finished} of ${tasks.length} tasks, ${seconds()} s`);
          await this.queueDraw(gen);
        } else {
          this.error = String((e as Error).message ?? e);
          this.status(`error: ${this.error}`);
        }
      } finally {
        await this.pool?.terminate();
        this.pool = null;
        this.abort = null;
        this.running = null;
        this.setStopEnabled(false);
      }
    })();
    await this.running;
  }

  /** Cancels the run (its workers are terminated) and waits until it has settled. */
  async stop(): Promise<void> {
    this.abort?.abort();
    if (this.redrawTimer) clearTimeout(this.redrawTimer);
    this.redrawTimer = null;
    await this.running;
  }

  private setStopEnabled(on: boolean): void {
    const b = this.form.elements.namedItem('stop') as HTMLButtonElement | null;
    if (b) b.disabled = !on;
  }

  private scheduleRedraw(gen: number): void {
    if (this.redrawTimer) return;
    this.redrawTimer = setTimeout(() => {
      this.redrawTimer = null;
      if (!this.drawQueued) void this.queueDraw(gen);
    }, 250);
  }

  /** Draws after any draw in flight; a draw reads the lines at its start, so one queued is enough. */
  private queueDraw(gen: number): Promise<void> {
    this.drawQueued = true;
    this.drawing = this.drawing.then(() => { this.drawQueued = false; return this.draw(gen); }).catch(() => {});
    return this.drawing;
  }

  private clearFigures(): void { this.root.querySelector('.figures')!.replaceChildren(); }

  private async draw(gen: number): Promise<void> {
    const run = this.current;
    if (!run || gen !== this.generation) return;
    const figures = pageFigures(run, this.lines.flat());
    const svgs = await Promise.all(figures.map((f) => renderSvg(f)));
    if (gen !== this.generation) return;
    const box = this.root.querySelector('.figures')!;
    figures.forEach((f, i) => {
      let slot = box.querySelector<HTMLElement>(`figure[data-name="${CSS.escape(f.name)}"]`);
      if (!slot) {
        slot = document.createElement('figure');
        slot.dataset.name = f.name;
        slot.innerHTML = '<div class="plot"></div><figcaption></figcaption>';
      }
      slot.querySelector('figcaption')!.textContent = `${f.label} (${f.name})`;
      if (svgs[i] !== null) slot.querySelector('.plot')!.innerHTML = svgs[i];
      box.appendChild(slot); // in the order of exp.figures
    });
  }
}

/** A figure as SVG text, or null when Vega-Lite or Vega cannot build it from partial data. */
async function renderSvg(f: NamedFigure): Promise<string | null> {
  try {
    const runtime = vega.parse(compile(f.spec).spec, undefined, { ast: true });
    const view = new vega.View(runtime, { renderer: 'none', hover: false, expr: expressionInterpreter } as vega.ViewOptions);
    try {
      return await view.toSVG();
    } finally {
      view.finalize();
    }
  } catch {
    return null;
  }
}

if (!customElements.get('landscape-lab')) customElements.define('landscape-lab', LandscapeLab);
