import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeAssignmentsCsv } from '../../src/measure/experiments/assignments.js';
import { createExperiment } from '../../src/measure/experiments/create.js';
import { createSegment } from '../../src/segments/manage/crud.js';
import { exportSegment, type ExportOptions } from '../../src/segments/manage/export.js';
import { refreshSegments } from '../../src/segments/manage/refresh.js';
import { createApiKey } from '../../src/server/keys.js';
import { testServer, type TestServer } from '../server/helpers.js';

/*
 * Every file holding contact details is filtered by the consent of the channels those details imply
 * (docs/consent.md, "Consent in exports"). Trial 13: H1 (`--channel none` wrote every email and phone,
 * deniers included), and M3 (the experiment assignments file wrote every member's email).
 *
 * Four people: ann granted email and sms; bea denied email (granted sms); cal granted email, denied sms;
 * dan decided nothing.
 */
let s: TestServer;
let admin: Record<string, string>;
const T0 = new Date('2026-01-05T10:00:00Z');
const people = [
  { userId: 'ann', traits: { email: 'ann@x.test', phone: '+100', plan: 'p', email_consent: 'granted', sms_consent: 'granted' } },
  { userId: 'bea', traits: { email: 'bea@x.test', phone: '+200', plan: 'p', email_consent: 'denied', sms_consent: 'granted' } },
  { userId: 'cal', traits: { email: 'cal@x.test', phone: '+300', plan: 'p', email_consent: 'granted', sms_consent: 'denied' } },
  { userId: 'dan', traits: { email: 'dan@x.test', phone: '+400', plan: 'p' } },
];

beforeAll(async () => {
  s = await testServer(['write']);
  admin = { authorization: `Bearer ${(await createApiKey(s.store, ['admin'])).key}` };
  for (const p of people) expect((await s.post('/v1/identify', { ...p, timestamp: T0.toISOString() })).json).toMatchObject({ stored: 1 });
  await createSegment(s.store, { name: 'everyone', definition: { query: 'traits.plan = "p"' } });
  const later = new Date(T0.getTime() + 3_600_000);
  await refreshSegments(s.store, { asOf: later });
  await createExperiment(s.store, { name: 'x1', segment: 'everyone', groups: 'control:50,t:50', at: later, salt: 's' }, new Date());
}, 60_000);
afterAll(async () => s.cleanup());

async function exported(opts: ExportOptions) {
  let text = '';
  const summary = await exportSegment(s.store, 'everyone', (c) => void (text += c), opts);
  return { text, summary };
}
const column = (csv: string, name: string) => {
  const [head, ...rows] = csv.trimEnd().split('\n');
  const i = head!.split(',').indexOf(name);
  return rows.map((r) => r.split(',')[i]);
};
const get = (url: string) => s.app.inject({ method: 'GET', url, headers: admin });

describe('segments export: contact details are always filtered by their channel (trial 13, H1)', () => {
  it('--channel none with emails, phones or --audience is refused, naming the fields and their channels', async () => {
    await expect(exported({ fields: ['customer_id', 'email'], channel: 'none' })).rejects.toMatchObject({
      code: 'export_channel_none_with_contacts',
      message: expect.stringContaining('email needs email'),
    });
    await expect(exported({ fields: ['customer_id', 'traits.phone'], channel: 'none' })).rejects.toMatchObject({ message: expect.stringContaining('traits.phone needs sms') });
    await expect(exported({ audience: true, channel: 'none' })).rejects.toMatchObject({ message: expect.stringContaining('--audience (hashed emails) needs ads') });
    const http = await get('/v1/segments/everyone/export?channel=none');
    expect(http.statusCode).toBe(400);
    expect(http.json()).toMatchObject({ error: 'export_channel_none_with_contacts' });
    expect(http.body).not.toContain('bea@x.test');
    // ids and metrics only: none is accepted and filters nobody
    const plain = await exported({ fields: ['customer_id', 'plan'], channel: 'none' });
    expect(plain.summary).toMatchObject({ rows: 4, channel: 'none', denied: 0, withoutConsent: 0 });
  });

  it('emails and phones together need email and sms consent', async () => {
    const both = await exported({ fields: ['email', 'phone'] });
    expect(column(both.text, 'email')).toEqual(['ann@x.test']);
    expect(both.summary).toMatchObject({ rows: 1, members: 4, channel: 'email+sms', channels: ['email', 'sms'], denied: 2, withoutConsent: 1 });
    const http = await get('/v1/segments/everyone/export?fields=email,phone');
    expect(http.headers).toMatchObject({ 'x-segmint-consent-channel': 'email+sms', 'x-segmint-left-out-denied': '2', 'x-segmint-left-out-no-consent': '1' });
  });

  it('a channel named for a file of emails adds to email consent, never replaces it', async () => {
    const sms = await exported({ fields: ['customer_id', 'email'], channel: 'sms' });
    expect(column(sms.text, 'email')).toEqual(['ann@x.test']);
    expect(sms.summary).toMatchObject({ channel: 'sms+email', denied: 2 });
    const alone = await exported({ fields: ['customer_id', 'email'] });
    expect(column(alone.text, 'email').sort()).toEqual(['ann@x.test', 'cal@x.test']);
  });
});

describe('experiments assignments: the email follows the same rule; every row stays (trial 13, M3)', () => {
  it('writes the email only of members with email consent granted, and counts the others', async () => {
    let csv = '';
    const summary = await writeAssignmentsCsv(s.store, 'x1', (c) => void (csv += c));
    expect(summary).toMatchObject({ rows: 4, channel: 'email', denied: 1, withoutConsent: 1 });
    const byUser = new Map(csv.trimEnd().split('\n').slice(1).map((l) => l.split(',')).map((c) => [c[1], c]));
    expect([...byUser.keys()].sort()).toEqual(['ann', 'bea', 'cal', 'dan']);
    expect(Object.fromEntries([...byUser].map(([u, c]) => [u, c[2]]))).toEqual({ ann: 'ann@x.test', bea: '', cal: 'cal@x.test', dan: '' });
    for (const c of byUser.values()) expect(c[3]).toMatch(/^(control|t)$/);
    // a shop keeping consent elsewhere: the undecided get their email; a denial still leaves it out
    let lenient = '';
    expect(await writeAssignmentsCsv(s.store, 'x1', (c) => void (lenient += c), { unknownConsent: 'include' })).toMatchObject({ denied: 1, withoutConsent: 0 });
    expect(lenient).toContain('dan@x.test');
    expect(lenient).not.toContain('bea@x.test');
  });

  it('over HTTP: no denier in the file, the counts in the headers', async () => {
    const res = await get('/v1/experiments/x1/assignments');
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('bea@x.test');
    expect(res.body).not.toContain('dan@x.test');
    expect(res.body.trimEnd().split('\n')).toHaveLength(5);
    expect(res.headers).toMatchObject({ 'x-segmint-consent-channel': 'email', 'x-segmint-left-out-denied': '1', 'x-segmint-left-out-no-consent': '1' });
  });
});
