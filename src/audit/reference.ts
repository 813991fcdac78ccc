// Brute-force f64 oracles for tiny nets: every path and every sample enumerated explicitly, nothing
// shared with the wasm kernels or their TS drivers except the statistic helpers of stats.ts.
import { type Summary, miMillerMadow, pearson, pointMassDistances, weightedSummary } from './stats.js';
import type { AuditNet } from './resident.js';

/** Hidden indicators per layer (1..H−1) and the output of one sample, by the plain forward pass. */
export function forwardSample(net: AuditNet, x: ArrayLike<number>): { act: number[][]; out: number[] } {
  const { layers, params } = net;
  let a = Array.from(x as ArrayLike<number>), o = 0;
  const act: number[][] = [];
  for (let l = 1; l < layers.length; l++) {
    const nIn = layers[l - 1], nOut = layers[l];
    const z = Array.from({ length: nOut }, (_, j) => { let s = 0; for (let i = 0; i < nIn; i++) s += params[o + j * nIn + i] * a[i]; return s; });
    o += nIn * nOut;
    if (l < layers.length - 1) { act.push(z.map((v) => (v > 0 ? 1 : 0))); a = z.map((v) => Math.max(0, v)); } else a = z;
  }
  return { act, out: a };
}

/** Every path as (i, j_1, …, k), input slowest (the order of decodePath). */
export function allPaths(layers: readonly number[]): number[][] {
  let out: number[][] = [[]];
  for (const n of layers) out = out.flatMap((p) => Array.from({ length: n }, (_, j) => [...p, j]));
  return out;
}

function weightOf(net: AuditNet, p: number[]): number {
  let w = 1, o = 0;
  for (let l = 1; l < net.layers.length; l++) { w *= net.params[o + p[l] * net.layers[l - 1] + p[l - 1]]; o += net.layers[l] * net.layers[l - 1]; }
  return w;
}

const activeOn = (act: number[][], p: number[]) => act.every((a, l) => a[p[l + 1]] === 1) ? 1 : 0;

/** Y (S × n_H) = Σ_π x_i A_π w_π with every path listed. */
export function pathSumBrute(net: AuditNet, X: ArrayLike<number>, S: number): Float64Array {
  const { layers } = net, d = layers[0], nH = layers.at(-1)!, paths = allPaths(layers);
  const Y = new Float64Array(S * nH);
  for (let s = 0; s < S; s++) {
    const x = Array.prototype.slice.call(X, s * d, s * d + d) as number[], { act } = forwardSample(net, x);
    for (const p of paths) Y[s * nH + p.at(-1)!] += x[p[0]] * activeOn(act, p) * weightOf(net, p);
  }
  return Y;
}

/** A_π(s) for every path (Ψ × S, path-major). */
function activations(net: AuditNet, X: ArrayLike<number>, S: number): { paths: number[][]; A: number[][] } {
  const d = net.layers[0], paths = allPaths(net.layers);
  const acts = Array.from({ length: S }, (_, s) => forwardSample(net, Array.prototype.slice.call(X, s * d, s * d + d)).act);
  return { paths, A: paths.map((p) => acts.map((a) => activeOn(a, p))) };
}

/** A1p with ρ_π formed for each of the Ψ paths. */
export function a1pBrute(net: AuditNet, X: ArrayLike<number>, S: number): { rho: Summary; w1: number; ks: number; rhoByPath: number[] } {
  const { A } = activations(net, X, S);
  const rhoByPath = A.map((a) => a.reduce((x, y) => x + y, 0) / S);
  return { rho: weightedSummary(rhoByPath), ...pointMassDistances(rhoByPath), rhoByPath };
}

/** Quantile bins by the definition: edges at sorted[⌊bS/B⌋], bin = #{edges ≤ x}. */
function binOf(col: number[], B: number): number[] {
  const sorted = [...col].sort((a, b) => a - b), edges = Array.from({ length: B - 1 }, (_, b) => sorted[Math.floor(((b + 1) * col.length) / B)]);
  return col.map((x) => edges.filter((e) => x >= e).length);
}

function miOf(A: number[], bins: number[], B: number): number {
  const n1 = new Array<number>(B).fill(0), nb = new Array<number>(B).fill(0);
  bins.forEach((b, s) => { nb[b]++; n1[b] += A[s]; });
  return miMillerMadow(n1, nb, A.length);
}

/**
 * Per path: I(A_π; x_i) (and its mean over the given permutations π_r, A against x_{π_r(s)}),
 * corr(ỹ_k x_i, A_π) and I(A_π; y), every path and sample listed.
 */
export function a5uBrute(net: AuditNet, X: ArrayLike<number>, S: number, y: ArrayLike<number>, B: number, perms: Uint32Array[]) {
  const d = net.layers[0], nH = net.layers.at(-1)!, { paths, A } = activations(net, X, S);
  const bins = Array.from({ length: d }, (_, i) => binOf(Array.from({ length: S }, (_, s) => X[s * d + i]), B));
  const cls = Array.from({ length: S }, (_, s) => (nH === 1 ? (y[s] === 1 ? 0 : 1) : y[s])), C = nH === 1 ? 2 : nH;
  return paths.map((p, t) => {
    const i = p[0], k = p.at(-1)!, a = A[t];
    const mi = miOf(a, bins[i], B);
    const nullMean = perms.reduce((acc, perm) => acc + miOf(a, Array.from(perm, (r) => bins[i][r]), B), 0) / perms.length;
    const z = Array.from({ length: S }, (_, s) => (cls[s] === k ? 1 : -1) * X[s * d + i]);
    return { path: p, mi, nullMean, corr: pearson(z, a), miLabel: miOf(a, cls, C) };
  });
}

/** Sample correlation of the listed paths' terms x_i·A_π (rows of constant terms dropped) and its eigenvalues (Jacobi). */
export function termSpectrumBrute(net: AuditNet, X: ArrayLike<number>, S: number, sampled: number[][]): Float64Array {
  const d = net.layers[0];
  const acts = Array.from({ length: S }, (_, s) => forwardSample(net, Array.prototype.slice.call(X, s * d, s * d + d)).act);
  const T = sampled.map((p) => acts.map((a, s) => X[s * d + p[0]] * activeOn(a, p))).filter((t) => t.some((v) => v !== t[0]));
  const K = T.length, R = T.map((a) => T.map((b) => pearson(a, b)));
  return jacobiEigenvalues(R, K);
}

/** Eigenvalues of a symmetric matrix by cyclic Jacobi rotations, ascending. */
export function jacobiEigenvalues(M: number[][], n: number): Float64Array {
  const a = M.map((r) => [...r]);
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p][q] ** 2;
    if (off < 1e-28) break;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) {
      if (Math.abs(a[p][q]) < 1e-300) continue;
      const th = (a[q][q] - a[p][p]) / (2 * a[p][q]), t = Math.sign(th || 1) / (Math.abs(th) + Math.sqrt(th * th + 1));
      const c = 1 / Math.sqrt(t * t + 1), s = t * c;
      for (let k = 0; k < n; k++) { const akp = a[k][p], akq = a[k][q]; a[k][p] = c * akp - s * akq; a[k][q] = s * akp + c * akq; }
      for (let k = 0; k < n; k++) { const apk = a[p][k], aqk = a[q][k]; a[p][k] = c * apk - s * aqk; a[q][k] = s * apk + c * aqk; }
    }
  }
  return Float64Array.from({ length: n }, (_, i) => a[i][i]).sort();
}

/** Shares of distinct path pairs with a common input, and with a common non-output node, by counting pairs. */
export function overlapBrute(layers: readonly number[]): { shareCommonInput: number; shareCommonNode: number } {
  const paths = allPaths(layers), H = layers.length - 1;
  let input = 0, node = 0, pairs = 0;
  for (let a = 0; a < paths.length; a++) for (let b = a + 1; b < paths.length; b++) {
    pairs++;
    if (paths[a][0] === paths[b][0]) input++;
    if (paths[a].some((v, l) => l < H && v === paths[b][l])) node++;
  }
  return { shareCommonInput: input / pairs, shareCommonNode: node / pairs };
}
