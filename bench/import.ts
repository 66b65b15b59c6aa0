/**
 * Import of the UCI Online Retail file (../shared/data/online-retail.csv.gz) against the floor nothing
 * can beat: DuckDB reading the same file and aggregating it to orders with one hand-written query (no
 * validation, identities, events, metrics or durable writes). Issue 15 targets: at most 2.5× the floor,
 * peak memory under 400 MiB.
 *
 * A second reference, the write floor, is what storing the same rows costs DuckDB alone: the lines, the
 * orders and one event per order with its products as JSON (the rows an import stores), written straight
 * from read_csv into segmint's own tables in one transaction, with no checks, identities or metrics. The
 * import's distance to it is what segmint's own work costs; the write floor's distance to the read floor
 * is what any import that keeps the rows pays. The write floor is measured twice: as DuckDB does it
 * by default, and with the import's own memory levers (threads.ts: what the allocator kept given back
 * before each statement, the events appended by one thread), so that the peaks compare like with like.
 *
 * A third reference, the lines floor, is DuckDB alone storing only the lines straight from the file, and
 * the orders aggregated from those stored lines, in one transaction that commits (durable): the least any
 * import that keeps the lines pays. Its ratio to the read floor shows how much of the 2.5× target is left
 * for everything else an import does (checks, identities, events, traits, metrics).
 *
 * Each measurement runs in a process of its own, so its peak memory (maxRSS) is its own: the floor, the
 * lines floor, the write floor (twice), then an import into an empty store followed by the same file again (nothing new to add). The cost of each
 * import phase is printed (the phases segmint reports as progress, IMPORT_PHASES; the last one includes
 * recording the import and the commit), so the next bottleneck is visible.
 *
 *   npx tsx bench/import.ts [runs]        # median of runs (default 3)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IMPORT_PHASES, importFile, type ImportPhase } from '../src/ingest/import/run.js';
import { Store } from '../src/store/db.js';
import { giveBackMemory, withOneThread } from '../src/store/queries/import/threads.js';
import { fmtMs, machineLoad, median, report } from './lib/measure.js';

const file = fileURLToPath(new URL('../../shared/data/online-retail.csv.gz', import.meta.url));
const ROWS = 541_909;

const FLOOR = `
  CREATE OR REPLACE TEMP TABLE floor_orders AS
  SELECT InvoiceNo AS order_id, any_value(CustomerID) AS customer, min(InvoiceDate) AS placed_at,
    sum(Quantity * UnitPrice) AS revenue, count(*) AS lines
  FROM read_csv($1) GROUP BY InvoiceNo`;

/** The write floor's source: the file with the types the stored columns have. */
const TYPED = `read_csv($1, types = {'InvoiceNo': 'VARCHAR', 'StockCode': 'VARCHAR', 'CustomerID': 'VARCHAR', 'Quantity': 'DOUBLE', 'UnitPrice': 'DECIMAL(18,4)'})`;

/**
 * The write floor's statements, run in one transaction: every line, then the orders and their events
 * (an order's products as JSON, as an import stores them) from one aggregation kept for both.
 */
const WRITE_FLOOR = [
  `INSERT INTO order_lines SELECT InvoiceNo, row_number() OVER (PARTITION BY InvoiceNo)::INTEGER, StockCode, Description, NULL,
     UnitPrice, Quantity, (UnitPrice * Quantity)::DECIMAL(18,4), 'product' FROM ${TYPED}`,
  `CREATE TEMP TABLE floor_orders AS SELECT InvoiceNo AS o, any_value(CustomerID) AS cid, min(InvoiceDate) AS ts,
     sum(UnitPrice * Quantity)::DECIMAL(18,4) AS revenue,
     to_json({order_id: InvoiceNo, revenue: sum(UnitPrice * Quantity)::DOUBLE, currency: 'GBP',
       products: list({product_id: StockCode, name: Description, price: UnitPrice::DOUBLE, quantity: Quantity})}) AS props
   FROM ${TYPED} GROUP BY InvoiceNo`,
  `INSERT INTO orders SELECT o, 'cus_' || md5(cid)[1:20], CASE WHEN o LIKE 'C%' THEN 'refund' ELSE 'order' END, ts, revenue, 'GBP',
     'import:floor:' || o, 'import:floor' FROM floor_orders`,
  `INSERT INTO events SELECT 'import:floor:' || o, 'track', CASE WHEN o LIKE 'C%' THEN 'Order Refunded' ELSE 'Order Completed' END,
     'cus_' || md5(cid)[1:20], cid, NULL, ts, now(), props, NULL, NULL, 'import:floor' FROM floor_orders`,
];

/**
 * The lines floor's statements, run in one transaction: every line straight from the file, then the
 * orders summed from the stored lines (the lines carry neither customer nor time: the orders get none,
 * and one fixed time; a floor, not an import).
 */
const LINES_FLOOR = [
  `INSERT INTO order_lines SELECT InvoiceNo, row_number() OVER (PARTITION BY InvoiceNo)::INTEGER, StockCode, Description, NULL,
     UnitPrice, Quantity, (UnitPrice * Quantity)::DECIMAL(18,4), 'product' FROM ${TYPED}`,
  `INSERT INTO orders SELECT order_id, NULL, CASE WHEN order_id LIKE 'C%' THEN 'refund' ELSE 'order' END,
     TIMESTAMP '2011-01-01', sum(amount), 'GBP', NULL, 'import:floor' FROM order_lines GROUP BY order_id`,
];

/** What one child process measured: times in ms, peak resident memory in MiB. */
interface Measured {
  readonly ms: number;
  /** CPU time (user + system, all threads) of the measured work: steadier than wall time on a busy machine */
  readonly cpuMs: number;
  readonly peakMiB: number;
  readonly phases?: Record<ImportPhase, number>;
  /** CPU time of each phase (user + system, all threads) */
  readonly phaseCpu?: Record<ImportPhase, number>;
  readonly againMs?: number;
}

const peakMiB = (): number => process.resourceUsage().maxRSS / 1024;
const cpuMs = (since: NodeJS.CpuUsage): number => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
};

/**
 * One import with the time and the CPU time from each phase's start to the next one's (the last one
 * ends at the commit).
 */
async function timedImport(store: Store): Promise<{ ms: number; phases: Record<ImportPhase, number>; phaseCpu: Record<ImportPhase, number> }> {
  const phases = Object.fromEntries(IMPORT_PHASES.map((p) => [p, 0])) as Record<ImportPhase, number>;
  const phaseCpu = { ...phases };
  let current: ImportPhase | undefined;
  let since = performance.now();
  let cpuSince = process.cpuUsage();
  const t0 = since;
  const close = (): void => {
    const now = performance.now();
    if (current) {
      phases[current] += now - since;
      phaseCpu[current] += cpuMs(cpuSince);
    }
    since = now;
    cpuSince = process.cpuUsage();
  };
  await importFile(store, file, {
    onPhase: (p) => {
      close();
      current = p;
    },
  });
  close();
  return { ms: performance.now() - t0, phases, phaseCpu };
}

/** The child: one measurement in a fresh store, printed as JSON on stdout. */
type Child = 'floor' | 'lines' | 'write' | 'write-levers' | 'import';

async function child(what: Child, dir: string): Promise<void> {
  const store = await Store.open(join(dir, `${what}.duckdb`));
  try {
    let out: Measured;
    const cpu = process.cpuUsage();
    if (what === 'floor') {
      const t = performance.now();
      await store.run(FLOOR, [file]);
      out = { ms: performance.now() - t, cpuMs: cpuMs(cpu), peakMiB: peakMiB() };
    } else if (what === 'lines') {
      const t = performance.now();
      await store.transaction(async (tx) => {
        for (const sql of LINES_FLOOR) await tx.run(sql, sql.includes('$1') ? [file] : []);
      });
      out = { ms: performance.now() - t, cpuMs: cpuMs(cpu), peakMiB: peakMiB() };
    } else if (what === 'write' || what === 'write-levers') {
      const t = performance.now();
      await store.transaction(async (tx) => {
        for (const sql of WRITE_FLOOR) {
          const run = (): Promise<void> => tx.run(sql, sql.includes('$1') ? [file] : []);
          if (what === 'write') await run();
          else {
            // The import's levers (threads.ts): what the allocator kept is given back before each
            // statement, and the events are appended by one thread.
            await giveBackMemory(tx);
            await (sql.startsWith('INSERT INTO events') ? withOneThread(tx, run) : run());
          }
        }
      });
      out = { ms: performance.now() - t, cpuMs: cpuMs(cpu), peakMiB: peakMiB() };
    } else {
      const first = await timedImport(store);
      const used = cpuMs(cpu);
      const peak = peakMiB();
      const again = await timedImport(store);
      out = { ms: first.ms, cpuMs: used, peakMiB: peak, phases: first.phases, phaseCpu: first.phaseCpu, againMs: again.ms };
    }
    process.stdout.write(JSON.stringify(out));
  } finally {
    store.close();
  }
}

function measure(what: Child, dir: string): Measured {
  const out = execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', what, dir], { encoding: 'utf8' });
  return JSON.parse(out) as Measured;
}

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 3);
  const dir = mkdtempSync(join(tmpdir(), 'segmint-bench-'));
  try {
    const floors: Measured[] = [];
    const lines: Measured[] = [];
    const writes: Measured[] = [];
    const levered: Measured[] = [];
    const imports: Measured[] = [];
    for (let i = 0; i < runs; i++) {
      const runDir = mkdtempSync(join(dir, `run${i}-`));
      floors.push(measure('floor', runDir));
      lines.push(measure('lines', runDir));
      writes.push(measure('write', runDir));
      levered.push(measure('write-levers', runDir));
      imports.push(measure('import', runDir));
    }
    const floor = median(floors.map((m) => m.ms));
    const rate = (ms: number): string => `${Math.round(ROWS / (ms / 1000)).toLocaleString('en-US')} rows/s`;
    console.log(`Online Retail, ${ROWS.toLocaleString('en-US')} rows, median of ${runs} run(s); ${machineLoad()}`);
    const first = median(imports.map((m) => m.ms));
    report(`segmint import, empty store (${rate(first)})`, first, floor, 'DuckDB read + aggregate', '≤ 2.5×');
    const again = median(imports.map((m) => m.againMs!));
    report(`segmint import, same file again (${rate(again)})`, again, floor, 'DuckDB read + aggregate');
    const linesMs = median(lines.map((m) => m.ms));
    report('DuckDB alone storing only the lines (the lines floor)', linesMs, floor, 'DuckDB read + aggregate');
    report('segmint import, empty store, against the lines floor', first, linesMs, 'DuckDB storing the lines');
    const write = median(writes.map((m) => m.ms));
    report('DuckDB alone writing the same rows (the write floor)', write, floor, 'DuckDB read + aggregate');
    report('segmint import, empty store, against the write floor', first, write, 'DuckDB writing the rows');
    const lever = median(levered.map((m) => m.ms));
    report("the write floor with the import's memory levers", lever, floor, 'DuckDB read + aggregate');
    report('segmint import, empty store, against it', first, lever, 'DuckDB writing, levers');
    const cpuFloor = median(floors.map((m) => m.cpuMs));
    const cpuWrite = median(writes.map((m) => m.cpuMs));
    const cpuFirst = median(imports.map((m) => m.cpuMs));
    const cpuLever = median(levered.map((m) => m.cpuMs));
    const cpuLines = median(lines.map((m) => m.cpuMs));
    console.log(
      `CPU time (user + system): import ${fmtMs(cpuFirst)}, floor ${fmtMs(cpuFloor)} (ratio ${(cpuFirst / cpuFloor).toFixed(2)}), ` +
        `lines floor ${fmtMs(cpuLines)} (ratio to the floor ${(cpuLines / cpuFloor).toFixed(2)}; import to it ${(cpuFirst / cpuLines).toFixed(2)}), ` +
        `write floor ${fmtMs(cpuWrite)} (ratio to the floor ${(cpuWrite / cpuFloor).toFixed(2)}; import to it ${(cpuFirst / cpuWrite).toFixed(2)}), ` +
        `with the levers ${fmtMs(cpuLever)} (import to it ${(cpuFirst / cpuLever).toFixed(2)})`,
    );
    // the median, and the range over the runs when there are several
    const peak = (ms: Measured[]): string => {
      const all = ms.map((m) => m.peakMiB);
      const range = all.length > 1 ? ` (${Math.min(...all).toFixed(0)}–${Math.max(...all).toFixed(0)})` : '';
      return `${median(all).toFixed(0)}${range}`;
    };
    console.log(
      `peak memory: import ${peak(imports)} MiB (target < 400 MiB), floor ${peak(floors)} MiB, lines floor ${peak(lines)} MiB, write floor ${peak(writes)} MiB, ` +
        `with the levers ${peak(levered)} MiB`,
    );
    console.log('phases of the first import (median time, share of the import, median CPU time):');
    for (const p of IMPORT_PHASES) {
      const ms = median(imports.map((m) => m.phases![p]));
      const cpu = median(imports.map((m) => m.phaseCpu![p]));
      console.log(`  ${p.padEnd(28)} ${fmtMs(ms).padStart(10)}  ${((100 * ms) / first).toFixed(0).padStart(3)}%   CPU ${fmtMs(cpu).padStart(10)}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const at = process.argv.indexOf('--child');
if (at >= 0) await child(process.argv[at + 1] as Child, process.argv[at + 2] as string);
else await main();
