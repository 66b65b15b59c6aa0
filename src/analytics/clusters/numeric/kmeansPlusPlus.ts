import { squaredDistance, type Matrix } from './matrix.js';
import type { RandomSource } from '../../../numeric/random.js';

/**
 * k-means++ seeding (Arthur & Vassilvitskii 2007): the first centre is a uniformly drawn point, each
 * next one a point drawn with probability proportional to its squared distance to the nearest centre
 * chosen so far. Spreads the centres out, so Lloyd's iterations start near a good solution.
 * Returns k rows of centres (row-major, k × d). Needs k ≤ n.
 */
export function kmeansPlusPlus(x: Matrix, k: number, random: RandomSource): Float64Array {
  const { n, d, data } = x;
  if (k < 1 || k > n) throw new Error(`kmeansPlusPlus: k = ${k} needs 1 ≤ k ≤ n = ${n}`);
  const centres = new Float64Array(k * d);
  const nearest = new Float64Array(n).fill(Infinity);
  let pick = Math.min(n - 1, Math.floor(random() * n));
  for (let c = 0; c < k; c++) {
    centres.set(data.subarray(pick * d, pick * d + d), c * d);
    if (c === k - 1) break;
    let total = 0;
    for (let i = 0; i < n; i++) {
      const dist = squaredDistance(data, i, centres, c, d);
      if (dist < nearest[i]!) nearest[i] = dist;
      total += nearest[i]!;
    }
    if (total === 0) {
      // Every point sits on a centre already (fewer distinct points than k): any point will do.
      pick = Math.min(n - 1, Math.floor(random() * n));
      continue;
    }
    let target = random() * total;
    pick = n - 1;
    for (let i = 0; i < n; i++) {
      target -= nearest[i]!;
      if (target < 0) {
        pick = i;
        break;
      }
    }
  }
  return centres;
}
