// Progress on stderr. On a terminal: a cli-progress bar with ETA, shown after a second so short
// commands print nothing extra. Off a terminal (nohup, Slurm, CI logs): one plain line at most
// every 30 s with done/total, rate and ETA, a line every 5 min while no task finishes (long tasks),
// and a last line at the end. --quiet silences both.
import cliProgress from 'cli-progress';

export interface Progress {
  /** `work`: the fraction of this session's estimated cost done; when given, the ETA follows it. */
  update(done: number, total?: number, work?: number): void;
  stop(): void;
}

export interface ProgressOptions {
  quiet?: boolean;
  delayMs?: number;
  /** Seconds between plain lines off a terminal. */
  intervalSeconds?: number;
  /** Off a terminal, a line after this many seconds without one even when no task finished
   * (a task can take a quarter of an hour: a silent log looks hung). Default 10 intervals. */
  heartbeatSeconds?: number;
  /** The unit counted, e.g. 'restarts'. */
  unit?: string;
  /** Where to write (stderr by default; tests pass their own). */
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
  now?: () => number;
}

const hms = (s: number) => (s < 90 ? `${s.toFixed(0)} s` : s < 5400 ? `${(s / 60).toFixed(1)} min` : `${(s / 3600).toFixed(1)} h`);

/** Seconds left: from the cost-weighted fraction when known (tasks differ in cost), else by count. */
function secondsLeft(done: number, total: number, elapsed: number, startDone: number, work?: number): number | null {
  if (work !== undefined) return work > 0 && elapsed > 0 ? (elapsed * (1 - work)) / work : null;
  const rate = elapsed > 0 ? (done - startDone) / elapsed : 0;
  return rate > 0 ? (total - done) / rate : null;
}

/** One plain progress line: "label: 120/600 restarts (20.0%), 3.1/s, ETA 2.6 min". */
export function progressLine(label: string, done: number, total: number, elapsedSeconds: number, startDone: number, unit: string, work?: number): string {
  const rate = elapsedSeconds > 0 ? (done - startDone) / elapsedSeconds : 0;
  const pct = total ? ((100 * done) / total).toFixed(1) : '100.0';
  const left = secondsLeft(done, total, elapsedSeconds, startDone, work);
  const eta = left !== null ? `ETA ${hms(left)}` : 'ETA unknown';
  return `${label}: ${done}/${total} ${unit} (${pct}%), ${rate >= 10 ? rate.toFixed(0) : rate.toPrecision(2)}/s, ${eta}, ${hms(elapsedSeconds)} so far`;
}

export function startProgress(label: string, total: number, opts: ProgressOptions = {}): Progress {
  const stream = opts.stream ?? process.stderr;
  if (opts.quiet) return { update() {}, stop() {} };
  if (!stream.isTTY) return plainProgress(label, total, stream, opts);
  let bar: cliProgress.SingleBar | undefined;
  let done = 0;
  let lastTotal = total;
  const timer = setTimeout(() => {
    bar = new cliProgress.SingleBar(
      { format: `${label} [{bar}] {percentage}% | {value}/{total} | ETA {left} | {duration_formatted}`, stream, hideCursor: true, etaBuffer: 50 },
      cliProgress.Presets.shades_classic,
    );
    bar.start(lastTotal, done, { left: 'unknown' });
  }, opts.delayMs ?? 1000);
  timer.unref?.();
  const now = opts.now ?? (() => performance.now() / 1000);
  const t0 = now();
  let startDone: number | null = null;
  return {
    update(d, t, work) {
      done = d;
      if (startDone === null) startDone = d;
      if (t !== undefined && t !== lastTotal) { lastTotal = t; bar?.setTotal(t); }
      const left = secondsLeft(d, lastTotal, now() - t0, startDone, work);
      bar?.update(d, { left: left === null ? 'unknown' : hms(left) });
    },
    stop() {
      clearTimeout(timer);
      bar?.stop();
    },
  };
}

function plainProgress(label: string, total: number, stream: NodeJS.WritableStream, opts: ProgressOptions): Progress {
  const now = opts.now ?? (() => performance.now() / 1000);
  const every = opts.intervalSeconds ?? 30;
  const t0 = now();
  let last = t0, done = 0, startDone: number | null = null, printed = false, work: number | undefined;
  const write = () => { last = now(); stream.write(progressLine(label, done, total, now() - t0, startDone ?? 0, opts.unit ?? 'done', work) + '\n'); printed = true; };
  const heartbeat = opts.heartbeatSeconds ?? 10 * every;
  // Checked once per interval; writes only when the log has been silent for `heartbeat` seconds.
  const timer = setInterval(() => { if (startDone !== null && now() - last >= heartbeat) write(); }, Math.max(1, every) * 1000);
  timer.unref?.();
  return {
    update(d, t, w) {
      if (t !== undefined) total = t;
      work = w;
      if (startDone === null) startDone = d; // work resumed from an earlier session is not rate
      done = d;
      if (now() - last >= every) write();
    },
    stop() {
      clearInterval(timer);
      if (printed || now() - t0 >= every) write();
    },
  };
}
