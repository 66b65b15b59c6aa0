import type { Catalog } from '../../segments/catalog/catalog.js';
import { defaultCatalog } from '../../segments/catalog/catalog.js';
import type { CustomerEvent, CustomerState, Scalar } from '../../segments/evaluator/state.js';
import type { Queryable } from '../db.js';
import { existingTables } from './realtime/state.js';

/** The tables and views of the database, as loadCustomerState looks for them (see existingTablesOnce). */
export type TablesOf = () => Promise<ReadonlySet<string>>;

/**
 * The tables and views of the database, read from DuckDB's catalog on the first call and remembered
 * for the calls after it: for work that loads the state of many customers in a row (a batch of workflow
 * runs, the emails of a tick), where reading the catalog was one of loadCustomerState's six statements
 * and the slowest. Use one per batch (or pass over due work), not for the process's life: a table created later (RFM or
 * predictions computed for the first time) is seen by the next batch. A failed read is not remembered.
 */
export function existingTablesOnce(db: Queryable): TablesOf {
  let tables: Promise<ReadonlySet<string>> | undefined;
  return () =>
    (tables ??= existingTables(db).catch((e: unknown) => {
      tables = undefined;
      throw e;
    }));
}

/**
 * Everything the in-memory evaluator reads about one customer, from the same tables the compiled SQL
 * reads: traits, the customer's row of every table a catalog field lives in (metrics, rfm, predictions;
 * tables not created yet are skipped), consent, and tracked events oldest first. `tables` gives the
 * tables that exist (existingTablesOnce, shared by a batch); without it the catalog is read each call.
 */
export async function loadCustomerState(db: Queryable, customerId: string, opts: { catalog?: Catalog; tables?: TablesOf } = {}): Promise<CustomerState> {
  const catalog = opts.catalog ?? defaultCatalog;
  const customer = await db.one<{ traits: string | null }>('SELECT traits FROM customers WHERE customer_id = $1', [customerId]);
  // Views count: customer_predictions and customer_propensity are views (migrations 17 and 5).
  const existing = opts.tables ? await opts.tables() : await existingTables(db);
  const rows: Record<string, Record<string, Scalar> | undefined> = {};
  for (const table of catalog.tables()) {
    if (!existing.has(table)) continue;
    // table names come from the catalog, which admits only plain identifiers
    const row = await db.one<Record<string, Scalar>>(`SELECT * FROM "${table}" WHERE customer_id = $1`, [customerId]);
    if (row) rows[table] = row;
  }
  const consent: Record<string, string> = {};
  for (const r of await db.all<{ channel: string; status: string }>('SELECT channel, status FROM consent WHERE customer_id = $1', [customerId])) {
    consent[r.channel] = r.status;
  }
  const events = await db.all<{ event: string; timestamp: Date; properties: string | null }>(
    'SELECT event, timestamp, properties FROM events WHERE customer_id = $1 AND event IS NOT NULL ORDER BY timestamp, message_id',
    [customerId],
  );
  return {
    customerId,
    traits: parseObject(customer?.traits),
    rows,
    consent,
    events: events.map((e): CustomerEvent => ({ event: e.event, timestamp: e.timestamp, properties: e.properties === null ? undefined : JSON.parse(e.properties) })),
  };
}

function parseObject(json: string | null | undefined): Record<string, unknown> {
  if (!json) return {};
  const v: unknown = JSON.parse(json);
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
