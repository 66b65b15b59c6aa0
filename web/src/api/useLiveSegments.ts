import type { RealtimeStatus } from './types';
import { useApi } from './useApi';

/**
 * The names of the segments the real-time engine keeps current (GET /v1/realtime/status): their
 * members are right now, not as of a refresh. Undefined until known; `enabled` false waits.
 */
export function useLiveSegments(enabled = true): ReadonlySet<string> | undefined {
  const status = useApi<RealtimeStatus>(enabled ? '/v1/realtime/status' : null);
  if (!status.data && !status.error) return undefined;
  return new Set(status.data?.segments?.map((s) => s.name) ?? []);
}

/** A segment's last refresh in words, or that it is kept live. */
export function refreshWords(s: { name: string; refreshedAt: string | null; refreshedAsOf: string | null }, live: ReadonlySet<string> | undefined, day: (iso: string | null) => string): string {
  if (live?.has(s.name)) return 'kept live';
  return s.refreshedAt ? `${day(s.refreshedAt)} (as of ${day(s.refreshedAsOf)})` : 'never: refresh to count members';
}
