import type { Store } from '../../../src/store/db.js';
import { tempStore } from '../../helpers/store.js';

/**
 * Test-only loader: puts ../shared/data/cdnow-sample.txt into the store as the importer would (one order
 * per line, customers keyed by master_id), with DuckDB reading the file. It keeps the CLV tests about CLV:
 * the real importer has its own end-to-end check in cdnow-import.test.ts.
 */
export async function insertCdnowSample(store: Store, file: string): Promise<void> {
  const lines = `SELECT regexp_split_to_array(trim(line), '\\s+') AS f, row_number() OVER () AS n
                 FROM read_csv($1, columns = {'line': 'VARCHAR'}, delim = '|', header = false, quote = '', escape = '')
                 WHERE trim(line) <> ''`;
  await store.run(
    `INSERT INTO customers SELECT DISTINCT 'cdnow-' || f[1], now(), now(), '{}', NULL FROM (${lines})`,
    [file],
  );
  await store.run(
    `INSERT INTO orders
     SELECT 'cdnow-line-' || n, 'cdnow-' || f[1], 'order', strptime(f[3], '%Y%m%d'), f[5]::DECIMAL(18,4), 'USD', NULL, 'test'
     FROM (${lines})`,
    [file],
  );
}

/**
 * A database file holding the CDNOW sample's orders (insertCdnowSample), closed so that CLI commands can
 * open it: its path, and cleanup to call after the tests.
 */
export async function cdnowSampleDatabase(file: string): Promise<{ path: string; cleanup: () => void }> {
  const t = await tempStore();
  await insertCdnowSample(t.store, file);
  t.store.close();
  return { path: t.path, cleanup: t.cleanup };
}
