#!/usr/bin/env node
// Thin launcher: the CLI lives in dist/cli/main.js (built by `npm install` / `npm run build`).
// A reader that closes the pipe early (`landscape --help | head`) ends the output, not in a stack
// trace: EPIPE on stdout or stderr exits quietly with the status so far.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}
const entry = new URL('../dist/cli/main.js', import.meta.url);
const { existsSync } = await import('node:fs');
if (!existsSync(entry)) {
  // a checkout whose build never ran (npm install --ignore-scripts, or a failed build)
  process.stderr.write(`error: ${entry.pathname} is missing; build the package first with \`npm run build\` (npm install runs it)\n`);
  process.exit(2);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv);
