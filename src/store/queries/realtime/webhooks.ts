import type { Queryable } from '../../db.js';

export interface WebhookRow {
  webhook_id: string;
  segment_id: string;
  segment: string | null;
  url: string;
  secret: string;
  on_entered: boolean;
  on_exited: boolean;
  created_at: Date;
}

export async function insertWebhook(db: Queryable, w: Omit<WebhookRow, 'segment' | 'created_at'>, now: Date): Promise<void> {
  await db.run('INSERT INTO webhooks VALUES ($1, $2, $3, $4, $5, $6, $7)', [w.webhook_id, w.segment_id, w.url, w.secret, w.on_entered, w.on_exited, now]);
}

/** Webhooks with their segment's name (null when the segment is gone), optionally of one segment. */
export async function listWebhooks(db: Queryable, segmentId?: string): Promise<WebhookRow[]> {
  return db.all<WebhookRow>(
    `SELECT w.*, s.name AS segment FROM webhooks w LEFT JOIN segments s USING (segment_id)
     WHERE $1::VARCHAR IS NULL OR w.segment_id = $1 ORDER BY w.created_at, w.webhook_id`,
    [segmentId ?? null],
  );
}

/** Removes a webhook and the deliveries not made yet; returns whether it existed. */
export async function deleteWebhook(db: Queryable, webhookId: string): Promise<boolean> {
  const found = await db.one('SELECT 1 AS x FROM webhooks WHERE webhook_id = $1', [webhookId]);
  if (!found) return false;
  await db.run("DELETE FROM webhook_deliveries WHERE webhook_id = $1 AND status = 'pending'", [webhookId]);
  await db.run('DELETE FROM webhooks WHERE webhook_id = $1', [webhookId]);
  return true;
}

export interface DeliveryRow {
  delivery_id: string;
  seq: number;
  webhook_id: string;
  segment_id: string;
  segment: string | null;
  customer_id: string;
  change: 'entered' | 'exited';
  changed_at: Date;
  created_at: Date;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  next_attempt_at: Date;
  last_attempt_at: Date | null;
  last_status: number | null;
  last_error: string | null;
  delivered_at: Date | null;
  url: string;
  secret: string;
  /** listDeliveries only: the earlier pending delivery of the same webhook and customer this one waits for */
  waiting_for?: string | null;
}

const DELIVERY = `SELECT d.*, s.name AS segment, w.url, w.secret
  FROM webhook_deliveries d JOIN webhooks w USING (webhook_id) LEFT JOIN segments s ON s.segment_id = d.segment_id`;

/**
 * Deliveries to attempt now: pending, due, and each the earliest pending one of its webhook and
 * customer (so a customer's changes arrive in the order they happened), oldest first.
 */
export async function dueDeliveries(db: Queryable, now: Date, limit: number): Promise<DeliveryRow[]> {
  return db.all<DeliveryRow>(
    `${DELIVERY}
     WHERE d.status = 'pending' AND d.next_attempt_at <= $1::TIMESTAMP
       AND d.seq = (SELECT min(e.seq) FROM webhook_deliveries e
                    WHERE e.webhook_id = d.webhook_id AND e.customer_id = d.customer_id AND e.status = 'pending')
     ORDER BY d.seq LIMIT $2`,
    [now, limit],
  );
}

/**
 * When the next delivery can be attempted (epoch ms), or undefined: the earliest due time among the
 * deliveries at the head of their webhook and customer (the others wait for those before them).
 */
export async function nextDeliveryAt(db: Queryable): Promise<number | undefined> {
  const row = await db.one<{ t: number | null }>(
    `SELECT epoch_ms(min(d.next_attempt_at)) AS t FROM webhook_deliveries d
     WHERE d.status = 'pending'
       AND d.seq = (SELECT min(e.seq) FROM webhook_deliveries e
                    WHERE e.webhook_id = d.webhook_id AND e.customer_id = d.customer_id AND e.status = 'pending')`,
  );
  return row?.t ?? undefined;
}

export async function recordAttempt(
  db: Queryable,
  id: string,
  outcome: { status: 'pending' | 'delivered' | 'failed'; at: Date; next?: Date; httpStatus?: number; error?: string },
): Promise<void> {
  await db.run(
    `UPDATE webhook_deliveries SET status = $2, attempts = attempts + 1, last_attempt_at = $3::TIMESTAMP,
       next_attempt_at = coalesce($4::TIMESTAMP, next_attempt_at), last_status = $5, last_error = $6,
       delivered_at = CASE WHEN $2 = 'delivered' THEN $3::TIMESTAMP END
     WHERE delivery_id = $1`,
    [id, outcome.status, outcome.at, outcome.next ?? null, outcome.httpStatus ?? null, outcome.error ?? null],
  );
}

export async function listDeliveries(
  db: Queryable,
  opts: { webhookId?: string; status?: string; limit: number },
): Promise<DeliveryRow[]> {
  // A pending delivery behind an earlier pending one of its webhook and customer is not attempted before
  // it (dueDeliveries), whatever its own next_attempt_at says: name the one it waits for.
  return db.all<DeliveryRow>(
    `SELECT q.*, CASE WHEN q.status = 'pending' THEN
       (SELECT arg_min(e.delivery_id, e.seq) FROM webhook_deliveries e
        WHERE e.webhook_id = q.webhook_id AND e.customer_id = q.customer_id AND e.status = 'pending' AND e.seq < q.seq) END AS waiting_for
     FROM (${DELIVERY}) q
     WHERE ($1::VARCHAR IS NULL OR q.webhook_id = $1) AND ($2::VARCHAR IS NULL OR q.status = $2)
     ORDER BY q.seq DESC LIMIT $3`,
    [opts.webhookId ?? null, opts.status ?? null, opts.limit],
  );
}

export async function deliveryCounts(db: Queryable): Promise<{ pending: number; failed: number; delivered: number }> {
  const row = await db.one<{ pending: number; failed: number; delivered: number }>(
    `SELECT count(*) FILTER (WHERE status = 'pending') AS pending, count(*) FILTER (WHERE status = 'failed') AS failed,
       count(*) FILTER (WHERE status = 'delivered') AS delivered FROM webhook_deliveries`,
  );
  return row ?? { pending: 0, failed: 0, delivered: 0 };
}

/** Removes the webhooks of segments that no longer exist, with their deliveries not made yet. */
export async function dropOrphanWebhooks(db: Queryable): Promise<void> {
  await db.run(
    `DELETE FROM webhook_deliveries WHERE status = 'pending'
       AND webhook_id IN (SELECT webhook_id FROM webhooks WHERE segment_id NOT IN (SELECT segment_id FROM segments))`,
  );
  await db.run('DELETE FROM webhooks WHERE segment_id NOT IN (SELECT segment_id FROM segments)');
}
