import { NAME_RULES, ONLINE_RETAIL_CODES, ONLINE_RETAIL_PREFIXES } from '../../domain/line-kinds.js';
import type { Migration } from './types.js';

const literal = (s: string): string => `'${s.replace(/'/g, "''")}'`;

// The rules are constants of the code (domain/line-kinds.ts), written into the statements here so that
// lines stored before this version get the kinds a new import would give them.
const onlineRetailKind = `CASE ${Object.entries(ONLINE_RETAIL_CODES)
  .map(([code, kind]) => `WHEN upper(trim(product_id)) = ${literal(code)} THEN ${literal(kind)}`)
  .join(' ')} ${Object.entries(ONLINE_RETAIL_PREFIXES)
  .map(([prefix, kind]) => `WHEN starts_with(upper(trim(product_id)), ${literal(prefix)}) THEN ${literal(kind)}`)
  .join(' ')} ELSE 'product' END`;
const nameKind = `CASE ${NAME_RULES.map(([p, kind]) => `WHEN regexp_full_match(lower(trim(name)), ${literal(p)}) THEN ${literal(kind)}`).join(' ')} ELSE 'product' END`;

/**
 * The import capability's schema (version 7):
 *
 * - order_lines.kind: product, shipping, fee, discount, adjustment or gift_card (domain/line-kinds.ts).
 *   Only products enter product analytics. Lines already stored are classified as a new import would.
 * - consent_history: every consent decision ever recorded (what, when it was decided, where it came
 *   from, when segmint learned it). The consent table keeps the current decision per channel: the
 *   latest by its own time.
 * - trait_times: per customer and trait, the time of the data that set the current value, so that
 *   older data arriving later never overwrites newer (filled from the identify calls already stored).
 */
export const importSchema: Migration = {
  version: 7,
  name: 'line kinds, consent history, trait times',
  statements: [
    "ALTER TABLE order_lines ADD COLUMN kind VARCHAR DEFAULT 'product'",
    "UPDATE order_lines SET kind = 'product' WHERE kind IS NULL",
    'ALTER TABLE order_lines ALTER COLUMN kind SET NOT NULL',
    `UPDATE order_lines SET kind = ${onlineRetailKind}
     WHERE product_id IS NOT NULL AND order_id IN (SELECT order_id FROM orders WHERE source = 'import:online-retail')`,
    `UPDATE order_lines SET kind = CASE name WHEN 'Discount' THEN 'discount' ELSE 'adjustment' END
     WHERE product_id IS NULL AND name IN ('Discount', 'Refund') AND order_id IN (SELECT order_id FROM orders WHERE source = 'import:shopify-orders')`,
    `UPDATE order_lines SET kind = ${nameKind}
     WHERE name IS NOT NULL AND kind = 'product' AND order_id IN (SELECT order_id FROM orders WHERE source NOT IN ('import:online-retail', 'import:cdnow', 'demo'))`,
    `CREATE TABLE consent_history (
      customer_id VARCHAR NOT NULL,
      channel VARCHAR NOT NULL,
      status VARCHAR NOT NULL,
      decided_at TIMESTAMP NOT NULL,
      source VARCHAR NOT NULL,
      recorded_at TIMESTAMP NOT NULL
    )`,
    'CREATE INDEX consent_history_customer ON consent_history (customer_id)',
    `INSERT INTO consent_history SELECT customer_id, channel, status, updated_at, source, updated_at FROM consent`,
    `CREATE TABLE trait_times (
      customer_id VARCHAR NOT NULL,
      trait VARCHAR NOT NULL,
      decided_at TIMESTAMP NOT NULL,
      source VARCHAR NOT NULL,
      PRIMARY KEY (customer_id, trait)
    )`,
    `INSERT INTO trait_times
     SELECT customer_id, trait, max(timestamp), arg_max(source, timestamp) FROM (
       SELECT customer_id, timestamp, source, unnest(json_keys(traits)) AS trait FROM events
       WHERE type = 'identify' AND customer_id IS NOT NULL AND traits IS NOT NULL AND json_type(traits) = 'OBJECT'
     ) GROUP BY customer_id, trait`,
  ],
};
