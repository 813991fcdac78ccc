// The task list and byte encoding shared by the Node side and the page, so both compare the
// same thing: every typed array in task order, as base64 of its raw bytes.
export const SAMPLE_TASKS = [
  { kind: 'rng-sample', seed: 42, stream: 7, params: { n: 1001 } },
  { kind: 'rng-sample', seed: 2 ** 52 + 3, stream: 123456789, params: { n: 64 } },
  { kind: 'gemm-sample', seed: 5, stream: 0, params: { m: 33, n: 17, k: 100 } },
  { kind: 'gemm-sample', seed: 5, stream: 1, params: { m: 100, n: 250, k: 100, transB: true, alpha: 0.5, beta: 1 } },
  { kind: 'gemm-sample', seed: 5, stream: 2, params: { m: 64, n: 25, k: 10, transA: true, beta: -2 } },
  { kind: 'gemm-sample', seed: 5, stream: 3, params: { m: 1, n: 1, k: 1 } },
  // Small spin-glass ensembles, one per minimiser, with the exact index: whole result lines.
  ...['gd', 'sgd', 'anneal'].map((method, i) => ({
    kind: 'pspin-batch', seed: 9, stream: 100 + i,
    params: {
      p: 3, n: 14, storage: 'packed', coupling: 'gaussian', instance: i, firstRestart: 0, count: 12, method,
      lr: 0.2, tol: 0.01, maxIter: 20000, index: true, indexTol: 1e-3, pieces: 3, annealSteps: 150, annealT0: 1, annealStep: 0.05,
    },
  })),
  // --spectrum-fit: the semicircle fit in the lines (histogram, shift, variance, W1 via detAsin).
  {
    kind: 'pspin-batch', seed: 9, stream: 103,
    params: {
      p: 3, n: 30, storage: 'packed', coupling: 'gaussian', instance: 3, firstRestart: 0, count: 8, method: 'gd',
      lr: 0.2, tol: 0.01, maxIter: 20000, index: true, indexTol: 1e-3, pieces: 3, annealSteps: 150, annealT0: 1, annealStep: 0.05, spectrumFit: true,
    },
  },
];

/**
 * A small network ensemble: 2 widths × 2 runs on 300 MNIST images, the files read through the same
 * IDX reader from `mnistDir` (the package's folder in Node, the served copy in the page).
 */
export function mlpSampleTasks(mnistDir) {
  const data = { trainSize: 300, testSize: 200, downsample: 10, normalise: 'none', seed: 3, ...(mnistDir ? { mnistDir } : {}) };
  return [8, 20].flatMap((h, k) => [0, 1].map((run) => ({
    kind: 'mlp-run', seed: 3, stream: 10 * k + run,
    params: {
      train: { layers: [100, h, 10], bias: false, loss: 'cross-entropy', init: 'uniform', initRange: 0.2, epochs: 2, batch: 10, lr: 0.1, decay: 'inv', decayRate: 0.05, decayStep: 50, momentum: 0 },
      data, run, hidden: h, initStream: 2 * (10 * k + run), shuffleStream: 2 * (10 * k + run) + 1,
    },
  })));
}

/** The theory output both sides compute (plain TypeScript on the engine's Math). */
export const THEORY_ARGS = [[3, 5, -1.7, -1.6, 21], [4, 3, -1.9, -1.7, 11]];

function toBase64(view) {
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export function encodeResults(results) {
  // Arrays of result lines as JSON: JSON numbers round-trip f64 exactly, so equal text is equal bits.
  return results.map((r) => Array.isArray(r) ? JSON.stringify(r) : Object.fromEntries(Object.entries(r).map(([k, v]) => [k, `${v.constructor.name}:${toBase64(v)}`])));
}
