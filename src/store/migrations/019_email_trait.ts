import type { Migration } from './types.js';

/**
 * The email trait is stored the way the email identity is, trimmed and lower-cased (docs/identity.md):
 * customers whose email trait came as " Ann@Example.COM " before that rule get it normalised, so a segment
 * on traits.email finds them. The events keep what was sent. The SQL is written out here rather than taken
 * from store/queries (normalisedTextSql), so this migration stays what it was when it ran.
 */
const NORMALISED = `lower(regexp_replace(json_extract_string(traits, '$.email'), '^[\\t\\n\\v\\f\\r\\p{Z}\\x{FEFF}]+|[\\t\\n\\v\\f\\r\\p{Z}\\x{FEFF}]+$', '', 'g'))`;

export const emailTrait: Migration = {
  version: 19,
  name: 'email trait normalised',
  statements: [
    `UPDATE customers SET traits = json_merge_patch(traits, json_object('email', ${NORMALISED}))
     WHERE json_type(traits, '$.email') = 'VARCHAR' AND json_extract_string(traits, '$.email') <> ${NORMALISED}`,
  ],
};
