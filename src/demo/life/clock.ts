import { cumulative, type Draw } from '../random/prng.js';

// Shoppers' hours (UTC ≈ Central European time minus one or two): quiet at night, a lunch bump and an
// evening peak.
const HOUR_WEIGHTS = [2, 1, 1, 1, 1, 2, 4, 6, 7, 7, 7, 8, 9, 8, 7, 7, 8, 10, 12, 13, 12, 9, 6, 3];
const HOURS = cumulative(HOUR_WEIGHTS);
const DAY = 86400;

/** A time on the same UTC day as t (epoch seconds), at a shopper's hour. */
export function atShoppingHour(d: Draw, t: number): number {
  const day = Math.floor(t / DAY) * DAY;
  return day + d.weighted(HOURS) * 3600 + d.int(0, 3599);
}

/** Seconds between two clicks in a session: mostly a few seconds to two minutes. */
export function pause(d: Draw): number {
  return d.int(4, 110);
}
