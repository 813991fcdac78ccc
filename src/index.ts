// The library's public surface. Faces (CLI, web page, worker entry) and users import from here.
export { loadWasm, compileWasm, instantiateWasm, WasmTrap, BINARIES } from './wasm.js';
export type { Binary, WasmSource, WasmExports, LoadedModule } from './wasm.js';
export { Heap, MemoryLimitError, WASM32_LIMIT_BYTES, formatBytes } from './heap.js';
export { availableCores, isNode } from './platform.js';
export { defaultWorkerUrl } from './worker-url.js';
export { RngStream, checkSeed } from './rng.js';
export { gemm, gemmPtr, gemmWorkBytes } from './linalg/gemm.js';
export type { GemmOptions } from './linalg/gemm.js';
export { chooseGemmTile, gemmTile, gemmTileReport, setGemmTile } from './gemm-tile.js';
export type { GemmTileChoice, GemmTileReport } from './gemm-tile.js';
export { dot, dotPtr, axpyPtr, gemv, gemvPtr, symv, symvPtr } from './linalg/blas64.js';
export { symEigvals, symEigvalsPtr, symInertia, symInertiaPtr, symEigvalsWorkBytes, symInertiaWorkBytes } from './linalg/eigen.js';
export { exactHessian, hvp, lossGradient } from './curvature/hessian.js';
export type { ExactHessian, HessianOptions } from './curvature/hessian.js';
export { createPool, Pool, TaskFailedError } from './pool/pool.js';
export type { PoolOptions, PoolProgress, RunOptions, TaskFailure } from './pool/pool.js';
export type { TaskSpec, TaskInput, TaskContext, TaskHandler } from './pool/protocol.js';
export { serveTasks } from './pool/serve.js';
export * as theory from './theory/complexity.js';
export { theoryTable } from './theory/table.js';
export * as asymptotics from './theory/asymptotics.js';
// The experiments as data: task lists for the pool, and their summaries (platform-neutral).
export * as pspin from './pspin/experiment.js';
export * as mlp from './mlp/experiment.js';
// The registry of experiments and the generic pieces that run them (the runner needs Node).
export { EXPERIMENTS, COMPARISONS, experimentNamed } from './registry.js';
export { resolveSettings, checkSettings, commandLine, PROFILES, SettingsError } from './experiment/descriptor.js';
export type { Experiment, Comparison, ProfileName, NamedFigure, RunEnv } from './experiment/descriptor.js';
export type { Field, FieldKind } from './experiment/fields.js';
export { pspinDescriptor, PSPIN_DEFAULTS, resolvePSpinSettings } from './pspin/descriptor.js';
export { mlpDescriptor, resolveMlpSettings } from './mlp/descriptor.js';
export { theoryDescriptor } from './theory/descriptor.js';
export type { PSpinSettings } from './pspin/model.js';
export { prepareDataset, loadMnist } from './mlp/data.js';
export { MlpNet } from './mlp/net.js';
// Figure specs (Vega-Lite) and rendering to SVG, as the CLI, the report and the page use them.
export { specToSvg } from './report/render.js';
export { energyHistogramSpec, spreadVsSizeSpec } from './report/pspin-figures.js';
export { mlpFigureSpecs } from './report/mlp-figures.js';
