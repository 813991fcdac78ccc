// Runs bench/browser.html in Debian's headless Chromium and returns its rows.
import { serveStatic, launchChromium, chromiumAvailable, CHROMIUM } from '../scripts/chromium.mjs';

export async function runInChromium({ quick = false, log = console.error } = {}) {
  if (!chromiumAvailable()) return { error: `no Chromium at ${CHROMIUM} (apt-get install -y chromium)` };
  const server = await serveStatic();
  const browser = await launchChromium();
  try {
    const page = await browser.context.newPage();
    page.on('console', (m) => { if (m.type() === 'error') log(`chromium console: ${m.text()}`); });
    await page.goto(`${server.url}/bench/browser.html?quick=${quick ? 1 : 0}`);
    log('chromium: running the GEMM suite in the page…');
    await page.waitForFunction(() => window.__bench !== undefined, null, { timeout: 20 * 60_000, polling: 500 });
    const out = await page.evaluate(() => window.__bench);
    if (out.error) log(`chromium bench failed: ${out.error}`);
    return out;
  } finally {
    await browser.close();
    await server.close();
  }
}
