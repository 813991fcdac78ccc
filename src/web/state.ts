// The widget's whole state as a query string, so a link reproduces a view. Parsing never throws:
// a value out of range or malformed falls back to its default (and the URL is rewritten clean).
export type WidgetMode = 'pspin' | 'mlp';

export interface WidgetState {
  mode: WidgetMode;
  seed: number;
  workers: number;
  /** spin glass */
  p: number;
  n: number[];
  restarts: number;
  /** networks */
  hidden: number[];
  runs: number;
  epochs: number;
  trainSize: number;
}

export const DEFAULT_STATE: WidgetState = {
  mode: 'pspin', seed: 1, workers: 2, p: 3, n: [25, 50, 100], restarts: 64, hidden: [25, 100], runs: 16, epochs: 10, trainSize: 1000,
};

/** Allowed ranges: small enough for a browser tab, large enough to see the effects. */
export const LIMITS = { seed: [0, 2 ** 31 - 1], workers: [1, 16], p: [2, 5], n: [2, 300], restarts: [1, 4096], hidden: [1, 1000], runs: [1, 1000], epochs: [1, 200], trainSize: [10, 60000] } as const;

const int = (raw: string | null, [lo, hi]: readonly [number, number], fallback: number): number => {
  if (raw === null || !/^\d+$/.test(raw.trim())) return fallback;
  const v = Number(raw);
  return v >= lo && v <= hi ? v : fallback;
};
const list = (raw: string | null, lim: readonly [number, number], fallback: number[]): number[] => {
  if (raw === null) return fallback;
  const parts = raw.split(',').map((x) => int(x, lim, NaN));
  return parts.length && parts.length <= 8 && parts.every(Number.isFinite) ? parts : fallback;
};

export function parseState(query: string): WidgetState {
  const q = new URLSearchParams(query.startsWith('?') || query.startsWith('#') ? query.slice(1) : query);
  const d = DEFAULT_STATE;
  return {
    mode: q.get('mode') === 'mlp' ? 'mlp' : 'pspin',
    seed: int(q.get('seed'), LIMITS.seed, d.seed),
    workers: int(q.get('workers'), LIMITS.workers, d.workers),
    p: int(q.get('p'), LIMITS.p, d.p),
    n: list(q.get('n'), LIMITS.n, d.n),
    restarts: int(q.get('restarts'), LIMITS.restarts, d.restarts),
    hidden: list(q.get('hidden'), LIMITS.hidden, d.hidden),
    runs: int(q.get('runs'), LIMITS.runs, d.runs),
    epochs: int(q.get('epochs'), LIMITS.epochs, d.epochs),
    trainSize: int(q.get('trainSize'), LIMITS.trainSize, d.trainSize),
  };
}

/** The query string of a state: every field, in a fixed order, so equal states give equal URLs. */
export function stateToQuery(s: WidgetState): string {
  const q = new URLSearchParams();
  q.set('mode', s.mode);
  q.set('seed', String(s.seed));
  q.set('workers', String(s.workers));
  if (s.mode === 'pspin') {
    q.set('p', String(s.p));
    q.set('n', s.n.join(','));
    q.set('restarts', String(s.restarts));
  } else {
    q.set('hidden', s.hidden.join(','));
    q.set('runs', String(s.runs));
    q.set('epochs', String(s.epochs));
    q.set('trainSize', String(s.trainSize));
  }
  return `?${q.toString().replaceAll('%2C', ',')}`;
}
