import type { Random } from './prng.js';

/**
 * A standard normal draw by the Box–Muller transform. One of the pair is discarded so that the
 * number of uniforms consumed per call is fixed, which keeps streams easy to reason about.
 */
export function sampleNormal(rand: Random): number {
  const u = 1 - rand.next(); // (0, 1]: log(0) is never taken
  const v = rand.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
