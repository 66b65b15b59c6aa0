import type { RandomSource } from '../../../numeric/random.js';

/**
 * `size` distinct indices of 0..n−1 drawn uniformly without replacement (a partial Fisher–Yates
 * shuffle), returned in ascending order so reading the sampled rows stays sequential. All of them when
 * size ≥ n.
 */
export function sampleIndices(n: number, size: number, random: RandomSource): Int32Array {
  if (size >= n) return Int32Array.from({ length: n }, (_, i) => i);
  const pool = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < size; i++) {
    const j = i + Math.floor(random() * (n - i));
    const tmp = pool[i]!;
    pool[i] = pool[j]!;
    pool[j] = tmp;
  }
  return pool.slice(0, size).sort();
}
