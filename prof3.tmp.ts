import { Store } from './src/store/db.js';
const s = await Store.open('/tmp/retail-copy.duckdb');
const q = async (label: string, sql: string) => { const t = Date.now(); const r = await s.all(sql); console.log(label, Date.now() - t, JSON.stringify(r).slice(0, 200)); };
await s.run(`CREATE TEMP TABLE b AS WITH raw AS (SELECT DISTINCT l.order_id, l.product_id FROM order_lines l JOIN orders o ON o.order_id = l.order_id WHERE o.kind='order' AND l.product_id IS NOT NULL),
 pcode AS (SELECT product_id, (row_number() OVER (ORDER BY product_id))::BIGINT AS pid FROM (SELECT DISTINCT product_id FROM raw)),
 ocode AS (SELECT order_id, (row_number() OVER (ORDER BY order_id))::INTEGER AS oid FROM (SELECT DISTINCT order_id FROM raw))
 SELECT oc.oid, pc.pid FROM raw JOIN pcode pc USING (product_id) JOIN ocode oc USING (order_id)`);
await q('scan', `SELECT count(*), sum(pid) FROM b`);
await q('pairs-int', `SELECT count(*), sum(n) FROM (SELECT x.pid, y.pid, count(*) n FROM b x JOIN b y ON x.oid = y.oid AND x.pid < y.pid GROUP BY 1,2)`);
await q('pairs-packed', `SELECT count(*), sum(n) FROM (SELECT x.pid * 1048576 + y.pid AS k, count(*) n FROM b x JOIN b y ON x.oid = y.oid AND x.pid < y.pid GROUP BY 1)`);
await q('join-only', `SELECT count(*) FROM b x JOIN b y ON x.oid = y.oid AND x.pid < y.pid`);
s.close();
