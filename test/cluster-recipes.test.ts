// The cluster recipes in docs/cluster are checked, not just shown: shell syntax, Slurm and
// Kubernetes fields, and their shard commands executed for real on a smoke-sized run (3 shards,
// `npx landscape` → this checkout), whose merge must equal a single run.
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

const docs = fileURLToPath(new URL('../docs/cluster/', import.meta.url));
const bin = fileURLToPath(new URL('../bin/landscape.js', import.meta.url));
const text = (f: string) => readFileSync(join(docs, f), 'utf8');
/** The recipe's commands, pointed at this checkout and shrunk to the smoke profile. */
const shrink = (cmd: string, shards: number) => cmd.replaceAll('npx landscape', `"${process.execPath}" "${bin}"`).replaceAll('--profile paper', '--profile smoke').replaceAll('/64', `/${shards}`);
const bash = (script: string, cwd: string, env: Record<string, string> = {}) => spawnSync('bash', ['-c', script], { cwd, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });
const read = (dir: string, f: string) => readFileSync(join(dir, f), 'utf8');

describe('cluster recipes (docs/cluster)', () => {
  it('the Slurm scripts are valid bash with consistent #SBATCH fields', () => {
    for (const f of ['slurm-shards.sbatch', 'slurm-merge.sbatch']) expect(spawnSync('bash', ['-n', join(docs, f)]).status, f).toBe(0);
    const s = text('slurm-shards.sbatch');
    expect(s).toMatch(/^#SBATCH --array=1-64$/m);
    expect(s).toMatch(/SHARDS=\$\{SLURM_ARRAY_TASK_COUNT:-64\}/);
    expect(s).toMatch(/--shard "\$\{K\}\/\$\{SHARDS\}"/);
  });

  it('the Kubernetes manifests are an Indexed Job whose shard numbers cover 1..completions, and a merge Job', () => {
    const [job] = parseAllDocuments(text('k8s-indexed-job.yaml')).map((d) => d.toJS());
    expect(job.apiVersion).toBe('batch/v1');
    expect(job.kind).toBe('Job');
    expect(job.spec.completionMode).toBe('Indexed');
    const args: string = job.spec.template.spec.containers[0].args.join(' ');
    expect(args).toContain(`--shard "$((JOB_COMPLETION_INDEX + 1))/${job.spec.completions}"`);
    const [merge] = parseAllDocuments(text('k8s-merge-job.yaml')).map((d) => d.toJS());
    expect(merge.kind).toBe('Job');
    expect(merge.spec.template.spec.containers[0].args.join(' ')).toMatch(/landscape merge \/results\/part-\* --out \/results\/paper/);
  });

  it('executed on 3 smoke shards, the Slurm and Kubernetes commands merge into the single-run files', () => {
    const single = mkdtempSync(join(tmpdir(), 'recipe-single-'));
    expect(spawnSync(process.execPath, [bin, 'reproduce', '--profile', 'smoke', '--quiet', '--out', single]).status).toBe(0);
    const files = ['theory/theory.jsonl', 'pspin/pspin.jsonl', 'pspin/pspin-summary.json'];

    const slurm = mkdtempSync(join(tmpdir(), 'recipe-slurm-'));
    const body = (f: string) => shrink(text(f).split('\n').filter((l) => !l.startsWith('#')).join('\n'), 3);
    for (const k of [1, 2, 3]) {
      const r = bash(body('slurm-shards.sbatch'), slurm, { SLURM_ARRAY_TASK_ID: String(k), SLURM_ARRAY_TASK_COUNT: '3', SLURM_CPUS_PER_TASK: '1' });
      expect(r.status, r.stderr).toBe(0);
    }
    const m = bash(body('slurm-merge.sbatch'), slurm);
    expect(m.status, m.stderr).toBe(0);
    for (const f of files) expect(read(join(slurm, 'results-paper'), f), f).toBe(read(single, f));

    const k8s = mkdtempSync(join(tmpdir(), 'recipe-k8s-'));
    const [job] = parseAllDocuments(text('k8s-indexed-job.yaml')).map((d) => d.toJS());
    const [merge] = parseAllDocuments(text('k8s-merge-job.yaml')).map((d) => d.toJS());
    const local = (cmd: string) => shrink(cmd, 3).replaceAll('/results', k8s);
    for (const index of [0, 1, 2]) {
      const r = bash(local(job.spec.template.spec.containers[0].args.join(' ')), k8s, { JOB_COMPLETION_INDEX: String(index) });
      expect(r.status, r.stderr).toBe(0);
    }
    const mm = bash(local(merge.spec.template.spec.containers[0].args.join(' ')), k8s);
    expect(mm.status, mm.stderr).toBe(0);
    for (const f of files) expect(read(join(k8s, 'paper'), f), f).toBe(read(single, f));
  }, 180_000);
});
