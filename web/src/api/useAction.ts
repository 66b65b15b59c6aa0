import { useCallback, useState } from 'react';
import type { ApiError } from './client';
import { asApiError } from './useApi';

export interface Action {
  busy: boolean;
  /** why the last run failed, in the API's words; cleared when the next starts */
  error: ApiError | undefined;
  /** runs a change (a POST, a DELETE…), keeping `busy` and `error`; resolves false when it failed */
  run(fn: () => Promise<void>): Promise<boolean>;
}

/** What a button or form that changes something needs: whether it is under way, and why it failed. */
export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const run = useCallback(async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await fn();
      return true;
    } catch (e) {
      setError(asApiError(e));
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run };
}
