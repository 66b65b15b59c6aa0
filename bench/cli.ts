/**
 * Start-up of the command line (issue 15 targets): `segmint --help` under 150 ms and a read command,
 * `customers show`, under 300 ms on a small database, as whole processes of the built CLI (dist/), the
 * median of several runs. Floors measured in the same run: Node starting with nothing to do, and Node
 * loading DuckDB, opening the same database and reading one customer's row.
 *
 *   npx tsx bench/cli.ts            # builds dist/ first when the sources are newer
 *   npx tsx bench/cli.ts --runs 15
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commandMs, ensureBuilt, machineLoad, report, root } from './lib/measure.js';

const runsArg = process.argv.indexOf('--runs');
const runs = runsArg >= 0 ? Number(process.argv[runsArg + 1]) : 9;

ensureBuilt();
const cli = join(root, 'bin', 'segmint.js');
const node = process.execPath;
const dir = mkdtempSync(join(tmpdir(), 'segmint-bench-'));
try {
  const db = join(dir, 'small.duckdb');
  // A small shop: 300 people over 60 days from the demo generator (seeded, so every run is the same).
  execFileSync(node, [cli, '--db', db, 'demo', '--customers', '300', '--days', '60', '--end', '2024-01-01', '--no-serve'], { stdio: 'ignore' });
  const customer = execFileSync(node, [cli, '--db', db, 'customers', 'list', '--limit', '1', '--json'], { encoding: 'utf8' });
  const id = (JSON.parse(customer) as { customer_id: string }[])[0]?.customer_id;
  if (!id) throw new Error('the demo shop has no customer with orders');
  console.log(`segmint start-up, median of ${runs} runs; ${machineLoad()}`);
  const nodeOnly = commandMs(node, ['-e', '0'], runs);
  report('segmint --help', commandMs(node, [cli, '--help'], runs), nodeOnly, 'node -e 0', '< 150 ms');
  const readFloor = commandMs(
    node,
    [
      '-e',
      `const { DuckDBInstance } = require(${JSON.stringify(join(root, 'node_modules', '@duckdb', 'node-api'))});
       (async () => { const i = await DuckDBInstance.create(${JSON.stringify(db)}); const c = await i.connect();
         await c.runAndReadAll("SELECT * FROM customers WHERE customer_id = '${id}'"); c.closeSync(); i.closeSync(); })();`,
    ],
    runs,
  );
  report(`segmint customers show (${runs} runs)`, commandMs(node, [cli, '--db', db, 'customers', 'show', id], runs), readFloor, 'Node + DuckDB open + one row', '< 300 ms');
  report('segmint customers show --json', commandMs(node, [cli, '--db', db, 'customers', 'show', id, '--json'], runs), readFloor, 'Node + DuckDB open + one row');
  report('segmint clv --help', commandMs(node, [cli, 'clv', '--help'], runs), nodeOnly, 'node -e 0');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
