import { describe, it, expect, afterAll } from 'vitest';
// @ts-expect-error plain ESM helpers shared with the browser page
import { serveStatic, launchChromium, chromiumAvailable } from '../scripts/chromium.mjs';
// @ts-expect-error plain ESM helpers shared with the browser page
import { SAMPLE_TASKS, THEORY_ARGS, encodeResults, mlpSampleTasks } from './browser/samples.js';
import { theoryTable } from '../dist/theory/table.js';
import { createPool } from '../dist/pool/pool.js';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => { for (const c of cleanups.reverse()) await c(); });

describe.skipIf(!chromiumAvailable())('Chromium and Node give the same bytes (simd binary)', () => {
  it('RNG streams, GEMM outputs, spin-glass ensembles (gd, sgd, anneal, with index) and a network ensemble on MNIST from Chromium Web Workers, and the theory table, equal Node\'s, bit for bit', async () => {
    const pool = await createPool({ workers: 2, binary: 'simd' });
    cleanups.push(() => pool.terminate());
    const node = encodeResults(await pool.run(SAMPLE_TASKS));
    const nodeMlp = JSON.stringify(await pool.run(mlpSampleTasks()));

    const server = await serveStatic();
    cleanups.push(server.close);
    const browser = await launchChromium();
    cleanups.push(browser.close);
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e: Error) => errors.push(e.message));
    await page.goto(`${server.url}/test/browser/cross-platform.html`);
    await page.waitForFunction(() => (window as unknown as { __result?: unknown }).__result !== undefined, null, { timeout: 60_000 });
    const result = await page.evaluate(() => (window as unknown as { __result: { binary?: string; encoded?: unknown; theory?: string; mlp?: string; error?: string } }).__result);

    expect(result.error).toBeUndefined();
    expect(errors).toEqual([]);
    expect(result.binary).toBe('simd');
    expect(result.encoded).toEqual(node);
    expect(result.mlp).toBe(nodeMlp); // network ensemble: MNIST read by the same reader, trained in the same wasm
    expect(result.theory).toBe(JSON.stringify(THEORY_ARGS.map((a: [number, number, number, number, number]) => theoryTable(...a))));
  });
});
