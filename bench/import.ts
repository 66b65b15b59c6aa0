/**
 * Import throughput on the UCI Online Retail file (../shared/data/online-retail.csv.gz), against the
 * floor nothing can beat: DuckDB reading the same file and aggregating it to orders with one
 * hand-written query (no validation, identities, events, metrics or durable writes).
 *
 *   npx tsx bench/import.ts [runs]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importFile } from '../src/ingest/import/run.js';
import { Store } from '../src/store/db.js';

const file = fileURLToPath(new URL('../../shared/data/online-retail.csv.gz', import.meta.url));
const runs = Number(process.argv[2] ?? 3);
const ROWS = 541_909;

const FLOOR = `
  CREATE OR REPLACE TEMP TABLE floor_orders AS
  SELECT InvoiceNo AS order_id, any_value(CustomerID) AS customer, min(InvoiceDate) AS placed_at,
    sum(Quantity * UnitPrice) AS revenue, count(*) AS lines
  FROM read_csv($1) GROUP BY InvoiceNo`;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function timeIt(fn: () => Promise<void>): Promise<number> {
  const t = performance.now();
  await fn();
  return (performance.now() - t) / 1000;
}

const dir = mkdtempSync(join(tmpdir(), 'segmint-bench-'));
try {
  const floor: number[] = [];
  const first: number[] = [];
  const again: number[] = [];
  for (let i = 0; i < runs; i++) {
    const store = await Store.open(join(dir, `run${i}.duckdb`));
    try {
      floor.push(await timeIt(() => store.run(FLOOR, [file])));
      first.push(await timeIt(async () => void (await importFile(store, file))));
      again.push(await timeIt(async () => void (await importFile(store, file))));
    } finally {
      store.close();
    }
  }
  const f = median(floor);
  const a = median(first);
  const b = median(again);
  const rate = (s: number): string => `${Math.round(ROWS / s).toLocaleString('en-US')} rows/s`;
  console.log(`Online Retail, ${ROWS.toLocaleString('en-US')} rows, median of ${runs} run(s)`);
  console.log(`  DuckDB read + aggregate (floor)  ${f.toFixed(2)} s  ${rate(f)}`);
  console.log(`  segmint import (empty store)     ${a.toFixed(2)} s  ${rate(a)}  ${(a / f).toFixed(1)}× the floor`);
  console.log(`  segmint import (again, no-op)    ${b.toFixed(2)} s  ${rate(b)}  ${(b / f).toFixed(1)}× the floor`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
