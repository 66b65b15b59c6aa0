import { describe, expect, it } from 'vitest';
import { findSend, insertSends, startAttempt, type SendRow } from '../../src/store/queries/workflows/sends.js';
import { storePerTest } from '../helpers/store.js';

/*
 * startAttempt counts an attempt and returns the count in one statement (UPDATE … RETURNING): the
 * count it returns is the stored one, this attempt included, for the retry schedule (deliver.ts).
 */
const store = storePerTest();
const AT = new Date('2025-03-01T10:00:00Z');

function send(runId: string, stepId: string, attempts: number): SendRow {
  return {
    run_id: runId,
    workflow_id: 'wf',
    workflow_name: 'w',
    version: 1,
    step_id: stepId,
    customer_id: 'c1',
    channel: 'email',
    marketing: true,
    status: 'pending',
    reason: null,
    recipient: 'a@example.com',
    subject: null,
    idempotency_key: `${runId}:${stepId}`,
    attempts,
    last_error: null,
    created_at: AT,
    updated_at: AT,
    sent_at: null,
  };
}

describe('startAttempt', () => {
  it('returns the attempts stored after counting this one, and touches only its own send', async () => {
    const db = await store();
    await insertSends(db, [send('r1', 'e1', 0), send('r1', 'e2', 3), send('r2', 'e1', 0)]);
    const later = new Date(AT.getTime() + 60_000);
    expect(await startAttempt(db, 'r1', 'e1', later)).toBe(1);
    expect(await startAttempt(db, 'r1', 'e1', later)).toBe(2);
    expect(await startAttempt(db, 'r1', 'e2', later)).toBe(4);
    expect((await findSend(db, 'r1', 'e1'))!.attempts).toBe(2);
    expect((await findSend(db, 'r1', 'e1'))!.updated_at).toEqual(later);
    expect((await findSend(db, 'r2', 'e1'))!.attempts).toBe(0);
    expect((await findSend(db, 'r2', 'e1'))!.updated_at).toEqual(AT);
  });

  it('returns 0 for a send that does not exist', async () => {
    const db = await store();
    expect(await startAttempt(db, 'nope', 'e1', AT)).toBe(0);
  });
});
