import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createSegment } from '../../../src/segments/manage/crud.js';
import { refreshSegments } from '../../../src/segments/manage/refresh.js';
import type { Store } from '../../../src/store/db.js';
import { HISTORY_BLOCK, historyNumbers } from '../../../src/store/queries/realtime/history-numbers.js';
import { writeMembership, type TransitionRow } from '../../../src/store/queries/realtime/record.js';
import { profiles } from '../../fixtures/segments/conformance-worlds.js';
import { loadWorld } from '../../fixtures/segments/world.js';
import { openInOwnFolder } from '../../helpers/fixtures.js';
import { tempStore, withReopened } from '../../helpers/store.js';

// segment_history's numbers (the change stream's cursor) come from blocks reserved in
// segment_history_next (migration 27), not from a sequence per row: they must increase in the order
// rows are recorded and never repeat, across restarts, kill -9, rolled-back steps and deleted segments.

const root = fileURLToPath(new URL('../../../', import.meta.url));
const T0 = Date.UTC(2026, 0, 1);

/** One engine step that records `customers` entering seg_a at T0 + i; returns their seq. */
function step(s: Store, customers: readonly string[], watermarkStored = true): Promise<number[]> {
  const transitions: TransitionRow[] = customers.map((customerId, i) => ({ segmentId: 'seg_a', customerId, change: 'entered', at: T0 + i }));
  return s.transaction((tx) =>
    writeMembership(tx, { transitions, removals: [], upserts: [], recordedAt: new Date(T0), appliedUntil: new Date(T0), watermarkStored }, new Set(), historyNumbers(s)),
  );
}

const storedSeqs = async (s: Store): Promise<number[]> => (await s.all<{ seq: number }>('SELECT seq FROM segment_history ORDER BY seq')).map((r) => Number(r.seq));
const nextFree = async (s: Store): Promise<number> => Number((await s.one<{ next: number }>('SELECT next FROM segment_history_next'))!.next);
const increasing = (xs: readonly number[]): boolean => xs.every((x, i) => i === 0 || xs[i - 1]! < x);

describe('segment_history numbers', () => {
  it('are consecutive within a block, increase across steps, and reserve one block for many steps', async () => {
    const t = await tempStore();
    try {
      const before = await nextFree(t.store);
      const a = await step(t.store, ['c1', 'c2', 'c3'], false);
      const b = await step(t.store, ['c4']);
      const c = await step(t.store, ['c5', 'c6']);
      expect([...a, ...b, ...c]).toEqual([0, 1, 2, 3, 4, 5].map((i) => before + i));
      expect(await storedSeqs(t.store)).toEqual([...a, ...b, ...c]);
      // one reservation served all three steps
      expect(await nextFree(t.store)).toBe(before + HISTORY_BLOCK);
    } finally {
      t.cleanup();
    }
  });

  it('never repeat after the database is reopened, also when a deleted segment took the highest numbers with it', async () => {
    const t = await openInOwnFolder();
    try {
      const first = await step(t.store, ['c1', 'c2']);
      // a client holds the cursor of the last change; the segment is deleted with its history
      // (as deleteSegment does), so max(seq) falls below that cursor
      const cursor = Math.max(...first);
      await t.store.run("DELETE FROM segment_history WHERE segment_id = 'seg_a'");
      t.store.close();
      await withReopened(t.path, async (reopened) => {
        const next = await step(reopened, ['c3']);
        expect(next[0]).toBeGreaterThan(cursor);
      });
    } finally {
      t.cleanup();
    }
  });

  it('of a step that rolls back are not stored, and the block it reserved is forgotten (no repeat after a reopen)', async () => {
    const t = await openInOwnFolder();
    try {
      const before = await nextFree(t.store);
      // The first step of a fresh allocator reserves a block and fails after its rows were appended.
      await expect(
        t.store.transaction(async (tx) => {
          await writeMembership(
            tx,
            { transitions: [{ segmentId: 'seg_a', customerId: 'x', change: 'entered', at: T0 }], removals: [], upserts: [], recordedAt: new Date(T0), appliedUntil: new Date(T0), watermarkStored: false },
            new Set(),
            historyNumbers(t.store),
          );
          throw new Error('step failed');
        }),
      ).rejects.toThrow(/step failed/);
      expect(await storedSeqs(t.store)).toEqual([]);
      expect(await nextFree(t.store)).toBe(before); // the reservation rolled back too
      // The next step must reserve again (from the stored row), not use the block that was rolled back:
      // else the numbers it stores lie above what the file says is reserved, and are handed out again.
      const committed = await step(t.store, ['c1', 'c2'], false);
      expect(await nextFree(t.store)).toBe(committed[0]! + HISTORY_BLOCK);
      t.store.close();
      await withReopened(t.path, async (reopened) => {
        const later = await step(reopened, ['c3']);
        const all = await storedSeqs(reopened);
        expect(all).toEqual([...committed, ...later]);
        expect(increasing(all)).toBe(true);
      });
    } finally {
      t.cleanup();
    }
  });

  it('committed by a process killed with SIGKILL are not handed out again', async () => {
    const t = await openInOwnFolder();
    t.store.close();
    try {
      // The child records two steps (each commits), then dies without closing the database: no
      // checkpoint, the file opens from its write-ahead log.
      const script = `
        import { Store } from './src/store/db.ts';
        import { historyNumbers } from './src/store/queries/realtime/history-numbers.ts';
        import { writeMembership } from './src/store/queries/realtime/record.ts';
        const s = await Store.open(${JSON.stringify(t.path)});
        const seqs = [];
        for (const [i, c] of ['k1', 'k2'].entries()) {
          seqs.push(...(await s.transaction((tx) => writeMembership(tx, { transitions: [{ segmentId: 'seg_a', customerId: c, change: 'entered', at: ${T0} }], removals: [], upserts: [], recordedAt: new Date(${T0}), appliedUntil: new Date(${T0}), watermarkStored: i > 0 }, new Set(), historyNumbers(s)))));
        }
        process.stdout.write(JSON.stringify(seqs));
        process.kill(process.pid, 'SIGKILL');`;
      const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
      expect(child.signal, child.stderr).toBe('SIGKILL');
      const killed = JSON.parse(child.stdout) as number[];
      expect(killed).toHaveLength(2);
      await withReopened(t.path, async (reopened) => {
        expect(await storedSeqs(reopened)).toEqual(killed);
        const later = await step(reopened, ['c1', 'c2']);
        expect(later[0]).toBeGreaterThan(Math.max(...killed));
      });
    } finally {
      t.cleanup();
    }
  });

  it('are shared by segments refresh and the engine: increasing in the order each was recorded', async () => {
    const t = await tempStore();
    try {
      await loadWorld(t.store, profiles);
      await createSegment(t.store, { name: 'big', definition: { query: 'total_spent > 1000' } });
      const asOf = new Date('2024-06-30T00:00:00Z');
      await refreshSegments(t.store, { asOf });
      const engine = await step(t.store, ['c1', 'c2']);
      await t.store.run("UPDATE customer_metrics SET total_spent = 2000 WHERE customer_id = 'b'");
      await refreshSegments(t.store, { asOf: new Date('2024-07-01T00:00:00Z') });
      const rows = await t.store.all<{ seq: number | null; customer_id: string; recorded: number }>(
        'SELECT seq, customer_id, epoch_ms(recorded_at) AS recorded FROM segment_history ORDER BY seq',
      );
      expect(rows.every((r) => r.seq !== null)).toBe(true);
      // refresh's first rows (a, e), then the engine's, then refresh's entry of b
      expect(rows.map((r) => r.customer_id)).toEqual([...rows.slice(0, 2).map((r) => r.customer_id).sort(), 'c1', 'c2', 'b']);
      expect(rows.slice(2, 4).map((r) => Number(r.seq))).toEqual(engine);
      expect(new Set(rows.map((r) => r.seq)).size).toBe(rows.length);
    } finally {
      t.cleanup();
    }
  });
});

describe('migration 27', () => {
  it('starts above every number the old sequence handed out, and the file reopens after it', async () => {
    const t = await openInOwnFolder();
    try {
      // Back to the schema before 27: the sequence (advanced past the stored rows, as after a deleted
      // segment) and the column's default, with 27 not applied.
      const s = t.store;
      await s.run('DROP TABLE segment_history_next');
      await s.run('CREATE SEQUENCE segment_history_seq START 500');
      await s.run("ALTER TABLE segment_history ALTER COLUMN seq SET DEFAULT nextval('segment_history_seq')");
      await s.run("INSERT INTO segment_history (segment_id, customer_id, change, changed_at, recorded_at) VALUES ('seg_a', 'c1', 'entered', now(), now())");
      await s.run("INSERT INTO segment_history (segment_id, customer_id, change, changed_at, recorded_at, seq) VALUES ('seg_a', 'c2', 'entered', now(), now(), 300)");
      await s.run("SELECT nextval('segment_history_seq') FROM range(9)"); // handed out up to 509, stored only 500
      await s.run('DELETE FROM schema_migrations WHERE version = 27');
      s.close();
      await withReopened(t.path, async (migrated) => {
        expect(await nextFree(migrated)).toBe(510);
        expect(await migrated.one("SELECT column_default AS d FROM information_schema.columns WHERE table_name = 'segment_history' AND column_name = 'seq'")).toEqual({ d: null });
        expect(await migrated.all("SELECT sequence_name FROM duckdb_sequences() WHERE sequence_name = 'segment_history_seq'")).toEqual([]);
        expect(await step(migrated, ['c3'])).toEqual([510]);
      });
    } finally {
      t.cleanup();
    }
  });
});
