import type { Duration } from '../../segments/ast/values.js';
import { localParts, parseTimeOfDay, nextLocalTime, type TimeOfDay } from '../../domain/time-zone.js';
import { parseDuration } from '../definition/duration.js';

/** At most `max` marketing emails per customer in any window of `per`. */
export interface FrequencyCap {
  readonly max: number;
  readonly per: Duration;
}

/** Reads "1/1d", "3/7d", "2 / 1w"; "off" (or "none") is no cap (null). */
export function parseFrequencyCap(text: string): FrequencyCap | null {
  const t = text.trim().toLowerCase();
  if (t === 'off' || t === 'none') return null;
  const m = /^(\d+)\s*\/\s*(.+)$/.exec(t);
  if (!m || Number(m[1]) < 1) throw new Error('is not a cap; write N/PERIOD, e.g. 1/1d or 3/7d, or off');
  let per: Duration;
  try {
    per = parseDuration(m[2]!);
  } catch {
    throw new Error(`is not a cap: "${m[2]}" is not a period; write N/PERIOD, e.g. 1/1d or 3/7d, or off`);
  }
  // a window of no length holds no earlier email, so it would cap nothing
  if (per.amount < 1) throw new Error('has a period of 0, which caps nothing; the period is at least 1 of its unit, e.g. 1/1d');
  return { max: Number(m[1]), per };
}

/** Hours in which no marketing email goes out; start > end wraps past midnight (21:00-08:00). */
export interface QuietHours {
  readonly start: TimeOfDay;
  readonly end: TimeOfDay;
}

/** Reads "21:00-08:00"; "off" is none (null). */
export function parseQuietHours(text: string): QuietHours | null {
  const t = text.trim().toLowerCase();
  if (t === 'off' || t === 'none') return null;
  const m = /^(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})$/.exec(t);
  if (!m) throw new Error('is not a span of hours; write HH:MM-HH:MM, e.g. 21:00-08:00, or off');
  const start = parseTimeOfDay(m[1]!);
  const end = parseTimeOfDay(m[2]!);
  if (start.hour === end.hour && start.minute === end.minute) throw new Error('starts and ends at the same time');
  return { start, end };
}

const minutes = (t: TimeOfDay): number => t.hour * 60 + t.minute;

/** When quiet hours hold at `at` (in tz), the instant they end; otherwise null. */
export function quietUntil(at: Date, q: QuietHours, tz: string): Date | null {
  const p = localParts(at, tz);
  const now = p.hour * 60 + p.minute;
  const s = minutes(q.start);
  const e = minutes(q.end);
  const quiet = s < e ? now >= s && now < e : now >= s || now < e;
  return quiet ? nextLocalTime(at, q.end, tz) : null;
}
