import { describe, expect, it } from 'vitest';
import { Background } from '../../src/realtime/engine/background.js';
import type { Transaction } from '../../src/store/db.js';

/**
 * The engine's background statement (src/realtime/engine/background.ts): the watermark's UPDATE runs
 * while the step's JavaScript evaluates, but the connection still sees one statement at a time, in the
 * order the step made them. A fake transaction records when each statement reaches it and holds the
 * background one until the test lets it finish.
 */
function fakeTransaction(): { tx: Transaction; log: string[] } {
  const log: string[] = [];
  const record = async (what: string): Promise<never[]> => {
    log.push(what);
    return [];
  };
  const tx = {
    all: (sql: string) => record(`all ${sql}`),
    one: async (sql: string) => void (await record(`one ${sql}`)),
    run: async (sql: string) => void (await record(`run ${sql}`)),
    columns: async (sql: string) => record(`columns ${sql}`) as never,
    append: async (table: string) => void (await record(`append ${table}`)),
    afterCommit: () => undefined,
  } as unknown as Transaction;
  return { tx, log };
}

describe('a statement in the background', () => {
  it('every later statement reaches the connection only after it has finished', async () => {
    const { tx, log } = fakeTransaction();
    const bg = new Background(tx);
    let finish = (): void => undefined;
    bg.start(async (t) => {
      await t.run('background');
      await new Promise<void>((r) => (finish = r));
      log.push('background done');
    });
    expect(bg.started).toBe(true);
    const later = Promise.all([bg.tx.run('second'), bg.tx.all('third'), bg.tx.append('t', [])]);
    // the JavaScript goes on meanwhile; nothing else reached the connection
    await new Promise((r) => setTimeout(r, 20));
    expect(log).toEqual(['run background']);
    finish();
    await later;
    expect(log).toEqual(['run background', 'background done', 'run second', 'all third', 'append t']);
  });

  it('its failure is the next statement\'s and settle()\'s, never an unhandled rejection', async () => {
    const { tx, log } = fakeTransaction();
    const bg = new Background(tx);
    bg.start(async () => {
      throw new Error('disk full');
    });
    await new Promise((r) => setTimeout(r, 10));
    await expect(bg.tx.run('after')).rejects.toThrow('disk full');
    await expect(bg.settle()).rejects.toThrow('disk full');
    expect(log).toEqual([]);
  });

  it('with none started, statements go straight through and settle() resolves', async () => {
    const { tx, log } = fakeTransaction();
    const bg = new Background(tx);
    await bg.tx.one('only');
    await bg.settle();
    expect(bg.started).toBe(false);
    expect(log).toEqual(['one only']);
    expect(() => {
      bg.start(async () => undefined);
      bg.start(async () => undefined);
    }).toThrow(/already started/);
  });
});
