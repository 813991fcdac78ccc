// Native peers (Node only): a Python script in bench/peers/ run as one long-lived subprocess,
// spoken to one JSON line at a time, so its samples interleave with ours in the same run.
// Single thread, and OpenBLAS's AVX-512 kernels where the CPU has AVX-512: OpenBLAS 0.3.21
// mistakes recent CPUs for "Prescott", so the core type is forced and then read back.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** Debian's python3 carries the apt numpy/torch; the python3 first on PATH may be another install. */
const PYTHONS = [process.env.LANDSCAPE_BENCH_PYTHON, '/usr/bin/python3', 'python3'].filter(Boolean);

function cpuHasAvx512() {
  try {
    return /\bavx512f\b/.test(readFileSync('/proc/cpuinfo', 'utf8'));
  } catch {
    return false;
  }
}

/** The environment a peer runs in: one thread everywhere, the core type forced when the CPU allows. */
export function peerEnv() {
  const env = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
  const forced = process.env.LANDSCAPE_BENCH_OPENBLAS_CORETYPE;
  if (forced) env.OPENBLAS_CORETYPE = forced;
  else if (cpuHasAvx512()) env.OPENBLAS_CORETYPE = 'SkylakeX';
  return env;
}

/**
 * Starts bench/peers/<script>. Resolves to { env, request(obj) → reply, close() }, or to
 * { unavailable: reason } when no Python can run it. A peer that dies mid-run rejects the
 * pending request and every later one.
 */
export async function openPeer(script, { log = () => {}, startTimeoutMs = 60_000 } = {}) {
  const path = fileURLToPath(new URL(`./peers/${script}`, import.meta.url));
  const python = PYTHONS.find((p) => !p.startsWith('/') || existsSync(p));
  if (!python) return { unavailable: 'no python3' };
  const child = spawn(python, [path], { env: peerEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr = (stderr + d).slice(-4000); });
  const waiting = [];
  let dead = null;
  const fail = (why) => {
    dead ??= new Error(`${script}: ${why}${stderr.trim() ? `: ${stderr.trim().split('\n').pop()}` : ''}`);
    for (const w of waiting.splice(0)) w.reject(dead);
  };
  child.on('error', (e) => fail(e.message));
  child.on('exit', (code, signal) => fail(`exited (${signal ?? code})`));
  child.stdin.on('error', () => {}); // EPIPE after a crash; reported through 'exit'
  createInterface({ input: child.stdout }).on('line', (line) => {
    const w = waiting.shift();
    if (!w) return;
    try {
      w.resolve(JSON.parse(line));
    } catch {
      w.reject(new Error(`${script}: bad reply ${line.slice(0, 200)}`));
    }
  });
  const next = () => new Promise((resolve, reject) => (dead ? reject(dead) : waiting.push({ resolve, reject })));

  let timer;
  try {
    const hello = await Promise.race([next(), new Promise((_, reject) => { timer = setTimeout(() => reject(new Error('no answer')), startTimeoutMs); })]);
    clearTimeout(timer);
    return {
      env: hello.env,
      python,
      async request(obj) {
        if (dead) throw dead;
        const reply = next();
        child.stdin.write(JSON.stringify(obj) + '\n');
        const r = await reply;
        if (r.error) throw new Error(`${script} ${obj.op}: ${r.error}`);
        return r;
      },
      async close() {
        if (dead) return;
        const exited = new Promise((ok) => child.once('exit', ok));
        child.stdin.end();
        const kill = setTimeout(() => child.kill(), 5000);
        await exited;
        clearTimeout(kill);
      },
    };
  } catch (e) {
    clearTimeout(timer);
    child.kill();
    log(`native peers unavailable: ${e.message}`);
    return { unavailable: e.message };
  }
}
