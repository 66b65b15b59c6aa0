import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../src/store/migrations/index.js';
import { listKeys } from '../../src/server/keys.js';
import { Store } from '../../src/store/db.js';
import { tempStore } from '../helpers/store.js';

// Migration 6 on a file that already holds data, and that a later feature migrated past 6 first.
describe('the trust migration (6)', () => {
  it('widens money aggregates, marks keys and live orders, and is applied even after a higher version', async () => {
    const t = await tempStore();
    t.store.close();
    const instance = await DuckDBInstance.create(t.path);
    const c = await instance.connect();
    await c.run('DROP TABLE IF EXISTS schema_migrations');
    // a file of an older segmint: every table dropped, migrations but 6 applied
    for (const table of ['customer_metrics', 'orders', 'api_keys', 'customer_rfm', 'api_key_kinds', 'order_claims', 'order_conflicts']) await c.run(`DROP TABLE IF EXISTS ${table} CASCADE`);
    await c.run(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)`);
    const without = migrations.filter((m) => m.version !== 6);
    await c.run(`INSERT INTO schema_migrations SELECT unnest([${without.map((m) => m.version).join(',')}]), 'old', now()`);
    const init = migrations.find((m) => m.version === 1)!;
    const analytics = migrations.find((m) => m.version === 4)!;
    for (const sql of [...init.statements, ...analytics.statements].filter((s) => /customer_metrics|TABLE orders|api_keys|customer_rfm/.test(s))) await c.run(sql);
    await c.run(`INSERT INTO customer_metrics VALUES ('c1', 2, 9999999999999999.99, 0, 9999999999999999.99, 1.5, now(), now(), 1, 1, 'x', now())`);
    await c.run(`INSERT INTO orders VALUES ('o1','c1','order',now(),5,'EUR','m1','http'), ('o2','c1','order',now(),5,'EUR',null,'import:generic')`);
    await c.run(`INSERT INTO api_keys VALUES ('k1','h1','write',null,now(),null), ('k2','h2','admin',null,now(),null)`);
    c.closeSync();
    instance.closeSync();

    const store = await Store.open(t.path);
    try {
      expect(await store.all('SELECT order_id FROM order_claims')).toEqual([{ order_id: 'o1' }]);
      expect(await store.all("SELECT typeof(total_spent) AS t FROM customer_metrics")).toEqual([{ t: 'DECIMAL(38,2)' }]);
      expect(await store.one<{ n: number }>('SELECT count(*) AS n FROM schema_migrations WHERE version = 6')).toEqual({ n: 1 });
      // keys without a recorded kind: write-only ones were the web pages' keys, so browser keys
      const keys = await listKeys(store);
      expect(keys.map((k) => [k.keyId, k.kind])).toEqual([
        ['k1', 'browser'],
        ['k2', 'server'],
      ]);
    } finally {
      store.close();
      t.cleanup();
    }
  });
});
