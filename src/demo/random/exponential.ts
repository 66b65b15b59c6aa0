import type { Random } from './prng.js';

/** A draw from Exponential(rate) (mean 1 / rate) by inversion: the waiting time of a Poisson process. */
export function sampleExponential(rand: Random, rate: number): number {
  return -Math.log(1 - rand.next()) / rate;
}
