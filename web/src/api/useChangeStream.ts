import { useEffect, useState } from 'react';
import { api, type ApiError } from './client';
import type { SegmentChange } from './types';
import { asApiError } from './useApi';

export type StreamState = 'connecting' | 'live' | 'reconnecting' | 'failed';

export interface ChangeStream {
  /** newest first, at most `keep` */
  changes: SegmentChange[];
  state: StreamState;
  /** why the stream stopped (failed) or is reconnecting */
  error: ApiError | undefined;
}

const RETRY_MS = 3000;

/**
 * Membership changes as they are recorded: the latest `latest` changes of every segment (or of
 * `segment`) from GET /v1/changes, then the same endpoint as Server-Sent Events from the last cursor.
 * `enabled` false waits (a page asks for what it draws first). A dropped connection is resumed from the last change seen (nothing is missed or shown twice); a
 * refused one (unknown segment, key revoked) stops with its error.
 */
export function useChangeStream({ segment, latest = 50, keep = 200, enabled = true }: { segment?: string | undefined; latest?: number; keep?: number; enabled?: boolean } = {}): ChangeStream {
  const [changes, setChanges] = useState<SegmentChange[]>([]);
  const [state, setState] = useState<StreamState>('connecting');
  const [error, setError] = useState<ApiError>();

  useEffect(() => {
    if (!enabled) return;
    const ctrl = new AbortController();
    const scope = segment === undefined ? {} : { segment };
    let cursor = '0';
    setChanges([]);
    setState('connecting');
    setError(undefined);
    const add = (c: SegmentChange) => {
      if (Number(c.cursor) <= Number(cursor)) return;
      cursor = c.cursor;
      setChanges((cs) => [c, ...cs].slice(0, keep));
    };
    const follow = async (): Promise<void> => {
      try {
        const first = await api.get<{ changes: SegmentChange[]; next: string }>('/v1/changes', { latest, ...scope }, ctrl.signal);
        for (const c of first.changes) add(c);
        cursor = first.next;
      } catch (e) {
        if ((e as Error).name === 'AbortError') return;
        setError(asApiError(e));
        setState('failed');
        return;
      }
      while (!ctrl.signal.aborted) {
        try {
          await api.stream('/v1/changes', { after: cursor, ...scope }, { open: () => { setState('live'); setError(undefined); }, event: (_e, _id, data) => add(data as SegmentChange) }, ctrl.signal);
          setState('reconnecting');
        } catch (e) {
          if ((e as Error).name === 'AbortError') return;
          const err = asApiError(e);
          setError(err);
          // The server refused (unknown segment, key no longer valid): trying again would not help.
          if (err.status >= 400 && err.status < 500) {
            setState('failed');
            return;
          }
          setState('reconnecting');
        }
        await new Promise((r) => setTimeout(r, RETRY_MS));
      }
    };
    void follow();
    return () => ctrl.abort();
  }, [segment, latest, keep, enabled]);

  return { changes, state, error };
}
