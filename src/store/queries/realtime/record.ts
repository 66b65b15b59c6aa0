import type { ColumnQueryable, Param, Queryable, Transaction } from '../../db.js';
import type { HistoryNumbers } from './history-numbers.js';
import { packRows, placeholderList, POINT_CHUNK, preferPointLookup, textColumn, type LookupPlan } from '../identity-columns.js';

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
  /** rows to remove from segment_members (stored or not) */
  readonly removals: readonly { segmentId: string; customerId: string }[];
  /** rows to insert into, or replace in, segment_members */
  readonly upserts: readonly MemberRow[];
  /** rows known not to be stored (the engine saw them enter): inserted with no look-up; default none */
  readonly inserts?: readonly MemberRow[];
  readonly recordedAt: Date;
  /** the engine's watermark after the step */
  readonly appliedUntil: Date;
  /** whether the watermark's row exists (an earlier step of this engine committed it) */
  readonly watermarkStored: boolean;
  /** the caller already wrote the watermark in this transaction (writeWatermark): not written again; default false */
  readonly watermarkWritten?: boolean;
}

/**
 * Writes one step of the engine inside the caller's transaction: the changes into segment_history
 * (numbered in the order given by `numbers`, the database's allocator; returns their seq),
 * segment_members, one webhook delivery per change and matching webhook of the segments in
 * `webhookSegments` (the outbox: a delivery exists exactly when its change does), and the watermark (unless
 * `watermarkWritten`: the caller wrote it earlier in the transaction, writeWatermark). `plan` forces how segment_members' rows are deleted (the
 * customer index, or a scan joined with the pairs), for the tests that prove both leave the same rows;
 * by default preferPointLookup chooses.
 */
export async function writeMembership(
  tx: Transaction,
  w: MembershipWrite,
  webhookSegments: ReadonlySet<string>,
  numbers: HistoryNumbers,
  plan?: LookupPlan,
): Promise<number[]> {
  let seqs: number[] = [];
  if (w.transitions.length > 0) {
    const first = await numbers.take(tx, w.transitions.length);
    seqs = w.transitions.map((_, i) => first + i);
    await insertHistory(tx, w.transitions, seqs, w.recordedAt);
    const hooked = w.transitions.map((t, i) => ({ t, seq: seqs[i]! })).filter((x) => webhookSegments.has(x.t.segmentId));
    if (hooked.length > 0) {
      const some = transitionRows(hooked.map((x) => x.t), hooked.map((x) => x.seq), 2);
      await tx.run(
        `INSERT INTO webhook_deliveries (delivery_id, webhook_id, segment_id, customer_id, change, changed_at, created_at, status, next_attempt_at)
         SELECT 'dlv_' || replace(CAST(gen_random_uuid() AS VARCHAR), '-', ''), wh.webhook_id, s.segment_id, s.customer_id, s.change,
           make_timestamp(CAST(s.at_us AS BIGINT)), $1::TIMESTAMP, 'pending', $1::TIMESTAMP
         FROM (${some.select}) s JOIN webhooks wh ON wh.segment_id = s.segment_id
           AND ((s.change = 'entered' AND wh.on_entered) OR (s.change = 'exited' AND wh.on_exited))
         ORDER BY s.seq, wh.webhook_id`,
        [w.recordedAt, ...some.params],
      );
    }
  }
  // segment_members' key has two columns, which DuckDB's index cannot look up: a MERGE by that key is a
  // join with a scan of the table (about 9 ms per commit of the bench). Most rows are members the engine
  // saw enter: appended (below) with no look-up. Removals and replacements are deleted either through the index
  // on customer_id (migration 21), which DuckDB uses when `customer_id IN (constants)` is the scan's only
  // filter, POINT_CHUNK customers per statement with the pairs compared on the few rows it finds; or by
  // one hash join of the pairs with a scan of the table. A look-up fetches each customer's rows one by one
  // (about 0.07 ms a customer), the scan costs in proportion to the table (about 11 ms for 220,000 rows),
  // so preferPointLookup picks the index only for a few customers against a large table: a commit of the
  // bench with time-based exits deleted about 600 pairs in 24 ms by look-ups, and the join takes about 11.
  const gone = [...w.removals, ...w.upserts];
  const customers = [...new Set(gone.map((r) => r.customerId))];
  if (customers.length > 0 && (plan ? plan === 'index' : await preferPointLookup(tx, 'segment_members', customers.length))) {
    const pairsOf = new Map<string, string[]>();
    for (const r of gone) {
      const pairs = pairsOf.get(r.customerId);
      if (pairs) pairs.push(`${r.segmentId}\n${r.customerId}`);
      else pairsOf.set(r.customerId, [`${r.segmentId}\n${r.customerId}`]);
    }
    for (let i = 0; i < customers.length; i += POINT_CHUNK) {
      const some = customers.slice(i, i + POINT_CHUNK);
      await tx.run(
        `DELETE FROM segment_members WHERE customer_id IN (${placeholderList(some.length, 2)})
         AND list_contains($1::VARCHAR[], segment_id || chr(10) || customer_id)`,
        [some.flatMap((c) => pairsOf.get(c)!), ...some],
      );
    }
  } else if (customers.length > 0) {
    const q = packRows([
      { name: 'segment_id', type: 'text', values: gone.map((r) => r.segmentId) },
      { name: 'customer_id', type: 'text', values: gone.map((r) => r.customerId) },
    ]);
    await tx.run(
      `DELETE FROM segment_members m USING (${q.select}) d WHERE m.segment_id = d.segment_id AND m.customer_id = d.customer_id`,
      q.params,
    );
  }
  // New rows through DuckDB's appender, which joins the transaction (they commit or roll back with it);
  // an instant finer than a millisecond, which the engine's clock never makes, through SQL.
  const added = [...w.upserts, ...(w.inserts ?? [])];
  if (added.length > 0 && wholeMillis(added.map((r) => r.since))) {
    await tx.append('segment_members', [
      { type: 'VARCHAR', values: added.map((r) => r.segmentId) },
      { type: 'VARCHAR', values: added.map((r) => r.customerId) },
      { type: 'TIMESTAMP', values: Float64Array.from(added, (r) => r.since) },
    ]);
  } else if (added.length > 0) {
    const q = packRows([
      { name: 'segment_id', type: 'text', values: added.map((r) => r.segmentId) },
      { name: 'customer_id', type: 'text', values: added.map((r) => r.customerId) },
      { name: 'since_us', type: 'number', values: added.map((r) => atMicros(r.since)) },
    ]);
    await tx.run(`INSERT INTO segment_members SELECT segment_id, customer_id, make_timestamp(CAST(since_us AS BIGINT)) FROM (${q.select})`, q.params);
  }
  if (!w.watermarkWritten) await writeWatermark(tx, w.appliedUntil, w.recordedAt, w.watermarkStored);
  return seqs;
}

/**
 * Sets the engine's watermark (the instant up to which every change is recorded; `updatedAt` says when,
 * for people only) inside the caller's transaction. Every step writes it: a plain UPDATE when the row
 * exists (`stored`), which costs well under half of the upsert needed until then.
 */
export async function writeWatermark(tx: Queryable, appliedUntil: Date, updatedAt: Date, stored: boolean): Promise<void> {
  if (stored) {
    await tx.run('UPDATE realtime_watermark SET applied_until = $1::TIMESTAMP, updated_at = $2::TIMESTAMP WHERE id = 1', [appliedUntil, updatedAt]);
    return;
  }
  await tx.run(
    `INSERT INTO realtime_watermark VALUES (1, $1::TIMESTAMP, $2::TIMESTAMP)
     ON CONFLICT (id) DO UPDATE SET applied_until = excluded.applied_until, updated_at = excluded.updated_at`,
    [appliedUntil, updatedAt],
  );
}

/** Whether every instant is a whole millisecond, as the appender takes them (TIMESTAMP columns in appendColumns). */
const wholeMillis = (ms: readonly number[]): boolean => ms.every((x) => Number.isSafeInteger(x));

/** An instant in epoch ms as whole epoch microseconds (TIMESTAMP's resolution), the same in SQL and here. */
const atMicros = (ms: number): number => Math.round(ms * 1000);

/** The transitions (with their seq) as a derived table of constants: packRows' select and parameters from `$first`. */
function transitionRows(ts: readonly TransitionRow[], seqs: readonly number[], first: number): { select: string; params: Param[] } {
  return packRows(
    [
      { name: 'seq', type: 'number', values: seqs },
      { name: 'segment_id', type: 'text', values: ts.map((t) => t.segmentId) },
      { name: 'customer_id', type: 'text', values: ts.map((t) => t.customerId) },
      { name: 'change', type: 'text', values: ts.map((t) => t.change) },
      { name: 'at_us', type: 'number', values: ts.map((t) => atMicros(t.at)) },
    ],
    first,
  );
}

/**
 * Writes the transitions into segment_history with the numbers given, inside the caller's transaction:
 * through DuckDB's appender, which joins the transaction (the rows commit or roll back with it;
 * test/store/realtime), when every instant is a whole millisecond, as the engine's clock makes them;
 * else (an instant finer than that) one INSERT of constants. The appender costs about half of an
 * INSERT … RETURNING that took the numbers from a sequence (docs/realtime.md).
 */
async function insertHistory(tx: ColumnQueryable, ts: readonly TransitionRow[], seqs: readonly number[], recordedAt: Date): Promise<void> {
  const at = ts.map((t) => t.at);
  if (wholeMillis(at)) {
    await tx.append('segment_history', [
      { type: 'VARCHAR', values: ts.map((t) => t.segmentId) },
      { type: 'VARCHAR', values: ts.map((t) => t.customerId) },
      { type: 'VARCHAR', values: ts.map((t) => t.change) },
      { type: 'TIMESTAMP', values: Float64Array.from(at) },
      { type: 'TIMESTAMP', values: new Float64Array(ts.length).fill(recordedAt.getTime()) },
      { type: 'BIGINT', values: seqs },
    ]);
    return;
  }
  const q = transitionRows(ts, seqs, 2);
  await tx.run(
    `INSERT INTO segment_history (segment_id, customer_id, change, changed_at, recorded_at, seq)
     SELECT segment_id, customer_id, change, make_timestamp(CAST(at_us AS BIGINT)), $1::TIMESTAMP, CAST(seq AS BIGINT) FROM (${q.select})`,
    [recordedAt, ...q.params],
  );
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
