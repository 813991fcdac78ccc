// The task list and byte encoding shared by the Node side and the page, so both compare the
// same thing: every typed array in task order, as base64 of its raw bytes.
export const SAMPLE_TASKS = [
  { kind: 'rng-sample', seed: 42, stream: 7, params: { n: 1001 } },
  { kind: 'rng-sample', seed: 2 ** 52 + 3, stream: 123456789, params: { n: 64 } },
  { kind: 'gemm-sample', seed: 5, stream: 0, params: { m: 33, n: 17, k: 100 } },
  { kind: 'gemm-sample', seed: 5, stream: 1, params: { m: 100, n: 250, k: 100, transB: true, alpha: 0.5, beta: 1 } },
  { kind: 'gemm-sample', seed: 5, stream: 2, params: { m: 64, n: 25, k: 10, transA: true, beta: -2 } },
  { kind: 'gemm-sample', seed: 5, stream: 3, params: { m: 1, n: 1, k: 1 } },
];

function toBase64(view) {
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export function encodeResults(results) {
  return results.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, `${v.constructor.name}:${toBase64(v)}`])));
}
