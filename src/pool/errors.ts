// Errors the pool raises. Each names what failed, so a caller can report it without digging.

/** One task that could not be completed. */
export interface TaskFailure {
  index: number;
  kind: string;
  stream: number;
  /** 2 when the task was retried on a fresh worker and failed again, 1 when a retry was pointless. */
  attempts: number;
  reason: string;
}

export const describeFailure = (f: TaskFailure): string =>
  `task ${f.index} (kind "${f.kind}", stream ${f.stream}) failed${f.attempts > 1 ? ' twice' : ''}: ${f.reason}`;

/** A run finished, but some tasks failed even after their retry; every other result was delivered. */
export class TaskFailedError extends Error {
  override name = 'TaskFailedError';
  constructor(readonly failures: TaskFailure[]) {
    super(failures.length === 1 ? describeFailure(failures[0]) : `${failures.length} tasks failed: ${failures.map(describeFailure).join('; ')}`);
  }
}

/** The run's AbortSignal fired; `cause` holds the signal's reason. */
export function abortError(reason?: unknown): Error {
  return Object.assign(new Error('the run was cancelled', { cause: reason }), { name: 'AbortError' });
}

/**
 * Thrown inside a worker for a task kind it has no handler for. The pool fails such a task at
 * once: a fresh worker has the same handlers, so a retry could not succeed.
 */
export const UNKNOWN_KIND = 'UnknownTaskKindError';
