// Fault injection for crash-recovery tests. Grammar: comma-separated `kind@index[!]`, where kind
// is exit | throw | trap | oom | hang and index is the task index. By default a fault fires on
// the first attempt only, so a retry succeeds; a trailing `!` fires on every attempt.
// Example: LANDSCAPE_FAULT="exit@3,trap@5,hang@7!".
import type { TaskContext, TaskSpec } from './protocol.js';

export type FaultKind = 'exit' | 'throw' | 'trap' | 'oom' | 'hang';
const KINDS: readonly FaultKind[] = ['exit', 'throw', 'trap', 'oom', 'hang'];

export interface Fault {
  kind: FaultKind;
  index: number;
  always: boolean;
}

export function parseFaults(spec: string): Fault[] {
  if (!spec.trim()) return [];
  return spec.split(',').map((part) => {
    const m = /^\s*(\w+)@(\d+)(!?)\s*$/.exec(part);
    if (!m || !(KINDS as readonly string[]).includes(m[1])) {
      throw new Error(`bad fault spec "${part}": expected kind@index[!] with kind one of ${KINDS.join(', ')}`);
    }
    return { kind: m[1] as FaultKind, index: Number(m[2]), always: m[3] === '!' };
  });
}

/** Misbehaves as the spec says when it names this task (and attempt). */
export function injectFault(faults: Fault[], task: TaskSpec, ctx: TaskContext, exit: () => void): void {
  const f = faults.find((x) => x.index === task.index && (x.always || (task.attempt ?? 1) === 1));
  if (!f) return;
  switch (f.kind) {
    case 'exit':
      exit();
      throw new Error('injected exit'); // unreachable in Node (the thread is gone); browsers close
    case 'throw':
      throw new Error(`injected throw in task ${task.index}`);
    case 'trap':
      // The stub runtime aborts on an allocation past its block limit: a real trap from wasm.
      (ctx.wasm.alloc as (n: number) => number)(0xfffffff0);
      throw new Error('injected trap did not trap');
    case 'oom': {
      // Fill the JS heap until V8 kills the thread (the pool gives such workers a small limit).
      const hog: number[][] = [];
      for (;;) hog.push(new Array(1 << 20).fill(hog.length + 0.5));
    }
    case 'hang':
      for (;;) { /* spin: only the pool's task timeout ends this */ }
  }
}
