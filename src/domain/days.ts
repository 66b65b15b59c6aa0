/** Milliseconds in a day. segmint's days are UTC days: the same on every machine, in every time zone. */
export const DAY_MS = 86_400_000;

/** The UTC midnight that starts the day holding `t`. */
export function startOfDay(t: Date): Date {
  return new Date(Math.floor(t.getTime() / DAY_MS) * DAY_MS);
}

/** The UTC midnight that ends the day holding `t` (the start of the next day). */
export function midnightAfter(t: Date): Date {
  return new Date(startOfDay(t).getTime() + DAY_MS);
}
