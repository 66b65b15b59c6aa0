import { describe, expect, it } from 'vitest';
import { tempStore } from '../helpers/store.js';

/*
 * Closing DuckDB's connection under a running statement crashed the process (SIGSEGV): a server test
 * closed its store right after an admin request, whose audit row is written once the answer is sent.
 * close() now lets queued and running work finish first, and refuses work submitted after it.
 */
describe('Store.close', () => {
  it('waits for a statement still running, then refuses new ones', async () => {
    const t = await tempStore();
    const running = t.store.all<{ n: number }>('SELECT count(*)::BIGINT AS n FROM range(3000000) a, range(4) b');
    const queued = t.store.all<{ one: number }>('SELECT 1 AS one');
    t.store.close();
    await expect(running).resolves.toEqual([{ n: 12_000_000 }]);
    await expect(queued).resolves.toEqual([{ one: 1 }]);
    await expect(t.store.all('SELECT 1')).rejects.toThrow(/is closed: the statement was not run/);
    t.cleanup(); // closes again: nothing happens
  });

  it('closes at once when nothing is pending', async () => {
    const t = await tempStore();
    await t.store.all('SELECT 1');
    t.store.close();
    await expect(t.store.run('SELECT 1')).rejects.toThrow(/is closed/);
    t.cleanup();
  });
});
