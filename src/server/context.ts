import type { ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Store } from '../store/db.js';
import type { GroupCommitter } from '../ingest/live/committer.js';
import type { RealtimeEngine } from '../realtime/index.js';
import type { WebhookSender } from '../realtime/webhooks/sender.js';
import type { ConnectionGuard } from './connections.js';
import type { ApiKeyInfo } from './keys.js';
import type { HttpLimits } from './limits.js';

/** What route plugins reach through `app.segmint` / `request.server.segmint`. */
export interface ServerContext {
  readonly store: Store;
  /** live ingestion's group commit: answer a request only after its events are durable */
  readonly committer: GroupCommitter;
  /** key hash → the key and until when (ms) it may be trusted without asking the store again */
  readonly keyCache: Map<string, { info: ApiKeyInfo; until: number }>;
  /** real-time segments (absent when the app was built with realtime: false) */
  readonly realtime?: RealtimeEngine;
  readonly webhooks?: WebhookSender;
  /** the limits in force (HTTP_LIMITS with the caller's overrides) */
  readonly limits: HttpLimits;
  /** open connections, bounded in all and per address */
  readonly connections: ConnectionGuard;
  /** the per-key rate limit, run by requireScope once the key is known */
  readonly limitKey: (req: FastifyRequest, reply: FastifyReply) => Promise<void>;
  /** the open Server-Sent Events answers, ended when the server closes (they never end by themselves) */
  readonly streams: Set<ServerResponse>;
}

declare module 'fastify' {
  interface FastifyInstance {
    segmint: ServerContext;
  }
  interface FastifyRequest {
    /** the key the request authenticated with, set by requireScope */
    apiKey?: ApiKeyInfo;
  }
}
