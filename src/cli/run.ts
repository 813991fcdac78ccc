// Ctrl-C for long experiment commands: stop cleanly, say how to resume, exit 130.
import type { Pool } from '../pool/pool.js';

/** Ctrl-C: terminate the workers (results so far are on disk), print how to resume, exit 130. */
export function onInterrupt(pool: Pool, resumeCommand: string): () => void {
  const handler = () => {
    process.stderr.write(`\nlandscape: interrupted; finished tasks are saved. Resume with:\n  ${resumeCommand}\n`);
    void pool.terminate().finally(() => process.exit(130));
  };
  process.once('SIGINT', handler);
  return () => process.removeListener('SIGINT', handler);
}

/** The command line as typed, plus --resume, for the interrupt message. */
export function resumeCommand(): string {
  const args = process.argv.slice(2).filter((a) => a !== '--resume');
  return `landscape ${args.map((a) => (/^[\w.,:/=+-]+$/.test(a) ? a : JSON.stringify(a))).join(' ')} --resume`;
}
