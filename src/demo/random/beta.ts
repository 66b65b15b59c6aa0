import type { Random } from './prng.js';
import { sampleGamma } from './gamma.js';

/**
 * A draw from Beta(a, b) as X / (X + Y) with X ~ Gamma(a, 1) and Y ~ Gamma(b, 1). In the demo it gives
 * each customer the probability of dropping out after a purchase, as the BG/NBD model assumes.
 */
export function sampleBeta(rand: Random, a: number, b: number): number {
  const x = sampleGamma(rand, a, 1);
  const y = sampleGamma(rand, b, 1);
  return x / (x + y);
}
