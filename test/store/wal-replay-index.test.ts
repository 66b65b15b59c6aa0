import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { Store } from '../../src/store/db.js';

/**
 * After a kill -9, the next process to open the file replays its write-ahead log. When that process
 * only reads and then closes (a read-only command run on its own once the server is gone:
 * `segmint status`, `segments list`, docs/realtime.md says they work), DuckDB 1.5's checkpoint on close
 * wrote the tables' secondary indexes without the rows the log replayed: a later look-up through
 * `segment_members(customer_id)` (or `orders(customer_id)`, `events(customer_id)`) missed them, and
 * deleting such a row failed the COMMIT with a FATAL error that aborted the restarted server (audit10).
 */

const root = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'segmint-wal-replay-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('rows a killed process committed stay reachable through the secondary indexes after a read-only open and close', async () => {
  const db = join(dir, 'shop.duckdb');
  (await Store.open(db)).close();
  // The child commits a member row (into the write-ahead log, no checkpoint) and is killed.
  const script = `import { Store } from './src/store/db.ts';
    const s = await Store.open(${JSON.stringify(db)}, { create: false });
    await s.run("INSERT INTO segment_members VALUES ('seg_a', 'cus_b', TIMESTAMP '2026-01-01')");
    process.kill(process.pid, 'SIGKILL');`;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
  expect(child.signal, child.stderr).toBe('SIGKILL');

  // A read-only command: opens (replaying the log), reads, closes.
  const reader = await Store.open(db, { create: false });
  expect(Number((await reader.one<{ n: number }>('SELECT count(*) AS n FROM segment_members'))!.n)).toBe(1);
  reader.close();

  const store = await Store.open(db, { create: false });
  try {
    // `customer_id IN (constants)` is answered from the index segment_members_customer.
    const found = await store.all('SELECT * FROM segment_members WHERE customer_id IN ($1)', ['cus_b']);
    expect(found).toHaveLength(1);
  } finally {
    store.close();
  }
});
