import { z } from 'zod';
import type { Trigger } from '../types.js';
import type { Checker, Path, Raw } from './checker.js';

/**
 * The trigger: exactly one of entered / exited (a segment), event (with an optional filter and key), date
 * (a date trait or a first event, days before or after, at a time of day) or schedule (a segment, on
 * weekdays, at a time).
 */
export function readTrigger(c: Checker, t: Raw, path: Path): Trigger | undefined {
  const kinds = ['entered', 'exited', 'event', 'date', 'schedule'].filter((k) => k in t);
  if (kinds.length !== 1) {
    c.add(path, kinds.length === 0 ? 'give one of entered, exited, event, date or schedule' : `give only one of ${kinds.join(', ')}`);
    return undefined;
  }
  const kind = kinds[0]!;
  if (kind === 'entered' || kind === 'exited') {
    const s = c.shape(z.object({ [kind]: z.string().min(1) }).strict(), t, path);
    return s ? { kind: 'segment', change: kind, segment: s[kind]! } : undefined;
  }
  if (kind === 'event') {
    const s = c.shape(z.object({ event: z.string().min(1), where: z.string().optional(), key: z.string().min(1).optional() }).strict(), t, path);
    if (!s) return undefined;
    const where = s.where === undefined ? undefined : c.filter(s.event, s.where, [...path, 'where']);
    if (s.where !== undefined && !where) return undefined;
    c.triggerKey = s.key;
    return { kind: 'event', event: s.event, ...(where ? { where } : {}), ...(s.key ? { key: s.key } : {}) };
  }
  if (kind === 'date') {
    const s = c.shape(
      z.object({
        date: z
          .object({
            trait: z.string().min(1).optional(),
            yearly: z.boolean().optional(),
            first: z.string().min(1).optional().describe('the event whose first occurrence is the date'),
            days: z.number().int().min(-366).max(3660).optional(),
            at: z.string(),
          })
          .strict(),
      }).strict(),
      t,
      path,
    );
    if (!s) return undefined;
    const d = s.date;
    if ((d.trait === undefined) === (d.first === undefined)) {
      c.add([...path, 'date'], 'give either trait (a date trait such as birthday) or first (an event, such as "Order Completed")');
      return undefined;
    }
    const at = c.time(d.at, [...path, 'date', 'at']);
    if (!at) return undefined;
    const source = d.trait !== undefined ? { trait: d.trait, yearly: d.yearly ?? true } : { firstEvent: d.first! };
    return { kind: 'date', source, days: d.days ?? 0, at };
  }
  const s = c.shape(
    z.object({ schedule: z.object({ segment: z.string().min(1), every: z.union([z.string(), z.array(z.string())]), at: z.string() }).strict() }).strict(),
    t,
    path,
  );
  if (!s) return undefined;
  const weekdays = c.weekdays(s.schedule.every, [...path, 'schedule', 'every'], true);
  const at = c.time(s.schedule.at, [...path, 'schedule', 'at']);
  if (weekdays === undefined || !at) return undefined;
  return { kind: 'schedule', segment: s.schedule.segment, weekdays, at };
}
