import type { Migration } from './types.js';

/**
 * An index on identities.value, so that a live commit finds the identities of its events through the
 * index (store/queries/identity.ts findIdentities: `value IN ($1, …)`, an Index Scan) instead of hashing
 * every identity of the shop. The primary key (kind, value) cannot serve this: DuckDB scans an index only
 * for a single column, and never for a list of (kind, value) pairs. value is never updated (a merge moves
 * customer_id), so the index costs only at insert, and identities are few against events and lines.
 */
export const identitiesValue: Migration = {
  version: 17,
  name: 'identities_value',
  statements: ['CREATE INDEX identities_value ON identities (value)'],
};
