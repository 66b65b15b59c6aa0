import type { Random } from './prng.js';
import { sampleNormal } from './normal.js';

/**
 * A draw from Gamma(shape, rate) (mean shape / rate), by Marsaglia & Tsang's squeeze method (2000).
 * For shape < 1 it draws Gamma(shape + 1) and scales by U^(1/shape), the standard boost.
 * In the demo it gives each customer a purchase rate, as the BG/NBD model assumes.
 */
export function sampleGamma(rand: Random, shape: number, rate: number): number {
  if (!(shape > 0) || !(rate > 0)) throw new RangeError(`gamma needs shape > 0 and rate > 0, got ${shape}, ${rate}`);
  if (shape < 1) {
    const u = 1 - rand.next(); // (0, 1]: avoids 0^(1/shape)
    return sampleGamma(rand, shape + 1, rate) * Math.pow(u, 1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = sampleNormal(rand);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rand.next();
    if (u < 1 - 0.0331 * x * x * x * x) return (d * v) / rate;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return (d * v) / rate;
  }
}
