import type { Catalog } from '../../segments/catalog/catalog.js';
import { defaultCatalog } from '../../segments/catalog/catalog.js';
import type { CustomerEvent, CustomerState, Scalar } from '../../segments/evaluator/state.js';
import type { Queryable } from '../db.js';
import { keyLookup } from './identity-columns.js';
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
 * A customer not in the store gets empty traits, rows, consent and events. (loadCustomerStates for one.)
 */
export async function loadCustomerState(db: Queryable, customerId: string, opts: { catalog?: Catalog; tables?: TablesOf } = {}): Promise<CustomerState> {
  return (await loadCustomerStates(db, [customerId], opts)).get(customerId)!;
}

/**
 * loadCustomerState for many customers at once, each table read once for all of them (one statement
 * per table, or per slice of keys: keyLookup chooses the index or a scan by the table's size), instead
 * of a statement per table per customer. Each customer's state is exactly what loadCustomerState would
 * read: the same columns, the same row per table, events ordered by timestamp then message id. Returns
 * a state for every id given (a customer not in the store: empty); a repeated id is read once.
 */
export async function loadCustomerStates(
  db: Queryable,
  customerIds: readonly string[],
  opts: { catalog?: Catalog; tables?: TablesOf } = {},
): Promise<Map<string, CustomerState>> {
  const catalog = opts.catalog ?? defaultCatalog;
  const ids = [...new Set(customerIds)];
  const out = new Map<string, { customerId: string; traits: Record<string, unknown>; rows: Record<string, Record<string, Scalar>>; consent: Record<string, string>; events: CustomerEvent[] }>();
  if (ids.length === 0) return out;
  for (const id of ids) out.set(id, { customerId: id, traits: {}, rows: {}, consent: {}, events: [] });
  // Every per-customer table holds at most a row or a few per customer: the customers count sizes them all.
  const perCustomer = <T>(sqlOf: (list: string) => string) => keyLookup<T>(db, 'customers', ids, sqlOf);
  for (const r of await perCustomer<{ customer_id: string; traits: string | null }>((list) => `SELECT customer_id, traits FROM customers WHERE customer_id IN (${list})`)) {
    out.get(r.customer_id)!.traits = parseObject(r.traits);
  }
  // Views count: customer_predictions and customer_propensity are views (migrations 17 and 5).
  const existing = opts.tables ? await opts.tables() : await existingTables(db);
  for (const table of catalog.tables()) {
    if (!existing.has(table)) continue;
    // table names come from the catalog, which admits only plain identifiers
    for (const row of await perCustomer<Record<string, Scalar>>((list) => `SELECT * FROM "${table}" WHERE customer_id IN (${list})`)) {
      const rows = out.get(row.customer_id as string)?.rows;
      // The first row read, as a point read (db.one) would take it.
      if (rows && rows[table] === undefined) rows[table] = row;
    }
  }
  for (const r of await perCustomer<{ customer_id: string; channel: string; status: string }>(
    (list) => `SELECT customer_id, channel, status FROM consent WHERE customer_id IN (${list})`,
  )) {
    out.get(r.customer_id)!.consent[r.channel] = r.status;
  }
  // Sorted by customer too, so that each customer's events come in their order within one slice of keys.
  const events = await keyLookup<{ customer_id: string; event: string; timestamp: Date; properties: string | null }>(
    db,
    'events',
    ids,
    (list) => `SELECT customer_id, event, timestamp, properties FROM events WHERE customer_id IN (${list}) AND event IS NOT NULL ORDER BY customer_id, timestamp, message_id`,
  );
  for (const e of events) {
    out.get(e.customer_id)!.events.push({ event: e.event, timestamp: e.timestamp, properties: e.properties === null ? undefined : JSON.parse(e.properties) });
  }
  return out;
}

function parseObject(json: string | null | undefined): Record<string, unknown> {
  if (!json) return {};
  const v: unknown = JSON.parse(json);
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
