// Seeded subsets of the MNIST rows: SplitMix64 and a partial Fisher–Yates shuffle in exact BigInt
// arithmetic, so Node and every browser draw the same images. Platform-neutral.
import { checkSeed } from '../rng.js';

const M64 = (1n << 64n) - 1n;
const GAMMA = 0x9e3779b97f4a7c15n;
function mix64(z: bigint): bigint {
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M64;
  return z ^ (z >> 31n);
}

/** Output k (0-based) of the SplitMix64 generator started from `state` (Steele, Lea & Flood 2014). */
export function splitmix64(state: bigint, k: number): bigint {
  return mix64((state + BigInt(k + 1) * GAMMA) & M64);
}

/**
 * `size` distinct indices from [0, count), sorted ascending, fixed by (seed, stream). A partial
 * Fisher–Yates shuffle: step i swaps position i with i + u, u uniform in [0, count − i), taken by
 * rejection from the top 32 bits of successive outputs of SplitMix64 started at
 * key = mix64((seed + mix64(stream + γ)) mod 2^64). BigInt arithmetic is exact and specified, so
 * Node and every browser give the same indices (≈ 20 ms for 60 000 draws).
 */
export function subset(count: number, size: number, seed: number, stream: number): Uint32Array {
  checkSeed('seed', seed);
  checkSeed('stream', stream);
  if (!Number.isInteger(count) || count < 0 || count > 2 ** 32) throw new RangeError(`subset: count must be an integer in [0, 2^32], got ${count}`);
  if (!Number.isInteger(size) || size < 0) throw new RangeError(`subset: size must be a non-negative integer, got ${size}`);
  if (size > count) throw new RangeError(`subset: cannot draw ${size} distinct indices from ${count}`);
  const key = mix64((BigInt(seed) + mix64(BigInt(stream) + GAMMA)) & M64);
  const perm = new Uint32Array(count);
  for (let i = 0; i < count; i++) perm[i] = i;
  let word = 0;
  for (let i = 0; i < size; i++) {
    const range = count - i;
    const limit = 2 ** 32 - (2 ** 32 % range); // accept v < limit: an exact multiple of range
    let v: number;
    do v = Number(splitmix64(key, word++) >> 32n); while (v >= limit);
    const j = i + (v % range);
    const t = perm[i]; perm[i] = perm[j]; perm[j] = t;
  }
  return perm.slice(0, size).sort();
}

/** Subset streams under the dataset seed. */
export const SUBSET_STREAM = { train: 0, test: 1 } as const;
