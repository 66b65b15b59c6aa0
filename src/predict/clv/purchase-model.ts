import { bgNbdConditionalExpected } from './bg-nbd/conditional-expected.js';
import { bgNbdExpected } from './bg-nbd/expected.js';
import { bgNbdPAlive } from './bg-nbd/p-alive.js';
import { bgNbdPurchaseProbability } from './bg-nbd/purchase-probability.js';
import { medianTime } from './median-time.js';
import type { PurchaseParams } from './models.js';
import { paretoNbdConditionalExpected } from './pareto-nbd/conditional-expected.js';
import { paretoNbdExpected } from './pareto-nbd/expected.js';
import { paretoNbdPAlive } from './pareto-nbd/p-alive.js';
import { paretoNbdPurchaseProbability } from './pareto-nbd/purchase-probability.js';
import type { CustomerSummary } from './summary.js';

/**
 * The per-customer quantities of a fitted repeat-purchase model, whichever model it is. Times are in the
 * model's time unit.
 */
export interface PurchaseModelView {
  /** E[X(t)] of a customer just acquired. */
  expected(t: number): number;
  /** E[Y(t) | x, tₓ, T]: purchases expected in the next t. */
  conditionalExpected(c: CustomerSummary, t: number): number;
  pAlive(c: CustomerSummary): number;
  /** P(at least one purchase in the next t | x, tₓ, T). */
  purchaseProbability(c: CustomerSummary, t: number): number;
  /** Median time to the next purchase (see medianTime); undefined when P(ever buying again) ≤ ½. */
  medianTimeToNext(c: CustomerSummary): number | undefined;
}

export function purchaseModel(f: PurchaseParams): PurchaseModelView {
  if (f.model === 'bg-nbd') {
    const p = f.params;
    return {
      expected: (t) => bgNbdExpected(p, t),
      conditionalExpected: (c, t) => bgNbdConditionalExpected(p, c, t),
      pAlive: (c) => bgNbdPAlive(p, c),
      purchaseProbability: (c, t) => bgNbdPurchaseProbability(p, c, t),
      // Closed form: solve P(alive)·[1 − ((α+T)/(α+T+t))^(r+x)] = ½ for t.
      medianTimeToNext: (c) => {
        const pa = bgNbdPAlive(p, c);
        if (!(pa > 0.5)) return undefined;
        return (p.alpha + c.T) * Math.expm1(-Math.log1p(-0.5 / pa) / (p.r + c.x));
      },
    };
  }
  const p = f.params;
  return {
    expected: (t) => paretoNbdExpected(p, t),
    conditionalExpected: (c, t) => paretoNbdConditionalExpected(p, c, t),
    pAlive: (c) => paretoNbdPAlive(p, c),
    purchaseProbability: (c, t) => paretoNbdPurchaseProbability(p, c, t),
    medianTimeToNext: (c) => medianTime((t) => paretoNbdPurchaseProbability(p, c, t), (p.alpha + c.T) / (p.r + c.x + 1)),
  };
}
