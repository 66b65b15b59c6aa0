/**
 * Segment preview and bulk refresh on a generated shop, each against a hand-written DuckDB query of the
 * same segment measured in the same run (target: within 1.5×), plus preview at 100,000 customers
 * against the 300 ms keystroke budget.
 *
 *   npx tsx bench/segments.ts                      # 1,000,000 customers (about 19 events each)
 *   npx tsx bench/segments.ts --customers 100000   # smaller
 *   npx tsx bench/segments.ts --db FILE            # keep (or reuse) the generated base in FILE
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDemo } from '../src/demo/generate.js';
import { compileSegment, parseSegment } from '../src/segments/index.js';
import { createSegment, deleteSegment } from '../src/segments/manage/crud.js';
import type { Param } from '../src/store/db.js';
import { previewSegment } from '../src/segments/manage/preview.js';
import { refreshSegments } from '../src/segments/manage/refresh.js';
import { Store } from '../src/store/db.js';
import { medianMs } from './timing.js';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const customers = Number(arg('--customers') ?? 1_000_000);
const keepDb = arg('--db');
const end = new Date('2025-01-01T00:00:00Z');
const asOf = end;
// fewer repetitions on big bases, where one run takes seconds
const RUNS = customers > 200_000 ? 3 : 5;

interface Case {
  name: string;
  query: string;
  /** The same segment written by hand: $1 = as_of. */
  hand: string;
}

const cases: Case[] = [
  {
    name: 'metrics',
    query: 'orders_count >= 3 and total_spent > 200',
    hand: `SELECT customer_id FROM customer_metrics m WHERE orders_count >= 3 AND total_spent > 200
           AND customer_id IN (SELECT customer_id FROM customers WHERE merged_into IS NULL) AND $1::TIMESTAMP IS NOT NULL`,
  },
  {
    name: 'frequency in a window',
    query: 'performed "Order Completed" at least 2 times within 90d',
    hand: `SELECT customer_id FROM events WHERE type = 'track' AND event = 'Order Completed'
           AND timestamp > $1::TIMESTAMP - INTERVAL 90 DAY AND timestamp <= $1::TIMESTAMP
           GROUP BY customer_id HAVING count(*) >= 2`,
  },
  {
    name: 'sum in a window',
    query: 'sum of revenue in "Order Completed" within 90d > 100',
    hand: `SELECT customer_id FROM events WHERE type = 'track' AND event = 'Order Completed'
           AND timestamp > $1::TIMESTAMP - INTERVAL 90 DAY AND timestamp <= $1::TIMESTAMP
           GROUP BY customer_id HAVING sum(TRY_CAST(properties->>'revenue' AS DOUBLE)) > 100`,
  },
  {
    name: 'cart abandonment',
    query: 'performed "Checkout Started" within 30d then not "Order Completed" within 1h',
    hand: `SELECT DISTINCT c.customer_id FROM events c
           WHERE c.type = 'track' AND c.event = 'Checkout Started'
             AND c.timestamp > $1::TIMESTAMP - INTERVAL 30 DAY AND c.timestamp + INTERVAL 1 HOUR <= $1::TIMESTAMP
             AND NOT EXISTS (SELECT 1 FROM events o WHERE o.customer_id = c.customer_id AND o.type = 'track'
               AND o.event = 'Order Completed' AND o.timestamp > c.timestamp AND o.timestamp <= c.timestamp + INTERVAL 1 HOUR)`,
  },
];

const median = (fn: () => Promise<unknown>, runs = RUNS): Promise<number> => medianMs(fn, runs);

async function base(n: number, path: string): Promise<Store> {
  const store = await Store.open(path);
  const t0 = performance.now();
  const r = await generateDemo(store, { customers: n, days: 365, seed: 42, end });
  const took = r.alreadyLoaded ? 'reused' : `generated in ${((performance.now() - t0) / 1000).toFixed(0)} s`;
  const counts = (await store.one<{ c: number; e: number }>('SELECT (SELECT count(*) FROM customers) AS c, (SELECT count(*) FROM events) AS e'))!;
  console.log(`base: ${counts.c.toLocaleString('en')} customers, ${counts.e.toLocaleString('en')} events (${took})`);
  return store;
}

const fmt = (ms: number): string => `${ms.toFixed(1).padStart(8)} ms`;
const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}×`;

async function previews(store: Store): Promise<void> {
  console.log('\npreview (count, share, sample of 10, warnings) and the compiled SQL alone, each vs a hand-written count(*)');
  for (const c of cases) {
    const hand = await median(() => store.one(`SELECT count(*) AS n FROM (${c.hand}) q`, [asOf]));
    const { sql, parameters } = compileSegment(parseSegment(c.query).ast!, { asOf });
    const compiled = await median(() => store.one(`SELECT count(*) AS n FROM (${sql}) q`, parameters as Param[]));
    let count = 0;
    const preview = await median(async () => {
      count = (await previewSegment(store, { query: c.query }, { asOf })).count;
    });
    const handCount = (await store.one<{ n: number }>(`SELECT count(*) AS n FROM (${c.hand}) q`, [asOf]))!.n;
    const agree = handCount === count ? 'same count' : `COUNT DIFFERS: hand ${handCount}`;
    console.log(
      `  ${c.name.padEnd(22)} preview ${fmt(preview)} (${ratio(preview, hand)})  compiled ${fmt(compiled)} (${ratio(compiled, hand)})  hand ${fmt(hand)}  ${count.toLocaleString('en')} members, ${agree}`,
    );
  }
}

async function refreshes(store: Store): Promise<void> {
  console.log('\nbulk refresh (compile, diff in SQL, history, members) vs hand-written CREATE TABLE AS');
  for (const c of cases) {
    const name = `bench ${c.name}`;
    await deleteSegment(store, name).catch(() => undefined); // a reused --db base keeps the last run's
    await createSegment(store, { name, definition: { query: c.query } });
    const t0 = performance.now();
    const [first] = await refreshSegments(store, { asOf, name });
    const firstMs = performance.now() - t0;
    // the steady state: membership already stored, only the diff is written
    const again = await median(() => refreshSegments(store, { asOf, name }), 3);
    const hand = await median(async () => {
      await store.run(`CREATE OR REPLACE TEMP TABLE bench_hand AS ${c.hand}`, [asOf]);
    }, 3);
    await store.run('DROP TABLE IF EXISTS bench_hand');
    console.log(
      `  ${c.name.padEnd(22)} first ${fmt(firstMs)} (${first!.entered.toLocaleString('en')} entered)  again ${fmt(again)}  hand ${fmt(hand)}  ratio ${ratio(again, hand)}`,
    );
  }
}

const dir = mkdtempSync(join(tmpdir(), 'segmint-bench-'));
try {
  const big = await base(customers, keepDb ?? join(dir, 'base.duckdb'));
  await previews(big);
  await refreshes(big);
  big.close();
  if (customers !== 100_000) {
    console.log('\npreview at 100,000 customers (keystroke budget 300 ms)');
    const small = await base(100_000, keepDb ? `${keepDb}.100k` : join(dir, 'small.duckdb'));
    for (const c of cases) {
      const ms = await median(() => previewSegment(small, { query: c.query }, { asOf }));
      console.log(`  ${c.name.padEnd(22)} ${fmt(ms)}  ${ratio(ms, 300)} of the 300 ms budget`);
    }
    small.close();
  } else {
    console.log('\n(the preview figures above are at 100,000 customers: compare them with the 300 ms budget)');
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
