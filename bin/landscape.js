#!/usr/bin/env node
// Thin launcher: the CLI lives in dist/cli/main.js (built by `npm install` / `npm run build`).
const { main } = await import('../dist/cli/main.js');
process.exitCode = await main(process.argv);
