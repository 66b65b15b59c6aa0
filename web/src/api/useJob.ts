import { useCallback, useEffect, useRef, useState } from 'react';
import { api, type ApiError } from './client';
import type { Job } from './types';
import { asApiError } from './useApi';

export interface JobRunner<R> {
  job: Job<R> | undefined;
  /** the request that would start the job was refused, or following it failed */
  error: ApiError | undefined;
  running: boolean;
  start(path: string, body?: unknown): Promise<Job<R> | undefined>;
  /** forgets the finished job, to start over */
  reset(): void;
}

/**
 * Starts long work (POST answering 202 with a job) and follows it by polling GET /v1/jobs/{id} until it
 * is done or failed; resolves with the finished job. The job's own error is on job.error.
 */
export function useJob<R>(onDone?: (job: Job<R>) => void): JobRunner<R> {
  const [job, setJob] = useState<Job<R>>();
  const [error, setError] = useState<ApiError>();
  const alive = useRef(true);
  const done = useRef(onDone);
  done.current = onDone;
  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);

  const start = useCallback(async (path: string, body?: unknown) => {
    setError(undefined);
    try {
      let j = await api.post<Job<R>>(path, body ?? {});
      setJob(j);
      while (alive.current && (j.state === 'queued' || j.state === 'running')) {
        await new Promise((r) => setTimeout(r, 400));
        j = await api.get<Job<R>>(`/v1/jobs/${j.id}`);
        if (alive.current) setJob(j);
      }
      if (alive.current) done.current?.(j);
      return j;
    } catch (e) {
      if (alive.current) setError(asApiError(e));
      return undefined;
    }
  }, []);

  const reset = useCallback(() => {
    setJob(undefined);
    setError(undefined);
  }, []);
  return { job, error, running: job !== undefined && (job.state === 'queued' || job.state === 'running'), start, reset };
}
