import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeAssignmentsCsv } from '../../src/measure/experiments/assignments.js';
import { createExperiment } from '../../src/measure/experiments/create.js';
import { createSegment } from '../../src/segments/manage/crud.js';
import { exportSegment } from '../../src/segments/manage/export.js';
import { refreshSegments } from '../../src/segments/manage/refresh.js';
import { listCustomers } from '../../src/store/queries/profiles.js';
import { searchCustomerRows } from '../../src/store/queries/profiles/search.js';
import { contactsOf } from '../../src/store/queries/workflows/customers.js';
import { testServer, type TestServer } from '../server/helpers.js';

/*
 * Trial 11, L2: a customer merged from an anonymous profile (email a3d@…) and a known one whose email
 * trait was set later (zzd@…) has one email in force, the trait (docs/segments.md: "the email trait,
 * else the first email seen"; docs/identity.md: the newer data wins). The assignments export gave
 * min(email identity), a3d@…, the address the person replaced. Every export must give the same one.
 */
let s: TestServer;
const T0 = new Date('2026-01-05T10:00:00Z');
const at = (min: number) => new Date(T0.getTime() + min * 60_000).toISOString();

beforeAll(async () => {
  s = await testServer(['write']);
  for (const body of [
    { anonymousId: 'a3d', traits: { email: 'a3d@x.test', plan: 'vip' }, timestamp: at(0) },
    { userId: 'zzd', traits: { email: 'zzd@x.test', plan: 'vip' }, timestamp: at(5) },
    { userId: 'zzd', anonymousId: 'a3d', timestamp: at(10) },
    // one with no email trait: the first email identity seen wins, not the first alphabetically
    { userId: 'late', context: { traits: { email: 'zz-first@x.test' } }, traits: { plan: 'vip' }, timestamp: at(1) },
    { userId: 'late', context: { traits: { email: 'aa-second@x.test' } }, timestamp: at(2) },
  ]) {
    expect((await s.post('/v1/identify', body)).json, JSON.stringify(body)).toMatchObject({ stored: 1 });
  }
  await createSegment(s.store, { name: 'vipish', definition: { query: 'traits.plan = "vip"' } });
  await refreshSegments(s.store, { asOf: new Date(T0.getTime() + 3_600_000) });
  await createExperiment(s.store, { name: 'ex1', segment: 'vipish', groups: 'control:50,t:50', at: new Date(T0.getTime() + 3_600_000), salt: 's' }, new Date());
}, 60_000);

afterAll(async () => s.cleanup());

describe('the assignments export gives the email every export gives', () => {
  it('the email in force of a merged customer, and the first seen without a trait', async () => {
    let assignments = '';
    // nobody here decided on email consent: both files include the undecided, to compare the emails
    expect((await writeAssignmentsCsv(s.store, 'ex1', (c) => void (assignments += c), { unknownConsent: 'include' })).rows).toBe(2);
    let members = '';
    await exportSegment(s.store, 'vipish', (c) => void (members += c), { fields: ['customer_id', 'email'], unknownConsent: 'include' });
    const fromAssignments = assignments.trimEnd().split('\n').slice(1).map((l) => l.split(',')).map((c) => `${c[1]} ${c[2]}`).sort();
    expect(fromAssignments).toEqual(['late zz-first@x.test', 'zzd zzd@x.test']);
    const emailOf = (csv: string, col: number) => new Map(csv.trimEnd().split('\n').slice(1).map((l) => l.split(',')).map((c) => [c[0], c[col]]));
    expect(emailOf(assignments, 2)).toEqual(emailOf(members, 1));
  });

  it('sends, the customers list and search use that email too (they took min(email))', async () => {
    const ids = (await s.store.all<{ customer_id: string; value: string }>("SELECT customer_id, value FROM identities WHERE kind = 'user_id' AND value IN ('zzd', 'late')")).map((r) => [r.value, r.customer_id] as const);
    const expected = new Map([['zzd', 'zzd@x.test'], ['late', 'zz-first@x.test']]);
    const contacts = await contactsOf(s.store, ids.map(([, id]) => id));
    const listed = new Map((await listCustomers(s.store, 100, 0)).map((r) => [r.customer_id, r.email]));
    for (const [user, id] of ids) {
      expect(contacts.get(id)?.email, `send to ${user}`).toBe(expected.get(user));
      expect(listed.get(id), `list ${user}`).toBe(expected.get(user));
      const hits = await searchCustomerRows(s.store, user, 5);
      expect(hits.find((h) => h.customer_id === id)?.email, `search ${user}`).toBe(expected.get(user));
    }
  });
});
