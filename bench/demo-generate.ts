/**
 * Demo generation and load rate.
 *
 *   npx tsx bench/demo-generate.ts                    # 100,000 people
 *   npx tsx bench/demo-generate.ts --customers 1000000
 *
 * Prints: the full run (generate + bulk load + metrics) in events/s; the generator alone (rows written to
 * chunk files, no database); and the floor, DuckDB inserting the same number of event rows from range()
 * in SQL into the same table, with the ratios between them. Each phase shows wall time and the CPU
 * time of this process (JS and DuckDB threads), which is steadier on a busy machine. Peak memory (max
 * RSS) is printed too.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDemo } from '../src/demo/generate.js';
import { simulatePerson } from '../src/demo/life/person.js';
import { demoOptions } from '../src/demo/options.js';
import { Shop } from '../src/demo/shop/shop.js';
import { ChunkFiles, DEMO_TABLES } from '../src/demo/sink.js';
import { Store } from '../src/store/db.js';
import { insertEventsFromRange } from '../src/store/queries/demo/lower-bound.js';

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const customers = Number(arg('--customers') ?? 100_000);
const opts = demoOptions({ customers, end: '2025-06-01', seed: 42 });
const dir = mkdtempSync(join(tmpdir(), 'segmint-bench-demo-'));
const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

try {
  // 1. The whole demo: generate, load, refresh metrics.
  const store = await Store.open(join(dir, 'demo.duckdb'));
  let t = performance.now();
  let c = cpu();
  const r = await generateDemo(store, opts);
  const fullS = (performance.now() - t) / 1000;
  const fullCpu = cpu() - c;
  const events = r.counts.events;
  store.close();

  // 2. The generator alone: the same people written to chunk files, no database.
  const endSec = opts.end.getTime() / 1000;
  const shop = new Shop(opts.seed, endSec - opts.days * 86400, endSec);
  t = performance.now();
  c = cpu();
  for (let from = 0, chunk = 0; from < customers; from += 25_000, chunk++) {
    const files = new ChunkFiles(dir, chunk);
    for (let i = from; i < Math.min(customers, from + 25_000); i++) simulatePerson(shop, i, files);
    files.close();
    for (const table of DEMO_TABLES) rmSync(files.path(table));
  }
  const genS = (performance.now() - t) / 1000;
  const genCpu = cpu() - c;

  // 3. The floor: the same number of event rows from range() in pure SQL into an empty store.
  const floor = await Store.open(join(dir, 'floor.duckdb'));
  t = performance.now();
  c = cpu();
  await insertEventsFromRange(floor, events);
  const floorS = (performance.now() - t) / 1000;
  const floorCpu = cpu() - c;
  floor.close();

  console.log(`demo: ${fmt(customers)} people, ${fmt(events)} events (${(events / customers).toFixed(1)} per person), ${fmt(r.counts.orders)} orders`);
  const row = (name: string, wall: number, cpuS: number) =>
    console.log(`  ${name.padEnd(38)} ${wall.toFixed(1).padStart(7)} s wall ${fmt(events / wall).padStart(10)} events/s   ${cpuS.toFixed(1).padStart(7)} s CPU`);
  row('full run (generate + load + metrics)', fullS, fullCpu);
  row('generator alone (to chunk files)', genS, genCpu);
  row('floor: INSERT … FROM range() in SQL', floorS, floorCpu);
  console.log(`  ratio full run / floor: ${(fullS / floorS).toFixed(2)}× wall, ${(fullCpu / floorCpu).toFixed(2)}× CPU`);
  console.log(`  ratio generator / floor: ${(genS / floorS).toFixed(2)}× wall, ${(genCpu / floorCpu).toFixed(2)}× CPU`);
  console.log(`  peak memory (max RSS): ${fmt(process.resourceUsage().maxRSS / 1024)} MB`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
