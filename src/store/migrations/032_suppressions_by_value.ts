import type { Migration } from './types.js';

/**
 * Suppression by value, in one lookup (docs/privacy.md). An erasure suppresses a value whatever kind
 * it comes back as. Since this version every erasure also writes an entry of kind `*` for each value it
 * suppresses (src/privacy/suppression.ts), so an arriving value is hashed once (twice for an email in
 * capitals), not once per kind that has entries: that made the check 2–3.5× dearer on a database with
 * erasures. Entries written before this version have only their own kind, and their values are gone, so
 * those kinds are kept here and an arriving value is still looked for under them on such a database.
 */
export const suppressionsByValue: Migration = {
  version: 32,
  name: 'suppressions by value',
  statements: [
    'CREATE TABLE suppression_legacy_kinds (kind VARCHAR PRIMARY KEY)',
    "INSERT INTO suppression_legacy_kinds SELECT DISTINCT kind FROM suppressions WHERE kind <> '*'",
  ],
};
