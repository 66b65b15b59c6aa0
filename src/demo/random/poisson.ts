import type { Random } from './prng.js';

/**
 * A draw from Poisson(mean) by Knuth's multiplication method; the demo only uses small means
 * (basket sizes, sessions between orders), where it is exact and fast. Large means are refused.
 */
export function samplePoisson(rand: Random, mean: number): number {
  if (!(mean >= 0) || mean > 50) throw new RangeError(`poisson mean must be in [0, 50], got ${mean}`);
  const limit = Math.exp(-mean);
  let k = 0;
  let p = rand.next();
  while (p > limit) {
    k++;
    p *= rand.next();
  }
  return k;
}
