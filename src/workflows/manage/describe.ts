import { formatDuration } from '../definition/duration.js';
import type { Step, Trigger } from '../definition/types.js';

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

/** A step in one line, as the definition says it. */
export function describeStep(s: Step): string {
  switch (s.kind) {
    case 'wait':
      return `wait ${formatDuration(s.duration)}`;
    case 'wait_until':
      return `wait until ${hhmm(s.at)}${s.weekdays ? ` on ${s.weekdays.map((d) => DAYS[d]).join(', ')}` : ''}`;
    case 'wait_event':
      return `wait for "${s.event}" up to ${formatDuration(s.timeout)}`;
    case 'branch':
      return `if ${s.condition.text}`;
    case 'split':
      return `split ${s.variants.map((x) => `${x.name} ${x.weight}`).join(' / ')}`;
    case 'email':
      return `email "${s.subject}"${s.transactional ? ' (transactional)' : ''}`;
    case 'webhook':
      // the host only: a report a read key sees, and a URL may carry a token
      return `webhook to ${hostOf(s.url)}`;
    case 'set_trait':
      return `set ${Object.keys(s.traits).join(', ')}`;
    case 'tag':
    case 'list':
      return `${s.kind} ${[...s.add.map((n) => `+${n}`), ...s.remove.map((n) => `-${n}`)].join(' ')}`;
    case 'exit':
      return `exit (${s.reason})`;
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'its URL';
  }
}
