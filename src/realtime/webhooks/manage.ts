import { randomBytes } from 'node:crypto';
import { SegmintError } from '../../domain/errors.js';
import { segmentNotFound } from '../../segments/manage/names.js';
import type { Store } from '../../store/db.js';
import { printableUrl, webhookUrlProblem } from '../../webhooks/url.js';
import { findSegmentRecord } from '../../store/queries/segments/definitions.js';
import { deleteWebhook, deliveryCounts, insertWebhook, listDeliveries, listWebhooks, type DeliveryRow, type WebhookRow } from '../../store/queries/realtime/webhooks.js';
import { wholeNumberIn } from '../../domain/whole-number.js';

export type WebhookEvents = 'entered' | 'exited' | 'both';

export interface Webhook {
  id: string;
  segment: string | null;
  segmentId: string;
  url: string;
  on: WebhookEvents;
  createdAt: Date;
  /** shown in full once, when the webhook is created; a prefix afterwards */
  secret: string;
}

export interface Delivery {
  id: string;
  webhookId: string;
  segment: string | null;
  customerId: string;
  change: 'entered' | 'exited';
  at: Date;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  nextAttemptAt: Date | null;
  lastAttemptAt: Date | null;
  lastStatus: number | null;
  lastError: string | null;
  deliveredAt: Date | null;
  /**
   * For a pending delivery behind an earlier pending one of the same webhook and customer (a customer's
   * changes are delivered in order): that delivery's id. It is attempted after that one, not at nextAttemptAt.
   */
  waitingFor: string | null;
}

function asWebhook(r: WebhookRow, fullSecret: boolean): Webhook {
  return {
    id: r.webhook_id,
    segment: r.segment,
    segmentId: r.segment_id,
    // a password saved before URLs with credentials were refused is never printed
    url: printableUrl(r.url),
    on: r.on_entered && r.on_exited ? 'both' : r.on_entered ? 'entered' : 'exited',
    createdAt: r.created_at,
    secret: fullSecret ? r.secret : `${r.secret.slice(0, 10)}…`,
  };
}

/** A URL a webhook may post to (src/webhooks/url.ts says which), as URL normalises it. */
function checkUrl(raw: string): string {
  const problem = webhookUrlProblem(raw);
  if (problem) throw new SegmintError('webhook_url_invalid', `The webhook URL is refused: ${problem}.`, { url: printableUrl(raw.slice(0, 200)) });
  return new URL(raw).toString();
}

/**
 * Adds a webhook to a segment: every entry and/or exit is POSTed to url, signed with the secret
 * (generated unless given; at least 16 characters). The secret is in the answer, in full, this once.
 */
export async function addWebhook(
  store: Store,
  input: { segment: string; url: string; on?: WebhookEvents; secret?: string },
  now = new Date(),
): Promise<Webhook> {
  const seg = await findSegmentRecord(store, input.segment);
  if (!seg) throw segmentNotFound(input.segment);
  const url = checkUrl(input.url);
  const on = input.on ?? 'both';
  if (!['entered', 'exited', 'both'].includes(on)) {
    throw new SegmintError('webhook_events_invalid', `--on must be entered, exited or both, not "${String(on)}".`, { on });
  }
  if (input.secret !== undefined && input.secret.length < 16) {
    throw new SegmintError('webhook_secret_short', 'A webhook secret needs at least 16 characters (or leave it out and one is made).', {});
  }
  const row = {
    webhook_id: `whk_${randomBytes(8).toString('hex')}`,
    segment_id: seg.segment_id,
    url,
    secret: input.secret ?? `whsec_${randomBytes(24).toString('base64url')}`,
    on_entered: on !== 'exited',
    on_exited: on !== 'entered',
  };
  await insertWebhook(store, row, now);
  return asWebhook({ ...row, segment: seg.name, created_at: now }, true);
}

export async function webhooks(store: Store, segment?: string): Promise<Webhook[]> {
  let segmentId: string | undefined;
  if (segment !== undefined) {
    const seg = await findSegmentRecord(store, segment);
    if (!seg) throw segmentNotFound(segment);
    segmentId = seg.segment_id;
  }
  return (await listWebhooks(store, segmentId)).map((r) => asWebhook(r, false));
}

export async function removeWebhook(store: Store, id: string): Promise<void> {
  if (!(await deleteWebhook(store, id))) {
    throw new SegmintError('webhook_not_found', `There is no webhook ${id}; \`segmint webhooks list\` shows them.`, { id }, 404);
  }
}

/** The most deliveries one listing holds (`--limit`, `limit`): more is refused, not cut. */
export const DELIVERIES_PAGE_MAX = 10_000;

/** Deliveries, newest first: failed ones stay visible with their last error. */
export async function deliveries(store: Store, opts: { webhook?: string; status?: string; limit?: number } = {}): Promise<Delivery[]> {
  if (opts.status !== undefined && !['pending', 'delivered', 'failed'].includes(opts.status)) {
    throw new SegmintError('delivery_status_invalid', `--status must be pending, delivered or failed, not "${opts.status}".`, { status: opts.status });
  }
  const rows = await listDeliveries(store, {
    ...(opts.webhook !== undefined ? { webhookId: opts.webhook } : {}),
    ...(opts.status !== undefined ? { status: opts.status } : {}),
    limit: wholeNumberIn(opts.limit ?? 50, 'limit', 1, DELIVERIES_PAGE_MAX),
  });
  return rows.map(asDelivery);
}

export function asDelivery(r: DeliveryRow): Delivery {
  return {
    id: r.delivery_id,
    webhookId: r.webhook_id,
    segment: r.segment,
    customerId: r.customer_id,
    change: r.change,
    at: r.changed_at,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.status === 'pending' ? r.next_attempt_at : null,
    lastAttemptAt: r.last_attempt_at,
    lastStatus: r.last_status,
    lastError: r.last_error,
    deliveredAt: r.delivered_at,
    waitingFor: r.waiting_for ?? null,
  };
}

export { deliveryCounts };
