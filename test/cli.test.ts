import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/landscape.js', import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 30_000 });

describe('landscape CLI', () => {
  it('--help prints usage, the global flags and examples, exit 0', () => {
    const r = run('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Usage: landscape/);
    expect(r.stdout).toMatch(/--workers <n>/);
    expect(r.stdout).toMatch(/Examples:/);
  });

  it('--u takes a list of energies as well as a range; no row holds a non-finite number', () => {
    const r = run('theory', '--p', '3', '--u', '-1.7,-1.65,-1.6', '--json');
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).theta.map((t: { u: number }) => t.u)).toEqual([-1.7, -1.65, -1.6]);
    const wide = run('theory', '--p', '3', '--u', '-1000,1000', '--points', '3', '--json');
    expect(wide.status, wide.stderr).toBe(0);
    expect(JSON.parse(wide.stdout).theta.flatMap((t: { u: number; theta: number; thetaK: number[] }) => [t.u, t.theta, ...t.thetaK]).every(Number.isFinite)).toBe(true);
  });

  it.each([['report', '--help'], ['mlp', '--help'], ['theory', '--p', '3']])('a reader that closes the pipe early (%s … | head -c 20) ends it quietly, exit 0', (...args) => {
    // head exits after 20 bytes, so the later writes hit a closed pipe (EPIPE).
    const direct = spawnSync('bash', ['-c', `"${process.execPath}" "${bin}" ${args.join(' ')} | head -c 20 >/dev/null; echo \${PIPESTATUS[0]}`], { encoding: 'utf8', timeout: 30_000 });
    expect(direct.stderr).not.toMatch(/EPIPE|at .*\(/);
    expect(direct.stdout.trim()).toBe('0');
  });

  it.each(['reproduce', 'theory', 'pspin', 'mlp', 'hessian', 'anneal-nets', 'audit', 'merge', 'report', 'info', 'bench', 'eval', 'export-mnist'])('%s --help ends with examples', (cmd) => {
    const r = run(cmd, '--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Examples:\n\s+\$ landscape /);
  });

  it('info --json reports the binaries', () => {
    const r = run('info', '--json');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).binaries.simd).toBe('ok');
  });

  const bad: [string[], RegExp][] = [
    [['--frobnicate'], /unknown option '--frobnicate'/],
    [['info', '--frobnicate'], /unknown option '--frobnicate'/],
    [['nosuchcommand'], /unknown command 'nosuchcommand'/],
    [['pspin', '--workers', '-1'], /--workers.*integer in \[1, 256\]/],
    [['pspin', '--workers', '0'], /--workers.*integer in \[1, 256\]/],
    [['pspin', '--workers', '2.5'], /--workers.*integer/],
    [['pspin', '--seed', 'abc'], /--seed.*integer/],
    [['pspin', '--seed', '-3'], /--seed.*integer/],
    [['pspin', '--seed', '1e30'], /--seed.*integer/],
    [['pspin', '--seed'], /--seed.*argument missing/],
    [['bench', '--suite', 'nope'], /--suite.*one of gemm, pool, pspin/],
    // A command takes only the shared flags it uses: an ignored flag is refused.
    [['info', '--seed', '1'], /unknown option '--seed'/],
    [['theory', '--out', 'x'], /unknown option '--out'/],
    [['pspin', '--seed', '1', '--seed', '2'], /--seed: given twice/],
    [['pspin', '--restart', '8'], /unknown option '--restart'.*Did you mean --restarts\?/],
    [['pspin', '--lr', '0x10'], /--lr.*decimal/],
    [['pspin', '--task-timeout', '3000000'], /--task-timeout.*up to 2000000/],
    [['pspin', '--n', '9,9'], /--n.*given twice/],
    [['theory', '--u', '-1e308,1e308', '--points', '3'], /--u.*\[−1000, 1000\]/],
    [['theory', '--u', '-1.7,-1.65,-1.6', '--points', '4'], /--points: a list of energies/],
    [['mlp', '--hidden', '5,5'], /--hidden.*given twice/],
  ];
  it.each(bad)('bad input %j gives exit 2 and one line on stderr', (args, pattern) => {
    const r = run(...args);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(pattern);
    expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
  });
});
