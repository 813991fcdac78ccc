// The Node side of the Chromium run: serves the package root on 127.0.0.1, opens
// bench/browser/index.html in Debian's headless Chromium (playwright-core, fresh profile), and
// collects the rows the page computes. Progress lines from the page arrive as console messages.
import { serveStatic, launchChromium, chromiumAvailable, CHROMIUM } from '../scripts/chromium.mjs';

const PREFIX = '[bench] ';

/** Resolves to { env, results, errors } from the page, or { error } when it could not run. */
export async function runInChromium({ suites, quick = false, shapes, timing, pool, hostCpu, mode = 'worker', log = console.error, timeoutMs = 20 * 60_000 } = {}) {
  if (!chromiumAvailable()) return { error: `no Chromium at ${CHROMIUM} (apt-get install -y chromium)` };
  let server;
  let browser;
  try {
    server = await serveStatic();
    browser = await launchChromium();
    const page = await browser.context.newPage();
    page.on('console', (m) => {
      const text = m.text();
      if (text.startsWith(PREFIX)) log(`chromium: ${text.slice(PREFIX.length)}`);
      else if (m.type() === 'error') log(`chromium console error: ${text}`);
    });
    page.on('pageerror', (e) => log(`chromium page error: ${e.message}`));
    page.on('response', (r) => { if (r.status() >= 400) log(`chromium: HTTP ${r.status()} for ${r.url()}`); });
    const config = { suites, quick, shapes, timing, pool, mode, hostCpu };
    log(`chromium: running ${suites?.join(', ') ?? 'all suites'} in a ${mode === 'page' ? 'page' : 'module Web Worker'}…`);
    await page.goto(`${server.url}/bench/browser/index.html?config=${encodeURIComponent(JSON.stringify(config))}`);
    await page.waitForFunction(() => window.__bench !== undefined, null, { timeout: timeoutMs, polling: 500 });
    return await page.evaluate(() => window.__bench);
  } catch (e) {
    return { error: e.message };
  } finally {
    await browser?.close().catch(() => {});
    await server?.close().catch(() => {});
  }
}
