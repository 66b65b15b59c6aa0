import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/numeric/random.js';
import type { Queryable } from '../../src/store/db.js';
import { findSend, findSendHeld, insertSends, type SendRow } from '../../src/store/queries/workflows/sends.js';
import { storePerFile } from '../helpers/store.js';

/*
 * findSendHeld reads a send row and the customer holding a run's person in one statement (deliver.ts,
 * once per send). Its answers must be findSend's and the per-customer survivor query's (survivorOf, as
 * the engine asked before, kept here verbatim as the reference) for any merge chains: over random
 * stores of customers merged into customers, into erased ones, in chains longer than the 50-step limit,
 * and in loops, for every id (also ids that never were customers).
 */
const h = storePerFile();
const AT = new Date('2025-03-01T10:00:00Z');

/** The survivor query the engine ran once per send before findSendHeld (survivorsOf for one id). */
async function referenceSurvivor(db: Queryable, customerId: string): Promise<string | undefined> {
  const rows = await db.all<{ origin: string; survivor: string }>(
    `WITH RECURSIVE chain(origin, customer_id, merged_into, depth) AS (
       SELECT c.customer_id, c.customer_id, c.merged_into, 0 FROM customers c WHERE c.customer_id IN (SELECT unnest($1::VARCHAR[]))
       UNION ALL
       SELECT chain.origin, c.customer_id, c.merged_into, chain.depth + 1
       FROM chain JOIN customers c ON c.customer_id = chain.merged_into
       WHERE chain.depth < 50
     )
     SELECT origin, customer_id AS survivor FROM chain WHERE merged_into IS NULL`,
    [[customerId]],
  );
  return new Map(rows.map((r) => [r.origin, r.survivor])).get(customerId);
}

/** A random store of customers: each live, or merged into another (maybe erased, maybe in a loop). */
function randomMerges(random: () => number, n: number): { id: string; mergedInto: string | null }[] {
  const ids = Array.from({ length: n }, (_, i) => `c${i}`);
  const pick = (): string => ids[Math.floor(random() * n)]!;
  const rows = ids.map((id) => {
    const r = random();
    const mergedInto = r < 0.35 ? null : r < 0.45 ? `erased${Math.floor(random() * 3)}` : pick();
    return { id, mergedInto: mergedInto === id ? null : mergedInto };
  });
  // Now and then a chain longer than the 50 merges followed (then nobody holds its start).
  if (random() < 0.5) {
    const length = 46 + Math.floor(random() * 12);
    for (let i = 0; i < length; i++) rows.push({ id: `long${i}`, mergedInto: i + 1 < length ? `long${i + 1}` : null });
  }
  return rows;
}

function send(runId: string, stepId: string, status: SendRow['status']): SendRow {
  return {
    run_id: runId, workflow_id: 'wf', workflow_name: 'w', version: 2, step_id: stepId, customer_id: 'c0', channel: 'email', marketing: true,
    status, reason: null, recipient: `${runId}@example.com`, subject: null, idempotency_key: `${runId}:${stepId}`, attempts: 1,
    last_error: null, created_at: AT, updated_at: AT, sent_at: null,
  };
}

describe('findSendHeld', () => {
  it('gives the survivor the per-customer query gives, over random merge chains', async () => {
    const db = h.store;
    const random = seededRandom(14);
    let held = 0;
    let notHeld = 0;
    for (let trial = 0; trial < 8; trial++) {
      await db.run('DELETE FROM customers');
      const rows = randomMerges(random, 25);
      await db.run(
        `INSERT INTO customers (customer_id, created_at, updated_at, merged_into)
         SELECT unnest($1::VARCHAR[]), $3, $3, unnest($2::VARCHAR[])`,
        [rows.map((r) => r.id), rows.map((r) => r.mergedInto), AT],
      );
      const asked = [...rows.map((r) => r.id).filter((id, i) => i < 25 || ['long0', 'long1', 'long2', 'long4', 'long8'].includes(id)), 'never', 'erased0'];
      for (const id of asked) {
        const want = await referenceSurvivor(db, id);
        expect((await findSendHeld(db, 'no-run', 'no-step', id)).heldBy, id).toBe(want);
        if (want === undefined) notHeld++;
        else held++;
      }
    }
    // Both outcomes were exercised.
    expect(held).toBeGreaterThan(20);
    expect(notHeld).toBeGreaterThan(20);
  });

  it('gives the send row findSend gives, or none', async () => {
    const db = h.store;
    await db.run('DELETE FROM workflow_sends');
    await insertSends(db, [send('r1', 'e1', 'pending'), send('r1', 'e2', 'sent'), send('r2', 'e1', 'skipped')]);
    for (const [run, step] of [['r1', 'e1'], ['r1', 'e2'], ['r2', 'e1'], ['r2', 'e2'], ['r3', 'e1']] as const) {
      expect((await findSendHeld(db, run, step, 'c0')).send, `${run}/${step}`).toEqual(await findSend(db, run, step));
    }
    expect((await findSendHeld(db, 'r1', 'e1', 'c0')).send).toBeDefined();
    expect((await findSendHeld(db, 'r3', 'e1', 'c0')).send).toBeUndefined();
  });
});
