// Index tuples shared by the p-spin kernels: the (p−1)-index prefix walked with the last index
// innermost (dense: all tuples; packed: sorted i1 ≤ … ≤ ip), and the distinct orderings of a tuple.

export const MAXP = 8;
export const prefix: usize = memory.data(4 * MAXP, 16); // the current prefix indices (i32)
export const perm: usize = memory.data(4 * MAXP, 16);

@inline export function pre(a: i32): i32 { return load<i32>(prefix + (<usize>a << 2)); }
@inline export function setPre(a: i32, v: i32): void { store<i32>(prefix + (<usize>a << 2), v); }

/** Advances the prefix (length p−1) to the next one; false when exhausted. Sorted: non-decreasing. */
export function nextPrefix(n: i32, len: i32, sorted: bool): bool {
  for (let a = len - 1; a >= 0; a--) {
    const v = pre(a);
    if (v < n - 1) {
      setPre(a, v + 1);
      for (let b = a + 1; b < len; b++) setPre(b, sorted ? v + 1 : 0);
      return true;
    }
  }
  return false;
}

export function resetPrefix(len: i32): void {
  for (let a = 0; a < len; a++) setPre(a, 0);
}

/** Lexicographic next permutation of perm[0..p); false after the last one. Yields each distinct ordering once. */
export function nextPerm(p: i32): bool {
  let i = p - 2;
  while (i >= 0 && load<i32>(perm + (<usize>i << 2)) >= load<i32>(perm + (<usize>(i + 1) << 2))) i--;
  if (i < 0) return false;
  let j = p - 1;
  while (load<i32>(perm + (<usize>j << 2)) <= load<i32>(perm + (<usize>i << 2))) j--;
  const x = load<i32>(perm + (<usize>i << 2));
  store<i32>(perm + (<usize>i << 2), load<i32>(perm + (<usize>j << 2)));
  store<i32>(perm + (<usize>j << 2), x);
  for (let a = i + 1, b = p - 1; a < b; a++, b--) {
    const y = load<i32>(perm + (<usize>a << 2));
    store<i32>(perm + (<usize>a << 2), load<i32>(perm + (<usize>b << 2)));
    store<i32>(perm + (<usize>b << 2), y);
  }
  return true;
}

/** Distinct orderings of the current tuple (prefix + last): p!/Π(run lengths)!, prefix sorted. */
export function multiplicity(len: i32, last: i32): f64 {
  let m: f64 = 1;
  let run = 1;
  let f: f64 = 1;
  for (let a = 1; a <= len; a++) {
    f *= <f64>(a + 1);
    const prev = pre(a - 1);
    const cur = a < len ? pre(a) : last;
    if (cur == prev) { run++; m *= <f64>run; } else run = 1;
  }
  return len == 0 ? 1 : f / m;
}
