import { settingValue } from '../config/settings.js';
import { DailyJob, type DailyJobOptions } from '../jobs/daily.js';
import type { Store } from '../store/db.js';
import { deleteEventsBefore, recordDeletedBefore } from '../store/queries/privacy/retention.js';

export const RETENTION_SETTING = 'retention.events_days' as const;

export interface RetentionResult {
  /** the setting in force: days events are kept, or null when retention is off */
  readonly days: number | null;
  /** events that happened before this moment were deleted (null when off) */
  readonly cutoff: string | null;
  readonly eventsDeleted: number;
  /** the database file was rewritten so the deleted events' bytes are gone (only when some were deleted) */
  readonly fileRewritten: boolean;
}

/**
 * Applies the retention setting (docs/privacy.md): deletes raw events whose own time is more than
 * `retention.events_days` days before `now`, then rewrites the database file so their bytes leave the
 * disk too. Orders, order lines, customer metrics, scores, memberships and their history stay: they
 * are what the events were summarised into. Off (the default) deletes nothing. A run that deletes events
 * records its cutoff (recordDeletedBefore), so a segment evaluated at an earlier moment can say that its
 * behaviour conditions no longer see them (segments/manage/retention-cutoff.ts).
 */
export async function runRetention(store: Store, now = new Date()): Promise<RetentionResult> {
  const raw = await settingValue(store, RETENTION_SETTING);
  if (raw === undefined || raw === 'off') return { days: null, cutoff: null, eventsDeleted: 0, fileRewritten: false };
  const days = Number(raw);
  const cutoff = new Date(now.getTime() - days * 86_400_000);
  const eventsDeleted = await store.transaction(async (tx) => {
    const n = await deleteEventsBefore(tx, cutoff);
    if (n > 0) await recordDeletedBefore(tx, cutoff, days, now);
    return n;
  });
  const fileRewritten = eventsDeleted > 0 ? await store.rewriteFile() : false;
  return { days, cutoff: cutoff.toISOString(), eventsDeleted, fileRewritten };
}

/** Retention once a day in a running server, shortly after midnight UTC (jobs/daily.ts). */
export function retentionJob(store: Store, opts: DailyJobOptions<RetentionResult> = {}): DailyJob<RetentionResult> {
  return new DailyJob((now) => runRetention(store, now), opts);
}

export function formatRetention(r: RetentionResult): string {
  if (r.days === null) return `Retention is off: every event is kept (set it with \`segmint config set ${RETENTION_SETTING} N\`).`;
  const kept = `Events are kept ${r.days} day${r.days === 1 ? '' : 's'}: ${r.eventsDeleted.toLocaleString('en-US')} event${r.eventsDeleted === 1 ? '' : 's'} from before ${r.cutoff} deleted`;
  return `${kept}${r.fileRewritten ? '; the database file was rewritten so they are gone from disk' : ''}. Orders, metrics and other aggregates are kept.`;
}
