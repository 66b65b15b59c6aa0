/** A span of days in the unit a person would use: days up to two weeks, weeks up to two years, then years. */
export function duration(days: number): string {
  if (days < 14) {
    const d = Math.round(days);
    return d === 1 ? '1 day' : `${d} days`;
  }
  if (days < 730) {
    const w = Math.round(days / 7);
    return `${w} weeks`;
  }
  return `${(days / 365.25).toFixed(1)} years`;
}

/**
 * How P(alive) reads in words, as the rest of a sentence about "customers like this" (each band is a
 * whole predicate, verb included, so every band reads as a sentence).
 */
export function aliveWords(p: number): string {
  if (p >= 0.9) return 'are almost surely still active';
  if (p >= 0.7) return 'are probably still active';
  if (p >= 0.4) return 'may have lapsed';
  if (p >= 0.1) return 'have probably lapsed';
  return 'have almost surely lapsed';
}

/** How large a contribution to the log-odds is, in words: e^1 ≈ 2.7× the odds is "strongly". */
export function strength(logOdds: number): string {
  const a = Math.abs(logOdds);
  if (a >= 1) return 'strongly';
  if (a >= 0.3) return 'clearly';
  return 'slightly';
}

/** "bought 26 times in 31 weeks, last 1 day ago". */
export function historyWords(orders: number, tenureDays: number, recencyDays: number): string {
  const times = orders === 1 ? 'once' : `${orders} times`;
  if (orders === 1) return `bought once, ${duration(recencyDays)} ago`;
  return `bought ${times} in ${duration(tenureDays)}, last ${duration(recencyDays)} ago`;
}

export function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export { joinWords } from '../../domain/words.js';

/** Whole percent, but never "0%" or "100%" for a probability strictly between 0 and 1. */
export function percent(p: number): string {
  if (p > 0 && p < 0.005) return 'under 1%';
  if (p < 1 && p > 0.995) return 'over 99%';
  return `${(p * 100).toFixed(0)}%`;
}
