import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemo, type DemoResult } from '../../src/demo/generate.js';
import { demoOptions } from '../../src/demo/options.js';
import { customerIdFor } from '../../src/domain/identifiers.js';
import type { Store } from '../../src/store/db.js';
import { tempStore } from '../helpers/store.js';
import { runCli } from '../helpers/cli.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const END = '2025-06-01';
const small = (seed = 42) => demoOptions({ customers: 300, days: 365, seed, end: END });

/** One order-independent fingerprint per table: row count and the sum of the hashes of whole rows. */
async function checksums(store: Store): Promise<Record<string, string>> {
  const tables: Record<string, string> = {
    customers: 'SELECT * FROM customers',
    identities: 'SELECT * FROM identities',
    events: 'SELECT * EXCLUDE (properties, traits, context), properties::VARCHAR, traits::VARCHAR, context::VARCHAR FROM events',
    orders: 'SELECT * FROM orders',
    order_lines: 'SELECT * FROM order_lines',
    consent: 'SELECT * FROM consent',
    customer_metrics: 'SELECT * EXCLUDE (updated_at) FROM customer_metrics',
  };
  const out: Record<string, string> = {};
  for (const [name, sql] of Object.entries(tables)) {
    const r = await store.one<{ n: number; h: unknown }>(`SELECT count(*) AS n, sum(hash(t))::VARCHAR AS h FROM (${sql}) t`);
    out[name] = `${r!.n}:${String(r!.h)}`;
  }
  return out;
}

const stores: Array<Awaited<ReturnType<typeof tempStore>>> = [];
let a: Store;
let resultA: DemoResult;

beforeAll(async () => {
  const t = await tempStore();
  stores.push(t);
  a = t.store;
  resultA = await generateDemo(a, { ...small(), chunkSize: 128 });
});
afterAll(() => stores.forEach((s) => s.cleanup()));

describe('demo determinism', () => {
  it('gives identical data for the same seed and end, whatever the chunk size', async () => {
    const t = await tempStore();
    stores.push(t);
    const r = await generateDemo(t.store, { ...small(), chunkSize: 1000 });
    expect(r.counts).toEqual(resultA.counts);
    expect(await checksums(t.store)).toEqual(await checksums(a));
  });

  it('gives different data for another seed', async () => {
    const t = await tempStore();
    stores.push(t);
    await generateDemo(t.store, small(43));
    const [x, y] = [await checksums(a), await checksums(t.store)];
    for (const table of ['events', 'orders', 'customers']) expect(y[table]).not.toEqual(x[table]);
  });

  it('running it again on the same store adds nothing, and an interrupted load is completed', async () => {
    const before = await checksums(a);
    const again = await generateDemo(a, small());
    expect(again.alreadyLoaded).toBe(true);
    expect(await checksums(a)).toEqual(before);
    // An interruption: half the events and some orders missing, the demo not marked finished.
    await a.run("DELETE FROM events WHERE hash(message_id) % 2 = 0");
    await a.run('DELETE FROM order_lines WHERE order_id IN (SELECT order_id FROM orders WHERE hash(order_id) % 3 = 0)');
    await a.run('DELETE FROM orders WHERE hash(order_id) % 3 = 0');
    await a.run("UPDATE imports SET finished_at = NULL WHERE format = 'demo'");
    const resumed = await generateDemo(a, small());
    expect(resumed.alreadyLoaded).toBe(false);
    expect(await checksums(a)).toEqual(before);
    // The write key and the admin key, each once, the admin key the same on every run (its salt is kept).
    expect(await a.all('SELECT key_id, scopes FROM api_keys ORDER BY key_id')).toEqual([
      { key_id: `key_demo_${small().seed}`, scopes: 'write' },
      { key_id: `key_demo_admin_${small().seed}`, scopes: 'admin' },
    ]);
    expect(resumed.adminKey.key).toBe(again.adminKey.key);
    expect(resumed.adminKey.key).toMatch(/^sgm_demo_admin_[0-9a-f]{32}$/);
  });

  it('refuses a store holding other data, naming the file', async () => {
    await expect(generateDemo(a, small(7))).rejects.toMatchObject({ code: 'demo_store_not_empty', message: expect.stringContaining(a.path) });
  });
});

describe('demo data is coherent', () => {
  const count = async (sql: string, params: unknown[] = []) => (await a.one<{ n: number }>(sql, params as never))!.n;

  it('has the documented mix of people', () => {
    const c = resultA.counts;
    expect(c.customers).toBe(300);
    expect(c.anonymous_only).toBeGreaterThan(45); // about 30%
    expect(c.anonymous_only).toBeLessThan(135);
    expect(c.identified + c.anonymous_only).toBe(300);
    expect(c.buyers).toBeGreaterThan(c.identified * 0.5);
    expect(c.repeat_buyers).toBeGreaterThan(0);
    expect(c.refunds).toBeGreaterThan(0);
    expect(c.abandoned_checkouts).toBeGreaterThan(0);
    expect(c.events / c.customers).toBeGreaterThan(12);
    expect(c.events / c.customers).toBeLessThan(30);
  });

  it('every order has lines and its revenue is the sum of them; refunds are negative', async () => {
    expect(await count('SELECT count(*) AS n FROM orders o WHERE NOT EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.order_id)')).toBe(0);
    expect(await count('SELECT count(*) AS n FROM orders o WHERE revenue <> (SELECT sum(amount) FROM order_lines l WHERE l.order_id = o.order_id)')).toBe(0);
    expect(await count("SELECT count(*) AS n FROM orders WHERE (kind = 'order') <> (revenue > 0)")).toBe(0);
    expect(await count("SELECT count(*) AS n FROM order_lines WHERE amount <> price * quantity * CASE WHEN order_id LIKE '%/refund' THEN -1 ELSE 1 END")).toBe(0);
    expect(await count("SELECT count(*) AS n FROM orders r WHERE kind = 'refund' AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.order_id || '/refund' = r.order_id AND o.placed_at < r.placed_at)")).toBe(0);
  });

  it('every order comes with its Order Completed / Order Refunded event carrying the same revenue', async () => {
    const bad = await count(
      `SELECT count(*) AS n FROM orders o LEFT JOIN events e ON e.message_id = o.message_id
       WHERE e.message_id IS NULL OR e.customer_id <> o.customer_id OR e.timestamp <> o.placed_at
         OR e.event <> CASE o.kind WHEN 'order' THEN 'Order Completed' ELSE 'Order Refunded' END
         OR (e.properties->>'revenue')::DECIMAL(18,2) <> o.revenue
         OR json_array_length(e.properties->'products') <> (SELECT count(*) FROM order_lines l WHERE l.order_id = o.order_id)`,
    );
    expect(bad).toBe(0);
  });

  it('metrics agree with a recomputation from the orders', async () => {
    const bad = await count(
      `WITH x AS (SELECT customer_id, count(*) FILTER (WHERE kind = 'order') AS n, sum(revenue) AS net FROM orders GROUP BY customer_id)
       SELECT count(*) AS n FROM x FULL JOIN customer_metrics m USING (customer_id)
       WHERE m.orders_count IS DISTINCT FROM x.n OR m.total_spent IS DISTINCT FROM round(x.net, 2)`,
    );
    expect(bad).toBe(0);
  });

  it('identities: one user id and one email per customer, customer ids follow the first identifier', async () => {
    expect(await count("SELECT count(*) AS n FROM (SELECT customer_id FROM identities WHERE kind = 'user_id' GROUP BY 1 HAVING count(*) > 1)")).toBe(0);
    expect(await count("SELECT count(*) AS n FROM (SELECT customer_id FROM identities WHERE kind = 'email' GROUP BY 1 HAVING count(*) > 1)")).toBe(0);
    const firsts = await a.all<{ customer_id: string; kind: string; value: string }>(
      'SELECT customer_id, arg_min(kind, first_seen_at) AS kind, arg_min(value, first_seen_at) AS value FROM identities GROUP BY customer_id',
    );
    expect(firsts).toHaveLength(300);
    for (const f of firsts) expect(customerIdFor({ kind: f.kind, value: f.value })).toBe(f.customer_id);
    expect(await count('SELECT count(*) AS n FROM events WHERE customer_id NOT IN (SELECT customer_id FROM customers)')).toBe(0);
    expect(await count("SELECT count(*) AS n FROM events WHERE user_id IS NOT NULL AND user_id NOT IN (SELECT value FROM identities WHERE kind = 'user_id')")).toBe(0);
  });

  it('anonymous-only visitors browse and never buy, sign up or consent', async () => {
    const anon = `(SELECT customer_id FROM customers c WHERE NOT EXISTS (SELECT 1 FROM identities i WHERE i.customer_id = c.customer_id AND i.kind <> 'anonymous_id'))`;
    expect(await count(`SELECT count(*) AS n FROM events WHERE customer_id IN ${anon}`)).toBeGreaterThan(0);
    expect(await count(`SELECT count(*) AS n FROM events WHERE customer_id IN ${anon} AND (user_id IS NOT NULL OR type = 'identify' OR event IN ('Order Completed', 'Checkout Started'))`)).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM consent WHERE customer_id IN ${anon}`)).toBe(0);
  });

  it('consent for email and sms for every identified customer, and emails only to those who granted it', async () => {
    expect(await count("SELECT count(DISTINCT customer_id) AS n FROM consent WHERE channel = 'email'")).toBe(resultA.counts.identified);
    expect(await count("SELECT count(DISTINCT status) AS n FROM consent WHERE channel = 'sms'")).toBe(2);
    expect(
      await count("SELECT count(*) AS n FROM events e WHERE event = 'Email Delivered' AND NOT EXISTS (SELECT 1 FROM consent c WHERE c.customer_id = e.customer_id AND c.channel = 'email' AND c.status = 'granted')"),
    ).toBe(0);
    expect(await count("SELECT count(*) AS n FROM events WHERE event = 'Email Opened'")).toBeGreaterThan(0);
  });

  it('all activity lies in the period and arrives after it happened', async () => {
    expect(await count("SELECT count(*) AS n FROM events WHERE timestamp < TIMESTAMP '2024-06-01' OR timestamp >= TIMESTAMP '2025-06-01' OR received_at < timestamp")).toBe(0);
    expect(await count("SELECT count(*) AS n FROM customers c WHERE created_at <> (SELECT min(timestamp) FROM events e WHERE e.customer_id = c.customer_id)")).toBe(0);
  });
});

describe('a demo database that later received an import', () => {
  it('is refused on the next run (exit 2 from the CLI), not counted as the demo', async () => {
    const t = await tempStore();
    try {
      await generateDemo(t.store, demoOptions({ customers: 40, days: 60, seed: 3, end: END }));
      const csv = join(t.dir, 'orders.csv');
      writeFileSync(csv, 'Bestellnr;Kunde;Datum;Betrag\nA-1;k1;2025-03-01;12,50\n');
      t.store.close();
      await runCli(t.path, 'import', csv, '--format', 'generic', '--map', 'Bestellnr=order_id', '--map', 'Kunde=user_id', '--map', 'Datum=placed_at', '--map', 'Betrag=amount', '--currency', 'EUR');
      await expect(runCli(t.path, 'demo', '--customers', '40', '--days', '60', '--seed', '3', '--end', END, '--no-serve')).rejects.toMatchObject({
        code: 'demo_store_not_empty',
        message: expect.stringMatching(/already holds other data \(1 order, 1 import or demo with other options\)|already holds other data \(.*1 import or demo with other options\)/),
      });
    } finally {
      t.cleanup();
    }
  });
});
