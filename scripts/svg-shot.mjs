// Renders an SVG or HTML file to PNG in headless Chromium, to look at a figure:
//   node scripts/svg-shot.mjs in.svg out.png
import { readFileSync } from 'node:fs';
import { launchChromium } from './chromium.mjs';
const [input, output] = process.argv.slice(2);
const browser = await launchChromium();
const page = await browser.context.newPage();
await page.setViewportSize({ width: 900, height: 700 });
await page.setContent(readFileSync(input, 'utf8'));
await page.screenshot({ path: output, fullPage: true, timeout: 60000 });
await browser.close();
