// A small seeded generator for resampling statistics (bootstrap, permutation tests): integer
// arithmetic only (Math.imul), so every engine draws the same sequence from the same seed.
// Not the simulation RNG (that is Philox, in wasm): this one only reorders finished results.

/** splitmix32-style generator: uniform in [0, 1) from a 32-bit seed. */
export function seededUniform(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return ((z ^ (z >>> 16)) >>> 0) / 4294967296;
  };
}
