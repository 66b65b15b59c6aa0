import type { Queryable } from '../../db.js';
import { packRows, textColumn } from '../identity-columns.js';

/** One membership change as the engine records it. `at` is the instant it came true (epoch ms). */
export interface TransitionRow {
  readonly segmentId: string;
  readonly customerId: string;
  readonly change: 'entered' | 'exited';
  readonly at: number;
}

/** A row of segment_members as it must be after the step. */
export interface MemberRow {
  readonly segmentId: string;
  readonly customerId: string;
  readonly since: number;
}

export interface MembershipWrite {
  readonly transitions: readonly TransitionRow[];
  /** rows to remove from segment_members */
  readonly removals: readonly { segmentId: string; customerId: string }[];
  /** rows to insert into, or replace in, segment_members */
  readonly upserts: readonly MemberRow[];
  readonly recordedAt: Date;
  /** the engine's watermark after the step */
  readonly appliedUntil: Date;
}

/**
 * Writes one step of the engine inside the caller's transaction: the changes into segment_history
 * (numbered in the order given; returns their seq), segment_members, one webhook delivery per change
 * and matching webhook of the segments in `webhookSegments` (the outbox: a delivery exists exactly
 * when its change does), and the watermark.
 */
export async function writeMembership(tx: Queryable, w: MembershipWrite, webhookSegments: ReadonlySet<string>): Promise<number[]> {
  let seqs: number[] = [];
  if (w.transitions.length > 0) {
    seqs = (await tx.all<{ seq: number }>("SELECT nextval('segment_history_seq') AS seq FROM range($1::BIGINT) ORDER BY 1", [w.transitions.length])).map((r) => r.seq);
    const rows = (ts: readonly TransitionRow[], numbers: readonly number[], first: number) =>
      packRows(
        [
          { name: 'seq', type: 'number', values: numbers },
          { name: 'segment_id', type: 'text', values: ts.map((t) => t.segmentId) },
          { name: 'customer_id', type: 'text', values: ts.map((t) => t.customerId) },
          { name: 'change', type: 'text', values: ts.map((t) => t.change) },
          { name: 'at_ms', type: 'number', values: ts.map((t) => t.at) },
        ],
        first,
      );
    const all = rows(w.transitions, seqs, 2);
    await tx.run(
      `INSERT INTO segment_history (segment_id, customer_id, change, changed_at, recorded_at, seq)
       SELECT segment_id, customer_id, change, make_timestamp(CAST(at_ms * 1000 AS BIGINT)), $1::TIMESTAMP, CAST(seq AS BIGINT)
       FROM (${all.select}) ORDER BY seq`,
      [w.recordedAt, ...all.params],
    );
    const hooked = w.transitions.map((t, i) => ({ t, seq: seqs[i]! })).filter((x) => webhookSegments.has(x.t.segmentId));
    if (hooked.length > 0) {
      const some = rows(hooked.map((x) => x.t), hooked.map((x) => x.seq), 2);
      await tx.run(
        `INSERT INTO webhook_deliveries (delivery_id, webhook_id, segment_id, customer_id, change, changed_at, created_at, status, next_attempt_at)
         SELECT 'dlv_' || replace(CAST(gen_random_uuid() AS VARCHAR), '-', ''), wh.webhook_id, s.segment_id, s.customer_id, s.change,
           make_timestamp(CAST(s.at_ms * 1000 AS BIGINT)), $1::TIMESTAMP, 'pending', $1::TIMESTAMP
         FROM (${some.select}) s JOIN webhooks wh ON wh.segment_id = s.segment_id
           AND ((s.change = 'entered' AND wh.on_entered) OR (s.change = 'exited' AND wh.on_exited))
         ORDER BY s.seq, wh.webhook_id`,
        [w.recordedAt, ...some.params],
      );
    }
  }
  if (w.removals.length > 0) {
    const q = packRows([
      { name: 'segment_id', type: 'text', values: w.removals.map((r) => r.segmentId) },
      { name: 'customer_id', type: 'text', values: w.removals.map((r) => r.customerId) },
    ]);
    await tx.run(`DELETE FROM segment_members WHERE (segment_id, customer_id) IN (SELECT (segment_id, customer_id) FROM (${q.select}))`, q.params);
  }
  if (w.upserts.length > 0) {
    const q = packRows([
      { name: 'segment_id', type: 'text', values: w.upserts.map((r) => r.segmentId) },
      { name: 'customer_id', type: 'text', values: w.upserts.map((r) => r.customerId) },
      { name: 'since_ms', type: 'number', values: w.upserts.map((r) => r.since) },
    ]);
    await tx.run(
      `INSERT INTO segment_members (segment_id, customer_id, since)
       SELECT segment_id, customer_id, make_timestamp(CAST(since_ms * 1000 AS BIGINT)) FROM (${q.select})
       ON CONFLICT (segment_id, customer_id) DO UPDATE SET since = excluded.since`,
      q.params,
    );
  }
  await tx.run(
    `INSERT INTO realtime_watermark VALUES (1, $1::TIMESTAMP, $2::TIMESTAMP)
     ON CONFLICT (id) DO UPDATE SET applied_until = excluded.applied_until, updated_at = excluded.updated_at`,
    [w.appliedUntil, w.recordedAt],
  );
  return seqs;
}

/** The instant up to which every change is recorded, or undefined before the engine first ran. */
export async function readWatermark(db: Queryable): Promise<number | undefined> {
  const row = await db.one<{ t: number }>('SELECT epoch_ms(applied_until) AS t FROM realtime_watermark WHERE id = 1');
  return row?.t;
}

/** The stored members of the given segments, with the instant they entered. */
export async function storedMembers(db: Queryable, segmentIds: readonly string[]): Promise<{ segment_id: string; customer_id: string; since: number }[]> {
  if (segmentIds.length === 0) return [];
  const ids = textColumn(1, segmentIds);
  return db.all(`SELECT segment_id, customer_id, epoch_ms(since) AS since FROM segment_members WHERE segment_id IN (SELECT ${ids.sql})`, [ids.param]);
}

/** The segments that have at least one webhook. */
export async function segmentsWithWebhooks(db: Queryable): Promise<Set<string>> {
  return new Set((await db.all<{ segment_id: string }>('SELECT DISTINCT segment_id FROM webhooks')).map((r) => r.segment_id));
}
