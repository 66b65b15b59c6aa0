import { addDays, localDate, startOfLocalDay, zonedTime } from '../../domain/time-zone.js';
import type { Queryable } from '../../store/db.js';
import { customersFirstEventBetween, customersWithTraitDate, segmentMemberIds } from '../../store/queries/workflows/triggers.js';
import type { DateTrigger, ScheduleTrigger } from '../definition/types.js';
import type { Entrant } from '../engine/entry.js';

/** Days a date trigger catches up after the server was down; older occurrences are let go. */
export const DATE_CATCH_UP_DAYS = 31;

/** When a date trigger fires on an ISO date: its time of day there, in the workspace time zone. */
export function fireTime(date: string, at: { hour: number; minute: number }, tz: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return zonedTime(y, m, d, at.hour, at.minute, tz);
}

/**
 * The dates whose firing time has come since the last one handled (`lastDate`, or the day before the
 * workflow became active), at most DATE_CATCH_UP_DAYS of them, never one whose firing time is before
 * `activeSince` (a workflow created at 10:00 does not fire for 09:00 that day).
 */
export function dueDates(lastDate: string | undefined, activeSince: Date, now: Date, at: { hour: number; minute: number }, tz: string): string[] {
  const today = localDate(now, tz);
  const floor = addDays(today, -DATE_CATCH_UP_DAYS);
  let d = lastDate ? addDays(lastDate, 1) : localDate(activeSince, tz);
  if (d < floor) d = floor;
  const out: string[] = [];
  for (; d <= today; d = addDays(d, 1)) {
    const t = fireTime(d, at, tz);
    if (t.getTime() > now.getTime()) break;
    if (t.getTime() >= activeSince.getTime()) out.push(d);
  }
  return out;
}

/**
 * Who a date trigger starts a run for on `date`: customers whose date trait is `days` before it (each
 * year when yearly; a 29 February birthday is celebrated on 28 February in other years), or whose first
 * event of the kind happened `days` before it (in the workspace time zone). One trigger per customer
 * and date.
 */
export async function dateEntrants(db: Queryable, t: DateTrigger, date: string, tz: string): Promise<Entrant[]> {
  const source = addDays(date, -t.days);
  const at = fireTime(date, t.at, tz);
  let ids: string[];
  if ('trait' in t.source) {
    const key = t.source.yearly ? source.slice(5) : source;
    const keys = [key];
    if (t.source.yearly && key === '02-28' && !isLeap(Number(source.slice(0, 4)))) keys.push('02-29');
    ids = (await customersWithTraitDate(db, t.source.trait, keys, t.source.yearly)).map((r) => r.customer_id);
  } else {
    const from = startOfLocalDay(source, tz);
    const to = startOfLocalDay(addDays(source, 1), tz);
    ids = (await customersFirstEventBetween(db, t.source.firstEvent, from, to)).map((r) => r.customer_id);
  }
  return ids.map((customerId) => ({ customerId, key: '', triggerId: `date:${date}:${customerId}`, at, trigger: { kind: 'date', date } }));
}

/**
 * The latest firing time of a schedule at or before `now` and after `last` (each firing is handled
 * once; if the server was down through several, only the latest is run), or undefined.
 */
export function dueFiring(t: ScheduleTrigger, last: Date | undefined, activeSince: Date, now: Date, tz: string): Date | undefined {
  const today = localDate(now, tz);
  for (let i = 0; i <= 7; i++) {
    const date = addDays(today, -i);
    const [y, m, d] = date.split('-').map(Number) as [number, number, number];
    if (t.weekdays && !t.weekdays.includes(new Date(Date.UTC(y, m - 1, d)).getUTCDay())) continue;
    const at = fireTime(date, t.at, tz);
    if (at.getTime() > now.getTime()) continue;
    if (at.getTime() < activeSince.getTime() || (last && at.getTime() <= last.getTime())) return undefined;
    return at;
  }
  return undefined;
}

/** Every current member of the schedule's segment, for one firing. */
export async function scheduleEntrants(db: Queryable, t: ScheduleTrigger, at: Date): Promise<Entrant[]> {
  const ids = await segmentMemberIds(db, t.segment);
  const iso = at.toISOString();
  return ids.map((customerId) => ({ customerId, key: '', triggerId: `schedule:${iso}:${customerId}`, at, trigger: { kind: 'schedule', segment: t.segment, at: iso } }));
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}
