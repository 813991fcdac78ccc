// Diverged nets (FORMATS.md "Loss values in summaries"): a non-finite loss marks the run diverged;
// its line records null losses and errors with "diverged": true, summaries count it and leave it
// out of every statistic, the table and the report say so, and damaged result lines are refused.
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { finishedRuns, finishedView, hiddenKey, isDiverged, mlpLine, mlpTaskKey, summarizeMlp, type MlpLine, type MlpRecord } from '../src/mlp/experiment.js';
import { allDiverged, mlpDescriptor, mlpOutcome, resolveMlpSettings, secondsPerRun } from '../src/mlp/descriptor.js';
import { mlpSection } from '../src/report/sections.js';

const bin = fileURLToPath(new URL('../bin/landscape.js', import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 120_000 });
const tmp = () => mkdtempSync(join(tmpdir(), 'mlp-diverged-'));
const readLines = (dir: string) => readFileSync(join(dir, 'mlp.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const ISSUE = ['mlp', '--hidden', '25', '--runs', '2', '--epochs', '1', '--train-size', '500', '--test-size', '500', '--lr', '1e20'];

const settings = resolveMlpSettings('quick', { hidden: [5, 12, 20], runs: 4, epochs: 2, trainSize: 100, testSize: 100 });
const finished = (hidden: number, run: number, loss: number): MlpRecord => ({ hidden, run, trainLoss: loss, testLoss: loss + 0.1 * run, trainError: 0.1, testError: 0.2 + 0.01 * run, epochs: 2 });
const diverged = (hidden: number, run: number): MlpLine => mlpLine(hidden, run, { trainLoss: NaN, testLoss: Infinity, trainError: 0, testError: 0, epochs: 2 });

describe('a diverged net', () => {
  it('the issue: null losses and errors with "diverged": true, no 0.0 % shown, the table says how many', () => {
    const out = tmp();
    const r = run(...ISSUE, '--out', out);
    // The results are written, then exit 1 with one line suggesting a smaller --lr.
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr.trim().split('\n').at(-1)).toBe('landscape: mlp: all 2 nets diverged (non-finite loss); try a smaller --lr than 1e20');
    const lines = readLines(out);
    expect(lines).toHaveLength(2);
    for (const l of lines) {
      expect(l).toEqual({ hidden: 25, run: l.run, trainLoss: null, testLoss: null, trainError: null, testError: null, epochs: 1, diverged: true });
      expect(Object.keys(l).at(-1)).toBe('diverged');
    }
    const summary = JSON.parse(readFileSync(join(out, 'mlp-summary.json'), 'utf8'));
    expect(summary.groups[0]).toMatchObject({ hidden: 25, runs: 2, diverged: 2, test: null, train: null, meanTestError: null, pearson: null });
    expect(r.stdout).not.toMatch(/0\.0%/);
    expect(r.stdout).not.toMatch(/NaN/);
    expect(r.stdout).toMatch(/^ +25 +2 +- +- +- +- +- +- +-$/m);
    expect(r.stdout).toContain('2 of 2 nets diverged (non-finite loss); excluded from every statistic (n1 = 25: all of 2)');
    expect(mlpOutcome(summary.settings, summary)).toMatch(/^mlp: all 2 nets diverged \(non-finite loss\); try a smaller --lr than 1e20$/);
    // The folder resumes: diverged lines are valid result lines.
    expect(run(...ISSUE, '--out', out, '--resume', '--quiet').status).not.toBe(2);
  }, 60_000);

  it('a finished line keeps its bytes: no "diverged" key, the same keys in the same order', () => {
    const l = mlpLine(5, 0, { trainLoss: 0.5, testLoss: 0.6, trainError: 0.1, testError: 0.2, epochs: 3 });
    expect(JSON.stringify(l)).toBe('{"hidden":5,"run":0,"trainLoss":0.5,"testLoss":0.6,"trainError":0.1,"testError":0.2,"epochs":3}');
    // Any non-finite loss diverges the run, and read back (null, with or without the flag) it stays diverged.
    for (const [a, b] of [[NaN, 1], [1, Infinity], [-Infinity, NaN]]) expect(isDiverged(mlpLine(5, 0, { trainLoss: a, testLoss: b, trainError: 0, testError: 0, epochs: 1 }))).toBe(true);
    const back = JSON.parse(JSON.stringify({ hidden: 5, run: 0, trainLoss: null, testLoss: null, trainError: null, testError: null, epochs: 1 }));
    expect(isDiverged(back)).toBe(true);
  });
});

describe('summaries exclude diverged nets and count them', () => {
  const mixed: MlpLine[] = [
    finished(5, 0, 1), diverged(5, 1), finished(5, 2, 1.5), finished(5, 3, 1.2),
    diverged(12, 0), diverged(12, 1), diverged(12, 2), diverged(12, 3),
    finished(20, 0, 0.8), finished(20, 1, 0.9), finished(20, 2, 0.7), finished(20, 3, 0.75),
  ];
  const summary = summarizeMlp(settings, mixed);

  it('statistics are those of the finished runs alone; a width with none has null statistics', () => {
    const clean = summarizeMlp(settings, finishedRuns(mixed));
    const [g5, g12, g20] = summary.groups;
    expect(g5).toEqual({ ...clean.groups[0], runs: 4, diverged: 1 });
    expect(g5.meanTestError).toBeCloseTo((0.2 + 0.22 + 0.23) / 3, 12);
    expect(g12).toEqual({ hidden: 12, params: 12 * 100 + 10 * 12, runs: 4, test: null, train: null, meanTestError: null, meanTrainError: null, pearson: null, spearman: null, testMean: null, testVariance: null, diverged: 4 });
    expect(g20).toEqual({ ...clean.groups[1], diverged: 0 });
    expect(Object.keys(g5).at(-1)).toBe('diverged');
    // The fit needs three widths with statistics: two here.
    expect(summary.fit).toBeNull();
    expect(JSON.parse(JSON.stringify(summary)).groups[1].test).toBeNull();
    expect(allDiverged(summary)).toBe(false);
    expect(mlpOutcome(settings, summary)).toBeNull();
    expect(allDiverged(summarizeMlp(settings, mixed.filter(isDiverged)))).toBe(true);
    expect(allDiverged(summarizeMlp(settings, []))).toBe(false);
  });

  it('the table prints "-" for a width without statistics and one line with the counts', () => {
    const table = mlpDescriptor.table(settings, summary);
    expect(table).toMatch(/^ +12 +4 +- +- +- +- +- +- +-$/m);
    expect(table).toContain('5 of 12 nets diverged (non-finite loss); excluded from every statistic (n1 = 5: 1 of 4, n1 = 12: all of 4)');
    expect(table).not.toMatch(/NaN|0\.0%/);
    expect(mlpDescriptor.table(settings, summarizeMlp(settings, finishedRuns(mixed)))).not.toMatch(/diverged/);
  });

  it('the report section says so, and its table, figures and findings use finished runs only', () => {
    const sec = mlpSection(finishedView(summary), finishedRuns(mixed), 'caption');
    expect(sec.findings[0]).toBe('5 of 12 nets diverged (a non-finite loss: 1 of 4 at n1 = 5, all of 4 at n1 = 12) and are excluded from every statistic, table and figure.');
    expect(sec.tables[0].rows.slice(1).map((r) => [r[0], r[1]])).toEqual([['5', '4 (1 diverged)'], ['20', 4]]);
    const histogram = sec.figures.find((f) => f.id === 'fig-mlp-test-loss-histograms')!.spec as { data: { values: { scaled: number }[] } };
    expect(histogram.data.values).toHaveLength(7);
    expect(histogram.data.values.every((v) => Number.isFinite(v.scaled))).toBe(true);
    const none = summarizeMlp(settings, mixed.filter(isDiverged));
    const all = mlpSection(finishedView(none), [], 'caption');
    expect(all.findings).toEqual(['5 of 5 nets diverged (a non-finite loss: all of 1 at n1 = 5, all of 4 at n1 = 12) and are excluded from every statistic, table and figure; nothing trained, so try a smaller --lr.']);
    expect(all.figures).toEqual([]);
    expect(mlpDescriptor.figures(settings, mixed.filter(isDiverged), none, 'caption')).toEqual([]);
  });
});

describe('mlp result lines read back are checked', () => {
  const ok = finished(5, 1, 1);
  it.each<[string, object, RegExp]>([
    ['a missing key', { ...ok, epochs: undefined }, /missing "epochs"/],
    ['a string loss', { ...ok, trainLoss: 'x' }, /"trainLoss" is "x", expected a number/],
    ['a string error', { ...ok, testError: '0' }, /"testError" is "0", expected a number/],
    ['a fractional run', { ...ok, run: 1.5 }, /"run" is 1.5, expected an integer/],
    ['a run past --runs', { ...ok, run: 4 }, /hidden 5 run 4 is not a run of these settings/],
    ['a width not in the sweep', { ...ok, hidden: 7 }, /hidden 7 run 1 is not a run/],
    ['a list where the sweep has a number', { ...ok, hidden: [5] }, /hidden \[5\] run 1 is not a run/],
    ['hidden of the wrong kind', { ...ok, hidden: 'five' }, /"hidden" is "five", expected an integer or a list of integers/],
    ['other epochs', { ...ok, epochs: 3 }, /epochs 3 does not fit --epochs 2/],
    ['a non-bool flag', { ...diverged(5, 1), diverged: 'yes' }, /"diverged" is "yes", expected a bool/],
  ])('refuses %s', (_what, line, message) => {
    const l = JSON.parse(JSON.stringify(line));
    expect(mlpDescriptor.checkLine!(l, settings)).toMatch(message);
  });

  it('accepts finished and diverged lines of the settings, deeper nets by their widths', () => {
    expect(mlpDescriptor.checkLine!(ok, settings)).toBeNull();
    expect(mlpDescriptor.checkLine!(JSON.parse(JSON.stringify(diverged(20, 3))), settings)).toBeNull();
    const deep = resolveMlpSettings('quick', { layers: [100, 6, 5, 10], runs: 2, epochs: 2, trainSize: 100, testSize: 100 });
    expect(mlpDescriptor.checkLine!({ ...ok, hidden: [6, 5] }, deep)).toBeNull();
    expect(mlpDescriptor.checkLine!({ ...ok, hidden: [5, 6] }, deep)).toMatch(/not a run of these settings/);
  });

  it('--resume refuses a damaged mlp.jsonl, naming the file and the line (exit 2)', () => {
    const out = tmp();
    const small = ['mlp', '--hidden', '5', '--runs', '3', '--epochs', '1', '--train-size', '200', '--test-size', '100', '--quiet', '--out', out];
    expect(run(...small).status).toBe(0);
    const text = readFileSync(join(out, 'mlp.jsonl'), 'utf8').split('\n');
    text[1] = text[1].replace(/"testLoss":[^,]+/, '"testLoss":"lost"');
    writeFileSync(join(out, 'mlp.jsonl'), text.join('\n'));
    const r = run(...small, '--resume');
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`${join(out, 'mlp.jsonl')}: line 2: "testLoss" is "lost", expected a number`);
  }, 60_000);
});

describe('keys and the estimate', () => {
  it('one hiddenKey for task keys and folder names', () => {
    expect(hiddenKey(25)).toBe('25');
    expect(hiddenKey([6, 5])).toBe('6x5');
    expect(mlpTaskKey([6, 5], 2)).toBe('6x5/2');
    expect(mlpDescriptor.lineKey(finished(5, 3, 1), settings)).toBe(mlpDescriptor.taskKey(mlpDescriptor.tasks(settings, { options: {} })[3].params));
  });

  it('seconds per run: epochs × epoch + evaluation, the mean over the workers', () => {
    const cal = [{ dataSeconds: 1, epochSeconds: [0.1, 1], evalSeconds: [0.5, 2] }, { dataSeconds: 1, epochSeconds: [0.3, 3], evalSeconds: [0.5, 4] }];
    expect(secondsPerRun({ epochs: 10 }, cal)).toEqual([(1.5 + 3.5) / 2, (12 + 34) / 2]);
  });

  it('--dry-run calibrates on the real data in the workers: a finite, positive estimate', () => {
    const r = run('mlp', '--profile', 'smoke', '--dry-run', '--json', '--workers', '2');
    expect(r.status, r.stderr).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(d.estimate.seconds).toBeGreaterThan(0);
    expect(Number.isFinite(d.estimate.seconds)).toBe(true);
  }, 60_000);
});
