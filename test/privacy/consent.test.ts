import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemo } from '../../src/demo/generate.js';
import { demoOptions } from '../../src/demo/options.js';
import type { IncomingEvent } from '../../src/ingest/events/message.js';
import { importFile } from '../../src/ingest/import/run.js';
import { ingestEvents } from '../../src/ingest/live/ingest.js';
import { customerConsent } from '../../src/privacy/consent/history.js';
import { recordConsent } from '../../src/privacy/consent/record.js';
import type { Store } from '../../src/store/db.js';
import { runCli } from '../helpers/cli.js';
import { tempStore } from '../helpers/store.js';
import { customerOf } from '../import/helpers.js';
import { basic, testServer, type TestServer } from '../server/helpers.js';

const caseFile = (name: string): string => fileURLToPath(new URL(`../../../shared/cases/${name}`, import.meta.url));
const liveOptOut = JSON.parse(readFileSync(caseFile('live-opt-out.identify.json'), 'utf8')) as Record<string, unknown>;
const olderExport = caseFile('older-shopify-export.csv');

/** Consent in force and the mirrored trait of every channel of a customer, to check they agree. */
async function state(s: Store, userId: string) {
  const id = (await customerOf(s, 'user_id', userId)) ?? (await customerOf(s, 'email', userId));
  const consent = await s.all<{ channel: string; status: string }>('SELECT channel, status FROM consent WHERE customer_id = $1 ORDER BY channel', [id!]);
  const traits = (await s.one<{ t: string }>('SELECT traits::VARCHAR AS t FROM customers WHERE customer_id = $1', [id!]))!;
  return { id: id!, consent, traits: JSON.parse(traits.t) as Record<string, unknown> };
}

function expectAgreement(st: Awaited<ReturnType<typeof state>>): void {
  for (const c of st.consent) expect(st.traits[`${c.channel}_consent`]).toBe(c.status);
}

describe('the handed case: a live opt-out in June, then an import of a March export', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await testServer();
  });
  afterAll(() => srv.cleanup());

  it('email consent stays denied; name and city stay the June values; the trait and the consent record agree', async () => {
    expect((await srv.post('/v1/identify', liveOptOut)).status).toBe(200);
    const report = await importFile(srv.store, olderExport);
    expect(report).toMatchObject({ format: 'shopify-orders', orders: 2, skipped: 1 });
    const st = await state(srv.store, 'mia-1');
    expect(st.consent).toEqual([{ channel: 'email', status: 'denied' }]);
    expect(st.traits).toMatchObject({ name: 'Mia Newname', city: 'Shelbyville', email_consent: 'denied', email: 'mia.tester@example.test' });
    expectAgreement(st);
    // The March decision is kept in the history, not in force.
    const c = await customerConsent(srv.store, 'mia-1');
    expect(c.history.map((h) => [h.channel, h.status, h.decided_at.toISOString(), h.source])).toEqual([
      ['email', 'denied', '2024-06-01T12:00:00.000Z', 'http:f6-1'],
      ['email', 'granted', '2024-03-05T19:03:22.000Z', 'import:shopify-orders:older-shopify-export.csv'],
    ]);
    // The order data of the export is imported all the same.
    expect(await srv.store.one('SELECT orders_count FROM customer_metrics WHERE customer_id = $1', [st.id])).toEqual({ orders_count: 2 });
  });

  it('the same end state when the export arrives first', async () => {
    const other = await testServer();
    try {
      await importFile(other.store, olderExport);
      const before = await state(other.store, 'mia.tester@example.test');
      expect(before.traits).toMatchObject({ name: 'Mia Tester', city: 'Springfield', email_consent: 'granted' });
      expect((await other.post('/v1/identify', liveOptOut)).status).toBe(200);
      const st = await state(other.store, 'mia-1');
      expect(st.consent).toEqual([{ channel: 'email', status: 'denied' }]);
      expect(st.traits).toMatchObject({ name: 'Mia Newname', city: 'Shelbyville', email_consent: 'denied' });
      expectAgreement(st);
    } finally {
      await other.cleanup();
    }
  });

  it('a newer export does move them: its time is later than the opt-out', async () => {
    const newer = readFileSync(olderExport, 'utf8').replace(/2024-03-05 14:0(3|5):\d\d -0500/g, '2024-07-01 10:00:00 +0000');
    const t = await tempStore();
    try {
      const file = join(t.dir, 'july-export.csv');
      writeFileSync(file, newer);
      await srv.post('/v1/identify', { ...liveOptOut, messageId: 'f6-2', userId: 'mia-1' }); // a replay changes nothing
      await importFile(srv.store, file);
      const st = await state(srv.store, 'mia-1');
      expect(st.consent).toEqual([{ channel: 'email', status: 'granted' }]);
      expect(st.traits).toMatchObject({ name: 'Mia Tester', city: 'Springfield', email_consent: 'granted' });
      expectAgreement(st);
    } finally {
      t.cleanup();
    }
  });
});

describe('consent from every source, decided by its own time', () => {
  let s: Store;
  let cleanup: () => void;
  beforeAll(async () => {
    const t = await tempStore();
    s = t.store;
    cleanup = t.cleanup;
  });
  afterAll(() => cleanup());

  let seq = 0;
  const event = (userId: string, at: string, extra: Partial<IncomingEvent>): IncomingEvent => ({
    messageId: `m${++seq}`,
    type: 'identify',
    userId,
    timestamp: new Date(at),
    receivedAt: new Date('2030-01-01T00:00:00Z'),
    ...extra,
  });
  const ingest = (events: IncomingEvent[]) => s.transaction((tx) => ingestEvents(tx, events));

  it('identify traits and Segment categoryPreferences, per channel; a value that is not a decision decides nothing', async () => {
    await ingest([
      event('u1', '2024-05-01T10:00:00Z', { traits: { email_consent: 'yes', sms_consent: 'maybe', name: 'U' } }),
      event('u1', '2024-05-02T10:00:00Z', { type: 'track', event: 'Consent Updated', context: { consent: { categoryPreferences: { Advertising: false, push_notifications: true } } } }),
    ]);
    const st = await state(s, 'u1');
    expect(st.consent).toEqual([
      { channel: 'ads', status: 'denied' },
      { channel: 'email', status: 'granted' },
      { channel: 'push', status: 'granted' },
    ]);
    expect(st.traits).toEqual({ name: 'U', ads_consent: 'denied', email_consent: 'granted', push_consent: 'granted' });
  });

  it('an older event arriving late changes neither consent nor traits; at the same instant a denial wins', async () => {
    await ingest([event('u2', '2024-06-01T12:00:00Z', { traits: { email_consent: 'denied', city: 'June' } })]);
    await ingest([event('u2', '2024-03-01T12:00:00Z', { traits: { email_consent: 'granted', city: 'March' } })]);
    let st = await state(s, 'u2');
    expect(st.consent).toEqual([{ channel: 'email', status: 'denied' }]);
    expect(st.traits).toMatchObject({ city: 'June', email_consent: 'denied' });
    await ingest([event('u2', '2024-07-01T12:00:00Z', { traits: { sms_consent: 'denied' } }), event('u2', '2024-07-01T12:00:00Z', { traits: { sms_consent: 'granted' } })]);
    st = await state(s, 'u2');
    expect(st.consent).toContainEqual({ channel: 'sms', status: 'denied' });
    expectAgreement(st);
    expect((await customerConsent(s, 'u2')).history).toHaveLength(4);
  });

  it('recordConsent (an unsubscribe link): in force when newest, history either way', async () => {
    await ingest([event('u3', '2024-05-01T10:00:00Z', { traits: { email_consent: true, email: 'u3@example.com' } })]);
    const id = (await customerOf(s, 'user_id', 'u3'))!;
    const r = await recordConsent(s, [{ customerId: id, channel: 'email', status: 'denied', decidedAt: new Date('2024-05-10T08:00:00Z'), source: 'unsubscribe:welcome:send-1' }]);
    expect(r).toEqual({ changed: 1, customers: [id] });
    const late = await recordConsent(s, [{ customerId: id, channel: 'e-mail', status: 'granted', decidedAt: new Date('2024-05-09T00:00:00Z'), source: 'test:older' }]);
    expect(late.changed).toBe(0);
    const st = await state(s, 'u3');
    expect(st.consent).toEqual([{ channel: 'email', status: 'denied' }]);
    expectAgreement(st);
    await expect(recordConsent(s, [{ customerId: id, channel: '??', status: 'denied', decidedAt: new Date(), source: 'x' }])).rejects.toMatchObject({ code: 'consent_invalid' });
  });

  it('a merge keeps the newest decision per channel and the whole history of both', async () => {
    await ingest([
      event('u4', '2024-05-01T10:00:00Z', { traits: { email_consent: 'denied' } }),
      event('', '2024-04-01T10:00:00Z', { userId: undefined, anonymousId: 'cookie-4', traits: { email_consent: 'granted', sms_consent: 'granted' } }),
    ]);
    await ingest([event('u4', '2024-05-02T10:00:00Z', { type: 'alias', previousId: 'cookie-4' })]);
    const st = await state(s, 'u4');
    expect(st.consent).toEqual([
      { channel: 'email', status: 'denied' },
      { channel: 'sms', status: 'granted' },
    ]);
    expectAgreement(st);
    expect((await customerConsent(s, 'u4')).history).toHaveLength(3);
  });

  it('generic files: consent.<channel> columns dated by updated_at', async () => {
    const t = await tempStore();
    try {
      const file = join(t.dir, 'newsletter.csv');
      writeFileSync(file, 'Client,Newsletter,SMS,Changed\nu5,yes,no,2024-01-01\nu5,no,,2024-02-01\nu6,subscribed,,2024-03-01\n');
      await importFile(s, file, { map: ['Client=user_id', 'Newsletter=consent.email', 'SMS=consent.sms', 'Changed=updated_at'] });
      expect((await state(s, 'u5')).consent).toEqual([
        { channel: 'email', status: 'denied' },
        { channel: 'sms', status: 'denied' },
      ]);
      expect((await customerConsent(s, 'u5')).history.map((h) => `${h.channel} ${h.status} ${h.decided_at.toISOString().slice(0, 10)}`)).toEqual([
        'email denied 2024-02-01',
        'email granted 2024-01-01',
        'sms denied 2024-01-01',
      ]);
      await expect(importFile(s, file, { map: ['Client=user_id', 'Newsletter=trait.email_consent'] })).rejects.toThrow(/email_consent is consent, not a trait; map it as consent\.email/);
    } finally {
      t.cleanup();
    }
  });

  it('whatever order the same decisions arrive in, the same decision is in force and the trait agrees', async () => {
    const channels = ['email', 'sms', 'ads'] as const;
    const decision = fc.record({
      channel: fc.constantFrom(...channels),
      status: fc.constantFrom('granted', 'denied'),
      day: fc.integer({ min: 1, max: 6 }),
      via: fc.constantFrom('trait', 'category', 'record'),
    });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(decision, { minLength: 1, maxLength: 8 }), fc.integer({ min: 0, max: 1_000_000 }), async (ds, shuffleSeed) => {
        const user = `p${++run}`;
        await ingest([event(user, '2024-01-01T00:00:00Z', { traits: { name: user } })]);
        const id = (await customerOf(s, 'user_id', user))!;
        // A deterministic shuffle: the order of arrival.
        const order = ds.map((d, i) => ({ d, k: (i * 7919 + shuffleSeed) % 1009 })).sort((a, b) => a.k - b.k).map((x) => x.d);
        for (const d of order) {
          const at = `2024-02-0${d.day}T00:00:00Z`;
          if (d.via === 'trait') await ingest([event(user, at, { traits: { [`${d.channel}_consent`]: d.status } })]);
          else if (d.via === 'category') await ingest([event(user, at, { type: 'track', event: 'Consent', context: { consent: { categoryPreferences: { [d.channel]: d.status === 'granted' } } } })]);
          else await recordConsent(s, [{ customerId: id, channel: d.channel, status: d.status, decidedAt: new Date(at), source: 'test' }]);
        }
        const st = await state(s, user);
        for (const ch of channels) {
          const mine = ds.filter((d) => d.channel === ch);
          if (mine.length === 0) continue;
          const last = Math.max(...mine.map((d) => d.day));
          const expected = mine.some((d) => d.day === last && d.status === 'denied') ? 'denied' : 'granted';
          expect(st.consent.find((c) => c.channel === ch)?.status).toBe(expected);
        }
        expectAgreement(st);
      }),
      { numRuns: 15, seed: 42 },
    );
  }, 120_000);
});

describe('the consent history is shown by the CLI and the API', () => {
  it('segmint customers consent ID, and GET /v1/customers/{id}/consent; POST records a decision', async () => {
    const srv = await testServer(['admin']);
    try {
      await srv.post('/v1/identify', liveOptOut);
      const res = await srv.app.inject({ method: 'GET', url: '/v1/customers/mia.tester@example.test/consent', headers: { authorization: basic(srv.key) } });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ current: [{ channel: 'email', status: 'denied', source: 'http:f6-1' }], history: [{ channel: 'email' }] });
      const posted = await srv.post('/v1/customers/mia-1/consent', { channel: 'sms', status: 'granted', decided_at: '2024-06-02T00:00:00Z', source: 'preference-centre' });
      expect(posted).toMatchObject({ status: 200, json: { changed: true } });
      const bad = await srv.post('/v1/customers/mia-1/consent', { channel: 'email', status: 'maybe', source: 'x' });
      expect(bad.status).toBe(400);
      const missing = await srv.app.inject({ method: 'GET', url: '/v1/customers/nobody/consent', headers: { authorization: basic(srv.key) } });
      expect(missing.statusCode).toBe(404);
    } finally {
      await srv.cleanup();
    }
    const t = await tempStore();
    try {
      await importFile(t.store, olderExport);
      t.store.close();
      const text = await runCli(t.path, 'customers', 'consent', 'mia.tester@example.test');
      expect(text).toMatch(/email {4}granted {2}since 2024-03-05 19:03:22 UTC \(import:shopify-orders:older-shopify-export\.csv\)/);
      const json = JSON.parse(await runCli(t.path, 'customers', 'consent', 'Mia.Tester@Example.test', '--json')) as { history: unknown[] };
      expect(json.history).toHaveLength(1);
    } finally {
      t.cleanup();
    }
  });
});

describe('consent loaded in bulk by the demo', () => {
  it('has its history and its mirrored traits, like every other decision', async () => {
    const t = await tempStore();
    try {
      await generateDemo(t.store, demoOptions({ customers: 60, days: 120, seed: 7, end: '2025-06-01' }));
      const r = await t.store.one<{ consent: number; history: number; disagree: number }>(
        `SELECT (SELECT count(*) FROM consent) AS consent, (SELECT count(*) FROM consent_history) AS history,
           (SELECT count(*) FROM consent c JOIN customers u USING (customer_id)
            WHERE json_extract_string(u.traits, '$.' || c.channel || '_consent') IS DISTINCT FROM c.status) AS disagree`,
      );
      expect(r!.consent).toBeGreaterThan(0);
      expect(r).toEqual({ consent: r!.consent, history: r!.consent, disagree: 0 });
    } finally {
      t.cleanup();
    }
  });
});
