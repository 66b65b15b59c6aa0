import type { Trigger } from '../definition/types.js';

const DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const hhmm = (t: { hour: number; minute: number }): string => `${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}`;

/** A trigger in one line: `enters "At Risk"`, `event "Checkout Started" per checkout_id`. */
export function describeTrigger(t: Trigger): string {
  switch (t.kind) {
    case 'segment':
      return `${t.change === 'entered' ? 'enters' : 'exits'} "${t.segment}"`;
    case 'event':
      return `event "${t.event}"${t.where ? ` where ${t.where.text}` : ''}${t.key ? ` per ${t.key}` : ''}`;
    case 'date': {
      const offset = t.days === 0 ? '' : `${Math.abs(t.days)} days ${t.days > 0 ? 'after' : 'before'} `;
      const what = 'trait' in t.source ? `${t.source.yearly ? 'each year on ' : ''}traits.${t.source.trait}` : `the first "${t.source.firstEvent}"`;
      return `${offset}${what} at ${hhmm(t.at)}`;
    }
    case 'schedule':
      return `every ${t.weekdays ? t.weekdays.map((d) => DAYS[d]).join(', ') : 'day'} at ${hhmm(t.at)}: members of "${t.segment}"`;
  }
}
