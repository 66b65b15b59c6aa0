/**
 * Where an import's time goes, statement by statement: imports Online Retail
 * (../shared/data/online-retail.csv.gz, or the file given) into a fresh store, twice (the second time
 * nothing is new), and prints every statement that took at least 15 ms with its wall time, the
 * process's CPU time meanwhile (user + system, DuckDB's threads included; steadier than wall time on a
 * busy machine), the resident memory after it and DuckDB's own (duckdb_memory()), then the sum of the
 * shorter ones. bench/import.ts gives the phases and the ratio to the floor; this says which statement
 * of a phase to look at.
 *
 *   npx tsx bench/import-statements.ts [file]
 *
 * It times statements by wrapping the DuckDB connection's run() for this process only (a bench, not a
 * code path of segmint); the JavaScript side of an import (the file's check, identity resolution) is
 * the time between statements, shown as the rest.
 */
import { DuckDBConnection } from '@duckdb/node-api';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importFile } from '../src/ingest/import/run.js';
import { Store } from '../src/store/db.js';
import { fmtMs, machineLoad, sharedData } from './lib/measure.js';

const file = process.argv[2] ?? join(sharedData, 'online-retail.csv.gz');
const SHOWN_FROM_MS = 15;

interface Timed {
  readonly ms: number;
  readonly cpuMs: number;
  readonly rssMiB: number;
  readonly duckMiB: number;
  readonly sql: string;
}

const statements: Timed[] = [];
type Run = (this: DuckDBConnection, sql: string, ...rest: unknown[]) => Promise<unknown>;
const proto = DuckDBConnection.prototype as unknown as { run: Run };
const run = proto.run;
let inner = 0;
proto.run = async function (this: DuckDBConnection, sql: string, ...rest: unknown[]) {
  if (inner > 0) return run.call(this, sql, ...rest);
  const t = performance.now();
  const c = process.cpuUsage();
  try {
    return await run.call(this, sql, ...rest);
  } finally {
    const u = process.cpuUsage(c);
    const ms = performance.now() - t;
    let duckMiB = 0;
    inner++;
    try {
      const r = (await run.call(this, 'SELECT sum(memory_usage_bytes) / 1048576 AS m FROM duckdb_memory()')) as { getRowsJS(): Promise<unknown[][]> };
      duckMiB = Number((await r.getRowsJS())[0]?.[0] ?? 0);
    } catch {
      // a failed transaction refuses every statement until its rollback: the figure is left out
    } finally {
      inner--;
    }
    statements.push({ ms, cpuMs: (u.user + u.system) / 1000, rssMiB: process.memoryUsage().rss / 1048576, duckMiB, sql: sql.replace(/\s+/g, ' ').trim() });
  }
};

const dir = mkdtempSync(join(tmpdir(), 'segmint-bench-'));
try {
  const store = await Store.open(join(dir, 'store.duckdb'));
  try {
    console.log(`${file}; ${machineLoad()}`);
    for (const round of ['empty store', 'same file again']) {
      statements.length = 0;
      const t = performance.now();
      const c = process.cpuUsage();
      await importFile(store, file);
      const u = process.cpuUsage(c);
      const ms = performance.now() - t;
      console.log(`\nimport, ${round}: ${fmtMs(ms)}, CPU ${fmtMs((u.user + u.system) / 1000)}, peak resident ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
      console.log('      wall       CPU   RSS MiB  DuckDB MiB  statement');
      for (const s of statements.filter((x) => x.ms >= SHOWN_FROM_MS)) {
        console.log(`${fmtMs(s.ms).padStart(10)}${fmtMs(s.cpuMs).padStart(10)}${s.rssMiB.toFixed(0).padStart(10)}${s.duckMiB.toFixed(0).padStart(12)}  ${s.sql.slice(0, 100)}`);
      }
      const short = statements.filter((x) => x.ms < SHOWN_FROM_MS);
      const inStatements = statements.reduce((a, s) => a + s.ms, 0);
      console.log(`${fmtMs(short.reduce((a, s) => a + s.ms, 0)).padStart(10)}${fmtMs(short.reduce((a, s) => a + s.cpuMs, 0)).padStart(10)}  ${short.length} shorter statements`);
      console.log(`${fmtMs(ms - inStatements).padStart(10)}            the rest (JavaScript between statements)`);
    }
  } finally {
    store.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
