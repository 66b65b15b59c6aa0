import type { Migration } from './types.js';

/**
 * Tables of the real-time engine (src/realtime).
 *
 * segment_history gets a sequence number: the change stream (`GET /v1/segments/{name}/changes`) and
 * Server-Sent Events resume from it, and rows are numbered in the order they were recorded. No index:
 * seq grows with insertion, so DuckDB's per-block min/max already skips old rows, and an index would
 * slow down the bulk inserts of `segments refresh`.
 *
 * realtime_watermark holds one row: the instant up to which the engine has recorded every membership
 * change (time-based ones included). After a restart, even after kill -9, the engine walks from there
 * to now, so a change that came due while it was down is recorded once, at its own instant. It is
 * written in the same transaction as the changes it covers.
 *
 * webhooks: per segment, a URL and the secret its POSTs are signed with (HMAC-SHA256; the secret must
 * be kept to sign, so it is stored as given). webhook_deliveries is an outbox written in the same
 * transaction as the membership change: a delivery survives restarts and is sent at least once, in
 * order per customer (seq), retried with exponential backoff until 24 hours after it was recorded.
 * status: pending | delivered | failed.
 */
export const realtime: Migration = {
  version: 9,
  name: 'realtime',
  statements: [
    'CREATE SEQUENCE segment_history_seq START 1',
    "ALTER TABLE segment_history ADD COLUMN seq BIGINT DEFAULT nextval('segment_history_seq')",
    `CREATE TABLE realtime_watermark (
      id INTEGER PRIMARY KEY,
      applied_until TIMESTAMP NOT NULL,
      updated_at TIMESTAMP NOT NULL
    )`,
    `CREATE TABLE webhooks (
      webhook_id VARCHAR PRIMARY KEY,
      segment_id VARCHAR NOT NULL,
      url VARCHAR NOT NULL,
      secret VARCHAR NOT NULL,
      on_entered BOOLEAN NOT NULL,
      on_exited BOOLEAN NOT NULL,
      created_at TIMESTAMP NOT NULL
    )`,
    'CREATE SEQUENCE webhook_delivery_seq START 1',
    `CREATE TABLE webhook_deliveries (
      delivery_id VARCHAR PRIMARY KEY,
      seq BIGINT NOT NULL DEFAULT nextval('webhook_delivery_seq'),
      webhook_id VARCHAR NOT NULL,
      segment_id VARCHAR NOT NULL,
      customer_id VARCHAR NOT NULL,
      change VARCHAR NOT NULL,
      changed_at TIMESTAMP NOT NULL,
      created_at TIMESTAMP NOT NULL,
      status VARCHAR NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0,
      next_attempt_at TIMESTAMP NOT NULL,
      last_attempt_at TIMESTAMP,
      last_status INTEGER,
      last_error VARCHAR,
      delivered_at TIMESTAMP
    )`,
  ],
};
