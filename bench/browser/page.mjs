// Runs the suites in a module Web Worker (the default, as the library is meant to be used) or in
// the page itself (mode "page"), and leaves the report in window.__bench for bench/browser.mjs.
const config = JSON.parse(new URLSearchParams(location.search).get('config') ?? '{}');
const logEl = document.getElementById('log');
const log = (line) => {
  logEl.textContent += line + '\n';
  console.log(`[bench] ${line}`);
};

async function browserVersion() {
  try {
    const { fullVersionList } = await navigator.userAgentData.getHighEntropyValues(['fullVersionList']);
    const b = fullVersionList.find((x) => /Chrom/.test(x.brand));
    return b ? `${b.brand} ${b.version}` : null;
  } catch {
    return null;
  }
}

function inWorker() {
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL('./worker.mjs', import.meta.url), { type: 'module' });
    w.onmessage = ({ data }) => {
      if (data.log != null) return log(data.log);
      w.terminate();
      if (data.error) reject(new Error(data.error));
      else resolve(data.report);
    };
    w.onerror = (e) => { w.terminate(); reject(new Error(`bench worker: ${e.message || 'failed to load'}`)); };
    w.postMessage(config);
  });
}

async function inPage() {
  const { runSuites } = await import('./runner.mjs');
  const { loadTfjsImportMap } = await import('./tfjs.mjs');
  return runSuites(config, { log, loadTfjs: loadTfjsImportMap, where: 'page' });
}

try {
  const report = config.mode === 'page' ? await inPage() : await inWorker();
  report.env.browserVersion = await browserVersion();
  window.__bench = report;
} catch (e) {
  window.__bench = { error: String(e?.stack ?? e) };
}
