import { Store } from './src/store/db.js';
import { importFile } from './src/ingest/import/run.js';
const s = await Store.open('/tmp/retail.duckdb');
const t0 = Date.now();
const r = await importFile(s, '../shared/data/online-retail.csv.gz');
console.log(Date.now() - t0, JSON.stringify(r).slice(0, 1500));
console.log(await s.all("SELECT kind, count(*) n, count(DISTINCT customer_id) c, min(placed_at) mi, max(placed_at) ma FROM orders GROUP BY kind"));
console.log(await s.all("SELECT * FROM order_lines LIMIT 3"));
s.close();
