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

/** How P(alive) reads in words. */
export function aliveWords(p: number): string {
  if (p >= 0.9) return 'almost surely still active';
  if (p >= 0.7) return 'probably still active';
  if (p >= 0.4) return 'may have lapsed';
  if (p >= 0.1) return 'probably lapsed';
  return 'almost surely lapsed';
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
