/// <reference lib="dom" />
/**
 * First load of the dashboard's overview on the demo shop (5,000 people by default), in Debian's
 * chromium against the real HTTP server: from navigation start until the headline numbers are shown and
 * every segment sparkline is drawn, with an empty browser cache (first visit) and a full one (reload).
 * Printed against a floor measured in the same run: the same page fetching, without rendering anything,
 * the three API answers the overview waits for (/v1/me, /openapi.json, /v1/overview without the quality
 * checks, which the page asks for afterwards and draws when they come).
 *
 *   npx tsx bench/dashboard.ts                    # the default demo shop, 5,000 people
 *   npx tsx bench/dashboard.ts --customers 20000
 *   npx tsx bench/dashboard.ts --db FILE          # keep (or reuse) the generated shop in FILE
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDemo } from '../src/demo/generate.js';
import { demoOptions } from '../src/demo/options.js';
import { createSegment } from '../src/segments/manage/crud.js';
import { refreshSegments } from '../src/segments/manage/refresh.js';
import { startServer } from '../src/server/app.js';
import { createApiKey } from '../src/server/keys.js';
import { Store } from '../src/store/db.js';
import { dashboardBuild } from '../test/helpers/dashboard-build.js';
import { launch, noBrowser } from '../test/web/harness.js';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
if (noBrowser) {
  console.error(`bench/dashboard.ts needs a browser: ${noBrowser}`);
  process.exit(2);
}
const customers = Number(arg('--customers') ?? 5000);
const RUNS = 5;
const dir = mkdtempSync(join(tmpdir(), 'segmint-bench-dashboard-'));
const dbPath = arg('--db') ?? join(dir, 'demo.duckdb');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const store = await Store.open(dbPath);
const webDir = await dashboardBuild();
await generateDemo(store, { ...demoOptions({ customers: String(customers), end: '2025-06-01' }) });
const segments = [
  ['repeat buyers', 'orders_count >= 2'],
  ['abandoned checkout', 'performed "Checkout Started" within 30d then not "Order Completed" within 1h'],
  ['big spenders', 'total_spent > 300'],
] as const;
for (const [name, query] of segments) {
  if ((await store.one('SELECT 1 FROM segments WHERE name = $1', [name])) === undefined) await createSegment(store, { name, definition: { query } });
}
for (const asOf of ['2025-04-01', '2025-05-01', '2025-06-01']) await refreshSegments(store, { asOf: new Date(`${asOf}T00:00:00Z`) });
const { key } = await createApiKey(store, ['read'], 'bench');
process.env.SEGMINT_WEB_DIR = webDir;
const server = await startServer({ store, port: 0, host: '127.0.0.1' });
const url = server.url + '/';
const browser = await launch();

/** Milliseconds from navigation start to the overview drawn, in a fresh page (cache kept by the context unless cleared). */
async function load(cold: boolean): Promise<number> {
  const page = await browser.context.newPage();
  if (cold) {
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Network.clearBrowserCache');
  }
  await page.addInitScript((k) => sessionStorage.setItem('segmint.key', k), key);
  await page.goto(url + '#/');
  await page.waitForSelector('#segment-sizes [data-chart] path');
  await page.waitForFunction((n) => document.querySelectorAll('#segment-sizes [data-chart]').length >= n && document.querySelector('[data-testid=stat-customers]'), segments.length);
  const ms = await page.evaluate(() => performance.now());
  await page.close();
  return ms;
}

/** The floor: the same requests from a page that renders nothing (the health answer, a blank document). */
async function floor(): Promise<number> {
  const page = await browser.context.newPage();
  await page.goto(url + 'health');
  const ms = await page.evaluate(async (k) => {
    const t0 = performance.now();
    const h = { authorization: `Bearer ${k}` };
    await Promise.all([fetch('/v1/me', { headers: h }).then((r) => r.json()), fetch('/openapi.json').then((r) => r.json())]);
    await (await fetch('/v1/overview?quality=false', { headers: h })).json();
    return performance.now() - t0;
  }, key);
  await page.close();
  return ms;
}

await load(true); // one unmeasured run: the server's first queries warm DuckDB's caches
const cold: number[] = [];
const warm: number[] = [];
const base: number[] = [];
for (let i = 0; i < RUNS; i++) {
  cold.push(await load(true));
  warm.push(await load(false));
  base.push(await floor());
}
await browser.close();
await server.close();
store.close();
if (!arg('--db')) rmSync(dir, { recursive: true, force: true });

const f = median(base);
console.log(`dashboard overview, demo shop of ${customers.toLocaleString('en-US')} people (median of ${RUNS}):`);
console.log(`  first visit (empty cache)   ${median(cold).toFixed(0).padStart(6)} ms   ${(median(cold) / f).toFixed(2)}× the floor`);
console.log(`  reload (cached bundle)      ${median(warm).toFixed(0).padStart(6)} ms   ${(median(warm) / f).toFixed(2)}× the floor`);
console.log(`  floor: its API answers only ${f.toFixed(0).padStart(6)} ms`);
console.log(`  all runs: cold ${cold.map((x) => x.toFixed(0)).join(', ')}; warm ${warm.map((x) => x.toFixed(0)).join(', ')}; floor ${base.map((x) => x.toFixed(0)).join(', ')}`);
