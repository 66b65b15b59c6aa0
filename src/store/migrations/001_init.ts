import type { Migration } from './types.js';

/**
 * The core of the store. Times are naive TIMESTAMPs holding UTC; money is DECIMAL so sums are exact.
 * A customer merged into another keeps its row (merged_into) so merges can be audited; every other
 * table refers only to surviving customers.
 */
export const init: Migration = {
  version: 1,
  name: 'init',
  statements: [
    `CREATE TABLE customers (
      customer_id VARCHAR PRIMARY KEY,
      created_at TIMESTAMP NOT NULL,
      updated_at TIMESTAMP NOT NULL,
      traits JSON NOT NULL DEFAULT '{}',
      merged_into VARCHAR
    )`,
    // kind: user_id | anonymous_id | email | external:<type>
    `CREATE TABLE identities (
      kind VARCHAR NOT NULL,
      value VARCHAR NOT NULL,
      customer_id VARCHAR NOT NULL,
      first_seen_at TIMESTAMP NOT NULL,
      PRIMARY KEY (kind, value)
    )`,
    `CREATE TABLE events (
      message_id VARCHAR PRIMARY KEY,
      type VARCHAR NOT NULL,
      event VARCHAR,
      customer_id VARCHAR,
      user_id VARCHAR,
      anonymous_id VARCHAR,
      timestamp TIMESTAMP NOT NULL,
      received_at TIMESTAMP NOT NULL,
      properties JSON,
      traits JSON,
      context JSON,
      source VARCHAR NOT NULL
    )`,
    // One customer's events are read on every real-time evaluation and explanation; without an index
    // that is a scan of the whole table.
    'CREATE INDEX events_customer ON events (customer_id)',
    // kind: order | refund. revenue is the sum of the lines (negative for a refund).
    `CREATE TABLE orders (
      order_id VARCHAR PRIMARY KEY,
      customer_id VARCHAR,
      kind VARCHAR NOT NULL,
      placed_at TIMESTAMP NOT NULL,
      revenue DECIMAL(18,4) NOT NULL,
      currency VARCHAR,
      message_id VARCHAR,
      source VARCHAR NOT NULL
    )`,
    `CREATE TABLE order_lines (
      order_id VARCHAR NOT NULL,
      line_no INTEGER NOT NULL,
      product_id VARCHAR,
      name VARCHAR,
      category VARCHAR,
      price DECIMAL(18,4),
      quantity DOUBLE,
      amount DECIMAL(18,4) NOT NULL,
      PRIMARY KEY (order_id, line_no)
    )`,
    `CREATE TABLE customer_metrics (
      customer_id VARCHAR PRIMARY KEY,
      orders_count INTEGER NOT NULL,
      gross_revenue DECIMAL(18,2) NOT NULL,
      refunded DECIMAL(18,2) NOT NULL,
      total_spent DECIMAL(18,2) NOT NULL,
      avg_order_value DECIMAL(18,2),
      first_order_at TIMESTAMP,
      last_order_at TIMESTAMP,
      avg_days_between_orders DOUBLE,
      distinct_products INTEGER NOT NULL,
      top_category VARCHAR,
      updated_at TIMESTAMP NOT NULL
    )`,
    // Every merge, and every merge refused by the over-merge guards (refused = true).
    `CREATE TABLE merges (
      merged_at TIMESTAMP NOT NULL,
      survivor_id VARCHAR NOT NULL,
      absorbed_id VARCHAR NOT NULL,
      reason VARCHAR NOT NULL,
      identifier_kind VARCHAR,
      identifier_value VARCHAR,
      refused BOOLEAN NOT NULL DEFAULT false,
      message_id VARCHAR
    )`,
    // channel: email | sms | ...; status: granted | denied
    `CREATE TABLE consent (
      customer_id VARCHAR NOT NULL,
      channel VARCHAR NOT NULL,
      status VARCHAR NOT NULL,
      updated_at TIMESTAMP NOT NULL,
      source VARCHAR NOT NULL,
      PRIMARY KEY (customer_id, channel)
    )`,
    `CREATE TABLE api_keys (
      key_id VARCHAR PRIMARY KEY,
      key_hash VARCHAR NOT NULL UNIQUE,
      scopes VARCHAR NOT NULL,
      name VARCHAR,
      created_at TIMESTAMP NOT NULL,
      revoked_at TIMESTAMP
    )`,
    `CREATE TABLE imports (
      import_id VARCHAR PRIMARY KEY,
      file VARCHAR NOT NULL,
      file_sha256 VARCHAR,
      format VARCHAR NOT NULL,
      started_at TIMESTAMP NOT NULL,
      finished_at TIMESTAMP,
      report JSON
    )`,
  ],
};
