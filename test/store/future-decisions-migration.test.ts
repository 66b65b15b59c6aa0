import { afterAll, describe, expect, it } from 'vitest';
import { futureDecisions } from '../../src/store/migrations/023_future_decisions.js';
import { recordConsent } from '../../src/privacy/consent/record.js';
import { tempStore } from '../helpers/store.js';

let cleanup: () => void = () => undefined;
afterAll(() => cleanup());

// A store written before times in the future were refused (trial 6, D1): c25's grant dated 2099 was in
// force over the later unsubscribe, and c32's first_name was pinned until 9999.
describe('migration 23: decisions dated in the future dated when they were recorded', () => {
  it('puts the later denial in force, mirrors the trait, and unpins trait times', async () => {
    const t = await tempStore();
    cleanup = t.cleanup;
    const s = t.store;
    for (const id of ['c25', 'c26', 'c32']) {
      await s.run(`INSERT INTO customers (customer_id, created_at, updated_at, traits) VALUES ($1, TIMESTAMP '2026-01-01', TIMESTAMP '2026-01-01', '{}'::JSON)`, [id]);
    }
    // as the old code stored them: the grant of 2099 recorded on 2026-11-30, the unsubscribe the next day
    await s.run(`INSERT INTO consent_history VALUES
      ('c25', 'email', 'granted', TIMESTAMP '2099-01-01', 'http:fut-1', TIMESTAMP '2026-11-30 10:00:00'),
      ('c25', 'email', 'denied', TIMESTAMP '2026-12-01 05:08:19', 'unsubscribe:r.s', TIMESTAMP '2026-12-01 05:08:19'),
      ('c26', 'email', 'granted', TIMESTAMP '2026-06-01', 'api:x', TIMESTAMP '2026-06-01')`);
    await s.run(`INSERT INTO consent VALUES ('c25', 'email', 'granted', TIMESTAMP '2099-01-01', 'http:fut-1'), ('c26', 'email', 'granted', TIMESTAMP '2026-06-01', 'api:x')`);
    await s.run(`UPDATE customers SET traits = '{"email_consent":"granted"}'::JSON WHERE customer_id IN ('c25', 'c26')`);
    await s.run(`UPDATE customers SET traits = '{"first_name":"Pwned"}'::JSON WHERE customer_id = 'c32'`);
    await s.run(`INSERT INTO trait_times VALUES ('c25', 'email_consent', TIMESTAMP '2099-01-01', 'http:fut-1'),
      ('c26', 'email_consent', TIMESTAMP '2026-06-01', 'api:x'), ('c32', 'first_name', TIMESTAMP '9999-12-31 23:59:59', 'identify:fut-3')`);

    await s.transaction(async (tx) => {
      for (const sql of futureDecisions.statements) await tx.run(sql);
      await futureDecisions.finish!(tx);
    });

    expect(await s.all('SELECT customer_id, status, updated_at, source FROM consent ORDER BY 1')).toEqual([
      { customer_id: 'c25', status: 'denied', updated_at: new Date('2026-12-01T05:08:19Z'), source: 'unsubscribe:r.s' },
      { customer_id: 'c26', status: 'granted', updated_at: new Date('2026-06-01T00:00:00Z'), source: 'api:x' },
    ]);
    expect(await s.all(`SELECT decided_at FROM consent_history WHERE source = 'http:fut-1'`)).toEqual([{ decided_at: new Date('2026-11-30T10:00:00Z') }]);
    expect(await s.all(`SELECT customer_id, json_extract_string(traits, '$.email_consent') AS c FROM customers WHERE customer_id IN ('c25', 'c26') ORDER BY 1`)).toEqual([
      { customer_id: 'c25', c: 'denied' },
      { customer_id: 'c26', c: 'granted' },
    ]);
    const times = await s.all<{ customer_id: string; trait: string; decided_at: Date; source: string }>('SELECT * FROM trait_times ORDER BY 1, 2');
    expect(times.slice(0, 2)).toEqual([
      { customer_id: 'c25', trait: 'email_consent', decided_at: new Date('2026-12-01T05:08:19Z'), source: 'unsubscribe:r.s' },
      { customer_id: 'c26', trait: 'email_consent', decided_at: new Date('2026-06-01T00:00:00Z'), source: 'api:x' },
    ]);
    expect(times[2]!.decided_at.getTime()).toBeLessThanOrEqual(Date.now());
    expect(times[2]!.decided_at.getTime()).toBeGreaterThan(Date.now() - 600_000);

    // A grant made now, after the migration, is in force again: nothing stays pinned.
    await recordConsent(s, [{ customerId: 'c25', channel: 'email', status: 'granted', decidedAt: new Date(), source: 'api:again' }]);
    expect(await s.all(`SELECT status FROM consent WHERE customer_id = 'c25'`)).toEqual([{ status: 'granted' }]);
  });
});
