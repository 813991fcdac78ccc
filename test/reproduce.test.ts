// The main job end to end on the smoke profile: report.html holds every labelled figure, is
// self-contained, and renders in Chromium without errors or requests; `report DIR` rebuilds it.
import { describe, it, expect, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
// @ts-expect-error plain ESM helpers shared with the browser tests
import { serveStatic, launchChromium, chromiumAvailable } from '../scripts/chromium.mjs';

const bin = fileURLToPath(new URL('../bin/landscape.js', import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 300_000 });
const dir = join(mkdtempSync(join(tmpdir(), 'reproduce-')), 'results');
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => { for (const c of cleanups.reverse()) await c(); });

describe('landscape reproduce --profile smoke', () => {
  it('runs every stage and writes a self-contained report.html with each labelled figure', () => {
    const r = run('reproduce', '--profile', 'smoke', '--out', dir);
    expect(r.status, r.stderr).toBe(0);
    // Each stage says it is estimating, then prints its plan, as `landscape <name>` does.
    for (const name of ['pspin', 'mlp', 'hessian']) {
      expect(r.stderr).toMatch(new RegExp(`\\] ${name}: landscape ${name}[^\\n]*\\n  ${name}: estimating the time[^\\n]*\\n  ${name}: \\d+ task\\(s\\)[^\\n]*; estimated `));
    }
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    for (const label of ['[P2] Fig. 2', '[P2] Fig. 1', '[P2] Fig. 3 (left), supp. Fig. 8', '[P2] Fig. 3 (left): spread against Λ']) {
      expect(html).toContain(`data-label="${label}"`);
    }
    // Network figures join once the network stage exists.
    if (existsSync(join(dir, 'mlp'))) expect(html).toMatch(/data-label="\[P2\] (Fig\. 3 \(right\)|Table 1)/);
    expect(html).not.toMatch(/<script|src="http|href="http|@import/);
    expect((html.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(4);
    const meta = JSON.parse(readFileSync(join(dir, 'reproduce-meta.json'), 'utf8'));
    expect(meta.profile).toBe('smoke');
    expect(meta.stages.map((s: { name: string }) => s.name)).toContain('spin glass');
  }, 300_000);

  it('reruns without recomputing, and `landscape report DIR` rebuilds the same page from the files', () => {
    const before = readFileSync(join(dir, 'pspin', 'pspin.jsonl'), 'utf8');
    const meta = readFileSync(join(dir, 'pspin', 'pspin-meta.json'), 'utf8');
    expect(run('reproduce', '--profile', 'smoke', '--quiet', '--out', dir).status).toBe(0);
    expect(readFileSync(join(dir, 'pspin', 'pspin.jsonl'), 'utf8')).toBe(before);
    // Nothing was computed, so the meta still describes the run that made the results.
    expect(readFileSync(join(dir, 'pspin', 'pspin-meta.json'), 'utf8')).toBe(meta);
    expect(JSON.parse(meta).computedRestarts).toBeGreaterThan(0);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    rmSync(join(dir, 'report.html'));
    const r = run('report', dir);
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toBe(html);
    const bad = run('report', join(dir, 'nope'));
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  }, 300_000);

  it.skipIf(!chromiumAvailable())('renders in Chromium with no errors and no requests beyond the page', async () => {
    const server = await serveStatic({ root: dir });
    cleanups.push(server.close);
    const browser = await launchChromium();
    cleanups.push(browser.close);
    const page = await browser.context.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('pageerror', (e: Error) => errors.push(e.message));
    page.on('console', (m: { type(): string; text(): string }) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('request', (req: { url(): string }) => requests.push(req.url()));
    await page.goto(`${server.url}/report.html`);
    await page.waitForLoadState('load');
    expect(errors).toEqual([]);
    expect(requests.filter((u) => !u.endsWith('/report.html'))).toEqual([]);
    const figures = await page.locator('figure svg').count();
    expect(figures).toBeGreaterThanOrEqual(4);
    const out = fileURLToPath(new URL('../test-output', import.meta.url));
    mkdirSync(out, { recursive: true });
    await page.setViewportSize({ width: 1200, height: 900 });
    await page.screenshot({ path: join(out, 'report.png'), fullPage: true });
  }, 60_000);
});
