import type { Migration } from './types.js';

/**
 * Hostile input (docs/api.md, docs/security.md):
 * - a customer's money aggregates become DECIMAL(38,x): every accepted order is below 10^12, so no number
 *   of orders can overflow them and no customer can be made unwritable (DECIMAL(18,2) ends near 10^16);
 * - an API key is a browser key (public: it sits in web pages) or a server key (secret), in api_key_kinds;
 *   a key without a row there is a browser key when it can only write (those were the keys given to web
 *   pages), else a server key;
 * - order_claims lists the orders a browser key sent: claims that a trusted source (a server key, an
 *   import) replaces; live orders so far came in with public write keys, so they are claims. (Tables of
 *   their own, so that orders and api_keys keep their columns.)
 * - order_conflicts records each time two sources named one order id for different customers, and what
 *   was decided; the quality report shows them.
 */
export const trust: Migration = {
  version: 6,
  name: 'trust',
  statements: [
    'ALTER TABLE customer_metrics ALTER COLUMN gross_revenue TYPE DECIMAL(38,2)',
    'ALTER TABLE customer_metrics ALTER COLUMN refunded TYPE DECIMAL(38,2)',
    'ALTER TABLE customer_metrics ALTER COLUMN total_spent TYPE DECIMAL(38,2)',
    'ALTER TABLE customer_metrics ALTER COLUMN avg_order_value TYPE DECIMAL(38,2)',
    'ALTER TABLE customer_rfm ALTER COLUMN monetary TYPE DECIMAL(38,2)',
    'CREATE TABLE api_key_kinds (key_id VARCHAR PRIMARY KEY, kind VARCHAR NOT NULL)',
    'CREATE TABLE order_claims (order_id VARCHAR PRIMARY KEY)',
    "INSERT INTO order_claims SELECT order_id FROM orders WHERE source = 'http'",
    // outcome: browser_claim_replaced (a trusted source took the order from a browser claim),
    // browser_claim_ignored (a browser key claimed an order a trusted source had given), browser_claims_disagree
    // (two browser claims: the order is left to no customer until a trusted source says), trusted_sources_disagree
    // (two trusted sources: the first is kept, the conflict shown).
    `CREATE TABLE order_conflicts (
      order_id VARCHAR NOT NULL,
      outcome VARCHAR NOT NULL,
      kept_customer_id VARCHAR,
      kept_source VARCHAR NOT NULL,
      other_customer_id VARCHAR,
      other_source VARCHAR NOT NULL,
      other_message_id VARCHAR,
      recorded_at TIMESTAMP NOT NULL
    )`,
  ],
};
