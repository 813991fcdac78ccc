import { defineConfig } from 'vitest/config';

// forks pool: vmThreads/vmForks break `instanceof Float32Array` on arrays that come back from
// workers (TOOLCHAIN.md). Browser and worker tests spawn real threads, hence the long timeouts.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The JSON report lets .ci/run print a plain "N passed, N failed" closing line.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-output/vitest.json' },
  },
});
