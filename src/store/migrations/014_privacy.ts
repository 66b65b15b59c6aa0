import type { Migration } from './types.js';

/**
 * Tables of the privacy capability (src/privacy/, docs/privacy.md).
 *
 * - privacy_secret: one row, the per-database key of the suppression hashes (HMAC-SHA256), made at
 *   random by the first erasure and never shown.
 * - suppressions: what is left of an erased person, one keyed hash per identifier they had (or that the
 *   request named). kind is the identifier's kind ('*' for a value named in a request that matched no
 *   identity: it then suppresses that value whatever its kind). Imports and live events that carry a
 *   suppressed identifier are dropped.
 * - regulations: each erasure request (one or more identifiers), its status and what it removed, in
 *   counts only. status: pending | running | finished | failed. pending_identifiers holds the
 *   identifiers until the erasure runs (so a request survives a restart), and is cleared in the
 *   transaction that deletes the person's rows.
 * - audit_log: who did what and when among the actions that need the admin scope (keys, erasure, subject
 *   export, settings, retention), from the HTTP API and the CLI. target and details never hold an
 *   erased person's identifiers.
 * - api_key_expiry: when a key stops working (a table of its own, so api_keys keeps its columns).
 * retention.events_days lives in the settings table of `segmint config` (version 12).
 */
export const privacy: Migration = {
  version: 14,
  name: 'privacy',
  statements: [
    `CREATE TABLE privacy_secret (
      id INTEGER PRIMARY KEY,
      secret VARCHAR NOT NULL,
      created_at TIMESTAMP NOT NULL
    )`,
    `CREATE TABLE suppressions (
      identifier_hash VARCHAR PRIMARY KEY,
      kind VARCHAR NOT NULL,
      regulation_id VARCHAR NOT NULL,
      suppressed_at TIMESTAMP NOT NULL
    )`,
    `CREATE TABLE regulations (
      regulation_id VARCHAR PRIMARY KEY,
      status VARCHAR NOT NULL,
      requested_at TIMESTAMP NOT NULL,
      requested_by VARCHAR NOT NULL,
      reason VARCHAR,
      identifiers INTEGER NOT NULL,
      started_at TIMESTAMP,
      finished_at TIMESTAMP,
      customers_erased INTEGER,
      identifiers_not_found INTEGER,
      identifiers_already_erased INTEGER,
      identifiers_suppressed INTEGER,
      orders_anonymised INTEGER,
      rows_deleted JSON,
      file_rewritten BOOLEAN,
      segments_mentioning JSON,
      error VARCHAR,
      pending_identifiers JSON
    )`,
    `CREATE TABLE audit_log (
      logged_at TIMESTAMP NOT NULL,
      actor VARCHAR NOT NULL,
      action VARCHAR NOT NULL,
      target VARCHAR,
      status INTEGER,
      details JSON
    )`,
    `CREATE TABLE api_key_expiry (
      key_id VARCHAR PRIMARY KEY,
      expires_at TIMESTAMP NOT NULL
    )`,
  ],
};
