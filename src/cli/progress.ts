// Progress on stderr with ETA, via cli-progress. Quiet runs and non-TTY stderr get no bar; a bar
// appears only after a second, so short commands print nothing extra.
import cliProgress from 'cli-progress';

export interface Progress {
  update(done: number, total?: number): void;
  stop(): void;
}

export function startProgress(label: string, total: number, opts: { quiet?: boolean; delayMs?: number } = {}): Progress {
  const stream = process.stderr;
  if (opts.quiet || !stream.isTTY) return { update() {}, stop() {} };
  let bar: cliProgress.SingleBar | undefined;
  let done = 0;
  let lastTotal = total;
  const timer = setTimeout(() => {
    bar = new cliProgress.SingleBar(
      { format: `${label} [{bar}] {percentage}% | {value}/{total} | ETA {eta_formatted} | {duration_formatted}`, stream, hideCursor: true, etaBuffer: 50 },
      cliProgress.Presets.shades_classic,
    );
    bar.start(lastTotal, done);
  }, opts.delayMs ?? 1000);
  return {
    update(d, t) {
      done = d;
      if (t !== undefined && t !== lastTotal) { lastTotal = t; bar?.setTotal(t); }
      bar?.update(d);
    },
    stop() {
      clearTimeout(timer);
      bar?.stop();
    },
  };
}
