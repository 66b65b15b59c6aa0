/**
 * The one rule for timestamps that arrive from outside: event `timestamp`, `originalTimestamp` and
 * `sentAt`, and trait or property values the segment language reads as times (docs/api.md, "Timestamps").
 *
 * - Accepted: ISO-8601 calendar date-times, in the extended form (`2024-05-01T10:00:00.123+02:00`) or
 *   the basic form (`20240501T100000Z`); a space or `t` may stand for `T` and `z` for `Z` (RFC 3339); the
 *   time may stop at the hour or the minute and the last component may carry a decimal fraction (`.` or
 *   `,`, up to 30 digits); the zone is `Z`, `±hh`, `±hhmm` or `±hh:mm`. A calendar date alone
 *   (`2024-05-01`) is that day's midnight. `24:00` is the midnight that ends the day.
 * - A time without a zone is UTC: the process's TZ never changes a result.
 * - The instant is kept to the millisecond, the resolution of the whole store and of every evaluation;
 *   finer digits are dropped (rounded towards the past), so the SQL compiler and the evaluator agree.
 * - Range: 0001-01-01T00:00:00.000Z to 9999-12-31T23:59:59.999Z, after applying the zone.
 * - Refused: numbers (seconds and milliseconds since 1970 cannot be told apart), expanded years (`+002011-12-10`:
 *   the refusal shows the plain form), text of any other form,
 *   days that do not exist (30 February), hours past 24, minutes or seconds past 59 (a leap second
 *   cannot be stored), zones past ±23:59.
 *
 * The same grammar is one regular expression (ISO_INSTANT_PATTERN, written for both JavaScript and RE2)
 * whose groups the DuckDB dialect turns into the same arithmetic, so SQL and memory read the same instant.
 */

/** Earliest and latest instants segmint stores, in ms since the epoch (years 0001 and 9999, UTC). */
export const MIN_INSTANT = -62_135_596_800_000;
export const MAX_INSTANT = 253_402_300_799_999;

const D2 = '([0-9]{2})';
const FRACTION = '(?:[.,]([0-9]{1,30}))?';
// Groups 1-11: extended form; 12-22: basic form. Each: year, month, day, hour, minute, second,
// fraction, Z, offset sign, offset hours, offset minutes.
const EXTENDED = `([0-9]{4})-${D2}-${D2}(?:[Tt ]${D2}(?::${D2}(?::${D2})?)?${FRACTION}(?:([Zz])|([+-])${D2}(?::?${D2})?)?)?`;
const BASIC = `([0-9]{4})${D2}${D2}[Tt]${D2}(?:${D2}(?:${D2})?)?${FRACTION}(?:([Zz])|([+-])${D2}(?:${D2})?)?`;

/** The grammar as one anchored pattern, valid in JavaScript and in RE2 (DuckDB's regexp functions). */
export const ISO_INSTANT_PATTERN = `^(?:${EXTENDED}|${BASIC})$`;
/** Names for the 11 groups of each form, in order (the DuckDB dialect extracts them by these names). */
export const ISO_GROUPS = ['y', 'mo', 'd', 'h', 'mi', 's', 'f', 'z', 'sign', 'oh', 'om'] as const;

const isoInstant = new RegExp(ISO_INSTANT_PATTERN);
const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

export type InstantReading =
  | { readonly ok: true; readonly ms: number }
  | { readonly ok: false; readonly problem: 'not_iso' | 'no_such_time' | 'out_of_range' | 'expanded_year'; readonly reason: string };

/**
 * Reads a value as an instant under the rule above. Returns the ms since the epoch, or the problem in
 * words (without the field name, which the caller adds): "is the number 1714557600; …".
 */
export function readInstant(v: unknown): InstantReading {
  if (typeof v === 'number' || typeof v === 'bigint') {
    return notIso(`is the number ${String(v)}; a timestamp is ISO-8601 text such as "2024-05-01T10:00:00Z" (a number could be seconds or milliseconds since 1970, so it is refused)`);
  }
  if (typeof v !== 'string') return notIso(`is ${v === null ? 'null' : typeof v}; a timestamp is ISO-8601 text such as "2024-05-01T10:00:00Z"`);
  const canonical = canonicalInstant(v);
  if (canonical !== undefined) return { ok: true, ms: canonical };
  const m = isoInstant.exec(v);
  if (!m) {
    const expanded = expandedYear(v);
    if (expanded) return expanded;
    return notIso(`${shown(v)} is not an ISO-8601 date-time; write e.g. "2024-05-01T10:00:00Z" ("2024-05-01T10:00:00" without a zone is read as UTC)`);
  }
  const g = m[1] !== undefined ? m.slice(1, 12) : m.slice(12, 23);
  const [y, mo, d, h, mi, s, f, z, sign, oh, om] = g;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12) return noSuchTime(`${shown(v)}: month ${mo} does not exist`);
  const days = daysInMonth(year, month);
  if (day < 1 || day > days) return noSuchTime(`${shown(v)}: ${y}-${mo} has no day ${d} (it has ${days} days)`);
  const hour = Number(h ?? 0);
  const minute = Number(mi ?? 0);
  const second = Number(s ?? 0);
  if (hour > 24 || minute > 59 || second > 59) {
    const what = hour > 24 ? `hour ${h}` : minute > 59 ? `minute ${mi}` : `second ${s}${second === 60 ? ' (a leap second cannot be stored)' : ''}`;
    return noSuchTime(`${shown(v)}: ${what} does not exist`);
  }
  if (hour === 24 && (minute !== 0 || second !== 0 || /[1-9]/.test(f ?? ''))) return noSuchTime(`${shown(v)}: only 24:00 may follow 23:59`);
  if (z === undefined && sign !== undefined && (Number(oh) > 23 || Number(om ?? 0) > 59)) {
    return noSuchTime(`${shown(v)}: the zone offset ${sign}${oh}${om !== undefined ? `:${om}` : ''} is beyond ±23:59`);
  }
  const unit = s !== undefined ? 1000 : mi !== undefined ? MINUTE_MS : HOUR_MS;
  const offset = sign === undefined ? 0 : (sign === '-' ? -1 : 1) * (Number(oh) * HOUR_MS + Number(om ?? 0) * MINUTE_MS);
  const ms = dayStart(year, month, day) + hour * HOUR_MS + minute * MINUTE_MS + second * 1000 + fractionMs(f, unit) - offset;
  if (ms < MIN_INSTANT || ms > MAX_INSTANT) {
    return { ok: false, problem: 'out_of_range', reason: `${shown(v)} is outside the range segmint stores (0001-01-01 to 9999-12-31, UTC)` };
  }
  return { ok: true, ms };
}

/**
 * Reads a calendar day alone (`2011-12-10`) under the same rule, as the UTC midnight that starts it:
 * what options that take a day and no time (`clv --calibration-end`, `demo --end`) accept. Another
 * instant readInstant accepts is refused as `not_iso` (a time where a day is asked for); anything else
 * with readInstant's own problem and reason, so an expanded year or a 30 February is named as such.
 */
export function readDay(v: string): InstantReading {
  const r = readInstant(v.trim());
  if (!r.ok || /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(v.trim())) return r;
  return notIso(`${shown(v)} is not a date alone; write it as YYYY-MM-DD (e.g. 2011-12-10)`);
}

/** A trait or property value read as an instant (ms), or undefined when it is not one under the rule. */
export function parseInstant(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  const r = readInstant(v);
  return r.ok ? r.ms : undefined;
}

/** Whether an instant (ms) lies in the range the store keeps. */
export function inInstantRange(ms: number): boolean {
  return Number.isFinite(ms) && ms >= MIN_INSTANT && ms <= MAX_INSTANT;
}

/**
 * ISO 8601's expanded years (`+002011-12-10`, `-000044-03-15`: a sign and more than four digits, which
 * Date.toISOString writes outside years 0 to 9999) are not accepted: a year with a sign but within 0001
 * to 9999 is refused as a form, showing the plain form to write instead (trial 13, C1: the year 2011 was
 * called "outside the years segmint stores"); any other is outside the years segmint stores. Undefined
 * when `v` has no expanded year.
 */
function expandedYear(v: string): InstantReading | undefined {
  const m = /^([+-])([0-9]{5,})(-.*)$/.exec(v);
  if (!m) return undefined;
  const [, sign, digits, rest] = m as unknown as [string, string, string, string];
  const year = Number(digits);
  if (sign === '+' && year >= 1 && year <= 9999) {
    const plain = `${String(year).padStart(4, '0')}${rest}`;
    const form = `${shown(v)} writes its year in the expanded form (a sign before the year), which segmint does not accept`;
    // The plain form is shown only when it is itself a time segmint reads (else its own problem follows).
    const reading = readInstant(plain);
    return { ok: false, problem: 'expanded_year', reason: reading.ok ? `${form}; write ${shown(plain)}` : `${form}; and written plainly, ${reading.reason}` };
  }
  return { ok: false, problem: 'out_of_range', reason: `${shown(v)} is outside the years segmint stores (0001 to 9999, UTC); a sign before the year is not accepted either` };
}

/** The text of a refused value as problems quote it (written only for a problem: readInstant is on every event's path). */
function shown(v: string): string {
  return JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v);
}

/** The fraction of one `unit` (ms) written as digits, in whole ms rounded towards the past (exact: BigInt). */
function fractionMs(digits: string | undefined, unit: number): number {
  if (digits === undefined) return 0;
  // Fractions of a second: the whole ms are the first three digits (padded), later digits only round
  // towards the past, so no BigInt is needed for the usual "….123Z".
  if (unit === 1000) return digits.length >= 3 ? Number(digits.slice(0, 3)) : Number(digits) * (digits.length === 1 ? 100 : 10);
  return Number((BigInt(digits) * BigInt(unit)) / 10n ** BigInt(digits.length));
}

/**
 * The instant of the form every SDK sends (Date.toISOString: `2024-05-01T10:00:00Z` or
 * `2024-05-01T10:00:00.123Z`, years 0100 to 9999) read digit by digit, without the pattern's match and
 * its substrings: readInstant runs for every time of every event. Undefined for any other text, and for
 * any that is not a valid time, so that readInstant's full reading gives the answer or names the problem.
 */
function canonicalInstant(v: string): number | undefined {
  const length = v.length;
  if ((length !== 20 && length !== 24) || v.charCodeAt(length - 1) !== 0x5a /* Z */) return undefined;
  if (v.charCodeAt(4) !== 0x2d || v.charCodeAt(7) !== 0x2d || v.charCodeAt(10) !== 0x54 || v.charCodeAt(13) !== 0x3a || v.charCodeAt(16) !== 0x3a) return undefined;
  if (length === 24 && v.charCodeAt(19) !== 0x2e) return undefined;
  const year = digitsAt(v, 0, 4);
  const month = digitsAt(v, 5, 2);
  const day = digitsAt(v, 8, 2);
  const hour = digitsAt(v, 11, 2);
  const minute = digitsAt(v, 14, 2);
  const second = digitsAt(v, 17, 2);
  const ms = length === 24 ? digitsAt(v, 20, 3) : 0;
  if (year < 100 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || ms < 0) return undefined;
  if (day > daysInMonth(year, month)) return undefined;
  // Years 100 to 9999: Date.UTC takes them as written, and every such instant is in the stored range.
  return Date.UTC(year, month - 1, day, hour, minute, second, ms);
}

/** The whole number written by `count` ASCII digits at `start`, or -1 when one is not a digit. */
function digitsAt(v: string, start: number, count: number): number {
  let n = 0;
  for (let i = start; i < start + count; i++) {
    const d = v.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

function dayStart(year: number, month: number, day: number): number {
  // Date.UTC maps years 0-99 to 1900-1999, so set the year explicitly.
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  return d.getTime();
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function notIso(reason: string): InstantReading {
  return { ok: false, problem: 'not_iso', reason };
}

function noSuchTime(reason: string): InstantReading {
  return { ok: false, problem: 'no_such_time', reason };
}
