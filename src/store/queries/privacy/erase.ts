import type { Queryable, Row } from '../../db.js';
import { PERSON_TABLES, storedTable, type PersonTable } from './person-data.js';

/** The base tables of the database's main schema. */
export async function baseTables(db: Queryable): Promise<Set<string>> {
  const rows = await db.all<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
     WHERE table_schema = 'main' AND table_catalog = current_database() AND table_type = 'BASE TABLE'`,
  );
  return new Set(rows.map((r) => r.name));
}

/**
 * The registry entries whose table this database has, in registry order. An entry stored under a view
 * whose file is older than the view (customer_predictions was a table before migration 17) is given its
 * own table.
 */
export async function presentPersonTables(db: Queryable): Promise<PersonTable[]> {
  const tables = await baseTables(db);
  return PERSON_TABLES.flatMap((t) => (tables.has(storedTable(t)) ? [t] : tables.has(t.table) ? [{ ...t, storedIn: undefined }] : []));
}

export interface ScopeSize {
  /** the customers (the person's and those merged into it) */
  readonly customers: number;
  readonly identifiers: number;
  readonly orders: number;
}

/**
 * Fills the temporary tables the registry's conditions read (see person-data.ts): the given live
 * customers and every customer merged into them, their identities and their orders. Each order gets
 * the random id it will carry once anonymised.
 */
export async function fillErasureScope(tx: Queryable, customerIds: readonly string[]): Promise<ScopeSize> {
  await dropErasureScope(tx);
  await tx.run(
    `CREATE TEMP TABLE erase_customers AS
     SELECT customer_id FROM customers
     WHERE customer_id IN (SELECT unnest($1::VARCHAR[])) OR merged_into IN (SELECT unnest($1::VARCHAR[]))`,
    [[...customerIds]],
  );
  await tx.run(
    `CREATE TEMP TABLE erase_identifiers AS
     SELECT DISTINCT kind, value FROM identities WHERE customer_id IN (SELECT customer_id FROM erase_customers)`,
  );
  // A fresh random id per order: nothing of the old id (which some shops build from a name or an
  // email) survives, and no two anonymised orders can be told to be one person's.
  await tx.run(
    `CREATE TEMP TABLE erase_orders AS
     SELECT order_id, 'erased_' || replace(uuid()::VARCHAR, '-', '') AS new_id
     FROM orders WHERE customer_id IN (SELECT customer_id FROM erase_customers)`,
  );
  const r = await tx.one<ScopeSize>(
    `SELECT (SELECT count(*) FROM erase_customers) AS customers, (SELECT count(*) FROM erase_identifiers) AS identifiers,
       (SELECT count(*) FROM erase_orders) AS orders`,
  );
  return r!;
}

export async function dropErasureScope(tx: Queryable): Promise<void> {
  for (const t of ['erase_customers', 'erase_identifiers', 'erase_orders']) await tx.run(`DROP TABLE IF EXISTS ${t}`);
}

/** The identities of the scope (for the suppression list). */
export function scopeIdentifiers(tx: Queryable): Promise<{ kind: string; value: string }[]> {
  return tx.all<{ kind: string; value: string }>('SELECT kind, value FROM erase_identifiers ORDER BY kind, value');
}

/** The person's rows of one registry table, every column (subject export), and which columns are JSON text. */
export async function personRows(tx: Queryable, entry: PersonTable): Promise<{ rows: Row[]; jsonColumns: string[] }> {
  // Table names and conditions come from the registry in code, never from a request.
  const rows = await tx.all(`SELECT * FROM ${entry.table} WHERE ${entry.rows}`);
  const json = await tx.all<{ c: string }>(
    `SELECT column_name AS c FROM information_schema.columns
     WHERE table_schema = 'main' AND table_catalog = current_database() AND table_name = $1 AND data_type = 'JSON'`,
    [entry.table],
  );
  return { rows, jsonColumns: json.map((r) => r.c) };
}

/** The saved segments a customer is a stored member of (as of each segment's last refresh), by name. */
export async function memberSegments(db: Queryable, customerId: string): Promise<string[]> {
  const rows = await db.all<{ name: string }>(
    'SELECT s.name FROM segment_members m JOIN segments s USING (segment_id) WHERE m.customer_id = $1 ORDER BY s.name',
    [customerId],
  );
  return rows.map((r) => r.name);
}

/** Deletes the person's rows of one registry table (from the base table of a view); returns how many. */
export async function deletePersonRows(tx: Queryable, entry: PersonTable): Promise<number> {
  return (await tx.all(`DELETE FROM ${storedTable(entry)} WHERE ${entry.rows} RETURNING 1 AS x`)).length;
}

/** Applies an entry's anonymisation to the person's rows of its table; returns how many. */
export async function anonymisePersonRows(tx: Queryable, entry: PersonTable): Promise<number> {
  if (!entry.anonymise) throw new Error(`${entry.table} has no anonymisation`);
  return (await tx.all(`UPDATE ${storedTable(entry)} SET ${entry.anonymise.set} WHERE ${entry.rows} RETURNING 1 AS x`)).length;
}

/** Saved segments whose text or definition contains one of the values (case-insensitive), by name. */
export async function segmentsMentioning(tx: Queryable, values: readonly string[]): Promise<string[]> {
  const long = values.filter((v) => v.length >= 3);
  if (long.length === 0) return [];
  const rows = await tx.all<{ name: string }>(
    `SELECT name FROM segments
     WHERE EXISTS (SELECT 1 FROM (SELECT unnest($1::VARCHAR[]) AS v)
                   WHERE contains(lower(coalesce(query_text, '') || ' ' || definition::VARCHAR), lower(v)))
     ORDER BY name`,
    [long],
  );
  return rows.map((r) => r.name);
}

/** Every string value of the scope customers' traits (to keep them out of the reason of a request). */
export async function scopeTraitStrings(tx: Queryable): Promise<string[]> {
  const rows = await tx.all<{ v: string }>(
    `SELECT DISTINCT t.value ->> '$' AS v
     FROM customers c, json_each(c.traits) t
     WHERE c.customer_id IN (SELECT customer_id FROM erase_customers) AND t.type = 'VARCHAR'`,
  );
  return rows.map((r) => r.v).filter((v) => typeof v === 'string');
}
