import { MODEL } from '../params.js';
import { sampleBeta } from '../random/beta.js';
import { sampleExponential } from '../random/exponential.js';
import { sampleGamma } from '../random/gamma.js';
import { samplePoisson } from '../random/poisson.js';
import type { Draw } from '../random/prng.js';
import { atShoppingHour } from './clock.js';

const DAY = 86400;
const HOUR = 3600;

export interface Visit {
  readonly at: number;
  readonly kind: 'order' | 'browse' | 'abandon';
}

/**
 * A buyer's repeat purchases under BG/NBD (Fader, Hardie & Lee 2005): the first purchase is at arrival;
 * while alive they buy as a Poisson process with their own rate λ ~ Gamma(r, α), and after each repeat
 * purchase they drop out for good with their own probability p ~ Beta(a, b). Returns the repeat purchase
 * times (the first is not included) and when they dropped out (Infinity when still alive at the end).
 */
export function purchaseTimes(d: Draw, arrival: number, cutoff: number): { times: number[]; lapsedAt: number } {
  const ratePerSecond = sampleGamma(d.rand, MODEL.purchaseShape, MODEL.purchaseRatePerDay) / DAY;
  const p = sampleBeta(d.rand, MODEL.dropoutA, MODEL.dropoutB);
  const times: number[] = [];
  let t = arrival;
  let last = arrival;
  for (;;) {
    t += sampleExponential(d.rand, ratePerSecond);
    if (t >= cutoff) return { times, lapsedAt: Number.POSITIVE_INFINITY };
    // Shoppers buy at shopping hours; never two orders within four hours.
    const at = Math.max(atShoppingHour(d, t), last + 4 * HOUR);
    if (at >= cutoff) return { times, lapsedAt: Number.POSITIVE_INFINITY };
    times.push(at);
    last = at;
    if (d.chance(p)) return { times, lapsedAt: at };
  }
}

/**
 * All visits after the first one, in time order: the repeat orders, browse-only visits around them, and
 * abandoned checkouts (Checkout Started with no Order Completed in the next hour: an abandoned checkout
 * before an order is at least two hours before it). A person who dropped out still visits now and then
 * for a while, then stops.
 */
export function sideSessions(d: Draw, arrival: number, orders: readonly number[], lapsedAt: number, cutoff: number, buyer: boolean): Visit[] {
  const visits: Visit[] = orders.map((at) => ({ at, kind: 'order' as const }));
  const activeUntil = Math.min(cutoff, Number.isFinite(lapsedAt) ? lapsedAt + sampleExponential(d.rand, 1 / (30 * DAY)) : cutoff);
  const browse = (from: number, to: number, n: number) => {
    for (let i = 0; i < n; i++) {
      const at = atShoppingHour(d, from + d.next() * (to - from));
      if (at > from && at < to) visits.push({ at, kind: 'browse' });
    }
  };
  if (buyer) {
    let prev = arrival;
    for (const at of orders) {
      browse(prev + HOUR, at - 2 * HOUR, samplePoisson(d.rand, MODEL.browseSessionsPerOrder));
      const gap = at - prev;
      if (gap > 6 * HOUR && d.chance(MODEL.abandonBeforeOrder)) {
        const before = 2 * HOUR + d.next() * Math.min(5 * DAY, gap - 4 * HOUR);
        visits.push({ at: at - before, kind: 'abandon' });
      }
      prev = at;
    }
    browse(prev + HOUR, activeUntil, samplePoisson(d.rand, MODEL.browseSessionsPerOrder));
  } else {
    const years = Math.max(0, activeUntil - arrival) / (365 * DAY);
    browse(arrival + DAY, activeUntil, samplePoisson(d.rand, Math.min(50, MODEL.browseSessionsPerYear * years)));
    if (activeUntil > arrival + DAY && d.chance(MODEL.abandonNonBuyer)) {
      visits.push({ at: arrival + DAY + d.next() * (activeUntil - arrival - DAY), kind: 'abandon' });
    }
  }
  return visits.sort((a, b) => a.at - b.at || a.kind.localeCompare(b.kind));
}
