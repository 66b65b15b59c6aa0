import { SegmintError } from './errors.js';

/**
 * Wall-clock arithmetic in a named IANA time zone (the workspace time zone), with the zone rules of
 * the runtime's ICU data (Intl.DateTimeFormat), so results never depend on the process's own zone.
 * Instants are Dates (UTC); local times are plain numbers.
 */

export interface LocalParts {
  readonly year: number;
  /** 1-12 */
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  /** 0 = Sunday … 6 = Saturday */
  readonly weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** Throws a SegmintError unless tz is a time zone the runtime knows (e.g. Europe/Paris, UTC). */
export function checkTimeZone(tz: string): void {
  try {
    formatter(tz);
  } catch {
    throw new SegmintError('invalid_time_zone', `"${tz}" is not a time zone; write an IANA name such as Europe/Paris or America/New_York.`, { timeZone: tz });
  }
}

/**
 * The name a time zone is stored and printed under: the runtime's own spelling when it differs from
 * `tz` only in case (`europe/paris` → `Europe/Paris`), and `UTC` for every spelling of UTC (`utc`,
 * `Etc/UTC`, `GMT`, `Zulu`…), so reports say "UTC" and take its fast path (recheck 7, N9). Any other
 * alias is kept as written: ICU's canonical name can be an outdated one (`Asia/Kolkata` resolves to
 * `Asia/Calcutta`), which a user would not recognise. Throws as checkTimeZone for an unknown zone.
 */
export function canonicalTimeZone(tz: string): string {
  checkTimeZone(tz);
  const resolved = formatter(tz).resolvedOptions().timeZone;
  return resolved === 'UTC' || resolved.toLowerCase() === tz.toLowerCase() ? resolved : tz;
}

/** The wall-clock reading of an instant in tz. */
export function localParts(at: Date, tz: string): LocalParts {
  const parts: Record<string, string> = {};
  for (const p of formatter(tz).formatToParts(at)) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: WEEKDAYS.indexOf(parts.weekday ?? ''),
  };
}

/** tz's offset from UTC at an instant, in ms (positive east of Greenwich). */
function offsetAt(t: number, tz: string): number {
  const p = localParts(new Date(t), tz);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(t / 1000) * 1000;
}

/**
 * The instant a wall-clock time in tz names. A time skipped by a clock change (02:30 on the night
 * clocks go forward) is read with the offset before the change, so it lands just after the gap; a
 * time that happens twice (clocks go back) is its first occurrence.
 */
export function zonedTime(year: number, month: number, day: number, hour: number, minute: number, tz: string): Date {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  const before = offsetAt(wall - 86_400_000, tz);
  const first = wall - before;
  if (offsetAt(first, tz) === before) return new Date(first);
  const after = offsetAt(wall + 86_400_000, tz);
  const second = wall - after;
  return new Date(offsetAt(second, tz) === after ? second : first);
}

/**
 * An instant as a person reads it in a table or a line of text: `2024-01-01 09:30:00 UTC`, to the
 * second, marked UTC (without the mark a reader takes it for local time; recheck of fix 9).
 */
export function utcTimeText(at: Date): string {
  return `${at.toISOString().replace('T', ' ').slice(0, 19)} UTC`;
}

/** The calendar date of an instant in tz, as YYYY-MM-DD. */
export function localDate(at: Date, tz: string): string {
  const p = localParts(at, tz);
  return isoDate(p.year, p.month, p.day);
}

export function isoDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The date `days` after an ISO date (negative: before), by the calendar. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return isoDate(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

/** Whole calendar days from ISO date `a` to ISO date `b` (negative when b is before a), by the calendar. */
export function daysFrom(a: string, b: string): number {
  const utc = (date: string) => {
    const [y, m, d] = date.split('-').map(Number) as [number, number, number];
    return Date.UTC(y, m - 1, d);
  };
  return Math.round((utc(b) - utc(a)) / 86_400_000);
}

/** Midnight at the start of an ISO date in tz. */
export function startOfLocalDay(date: string, tz: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return zonedTime(y, m, d, 0, 0, tz);
}

/** A time of day, minutes after midnight. */
export interface TimeOfDay {
  readonly hour: number;
  readonly minute: number;
}

/** Reads "09:00" / "9:30" / "21:15"; throws a plain Error with the reason otherwise. */
export function parseTimeOfDay(text: string): TimeOfDay {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) throw new Error(`"${text}" is not a time of day; write HH:MM, e.g. 09:00`);
  return { hour: Number(m[1]), minute: Number(m[2]) };
}

/**
 * The first instant at or after `from` whose wall-clock time in tz is `at`, on one of `weekdays`
 * (0 = Sunday; all days when absent).
 */
export function nextLocalTime(from: Date, at: TimeOfDay, tz: string, weekdays?: ReadonlySet<number>): Date {
  const today = localDate(from, tz);
  for (let i = 0; i <= 8; i++) {
    const date = addDays(today, i);
    const [y, m, d] = date.split('-').map(Number) as [number, number, number];
    const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
    if (weekdays && !weekdays.has(weekday)) continue;
    const t = zonedTime(y, m, d, at.hour, at.minute, tz);
    if (t.getTime() >= from.getTime()) return t;
  }
  throw new Error('no matching day within 8 days (an empty weekday set?)');
}
