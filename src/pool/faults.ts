// Fault injection, for crash-recovery tests and reliability drills.
//
// Grammar:  spec  := fault ("," fault)*        (whitespace around a fault is ignored; "" = none)
//           fault := kind "@" index ["!"]
//           kind  := "exit" | "throw" | "trap" | "oom" | "hang"
// `index` is the task index (TaskSpec.index). A fault fires on the task's first attempt only, so
// the pool's retry on a fresh worker succeeds; a trailing "!" fires on every attempt, so the task
// fails for good. Example: LANDSCAPE_FAULT="exit@3,trap@5,hang@7!".
//   exit   the thread ends at once (Node: process.exit(1) in the worker; browser: reportError + close())
//   throw  the handler throws an Error
//   trap   a real wasm trap (`unreachable` in alloc's overflow check) or, failing that, a WasmTrap
//   oom    fills the JS heap until V8 kills the worker (the pool caps worker heaps when a spec has oom)
//   hang   spins forever; only the pool's taskTimeoutMs (or cancel/terminate) ends it
import { WasmTrap } from '../wasm.js';
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
      throw new Error(`bad fault spec "${part.trim()}": expected kind@index[!] with kind one of ${KINDS.join(', ')}`);
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
      throw new Error('injected exit'); // reached only where closing is deferred (browsers)
    case 'throw':
      throw new Error(`injected throw in task ${task.index}`);
    case 'trap':
      // A size that wraps past 4 GiB hits `unreachable` in the bump allocator: a genuine trap.
      (ctx.wasm.alloc as (n: number) => number)(0xfffffff0);
      throw new WasmTrap(`injected trap in task ${task.index}`);
    case 'oom': {
      const hog: number[][] = [];
      for (;;) hog.push(new Array(1 << 20).fill(hog.length + 0.5));
    }
    case 'hang':
      for (;;) ctx.progress(0); // not `for (;;) {}`: rollup drops an empty loop as side-effect free
  }
}
