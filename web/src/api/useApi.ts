import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiError, type Query } from './client';

export interface Loaded<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload: () => void;
}

/**
 * GETs a path whenever it (or its query) changes; null skips the request. A newer request wins over an
 * older one still in flight, so fast typing never shows stale answers.
 */
export function useApi<T>(path: string | null, query?: Query): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: ApiError; loading: boolean }>({ loading: path !== null });
  const [tick, setTick] = useState(0);
  const key = path === null ? null : path + JSON.stringify(query ?? {});
  const latest = useRef(0);
  useEffect(() => {
    if (path === null) {
      setState({ loading: false });
      return;
    }
    const ticket = ++latest.current;
    const ctrl = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    api
      .get<T>(path, query, ctrl.signal)
      .then((data) => ticket === latest.current && setState({ data, loading: false }))
      .catch((e: unknown) => {
        if ((e as Error).name === 'AbortError' || ticket !== latest.current) return;
        setState({ error: asApiError(e), loading: false });
      });
    return () => ctrl.abort();
    // key stands for path and query, so an equal query object made anew does not refetch
  }, [key, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

export function asApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  return new ApiError(0, 'client', e instanceof Error ? e.message : String(e));
}
