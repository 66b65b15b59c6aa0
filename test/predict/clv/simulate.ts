import type { RandomSource } from '../../../src/numeric/random.js';
import type { Summaries } from '../../../src/predict/clv/summary.js';

/** A Gamma(shape, rate) variate (Marsaglia–Tsang, with the shape < 1 boost). */
export function gammaVariate(random: RandomSource, shape: number, rate: number): number {
  if (shape < 1) return gammaVariate(random, shape + 1, rate) * Math.pow(random(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      // Box–Muller normal
      x = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = random();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return (d * v) / rate;
  }
}

/**
 * Customers drawn from the BG/NBD story itself: λ ~ Gamma(r, α), p ~ Beta(a, b), purchases as a Poisson
 * process at rate λ, after each purchase a drop-out with probability p. Each customer is observed for T
 * drawn uniformly from [Tmin, Tmax]; holdout purchases in the following `holdout` units go to xStar.
 */
export function simulateBgNbd(
  random: RandomSource,
  n: number,
  p: { r: number; alpha: number; a: number; b: number },
  Tmin: number,
  Tmax: number,
  holdout = 0,
): Summaries {
  const out = {
    ids: [] as string[],
    x: new Float64Array(n),
    tx: new Float64Array(n),
    T: new Float64Array(n),
    mx: new Float64Array(n).fill(NaN),
    xStar: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const lambda = gammaVariate(random, p.r, p.alpha);
    const g1 = gammaVariate(random, p.a, 1);
    const dropout = g1 / (g1 + gammaVariate(random, p.b, 1));
    const T = Tmin + (Tmax - Tmin) * random();
    let t = 0;
    let x = 0;
    let tx = 0;
    let star = 0;
    for (;;) {
      t += -Math.log(1 - random()) / lambda;
      if (t > T + holdout) break;
      if (t <= T) {
        x++;
        tx = t;
      } else star++;
      if (random() < dropout) break;
    }
    out.ids.push(String(i + 1));
    out.x[i] = x;
    out.tx[i] = tx;
    out.T[i] = T;
    out.xStar[i] = star;
  }
  return out;
}
