import { useEffect, useState } from 'react';
import type { Job } from '../api/types';
import { ErrorNote } from './notes';
import { ApiError } from '../api/client';

/**
 * Where a job is: a progress bar over its named steps, the step running now and the time it has taken;
 * once over, how long it took, or its error in the server's words.
 */
export function JobProgress({ job, what }: { job: Job | undefined; what: string }) {
  const [now, setNow] = useState(Date.now());
  const running = job !== undefined && (job.state === 'queued' || job.state === 'running');
  useEffect(() => {
    if (!running) return;
    const t = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(t);
  }, [running]);
  if (!job) return null;
  const started = job.startedAt ? Date.parse(job.startedAt) : now;
  const end = job.finishedAt ? Date.parse(job.finishedAt) : now;
  const seconds = Math.max(0, (end - started) / 1000).toFixed(1);
  if (job.state === 'failed' && job.error) {
    return <ErrorNote what={`${what} failed`} error={new ApiError(0, job.error.error, job.error.message, job.error.details)} />;
  }
  const n = job.steps.length;
  const step = Math.min(job.step, n);
  const stepName = job.state === 'done' ? 'done' : job.state === 'queued' ? 'waiting for other work to finish' : job.steps[step] ?? '';
  return (
    <div className="job" role="status" data-job-state={job.state}>
      <progress max={n} value={job.state === 'done' ? n : step} aria-label={`${what}: step ${Math.min(step + 1, n)} of ${n}`} />
      <span>
        {what}: {job.state === 'done' ? `done in ${seconds} s` : `${stepName} (step ${step + 1} of ${n}, ${seconds} s)`}
      </span>
    </div>
  );
}
