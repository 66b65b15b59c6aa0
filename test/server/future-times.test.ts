import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unsubscribeSecret } from '../../src/config/settings.js';
import { resolveCustomer } from '../../src/profiles/resolve-customer.js';
import { buildApp } from '../../src/server/app.js';
import { createApiKey } from '../../src/server/keys.js';
import type { Store } from '../../src/store/db.js';
import { contactsOf } from '../../src/store/queries/workflows/customers.js';
import { decideEmail } from '../../src/workflows/channels/policy.js';
import { unsubscribeToken } from '../../src/workflows/channels/email/unsubscribe.js';
import { UNLIMITED } from '../fixtures/limits.js';
import { tempStore } from '../helpers/store.js';
import { basic } from './helpers.js';

// Trial 6, D1: a browser key sent an identify dated 2099 granting email consent; being the latest by its
// own time, it outranked the person's denial, the unsubscribe link and the shop's server key for good, and
// marketing emails kept going out (to an address the attacker had set the same way). Nothing can have
// happened after it was received: such a time is stored as the receive time (docs/api.md, Event time),
// and a decided_at after now is refused. The server runs on a real socket; requests go through fetch.
let store: Store;
let cleanup: () => void;
let app: Awaited<ReturnType<typeof buildApp>>;
let url: string;
const keys = { browser: '', server: '', admin: '' };
beforeAll(async () => {
  ({ store, cleanup } = await tempStore());
  keys.browser = (await createApiKey(store, ['write'], 'site', 'browser')).key;
  keys.server = (await createApiKey(store, ['write'], 'shop', 'server')).key;
  keys.admin = (await createApiKey(store, ['admin'], 'admin')).key;
  app = await buildApp({ store, limits: UNLIMITED });
  url = await app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await app.close();
  // one more round trip, so that no statement of the server is still running when the file is closed
  await store.one('SELECT 1 AS one');
  cleanup();
});

async function post(path: string, key: string | undefined, body: unknown, type = 'application/json'): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(url + path, {
    method: 'POST',
    headers: { 'content-type': type, ...(key ? { authorization: basic(key) } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

interface Decision {
  channel: string;
  status: string;
  decided_at: string;
  source: string;
}
async function consent(id: string): Promise<{ current: Decision[]; history: Decision[] }> {
  const res = await fetch(`${url}/v1/customers/${id}/consent`, { headers: { authorization: basic(keys.admin) } });
  expect(res.status).toBe(200);
  return (await res.json()) as { current: Decision[]; history: Decision[] };
}

/** What the email step of a workflow would do for the customer now (the same rule a run applies). */
async function marketingEmail(id: string) {
  const customerId = await resolveCustomer(store, id);
  const contact = (await contactsOf(store, [customerId])).get(customerId);
  return decideEmail({ holdout: false, contact, transactional: false, sentRecently: 0, now: new Date() }, { smtpUrl: 'smtp://localhost:2525' } as never);
}

describe('times in the future (trial 6, D1)', () => {
  it('a grant dated 2099 from a browser key is in force only until the unsubscribe link: then the denial is, and no marketing email goes', async () => {
    const before = Date.now();
    expect((await post('/v1/identify', keys.server, { userId: 'c25', traits: { email: 'c25@example.test' }, messageId: 'c25-id' })).status).toBe(200);
    const grant = await post('/v1/identify', keys.browser, { userId: 'c25', traits: { email_consent: 'granted' }, timestamp: '2099-01-01T00:00:00Z', messageId: 'fut-1' });
    expect(grant.status).toBe(200);
    const granted = await consent('c25');
    expect(granted.current).toMatchObject([{ channel: 'email', status: 'granted', source: 'http:fut-1' }]);
    // stored at the time it was received, not 2099
    const at = Date.parse(granted.current[0]!.decided_at);
    expect(at).toBeGreaterThanOrEqual(before);
    expect(at).toBeLessThanOrEqual(Date.now());
    expect(await marketingEmail('c25')).toEqual({ action: 'send', to: 'c25@example.test' });

    // The link in the email the person received: one-click unsubscribe (RFC 8058).
    const token = unsubscribeToken(await unsubscribeSecret(store), { customerId: await resolveCustomer(store, 'c25'), runId: 'run1', stepId: 'mail' });
    const res = await fetch(`${url}/v1/unsubscribe?token=${encodeURIComponent(token)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(res.status).toBe(200);
    expect((await consent('c25')).current).toMatchObject([{ channel: 'email', status: 'denied', source: 'unsubscribe:run1.mail' }]);
    expect(await marketingEmail('c25')).toEqual({ action: 'skip', reason: 'consent_denied' });
  });

  it("the person's own later denial (browser key, no time) wins over a grant dated 9999", async () => {
    await post('/v1/identify', keys.browser, { userId: 'c26', traits: { email: 'c26@example.test', email_consent: 'granted' }, timestamp: '9999-12-31T23:59:59Z', messageId: 'fut-2' });
    await new Promise((r) => setTimeout(r, 5));
    await post('/v1/identify', keys.browser, { userId: 'c26', traits: { email_consent: 'denied' }, messageId: 'now-2' });
    expect((await consent('c26')).current).toMatchObject([{ status: 'denied', source: 'http:now-2' }]);
    expect(await marketingEmail('c26')).toEqual({ action: 'skip', reason: 'consent_denied' });
  });

  it("traits dated 9999 by a browser key are overridden by the shop's server key sent later", async () => {
    const pwned = await post('/v1/identify', keys.browser, {
      userId: 'c32',
      traits: { first_name: 'Pwned', email: 'attacker@evil.test', email_consent: 'granted' },
      timestamp: '9999-12-31T23:59:59Z',
      messageId: 'fut-3',
    });
    expect(pwned.status).toBe(200);
    await new Promise((r) => setTimeout(r, 5));
    expect((await post('/v1/identify', keys.server, { userId: 'c32', traits: { first_name: 'Ann32', email: 'c32@example.test' }, messageId: 'srv-3' })).status).toBe(200);
    const res = await fetch(`${url}/v1/customers/c32`, { headers: { authorization: basic(keys.admin) } });
    const profile = (await res.json()) as { traits: Record<string, unknown> };
    expect(profile.traits).toMatchObject({ first_name: 'Ann32', email: 'c32@example.test' });
    expect(await marketingEmail('c32')).toEqual({ action: 'send', to: 'c32@example.test' });
    const stored = await store.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM events WHERE timestamp > received_at`);
    expect(stored).toEqual([{ n: 0 }]);
  });

  it('an order dated 9999 from a browser key is stored at its receive time', async () => {
    const sent = await post('/v1/track', keys.browser, { userId: 'fut-buyer', event: 'Order Completed', timestamp: '9999-12-31T12:00:00Z', messageId: 'fut-ord', properties: { order_id: 'fut-o1', revenue: 5 } });
    expect(sent.status).toBe(200);
    const row = await store.one<{ y: number }>(`SELECT year(placed_at)::INTEGER AS y FROM orders WHERE order_id = 'fut-o1'`);
    expect(row?.y).toBeLessThan(9999);
    expect(row?.y).toBe(new Date().getUTCFullYear());
  });

  it('POST /v1/customers/{id}/consent refuses a decided_at after now (400 naming the field); a later denial then takes effect', async () => {
    await post('/v1/identify', keys.server, { userId: 'c24', traits: { email: 'c24@example.test' }, messageId: 'c24-id' });
    const far = await post('/v1/customers/c24/consent', keys.admin, { channel: 'email', status: 'granted', decided_at: '2099-01-01T00:00:00Z', source: 'test' });
    expect(far.status).toBe(400);
    expect(far.json).toMatchObject({ error: 'time_in_future', details: { field: 'body.decided_at' } });
    expect(String(far.json.message)).toMatch(/^decided_at: "2099-01-01T00:00:00Z" is after now/);
    // within the 5 minutes allowed for clocks: taken, as now
    const skewed = new Date(Date.now() + 60_000).toISOString();
    const ok = await post('/v1/customers/c24/consent', keys.admin, { channel: 'email', status: 'granted', decided_at: skewed, source: 'test' });
    expect(ok.status).toBe(200);
    expect(Date.parse((await consent('c24')).current[0]!.decided_at)).toBeLessThanOrEqual(Date.now());
    await new Promise((r) => setTimeout(r, 5));
    const deny = await post('/v1/customers/c24/consent', keys.admin, { channel: 'email', status: 'denied', source: 'test' });
    expect(deny.json).toMatchObject({ changed: true });
  });

  it('POST /v1/imports refuses an exportedAt after now, naming it', async () => {
    const res = await post('/v1/imports', keys.admin, { upload: 'nothing', exportedAt: '2099-01-01' });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ details: { field: 'body.exportedAt' } });
  });
});
