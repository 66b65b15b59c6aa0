import { bgNbdExpected } from './bg-nbd/expected.js';
import { bgNbdExpectedIfAlive } from './bg-nbd/expected-if-alive.js';
import { bgNbdPAlive } from './bg-nbd/p-alive.js';
import { medianTime } from './median-time.js';
import type { PurchaseParams } from './models.js';
import { paretoNbdExpected } from './pareto-nbd/expected.js';
import { paretoNbdExpectedIfAlive } from './pareto-nbd/expected-if-alive.js';
import { paretoNbdPAlive } from './pareto-nbd/p-alive.js';
import { paretoNbdPurchaseDensityIfAlive, paretoNbdPurchaseProbabilityIfAlive } from './pareto-nbd/purchase-probability.js';
import type { CustomerSummary } from './summary.js';

/**
 * The per-customer quantities of a fitted repeat-purchase model, whichever model it is. Times are in the
 * model's time unit. The "if alive" forms leave out the P(alive) factor so that callers asking several
 * questions about one customer compute it once.
 */
export interface PurchaseModelView {
  /** E[X(t)] of a customer just acquired. */
  expected(t: number): number;
  pAlive(c: CustomerSummary): number;
  /** E[Y(t) | alive at T, x, tₓ, T]. */
  expectedIfAlive(c: CustomerSummary, t: number): number;
  /** E[Y(t) | x, tₓ, T] = P(alive) · expectedIfAlive. */
  conditionalExpected(c: CustomerSummary, t: number): number;
  /** P(at least one purchase in the next t | x, tₓ, T). */
  purchaseProbability(c: CustomerSummary, t: number): number;
  /** Median time to the next purchase; undefined when P(ever buying again) ≤ ½. pAlive may be passed in. */
  medianTimeToNext(c: CustomerSummary, pAlive?: number): number | undefined;
}

export function purchaseModel(f: PurchaseParams): PurchaseModelView {
  if (f.model === 'bg-nbd') {
    const p = f.params;
    // Alive at T, no purchase in t has probability ((α+T)/(α+T+t))^(r+x) (drop-out follows a purchase).
    const buyIfAlive = (c: CustomerSummary, t: number) =>
      t === Infinity ? 1 : -Math.expm1((p.r + c.x) * Math.log((p.alpha + c.T) / (p.alpha + c.T + t)));
    return {
      expected: (t) => bgNbdExpected(p, t),
      pAlive: (c) => bgNbdPAlive(p, c),
      expectedIfAlive: (c, t) => bgNbdExpectedIfAlive(p, c, t),
      conditionalExpected: (c, t) => (t <= 0 ? 0 : bgNbdPAlive(p, c) * bgNbdExpectedIfAlive(p, c, t)),
      purchaseProbability: (c, t) => (t <= 0 ? 0 : bgNbdPAlive(p, c) * buyIfAlive(c, t)),
      // Closed form: solve P(alive)·[1 − ((α+T)/(α+T+t))^(r+x)] = ½ for t.
      medianTimeToNext: (c, pa = bgNbdPAlive(p, c)) =>
        pa > 0.5 ? (p.alpha + c.T) * Math.expm1(-Math.log1p(-0.5 / pa) / (p.r + c.x)) : undefined,
    };
  }
  const p = f.params;
  return {
    expected: (t) => paretoNbdExpected(p, t),
    pAlive: (c) => paretoNbdPAlive(p, c),
    expectedIfAlive: (c, t) => paretoNbdExpectedIfAlive(p, c, t),
    conditionalExpected: (c, t) => (t <= 0 ? 0 : paretoNbdPAlive(p, c) * paretoNbdExpectedIfAlive(p, c, t)),
    purchaseProbability: (c, t) => (t <= 0 ? 0 : paretoNbdPAlive(p, c) * paretoNbdPurchaseProbabilityIfAlive(p, c, t)),
    medianTimeToNext: (c, pa = paretoNbdPAlive(p, c)) =>
      medianTime(
        pa,
        (t) => paretoNbdPurchaseProbabilityIfAlive(p, c, t),
        (t) => paretoNbdPurchaseDensityIfAlive(p, c, t),
      ),
  };
}
