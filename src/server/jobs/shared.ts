import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';
import { UploadStaging } from '../uploads/staging.js';
import { resyncAround } from '../realtime.js';
import { JobQueue } from './queue.js';

const queues = new WeakMap<ServerContext, JobQueue>();
const stagings = new WeakMap<ServerContext, UploadStaging>();

/** Upload size limit: SEGMINT_UPLOAD_LIMIT_MB, default 1024 MB. */
function uploadLimit(): number {
  const mb = Number(process.env.SEGMINT_UPLOAD_LIMIT_MB ?? 1024);
  return (Number.isFinite(mb) && mb > 0 ? mb : 1024) * 1048576;
}

/**
 * The one job queue of a server (every route plugin of the same app gets the same queue). Call during
 * plugin registration: the first call also makes closing the server wait for running jobs.
 */
export function jobsOf(app: FastifyInstance): JobQueue {
  let q = queues.get(app.segmint);
  if (!q) {
    const engine = app.segmint.realtime;
    const queue = new JobQueue(app.log, engine ? resyncAround(engine) : undefined);
    queues.set(app.segmint, queue);
    app.addHook('onClose', async () => queue.idle());
    q = queue;
  }
  return q;
}

/** The one upload folder of a server; removed when the server closes (after running jobs). */
export function uploadsOf(app: FastifyInstance): UploadStaging {
  let s = stagings.get(app.segmint);
  if (!s) {
    const staging = new UploadStaging(uploadLimit());
    stagings.set(app.segmint, staging);
    const jobs = jobsOf(app);
    app.addHook('onClose', async () => {
      await jobs.idle();
      staging.close();
    });
    s = staging;
  }
  return s;
}
