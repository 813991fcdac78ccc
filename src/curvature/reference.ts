// The oracle for assembly/hessian.ts: the Hessian of the mean loss by central differences of the
// exact f64 analytic gradient of src/mlp/reference.ts (backprop in plain f64). Each column costs two
// gradients; the error is O(h²·|∂³L|) plus O(u·|∇L|/h) roundoff (about 1e-10 at h = 1e-5), unless a
// step of size h crosses a ReLU or loss kink.
import { type MlpSpec, gradient, paramCount } from '../mlp/reference.js';

/** (∇L(θ + h·v) − ∇L(θ − h·v)) / 2h: H·v to O(h²). */
export function hvpByDifferences(spec: MlpSpec, params: ArrayLike<number>, x: ArrayLike<number>, y: ArrayLike<number>, S: number, v: ArrayLike<number>, h = 1e-5): Float64Array {
  const p = Float64Array.from(params);
  const up = gradient(spec, p.map((w, i) => w + h * v[i]), x, y, S).grad;
  const down = gradient(spec, p.map((w, i) => w - h * v[i]), x, y, S).grad;
  return up.map((g, i) => (g - down[i]) / (2 * h));
}

/** The P × P Hessian, row-major, column q by central differences along e_q (not symmetrised). */
export function hessianByDifferences(spec: MlpSpec, params: ArrayLike<number>, x: ArrayLike<number>, y: ArrayLike<number>, S: number, h = 1e-5): Float64Array {
  const P = paramCount(spec.layers, spec.bias);
  const H = new Float64Array(P * P);
  const e = new Float64Array(P);
  for (let q = 0; q < P; q++) {
    e[q] = 1;
    const col = hvpByDifferences(spec, params, x, y, S, e, h);
    e[q] = 0;
    for (let i = 0; i < P; i++) H[i * P + q] = col[i];
  }
  return H;
}
