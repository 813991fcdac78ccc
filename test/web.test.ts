// The embeddable page in headless Chromium, served as static files under the strict CSP: for the
// experiments of the registry it runs small settings whose result lines equal those Node computes
// with the same descriptor bit for bit, draws every figure, logs no error, requests nothing
// outside its own origin, restores its state from the URL, puts bad input beside its field
// without running anything, and says where a stopped run stopped.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
// @ts-expect-error plain ESM helpers shared with the benchmarks
import { serveStatic, launchChromium, chromiumAvailable, STRICT_CSP } from '../scripts/chromium.mjs';
// @ts-expect-error plain ESM script
import { buildDemo } from '../scripts/demo.mjs';
import { createPool } from '../dist/pool/pool.js';
import { EXPERIMENTS, experimentNamed } from '../dist/registry.js';
import { resolveSettings } from '../dist/experiment/descriptor.js';
import { fieldProblem } from '../dist/experiment/fields.js';
import { PAGE_PROFILES, pageFields, parseState, readState, stateToQuery } from '../dist/web/state.js';

const OUT = fileURLToPath(new URL('../test-output', import.meta.url));
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => { for (const c of cleanups.reverse()) await c(); });

type Page = Awaited<ReturnType<Awaited<ReturnType<typeof launchChromium>>['context']['newPage']>>;
let server: { url: string; close: () => Promise<void> };
let browser: Awaited<ReturnType<typeof launchChromium>>;

/** The oracle: the descriptor from dist/ run in Node as src/run/runner.ts runs it. */
async function nodeRun(name: string, profile: string, overrides: Record<string, unknown>): Promise<{ jsonl: string; figures: number }> {
  const exp = experimentNamed(name)!;
  const s = resolveSettings(exp, profile, overrides);
  const tasks = exp.tasks(s, { options: {} });
  const pool = await createPool({ workers: 2 });
  try {
    const results = await pool.run(tasks);
    const lines = tasks.flatMap((t, i) => (exp.toLines ? exp.toLines(t.params, results[i]) : Array.isArray(results[i]) ? results[i] : [results[i]]));
    return { jsonl: lines.map((l) => JSON.stringify(l) + '\n').join(''), figures: exp.figures(s, lines, exp.summarize(s, lines), '').length };
  } finally {
    await pool.terminate();
  }
}

async function open(query: string): Promise<{ page: Page; errors: string[]; requests: string[] }> {
  const page = await browser.context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('pageerror', (e: Error) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m: { type(): string; text(): string }) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  page.on('request', (r: { url(): string }) => requests.push(r.url()));
  // The element's event does not bubble; a capturing listener on the document still sees it.
  await page.addInitScript(() => document.addEventListener('landscape-done', (e) => { (window as unknown as { doneDetail: unknown }).doneDetail = (e as CustomEvent).detail; }, true));
  await page.setViewportSize({ width: 1100, height: 900 });
  await page.goto(`${server.url}/${query}`);
  await page.waitForFunction(() => !!document.querySelector('landscape-lab')?.shadowRoot?.querySelector('.fields input'));
  return { page, errors, requests };
}

const finished = (page: Page) => page.waitForFunction(() => {
  const el = document.querySelector('landscape-lab') as unknown as { done: boolean; error: string | null } | null;
  return !!el && (el.done || !!el.error);
}, null, { timeout: 90_000 });
const widget = (page: Page) => page.evaluate(() => {
  const el = document.querySelector('landscape-lab') as unknown as { jsonl: string; error: string | null; done: boolean; results: unknown[]; shadowRoot: ShadowRoot };
  const r = el.shadowRoot;
  return {
    jsonl: el.jsonl, error: el.error, done: el.done, results: el.results.length, search: location.search,
    svgs: Array.from(r.querySelectorAll('.figures figure')).filter((f) => f.querySelector('.plot svg')).length,
    status: r.querySelector('.status')?.textContent ?? '',
    errorsByFlag: Object.fromEntries(Array.from(r.querySelectorAll('.field')).map((f) => [(f as HTMLElement).dataset.flag, f.querySelector('.error')!.textContent])),
  };
});
const controls = (page: Page) => page.evaluate(() => Object.fromEntries(Array.from(document.querySelector('landscape-lab')!.shadowRoot!.querySelectorAll('input,select'))
  .map((e) => [(e as HTMLInputElement).name, (e as HTMLInputElement).type === 'checkbox' ? String((e as HTMLInputElement).checked) : (e as HTMLInputElement).value])));
const foreign = (requests: string[]) => requests.filter((u) => new URL(u).origin !== new URL(server.url).origin);
const poolRequests = (requests: string[]) => requests.filter((u) => /worker\.js|\.wasm$/.test(new URL(u).pathname));

describe('the page state (Node)', () => {
  it('the page caps admit every profile the page offers', () => {
    for (const exp of EXPERIMENTS) for (const profile of PAGE_PROFILES) {
      const s = resolveSettings(exp, profile);
      expect(readState(exp.name, profile, new Map()).errors).toEqual({});
      expect(pageFields(exp).map((f: { key: string }) => fieldProblem(f, s[f.key])).filter(Boolean)).toEqual([]);
    }
  });

  it('a URL holds only what differs from the profile; bad values fall back to it', () => {
    expect(stateToQuery(parseState('?exp=pspin&profile=smoke&n=9,16&seed=3&workers=2'))).toBe('?exp=pspin&profile=smoke&seed=3');
    expect(stateToQuery(parseState('?exp=mlp&train-size=300&batch=400'))).toBe('?exp=mlp&profile=smoke&train-size=300'); // batch > train-size
    expect(stateToQuery(parseState('?exp=pspin&p=9&n=1,x&restarts=-3&workers=99'))).toBe(stateToQuery(parseState('?exp=nope')));
  });
});

describe.skipIf(!chromiumAvailable())('the embeddable page (<landscape-lab>) in Chromium', () => {
  beforeAll(async () => {
    const dir = buildDemo();
    server = await serveStatic({ root: dir, headers: { 'content-security-policy': STRICT_CSP } });
    cleanups.push(server.close);
    browser = await launchChromium();
    cleanups.push(browser.close);
    mkdirSync(OUT, { recursive: true });
  }, 60_000);

  it.each([
    ['pspin', '?exp=pspin&profile=smoke&n=8,13&restarts=12&seed=5', { ns: [8, 13], restarts: 12, seed: 5 }],
    ['mlp', '?exp=mlp&profile=smoke&hidden=4,9&runs=3&epochs=1&train-size=300&test-size=200&seed=5', { hidden: [4, 9], runs: 3, epochs: 1, trainSize: 300, testSize: 200, seed: 5 }],
    ['theory', '?exp=theory&profile=smoke&p=4&k=3', { p: 4, k: 3 }],
    // exact f64 Hessians, spectra, inertia and the SLQ calibration: the same bytes in Chromium as in Node
    ['hessian', '?exp=hessian&profile=smoke&hidden=3&runs=2&seed=5', { hidden: [3], runs: 2, seed: 5 }],
  ])('%s: the page\'s lines equal Node\'s bit for bit and every figure renders, under the strict CSP with no errors or foreign requests', async (name, query, overrides) => {
    const { page, errors, requests } = await open(`${query}&autorun=1`);
    await finished(page);
    const w = await widget(page);
    expect(w.error).toBeNull();
    const node = await nodeRun(name, 'smoke', overrides);
    expect(w.jsonl).toBe(node.jsonl);
    expect(w.svgs).toBe(node.figures);
    const detail = await page.evaluate(() => (window as unknown as { doneDetail: { state: { exp: string }; jsonl: string } }).doneDetail);
    expect({ exp: detail.state.exp, jsonl: detail.jsonl }).toEqual({ exp: name, jsonl: node.jsonl });
    expect(errors).toEqual([]);
    expect(foreign(requests)).toEqual([]);
    await page.screenshot({ path: join(OUT, `widget-${name}.png`), fullPage: true });
    await page.close();
  }, 120_000);

  it('a link restores the controls and the page rewrites it canonically; an edit updates the URL', async () => {
    const query = '?exp=mlp&profile=smoke&hidden=5,7&runs=4&epochs=3&train-size=200&seed=9&workers=1';
    const { page, errors } = await open(query);
    expect(await controls(page)).toMatchObject({ exp: 'mlp', profile: 'smoke', seed: '9', workers: '1', hidden: '5,7', runs: '4', epochs: '3', 'train-size': '200', bias: 'false' });
    expect((await widget(page)).search).toBe(stateToQuery(parseState(query)));
    await page.locator('landscape-lab input[name=runs]').fill('11');
    await page.locator('landscape-lab input[name=runs]').dispatchEvent('change');
    expect(parseState((await widget(page)).search).overrides.runs).toBe(11);
    // Another experiment starts from its profile; the seed and workers carry over.
    await page.locator('landscape-lab select[name=exp]').selectOption('theory');
    expect(await controls(page)).toEqual({ exp: 'theory', profile: 'smoke', p: '3', k: '5', seed: '9', workers: '1' });
    expect((await widget(page)).search).toBe('?exp=theory&profile=smoke&seed=9&workers=1');
    await page.goto(`${server.url}/?exp=pspin&p=9&n=1,x&restarts=-3&seed=4`);
    await page.waitForFunction(() => !!document.querySelector('landscape-lab')?.shadowRoot?.querySelector('input[name=n]'));
    expect((await widget(page)).search).toBe('?exp=pspin&profile=smoke&seed=4');
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it('offers every registered experiment in a select wide enough for its labels', async () => {
    const { page } = await open('?exp=mlp');
    const sel = await page.evaluate(() => {
      const root = document.querySelector('landscape-lab')!.shadowRoot!;
      const ctx = document.createElement('canvas').getContext('2d')!;
      return Array.from(root.querySelectorAll('select')).map((s) => {
        ctx.font = getComputedStyle(s).font;
        return { name: s.name, options: Array.from(s.options).map((o) => o.text), width: s.clientWidth, text: Math.max(...Array.from(s.options).map((o) => ctx.measureText(o.text).width)) };
      });
    });
    expect(sel.find((s) => s.name === 'exp')!.options).toEqual(EXPERIMENTS.map((e) => e.label));
    for (const s of sel) expect(s.width, s.name).toBeGreaterThan(s.text);
    await page.screenshot({ path: join(OUT, 'widget-form-mlp.png'), fullPage: true });
    await page.close();
  }, 60_000);

  it('bad input shows its message beside its field, keeps the URL and runs nothing', async () => {
    const { page, errors, requests } = await open('?exp=pspin&profile=smoke&seed=3');
    const before = await widget(page);
    await page.locator('landscape-lab input[name=n]').fill('25,abc');
    await page.locator('landscape-lab input[name=p]').fill('400');
    await page.locator('landscape-lab button[name=run]').click();
    const after = await widget(page);
    expect(after.errorsByFlag.n).toBe('expected sizes, a comma-separated list of distinct integers in [2, 300], got "abc"');
    expect(after.errorsByFlag.p).toBe('expected an interaction order, an integer in [2, 5]');
    expect({ search: after.search, status: after.status, results: after.results, pool: poolRequests(requests) }).toEqual({ search: before.search, status: before.status, results: 0, pool: [] });
    await page.screenshot({ path: join(OUT, 'widget-error.png'), fullPage: true });
    // Corrected, the same form runs and the messages go.
    await page.locator('landscape-lab input[name=n]').fill('8,13');
    await page.locator('landscape-lab input[name=p]').fill('3');
    await page.locator('landscape-lab button[name=run]').click();
    await finished(page);
    const fixed = await widget(page);
    expect({ done: fixed.done, search: fixed.search, messages: Object.values(fixed.errorsByFlag).filter(Boolean) }).toEqual({ done: true, search: '?exp=pspin&profile=smoke&n=8,13&seed=3', messages: [] });
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it('a cross check (batch above the training set) goes beside the flag it names', async () => {
    const { page, requests } = await open('?exp=mlp&profile=smoke&train-size=300');
    await page.locator('landscape-lab input[name=batch]').fill('400');
    await page.locator('landscape-lab button[name=run]').click();
    const w = await widget(page);
    expect(w.errorsByFlag.batch).toBe('--batch: 400 is larger than the training set (--train-size 300)');
    expect(poolRequests(requests)).toEqual([]);
    await page.close();
  }, 60_000);

  it('Stop says how far the run got, and stays so', async () => {
    const { page, errors } = await open('?exp=pspin&profile=quick&workers=1');
    await page.locator('landscape-lab button[name=run]').click();
    await page.waitForFunction(() => /^\d+ of \d+ tasks/.test(document.querySelector('landscape-lab')!.shadowRoot!.querySelector('.status')!.textContent!), null, { timeout: 60_000 });
    await page.locator('landscape-lab button[name=stop]').click();
    await page.waitForFunction(() => /^stopped/.test(document.querySelector('landscape-lab')!.shadowRoot!.querySelector('.status')!.textContent!));
    await page.waitForTimeout(700);
    const w = await widget(page);
    expect(w.status).toMatch(/^stopped after [1-9]\d* of \d+ tasks/);
    expect(w.done).toBe(false);
    await page.screenshot({ path: join(OUT, 'widget-stopped.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);
});
