// The layering of src/ (STYLE.md "The shape of the house"), checked by test/layering.test.ts:
// faces (cli, web, worker entry, index, registry) → run (Node orchestration) → domains → base.
// Type-only imports are left out (tsPreCompilationDeps: false): they vanish at compile time.
const DOMAINS = '^src/(pspin|mlp|theory|report|experiment|io|results|linalg|tasks|curvature|audit|anneal|stats)/';
const FACES = '^src/(cli/|web/|worker\\.ts|index\\.ts|registry\\.ts)';
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    { name: 'pool-knows-no-domain', comment: 'the pool runs named tasks and knows no science', severity: 'error', from: { path: '^src/pool/' }, to: { path: [DOMAINS, FACES, '^src/run/'] } },
    { name: 'domains-run-downhill', comment: 'a domain never imports a face, the runner or the registry', severity: 'error', from: { path: DOMAINS }, to: { path: [FACES, '^src/run/'] } },
    { name: 'base-imports-nothing-above', comment: 'wasm, heap, kernels, platform and rng sit at the bottom', severity: 'error', from: { path: '^src/(wasm|heap|kernels|platform|rng|worker-url)(\\.ts|/)' }, to: { path: [DOMAINS, FACES, '^src/(run|pool)/'] } },
    { name: 'run-is-not-a-face', comment: 'the runner is library code: it never imports the CLI or the page', severity: 'error', from: { path: '^src/run/' }, to: { path: '^src/(cli|web)/' } },
    { name: 'web-has-no-node', comment: 'the page and the platform-neutral domains never import Node built-ins', severity: 'error', from: { path: ['^src/web/', '^src/(pspin|mlp|theory|report|experiment|linalg|curvature|audit|anneal|stats)/'] }, to: { dependencyTypes: ['core'] } },
  ],
  options: {
    tsPreCompilationDeps: false,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|test|bench|dist)/' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
