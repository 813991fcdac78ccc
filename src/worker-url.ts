// The worker bundle sits beside this module in every layout (src→dist by tsc, bundle/ by
// rollup), and plain rollup keeps `new URL('./x', import.meta.url)` untouched, so the name is fixed.
export const defaultWorkerUrl: URL = new URL('./worker.js', import.meta.url);
