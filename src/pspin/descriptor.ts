// The spin-glass experiment ([P2] §5, Fig. 3 left, supplement Fig. 8) as a registry descriptor:
// its settings as fields, profiles, tasks, summary, figures, report section and table.
import { sizeTrendWords } from './sizes.js';
import { resolveSettings, type Experiment } from '../experiment/descriptor.js';
import { SettingsError, type Field } from '../experiment/fields.js';
import { readBytes } from '../platform.js';
import { readNpy, writeNpy } from '../io/npy.js';
import { lineProblem } from '../experiment/lines.js';
import { pspinClaims } from './claims.js';
import { semicircleProblem } from './spectrum-summary.js';
import { MAX_DENSE_F64_BYTES, checkCouplings, couplingsName, endpointsName, partName, spectraName } from './files.js';
import { COUPLINGS, STORAGES, MAX_N, MAX_INSTANCES, MAX_RESTARTS, checkMemory, type PSpinSettings } from './model.js';
import { METHODS, pspinTasks, type PSpinBatchOutput, type PSpinBatchParams, type RestartResult } from './batch.js';
import { pspinTaskList, restartsPerTask, summarize, taskKey, type PSpinSummary } from './experiment.js';
import { thresholds } from '../theory/complexity.js';
import { energyHistogramSpec, spreadVsSizeSpec } from '../report/pspin-figures.js';
import { thetaCurvesSpec } from '../report/theory-figures.js';
import { pspinSection } from '../report/sections.js';
import { semicircleFigures, withSemicircle } from '../report/pspin-spectra-figure.js';

const positive = { type: 'number', min: 0, minExclusive: true } as const;

export const PSPIN_FIELDS: Field<PSpinSettings>[] = [
  { key: 'p', flag: 'p', what: 'an interaction order', help: 'interaction order p', kind: { type: 'int', min: 2, max: 5 } },
  { key: 'ns', flag: 'n', what: 'sizes', help: 'sizes Λ, comma-separated', kind: { type: 'intList', min: 2, max: MAX_N, distinct: true } },
  { key: 'restarts', flag: 'restarts', what: 'a restart count', help: 'random starts per instance', kind: { type: 'int', min: 1, max: MAX_RESTARTS } },
  { key: 'instances', flag: 'instances', what: 'an instance count', help: 'coupling draws per size', kind: { type: 'int', min: 1, max: MAX_INSTANCES } },
  { key: 'coupling', flag: 'coupling', what: 'a coupling law', help: 'coupling law, mean 0 variance 1', kind: { type: 'choice', choices: COUPLINGS } },
  { key: 'method', flag: 'method', what: 'a minimiser', help: 'minimiser', kind: { type: 'choice', choices: METHODS } },
  { key: 'lr', flag: 'lr', what: 'a step size', help: 'step size γ of Riemannian gradient descent', kind: positive },
  { key: 'tol', flag: 'tol', what: 'a tolerance', help: 'stop when the Euclidean norm of the Riemannian gradient of H is below this', kind: positive },
  { key: 'maxIter', flag: 'max-iter', what: 'an iteration count', help: 'most descent steps per restart', kind: { type: 'int', min: 1, max: 1e7 } },
  { key: 'storage', flag: 'storage', what: 'a coupling layout', help: 'coupling layout (auto = packed, the smaller and faster)', kind: { type: 'choice', choices: STORAGES } },
  { key: 'index', flag: 'index', what: 'a switch', help: 'compute the exact index (negative tangent Hessian eigenvalues) of every endpoint', kind: { type: 'bool' } },
  { key: 'indexTol', flag: 'index-tol', what: 'a tolerance', help: 'eigenvalues below −tol count as negative', kind: positive },
  { key: 'pieces', flag: 'pieces', what: 'a piece count', help: 'sgd: coupling pieces P; 500·P split steps, then GD polishing', kind: { type: 'int', min: 1, max: 64 } },
  { key: 'annealSteps', flag: 'anneal-steps', what: 'a step count', help: 'anneal: Metropolis steps before the GD polish', kind: { type: 'int', min: 1, max: 1e6 } },
  { key: 'annealT0', flag: 'anneal-t0', what: 'a temperature', help: 'anneal: start temperature T0 (cooled linearly to 0; accept with exp(−ΔH/T))', kind: positive },
  { key: 'annealStep', flag: 'anneal-step', what: 'a step size', help: 'anneal: proposal size s in w + s·ξ, ξ ~ N(0, I), then back to the sphere', kind: positive },
  { key: 'couplings', flag: 'couplings', what: 'a .npy file', help: 'run on this dense coupling tensor (Λ,)*p, f4 or f8, instead of drawing couplings (one Λ, one instance)', kind: { type: 'path' }, optional: true },
  { key: 'saveCouplings', flag: 'save-couplings', what: 'a switch', help: 'write each instance\'s dense couplings (f8, the unrounded draws) as couplings-L{Λ}-i{instance}.npy', kind: { type: 'bool' }, optional: true },
  { key: 'saveEndpoints', flag: 'save-endpoints', what: 'a switch', help: 'write every restart\'s final w as endpoints-L{Λ}-i{instance}.npy (restarts × Λ, f8)', kind: { type: 'bool' }, optional: true },
  { key: 'saveSpectra', flag: 'save-spectra', what: 'a restart count', help: 'with --index: write the ascending tangent Hessian spectra of the first K restarts as spectra-L{Λ}-i{instance}.npy (K × (Λ−1), f8)', kind: { type: 'int', min: 0, max: MAX_RESTARTS }, optional: true },
  { key: 'spectrumFit', flag: 'spectrum-fit', what: 'a switch', help: 'with --index: add to each line its full tangent Hessian spectrum against the semicircle at −p·u of radius 2√(p(p−1)) (histogram of (λ + p·u)/radius, mean, variance, Wasserstein-1)', kind: { type: 'bool' }, optional: true },
];

export const PSPIN_DEFAULTS: PSpinSettings = {
  p: 3, ns: [25, 50, 100], restarts: 200, instances: 1, coupling: 'gaussian', method: 'gd', lr: 0.2, tol: 0.01, maxIter: 20000,
  storage: 'packed', index: false, indexTol: 1e-3, pieces: 4, annealSteps: 2000, annealT0: 1, annealStep: 0.05, seed: 1,
};

/** Restarts of the timed pilot: four SIMD groups, so lanes freed by early convergence refill as in a real task. */
const PILOT = 32;

const caption = (command: string, s: PSpinSettings) => `${command}; ${s.storage} couplings`;

export const pspinDescriptor: Experiment<PSpinSettings, PSpinBatchParams, RestartResult, PSpinSummary> = {
  name: 'pspin',
  title: 'minimise the spherical p-spin glass from many random starts ([P2] Fig. 3 left, Fig. 8)',
  label: 'spin glass',
  examples: [
    ['landscape pspin --p 3 --n 25,50,100 --restarts 200 --index', 'GD minima of the 3-spin glass from 200 starts per size, with the exact index of each'],
    ['landscape pspin --profile paper --shard 1/4 --out part-1', 'one deterministic quarter of the [P2] run; join the four with landscape merge'],
  ],
  fields: PSPIN_FIELDS,
  defaults: PSPIN_DEFAULTS,
  profiles: {
    smoke: { p: 3, ns: [9, 16], restarts: 24, index: true },
    quick: { p: 3, ns: [25, 50, 100, 250], restarts: 200, index: true, spectrumFit: true },
    // Eight coupling draws per size: the mean's CI is over draws, not over restarts of one draw
    // (at Λ = 25 and 50 the draw-to-draw spread of the mean is a third to a half of the step
    // between sizes). The paper profile adds supp. Fig. 8's Λ = 200, 300, 400.
    standard: { p: 3, ns: [25, 50, 100, 250, 500], restarts: 200, instances: 8, index: true, spectrumFit: true },
    // [P2]'s Λ set and its 1000 minima per size, as 8 draws × 125 restarts.
    workstation: { p: 3, ns: [25, 50, 100, 200, 250, 300, 400, 500], restarts: 125, instances: 8, index: true, spectrumFit: true },
    paper: { p: 3, ns: [25, 50, 100, 200, 250, 300, 400, 500], restarts: 1000, instances: 8, index: true, spectrumFit: true },
  },
  handlers: pspinTasks,
  unit: 'restarts',
  claims: (s, sum) => pspinClaims(s, sum, { ...PSPIN_DEFAULTS, ...pspinDescriptor.profiles.paper }),
  normalise: (s) => ({ ...s, storage: s.storage === 'dense' ? 'dense' : 'packed' }),
  validate(s) {
    if (s.couplings !== undefined && (s.ns.length !== 1 || s.instances !== 1)) throw new SettingsError(`--couplings: runs one given tensor, so give one size --n and --instances 1 (got --n ${s.ns.join(',')} --instances ${s.instances})`);
    if (s.saveSpectra && !s.index) throw new SettingsError('--save-spectra: needs --index (the spectra come from the index computation)');
    if (s.spectrumFit && !s.index) throw new SettingsError('--spectrum-fit: needs --index (the spectra come from the index computation)');
    if (s.saveSpectra !== undefined && s.saveSpectra > s.restarts) throw new SettingsError(`--save-spectra: ${s.saveSpectra} is more than the ${s.restarts} restarts`);
    if ((s.couplings !== undefined || s.saveCouplings) && s.ns.some((n) => 8 * n ** s.p > MAX_DENSE_F64_BYTES)) throw new SettingsError(`--${s.couplings ? 'couplings' : 'save-couplings'}: a dense f8 tensor of Λ^p = ${Math.max(...s.ns)}^${s.p} entries passes ${MAX_DENSE_F64_BYTES / 2 ** 30} GiB`);
    const copies = s.method === 'sgd' ? 1 + s.pieces : 1;
    for (const n of s.ns) checkMemory({ p: s.p, n, storage: s.storage, coupling: s.coupling }, s.index, copies);
  },
  async check(s) {
    if (s.couplings === undefined) return;
    let bytes: Uint8Array;
    try {
      bytes = await readBytes(s.couplings);
    } catch (e) {
      throw new SettingsError(`--couplings: ${s.couplings} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    let c: ReturnType<typeof checkCouplings>;
    try {
      c = checkCouplings(bytes, s.couplings);
    } catch (e) {
      throw new SettingsError(`--couplings: ${(e as Error).message}`);
    }
    if (c.p !== s.p || c.n !== s.ns[0]) throw new SettingsError(`--couplings: ${s.couplings} holds a p = ${c.p}, Λ = ${c.n} tensor; run it with --p ${c.p} --n ${c.n}`);
  },
  checkLine(l, s) {
    const problem = lineProblem(l, { p: 'int', n: 'int', instance: 'int', restart: 'int', method: 'string', energy: 'finite', gradNorm: 'finite', iterations: 'int', converged: 'bool', index: 'int?' });
    if (problem) return problem;
    if (l.p !== s.p || l.method !== s.method || !s.ns.includes(l.n) || l.instance >= s.instances || l.restart >= s.restarts) return `p=${l.p} Λ=${l.n} instance ${l.instance} restart ${l.restart} (${l.method}) is not a restart of these settings`;
    if ((l.index === null) === s.index) return `index ${l.index} does not fit --index ${s.index}`;
    if ((l.semicircle !== undefined) !== Boolean(s.index && s.spectrumFit)) return `a semicircle fit ${l.semicircle === undefined ? 'is missing' : 'is there'} against --spectrum-fit ${Boolean(s.spectrumFit)}`;
    if (l.semicircle !== undefined) return semicircleProblem(l.semicircle, l.n);
    return null;
  },
  memoryBytes: (s) => Math.max(...s.ns.map((n) => checkMemory({ p: s.p, n, storage: s.storage, coupling: s.coupling }, s.index, s.method === 'sgd' ? 1 + s.pieces : 1))),
  /**
   * Pilots per size run for real in a worker, since the time of a restart depends on how many
   * steps descent takes, which no formula knows: 8 restarts (which also build the couplings),
   * then 32 more on the same worker with the couplings resident (lanes refill as in a real task), which give the rate.
   */
  async estimate(s, todo, workers, run) {
    const perRestart = new Map<number, number>();
    for (const n of s.ns) {
      const mine = todo.filter((t) => t.params.n === n);
      if (!mine.length) continue;
      const pilot = (count: number) => ({ ...mine[0], params: { ...mine[0].params, count, saveCouplings: false, saveEndpoints: false, saveSpectra: 0 } });
      await run([pilot(8)]);
      const t0 = performance.now();
      await run([pilot(PILOT)]);
      perRestart.set(n, (performance.now() - t0) / 1000 / PILOT);
    }
    const perTask = todo.map((t) => perRestart.get(t.params.n)! * t.params.count);
    return { seconds: perTask.reduce((a, b) => a + b, 0) / workers, perTask };
  },
  tasks: (s) => pspinTaskList(s),
  toLines: (_p, r) => (Array.isArray(r) ? r : (r as PSpinBatchOutput).lines),
  extras(_s, t, r) {
    if (Array.isArray(r)) return [];
    const o = r as PSpinBatchOutput;
    const files: { name: string; bytes: Uint8Array }[] = [];
    if (o.couplings) files.push({ name: couplingsName(t.n, t.instance), bytes: writeNpy(o.couplings, new Array(t.p).fill(t.n)) });
    if (o.endpoints) files.push({ name: partName(endpointsName(t.n, t.instance), t.firstRestart), bytes: writeNpy(o.endpoints, [t.count, t.n]) });
    if (o.spectra) files.push({ name: partName(spectraName(t.n, t.instance), t.firstRestart), bytes: writeNpy(o.spectra, [o.spectra.length / (t.n - 1), t.n - 1]) });
    return files;
  },
  finish(s, files, tasks) {
    const written: string[] = [];
    const join = (full: string, parts: PSpinBatchParams[], width: number) => {
      const names = parts.map((t) => partName(full, t.firstRestart));
      const arrays = names.map((name) => files.read(name));
      if (arrays.every((a) => a === null) && files.read(full)) return; // joined by an earlier session
      const missing = names.filter((_, i) => !arrays[i]);
      if (missing.length) throw new Error(`${full}: the parts of ${missing.length} finished task(s) are missing (${missing[0]}); rerun into a new --out`);
      const data = arrays.map((a, i) => readNpy(a!, names[i]).data as Float64Array);
      const rows = data.reduce((m, d) => m + d.length / width, 0);
      const all = new Float64Array(rows * width);
      let off = 0;
      for (const d of data) { all.set(d, off); off += d.length; }
      written.push(files.write(full, writeNpy(all, [rows, width])));
      for (const name of names) files.remove(name);
    };
    for (const n of s.ns) {
      for (let instance = 0; instance < s.instances; instance++) {
        const mine = tasks.filter((t) => t.n === n && t.instance === instance);
        if (s.saveEndpoints) join(endpointsName(n, instance), mine, n);
        if (s.saveSpectra) join(spectraName(n, instance), mine.filter((t) => t.firstRestart < s.saveSpectra!), n - 1);
        if (s.saveCouplings && mine.some((t) => t.firstRestart === 0)) written.push(files.path(couplingsName(n, instance)));
      }
    }
    return written;
  },
  taskKey: (t) => taskKey(t.n, t.instance, t.firstRestart),
  lineKey: (r, s) => taskKey(r.n, r.instance, r.restart - (r.restart % restartsPerTask(s.p, r.n, s.storage))),
  linesPerTask: (t) => t.count,
  summarize,
  figures(s, lines, summary, command) {
    const figs = [
      { name: 'pspin-energy-histograms.svg', label: '[P2] Fig. 3 (left), supp. Fig. 8', spec: energyHistogramSpec(lines, { E0: summary.E0, Einf: summary.Einf, Ek: thresholds(s.p, 3) }, caption(command, s)) },
      { name: 'pspin-spread.svg', label: '[P2] Fig. 3 (left): spread against Λ', spec: spreadVsSizeSpec(summary, caption(command, s)) },
    ];
    if (s.p >= 3) figs.push({ name: 'theta-curves.svg', label: '[P2] Fig. 2', spec: thetaCurvesSpec(s.p, 5, `landscape theory --p ${s.p} --k 5`) });
    return [...figs, ...semicircleFigures(summary, caption(command, s))];
  },
  section: (s, lines, summary, command) => withSemicircle(pspinSection(summary, lines, caption(command, s)), summary, caption(command, s)),
  table(s, summary) {
    const out: string[] = [];
    out.push(`p=${s.p} spin glass, ${s.method}, ${s.restarts} restarts × ${s.instances} instance(s), ${s.storage} ${s.coupling} couplings`);
    out.push(`theory: −E0 = ${(-summary.E0).toFixed(4)}, −E∞ = ${(-summary.Einf).toFixed(4)}   (energies are H/Λ)`);
    out.push(['Λ', 'inst', 'mean', 'sd', 'min', 'q05', 'q50', 'q95', 'conv', 'iters', 'index0', '<−E0', '<−E∞'].map((h, i) => (i < 2 ? h.padStart(5) : h.padStart(9))).join(''));
    const f = (x: number) => x.toFixed(4).padStart(9);
    const pc = (x: number | null) => (x === null ? '-'.padStart(9) : `${(100 * x).toFixed(1)}%`.padStart(9));
    for (const g of summary.groups) {
      out.push([String(g.n).padStart(5), String(g.instance).padStart(5), f(g.mean), f(g.sd), f(g.min), f(g.q05), f(g.q50), f(g.q95), pc(g.converged), g.meanIterations.toFixed(0).padStart(9), pc(g.fracIndex0), pc(g.fracBelowE0), pc(g.fracBelowEinf)].join(''));
    }
    const fitted = summary.groups.filter((g) => g.spectrum);
    if (fitted.length) {
      out.push('tangent Hessian against the semicircle at −p·u, radius 2√(p(p−1)) (law: shift 0, var ratio 1; W1 in radius units)');
      out.push(['Λ', 'inst', 'endpoints', 'ū', 'shift', 'var ratio', 'W1 mean', 'W1 sd'].map((h, i) => (i < 2 ? h.padStart(5) : h.padStart(10))).join(''));
      for (const g of fitted) {
        const c = g.spectrum!;
        out.push([String(g.n).padStart(5), String(g.instance).padStart(5), String(c.endpoints).padStart(10), ...[c.meanEnergy, c.shift.mean, c.variance.mean, c.w1.mean, c.w1.sd].map((x) => x.toFixed(4).padStart(10))].join(''));
      }
    }
    const multi = (summary.sizes ?? []).filter((z) => z.instances > 1);
    if (multi.length) {
      out.push('across coupling draws (95% t CIs over draws):');
      for (const z of multi) out.push(`  Λ = ${z.n}: ${z.instances} draws, mean ${z.mean.mean.toFixed(4)} [${z.mean.lo.toFixed(4)}, ${z.mean.hi.toFixed(4)}], within-draw sd ${z.withinSd.mean.toFixed(4)} [${z.withinSd.lo.toFixed(4)}, ${z.withinSd.hi.toFixed(4)}], between-draw sd of the mean ${z.betweenSd.toFixed(4)}`);
    }
    if (summary.trends?.spread.slope) out.push(`${sizeTrendWords(summary.trends.spread, 'spread (ln sd)')}; ${sizeTrendWords(summary.trends.gap, 'gap to −E∞')}`);
    return out.join('\n');
  },
};

/** The spin-glass settings for a profile and overrides, checked like the CLI checks its flags. */
export function resolvePSpinSettings(profile?: string, overrides: Partial<PSpinSettings> = {}): PSpinSettings {
  return resolveSettings(pspinDescriptor, profile, overrides, 'resolvePSpinSettings');
}
