import { randomBytes } from 'node:crypto';
import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import { isSegmintError, type SegmintError } from '../../domain/errors.js';
import { errorInRequestTerms, type ErrorBody } from '../option-words.js';

export type JobState = 'queued' | 'running' | 'done' | 'failed';

/** What GET /v1/jobs/{id} answers: where a long piece of work is, and its result or error when over. */
export type JobView = {
  id: string;
  kind: string;
  state: JobState;
  /** the steps the work goes through, in order */
  steps: string[];
  /** index into steps of the step running now (steps.length when done) */
  step: number;
  /** the key that started it */
  keyId: string | null;
  queuedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  result: unknown;
  /** the API's usual error body: { error, message, details? } */
  error: ErrorBody | null;
};

/** Handed to the work: call step(name) as each named step starts. */
export interface JobContext {
  step(name: string): void;
}

const KEEP_FINISHED = 100;

/**
 * Long work the API starts for a request and lets the client follow (imports, model fits, clustering):
 * the request is answered at once with the job, which runs in this process, one job at a time (they
 * would queue behind each other on the database anyway). Jobs live in memory: a restart forgets them,
 * and what they wrote is in the database like any CLI run. A SegmintError ends a job as `failed` with
 * the error the endpoint would have given, in the words of the request that started it (option names
 * as its fields, errorInRequestTerms); any other error is logged and reported as internal.
 */
export class JobQueue {
  private readonly jobs = new Map<string, JobView>();
  private tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly log: FastifyBaseLogger,
    /** runs around each job's work (the real-time engine picks up what the job wrote) */
    private readonly around: <T>(work: () => Promise<T>) => Promise<T> = (work) => work(),
  ) {}

  /**
   * Queues `work` for the request `req` (the key that started it, and the words its errors are told in);
   * answers the job as it is now, for a 202.
   */
  start(kind: string, steps: readonly string[], req: FastifyRequest, work: (ctx: JobContext) => Promise<unknown>): JobView {
    const keyId = req.apiKey?.keyId ?? null;
    const terms = errorInRequestTerms(req);
    const job: JobView = {
      id: 'job_' + randomBytes(8).toString('hex'),
      kind,
      state: 'queued',
      steps: [...steps],
      step: 0,
      keyId,
      queuedAt: new Date().toISOString(),
      startedAt: null,
      finishedAt: null,
      result: null,
      error: null,
    };
    this.jobs.set(job.id, job);
    this.forgetOld();
    this.tail = this.tail.then(() => this.run(job, work, terms));
    return { ...job };
  }

  get(id: string): JobView | undefined {
    const j = this.jobs.get(id);
    return j && { ...j };
  }

  /** Newest first. */
  list(): JobView[] {
    return [...this.jobs.values()].reverse().map((j) => ({ ...j }));
  }

  /** Resolves when every job started so far has finished. */
  idle(): Promise<void> {
    return this.tail;
  }

  private async run(job: JobView, work: (ctx: JobContext) => Promise<unknown>, terms: (e: SegmintError) => ErrorBody): Promise<void> {
    job.state = 'running';
    job.startedAt = new Date().toISOString();
    const ctx: JobContext = {
      step: (name) => {
        const i = job.steps.indexOf(name);
        if (i >= 0) job.step = i;
      },
    };
    try {
      job.result = await this.around(() => work(ctx));
      job.state = 'done';
      job.step = job.steps.length;
    } catch (e) {
      job.state = 'failed';
      if (isSegmintError(e)) {
        job.error = terms(e);
      } else {
        this.log.error({ err: e, job: job.id, kind: job.kind }, 'a job failed');
        job.error = { error: 'internal', message: 'Internal error; it has been logged on the server.' };
      }
    } finally {
      job.finishedAt = new Date().toISOString();
    }
  }

  private forgetOld(): void {
    const finished = [...this.jobs.values()].filter((j) => j.state === 'done' || j.state === 'failed');
    for (const j of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) this.jobs.delete(j.id);
  }
}
