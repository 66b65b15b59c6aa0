import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './cli.js';
import { fixtureFile } from './fixtures.js';

/** The small demo shop the dashboard and read-API tests share: 300 people over a year, ending 2025-06-01. */
export const DEMO_END = '2025-06-01';
export const DEMO_ARGS = ['demo', '--customers', '300', '--days', '365', '--end', DEMO_END, '--no-serve', '--json'] as const;

export interface DemoShop {
  dir: string;
  db: string;
  cleanup(): void;
}

/**
 * Generates the small demo shop into a fresh database and runs, through the CLI, every analysis the
 * dashboard shows (RFM snapshot, clusters, CLV fit and predictions, propensity models and scores), and
 * saves two segments refreshed at two moments and an experiment splitting one of them, so every page has
 * data to draw. Built once per test run (fixtureFile); each caller gets a copy of its own in a new folder.
 */
export async function demoShop(prefix: string): Promise<DemoShop> {
  const template = await fixtureFile('demo-shop', buildDemoShop);
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const db = join(dir, 'demo.duckdb');
  copyFileSync(template, db);
  return { dir, db, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

async function buildDemoShop(db: string): Promise<void> {
  await runCli(db, ...DEMO_ARGS);
  await runCli(db, 'rfm', '--json');
  await runCli(db, 'clusters', '--restarts', '3', '--json');
  await runCli(db, 'clv', 'fit', '--json');
  await runCli(db, 'clv', 'predict', '--json');
  await runCli(db, 'propensity', 'train', '--json');
  await runCli(db, 'propensity', 'score', '--json');
  await runCli(db, 'segments', 'create', 'repeat-buyers', '--query', 'orders_count >= 2', '--json');
  await runCli(db, 'segments', 'create', 'recent-checkouts', '--query', 'performed "Checkout Started" within 30d', '--json');
  await runCli(db, 'segments', 'refresh', '--as-of', '2025-05-01', '--json');
  await runCli(db, 'segments', 'refresh', '--as-of', DEMO_END, '--json');
  await runCli(db, 'experiments', 'create', 'winback', '--segment', 'repeat-buyers', '--groups', 'control:50,treatment:50', '--at', '2025-04-01', '--seed', 'demo', '--json');
  // Every command closed the database, which checkpoints it: the file alone holds the shop.
  if (existsSync(`${db}.wal`)) throw new Error(`the demo shop at ${db} left a write-ahead log: copies of the file alone would miss its end`);
}
