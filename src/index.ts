// The library's public surface. Faces (CLI, web page, worker entry) and users import from here.
export { loadWasm, compileWasm, instantiateWasm, WasmTrap, BINARIES } from './wasm.js';
export type { Binary, WasmSource, WasmExports, LoadedModule } from './wasm.js';
export { Heap, MemoryLimitError, WASM32_LIMIT_BYTES, formatBytes } from './heap.js';
export { availableCores, isNode } from './platform.js';
export { defaultWorkerUrl } from './worker-url.js';
