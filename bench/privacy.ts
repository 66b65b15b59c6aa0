/**
 * The cost of erasure on a generated shop: the rewrite of the database file (what makes the deleted
 * bytes leave the disk) against the floor of copying the same file byte for byte, and a whole erasure
 * (deletion in every registry table, anonymised orders, suppression, rewrite) of one customer.
 *
 *   npx tsx bench/privacy.ts                      # 20,000 customers (about 19 events each)
 *   npx tsx bench/privacy.ts --customers 100000   # larger
 */
import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDemo } from '../src/demo/generate.js';
import { requestErasure, runRegulation } from '../src/privacy/regulations.js';
import { Store } from '../src/store/db.js';
import { medianMs } from './timing.js';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const customers = Number(arg('--customers') ?? 20_000);
const RUNS = 3;

const dir = mkdtempSync(join(tmpdir(), 'segmint-bench-privacy-'));
const path = join(dir, 'shop.duckdb');
try {
  const store = await Store.open(path);
  const t0 = performance.now();
  await generateDemo(store, { customers, days: 365, seed: 42, end: new Date('2025-01-01T00:00:00Z') });
  const counts = (await store.one<{ c: number; e: number; o: number }>(
    'SELECT (SELECT count(*) FROM customers) AS c, (SELECT count(*) FROM events) AS e, (SELECT count(*) FROM orders) AS o',
  ))!;
  await store.checkpoint();
  const mb = (p: string): string => (statSync(p).size / 1e6).toFixed(1);
  console.log(
    `base: ${counts.c.toLocaleString('en')} customers, ${counts.e.toLocaleString('en')} events, ${counts.o.toLocaleString('en')} orders; ` +
      `file ${mb(path)} MB (generated in ${((performance.now() - t0) / 1000).toFixed(0)} s)`,
  );

  const copy = join(dir, 'copy.duckdb');
  const floor = await medianMs(async () => copyFileSync(path, copy), RUNS);
  const rewrite = await medianMs(() => store.rewriteFile(), RUNS);
  console.log(`copy of the file (floor)   ${floor.toFixed(0).padStart(7)} ms`);
  console.log(`rewrite of the database    ${rewrite.toFixed(0).padStart(7)} ms   ${(rewrite / floor).toFixed(1)}× the floor; file ${mb(path)} MB`);

  // The customers with the most events: the heaviest erasures.
  const heavy = (
    await store.all<{ id: string }>('SELECT customer_id AS id FROM events WHERE customer_id IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT $1', [RUNS + 1])
  ).map((r) => r.id);
  let i = 0;
  const erase = await medianMs(async () => {
    const id = await requestErasure(store, { identifiers: [heavy[i++]!], actor: 'bench' });
    await runRegulation(store, id);
  }, RUNS);
  console.log(`erasure of one customer    ${erase.toFixed(0).padStart(7)} ms   ${(erase / rewrite).toFixed(2)}× the rewrite alone`);
  store.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
