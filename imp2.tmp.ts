import { Store } from './src/store/db.js';
const s = await Store.open('/tmp/retail.duckdb');
console.log(await s.all("SELECT kind, count(*) n, count(DISTINCT customer_id) c, min(placed_at) mi, max(placed_at) ma FROM orders GROUP BY kind"));
console.log(await s.all("SELECT product_id, count(*) n FROM order_lines GROUP BY 1 ORDER BY 2 DESC LIMIT 8"));
s.close();
