// The embeddable page in headless Chromium, served as static files under the strict CSP: it runs a
// small spin-glass and a small network ensemble whose result lines equal Node's bit for bit, logs
// no error, requests nothing outside its own origin, and restores its state from the URL.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
// @ts-expect-error plain ESM helpers shared with the benchmarks
import { serveStatic, launchChromium, chromiumAvailable, STRICT_CSP } from '../scripts/chromium.mjs';
// @ts-expect-error plain ESM script
import { buildDemo } from '../scripts/demo.mjs';
import { createPool } from '../dist/pool/pool.js';
import { widgetTasks } from '../dist/web/ensembles.js';
import { parseState, stateToQuery } from '../dist/web/state.js';

const OUT = fileURLToPath(new URL('../test-output', import.meta.url));
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => { for (const c of cleanups.reverse()) await c(); });

type Page = Awaited<ReturnType<Awaited<ReturnType<typeof launchChromium>>['context']['newPage']>>;
let server: { url: string; close: () => Promise<void> };
let browser: Awaited<ReturnType<typeof launchChromium>>;

async function nodeJsonl(query: string): Promise<string> {
  const pool = await createPool({ workers: 2 });
  try {
    const results = await pool.run(widgetTasks(parseState(query)));
    return results.flat().map((l: unknown) => JSON.stringify(l) + '\n').join('');
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
  await page.setViewportSize({ width: 1100, height: 900 });
  await page.goto(`${server.url}/${query}`);
  return { page, errors, requests };
}

const finished = (page: Page) => page.waitForFunction(() => {
  const el = document.querySelector('landscape-lab') as unknown as { done: boolean; error: string | null } | null;
  return !!el && (el.done || !!el.error);
}, null, { timeout: 90_000 });
const widget = (page: Page) => page.evaluate(() => {
  const el = document.querySelector('landscape-lab') as unknown as { jsonl: string; error: string | null; shadowRoot: ShadowRoot };
  return { jsonl: el.jsonl, error: el.error, svgs: el.shadowRoot.querySelectorAll('.figure svg').length, status: el.shadowRoot.querySelector('.status')?.textContent };
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
    ['spin glass', '?mode=pspin&seed=5&workers=2&p=3&n=12,20&restarts=24'],
    ['networks', '?mode=mlp&seed=5&workers=2&hidden=8,20&runs=3&epochs=2&trainSize=300'],
  ])('%s: the page\'s result lines equal Node\'s, bit for bit, under the strict CSP with no errors or foreign requests', async (what, query) => {
    const { page, errors, requests } = await open(`${query}&autorun=1`);
    await finished(page);
    const w = await widget(page);
    expect(w.error).toBeNull();
    expect(w.jsonl).toBe(await nodeJsonl(query));
    expect(w.svgs).toBe(1);
    expect(errors).toEqual([]);
    const origin = new URL(server.url).origin;
    expect(requests.filter((u) => new URL(u).origin !== origin)).toEqual([]);
    await page.screenshot({ path: join(OUT, `widget-${what === 'networks' ? 'mlp' : 'pspin'}.png`), fullPage: true });
    await page.close();
  }, 120_000);

  it('the URL holds the whole state: a link restores the controls, and the page rewrites it canonically', async () => {
    const query = '?mode=mlp&seed=9&workers=1&hidden=5,7&runs=4&epochs=3&trainSize=200';
    const { page, errors } = await open(query);
    await page.waitForFunction(() => !!document.querySelector('landscape-lab')?.shadowRoot?.querySelector('input[name=hidden]'));
    const controls = await page.evaluate(() => Object.fromEntries(Array.from(document.querySelector('landscape-lab')!.shadowRoot!.querySelectorAll('input,select')).map((e) => [(e as HTMLInputElement).name, (e as HTMLInputElement).value])));
    expect(controls).toMatchObject({ mode: 'mlp', seed: '9', workers: '1', hidden: '5,7', runs: '4', epochs: '3', trainSize: '200' });
    expect(await page.evaluate(() => location.search)).toBe(stateToQuery(parseState(query)));
    // Editing a control updates the URL; a bad value falls back to the default.
    await page.evaluate(() => {
      const input = document.querySelector('landscape-lab')!.shadowRoot!.querySelector('input[name=runs]') as HTMLInputElement;
      input.value = '11';
      input.dispatchEvent(new Event('change', { bubbles: true }));
    });
    expect(parseState(await page.evaluate(() => location.search)).runs).toBe(11);
    expect(stateToQuery(parseState('?mode=pspin&p=9&n=1,x&restarts=-3'))).toBe(stateToQuery(parseState('?mode=pspin')));
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});
