import type { Migration } from './types.js';

/**
 * Identifiers in NFC (trial 13, M1): since this version every identity value and the email trait are
 * stored in Unicode's canonical composed form (canonicalText, src/domain/identifiers.ts), so `zoë` sent
 * as `e` + U+0308 is the same identifier as `zoë` sent as U+00EB. Identities stored before in another
 * form are rewritten to NFC here, so a lookup, an import or an event in either form finds them. Where
 * the NFC form is already held (by the same customer or another one: two customers made from one
 * address in two forms), the other row is left as it is: rewriting it would break the key or join two
 * customers without a merge being recorded; such a row is no longer reached by a new value (docs/identity.md).
 * Of several non-NFC forms of one value, the one seen first is rewritten. Suppression entries are hashes
 * and cannot be rewritten: the check looks them up in NFD too (lookupForms, src/privacy/suppression.ts).
 * Text holding U+0000 is left as it is (DuckDB 1.5's nfc_normalize cuts it there: nfcSql).
 * The SQL is written out here rather than taken from store/queries, so this migration stays what it was.
 */
export const identifiersNfc: Migration = {
  version: 33,
  name: 'identifiers in NFC',
  statements: [
    `CREATE TEMP TABLE identities_nfc AS
       SELECT kind, value AS old_value, nfc AS value, customer_id, first_seen_at FROM (
         SELECT i.*, nfc_normalize(i.value) AS nfc,
           row_number() OVER (PARTITION BY i.kind, nfc_normalize(i.value) ORDER BY i.first_seen_at, i.value) AS n
         FROM identities i WHERE i.value <> nfc_normalize(i.value) AND NOT contains(i.value, chr(0))
       ) r
       WHERE r.n = 1 AND NOT EXISTS (SELECT 1 FROM identities o WHERE o.kind = r.kind AND o.value = r.nfc)`,
    `DELETE FROM identities USING identities_nfc t WHERE identities.kind = t.kind AND identities.value = t.old_value`,
    `INSERT INTO identities (kind, value, customer_id, first_seen_at) SELECT kind, value, customer_id, first_seen_at FROM identities_nfc`,
    `DROP TABLE identities_nfc`,
    `UPDATE customers SET traits = json_merge_patch(traits, json_object('email', nfc_normalize(json_extract_string(traits, '$.email'))))
     WHERE json_type(traits, '$.email') = 'VARCHAR' AND json_extract_string(traits, '$.email') <> nfc_normalize(json_extract_string(traits, '$.email'))
       AND NOT contains(json_extract_string(traits, '$.email'), chr(0))`,
  ],
};
