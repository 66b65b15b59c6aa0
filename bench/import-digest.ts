/**
 * A digest of every table of the store after importing each file of a fixed list into a store of its
 * own (the real files of ../shared/data, the import fixtures, the CSV cases of ../shared/cases), printed
 * as JSON: the proof that a change to the import leaves every stored value as it was. Run it on two
 * checkouts and compare the outputs (they must be identical):
 *
 *   npx tsx bench/import-digest.ts > after.json
 *   npx tsx bench/import-digest.ts --src ../main > before.json     # the same list against another checkout's sources
 *   diff before.json after.json
 *
 * Values that depend on the moment of the run (events.received_at, customer_metrics.updated_at, an
 * import's id, times and duration) are left out; everything else is in the digest, row by row.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as RunModule from '../src/ingest/import/run.js';
import type * as DbModule from '../src/store/db.js';
import { root, sharedData } from './lib/measure.js';

const at = process.argv.indexOf('--src');
const src = resolve(at >= 0 ? process.argv[at + 1]! : root);
const { importFile } = (await import(pathToFileURL(join(src, 'src/ingest/import/run.ts')).href)) as typeof RunModule;
const { Store } = (await import(pathToFileURL(join(src, 'src/store/db.ts')).href)) as typeof DbModule;

const fixtures = join(root, 'test/fixtures/import');
const cases = join(sharedData, '..', 'cases');
const GENERIC_MAP = ['Order Ref=order_id', 'Date=placed_at', 'Customer Email=email', 'Client No=user_id', 'SKU=product_id', 'Item=product_name', 'Category=category', 'Qty=quantity', 'Unit Price=price', 'Type=kind', 'Segment=trait.segment'];
const QUALITY_ORDERS = ['order=order_id', 'date=placed_at', 'user=user_id', 'sku=product_id', 'qty=quantity', 'price=price', 'type=kind'];

/** Each entry: files imported one after the other into one fresh store, with their options. */
const RUNS: ReadonlyArray<{ name: string; files: ReadonlyArray<[string, Record<string, unknown>]> }> = [
  { name: 'online-retail twice', files: [[join(sharedData, 'online-retail.csv.gz'), {}], [join(sharedData, 'online-retail.csv.gz'), {}]] },
  { name: 'cdnow-master', files: [[join(sharedData, 'cdnow-master.txt.gz'), {}]] },
  { name: 'cdnow-sample', files: [[join(sharedData, 'cdnow-sample.txt'), {}]] },
  ...['retail-small.csv.gz', 'retail-small.csv', 'cdnow-sample-small.txt', 'shopify-customers-legacy.csv', 'quality-customers.csv', 'quality-orders.csv', 'shopify-orders.csv', 'shopify-customers.csv'].map(
    (f) => ({ name: f, files: [[join(fixtures, f), {}]] as [string, Record<string, unknown>][] }),
  ),
  { name: 'quality-orders.csv mapped', files: [[join(fixtures, 'quality-orders.csv'), { format: 'generic', map: QUALITY_ORDERS }]] },
  { name: 'generic.csv', files: [[join(fixtures, 'generic.csv'), { format: 'generic', map: GENERIC_MAP }]] },
  { name: 'shopify orders then customers', files: [[join(fixtures, 'shopify-orders.csv'), {}], [join(fixtures, 'shopify-customers.csv'), {}]] },
  {
    name: 'decimal-comma.csv',
    files: [[join(cases, 'decimal-comma.csv'), { format: 'generic', map: ['Bestellnr=order_id', 'Kunde=user_id', 'Datum=placed_at', 'Betrag=amount'], currency: 'EUR' }]],
  },
  { name: 'identical-customers.csv', files: [[join(cases, 'identical-customers.csv'), { map: ['order_ref=order_id', 'client=user_id', 'placed=placed_at', 'amount=amount'] }]] },
  { name: 'older-shopify-export.csv', files: [[join(cases, 'older-shopify-export.csv'), {}]] },
];

/** Columns whose values depend on when the run happened, per table. */
const VOLATILE: Record<string, readonly string[]> = {
  events: ['received_at'],
  customer_metrics: ['updated_at'],
  imports: ['import_id', 'started_at', 'finished_at', 'report'],
  schema_migrations: ['applied_at'],
};

type Store = DbModule.Store;

/** JSON text with its objects' keys sorted: the order of keys json_merge_patch leaves is not fixed. */
function canonicalJson(text: string): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(sort) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => [k, sort(x)])) : v;
  return JSON.stringify(sort(JSON.parse(text)));
}

/**
 * Per table: its row count and the md5 of its rows (every column but the volatile ones) in sorted
 * order. JSON columns are compared with their keys sorted (canonicalJson), except the events' own,
 * which the import writes as text in a fixed order (that order is part of what must not change).
 */
async function digest(store: Store): Promise<Record<string, string>> {
  const tables = await store.all<{ name: string }>("SELECT table_name AS name FROM duckdb_tables() WHERE schema_name = 'main' AND NOT temporary ORDER BY 1");
  const out: Record<string, string> = {};
  for (const { name } of tables) {
    const cols = (
      await store.all<{ c: string; t: string }>('SELECT column_name AS c, data_type AS t FROM duckdb_columns() WHERE table_name = $1 AND schema_name = $2 ORDER BY column_index', [name, 'main'])
    ).filter((r) => !(VOLATILE[name] ?? []).includes(r.c));
    // Names from the store's own catalogue, quoted: never text from a file.
    const plain = cols.filter((c) => c.t !== 'JSON' || name === 'events');
    const json = cols.filter((c) => c.t === 'JSON' && name !== 'events');
    const row = `concat_ws(chr(31), ${plain.map((c) => `coalesce(CAST("${c.c}" AS VARCHAR), chr(0))`).join(', ')})`;
    const rows = await store.all<Record<string, string | null>>(`SELECT ${row} AS x${json.map((c, i) => `, "${c.c}"::VARCHAR AS j${i}`).join('')} FROM "${name}"`);
    const lines = rows.map((r) => [r.x, ...json.map((_, i) => (r[`j${i}`] == null ? '\0' : canonicalJson(r[`j${i}`]!)))].join('\x1f')).sort();
    out[name] = `${lines.length} ${createHash('md5').update(lines.join('\x1e')).digest('hex')}`;
  }
  // The import's report without its duration.
  const reports = await store.all<{ r: string }>("SELECT json_merge_patch(report, '{\"seconds\": null}')::VARCHAR AS r FROM imports ORDER BY started_at");
  out['imports.report'] = reports.map((x: { r: string }) => canonicalJson(x.r)).join('\n');
  return out;
}

const result: Record<string, unknown> = {};
const dir = mkdtempSync(join(tmpdir(), 'segmint-digest-'));
try {
  for (const run of RUNS) {
    const store = await Store.open(join(dir, `${result ? Object.keys(result).length : 0}.duckdb`));
    const errors: string[] = [];
    try {
      for (const [file, options] of run.files) {
        try {
          await importFile(store, file, { ...options, now: () => new Date('2026-06-01T00:00:00Z'), name: file.split('/').pop() });
        } catch (e) {
          errors.push(e instanceof Error ? e.message : String(e));
        }
      }
      result[run.name] = { errors, tables: await digest(store) };
    } finally {
      store.close();
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(JSON.stringify(result, null, 1));
