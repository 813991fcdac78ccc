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
const { main } = await import('../dist/cli/main.js');
process.exitCode = await main(process.argv);
