import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerAllFields } from '../../src/fields.js';
import { startServer, type RunningServer } from '../../src/server/app.js';
import { createApiKey } from '../../src/server/keys.js';
import type { Store } from '../../src/store/db.js';
import { createWorkflow } from '../../src/workflows/manage/crud.js';
import { eventually } from '../helpers/serve.js';
import { basic } from '../server/helpers.js';
import { storeWithMailbox, unsubscribeLink } from '../workflows/helpers.js';
import { cellsContaining } from './cells.js';

/**
 * An email outlives an erasure: its unsubscribe link, followed after the person was erased, records
 * nothing (docs/privacy.md), so no row carries their customer id or their run's id again, and a later
 * erasure has nothing left to find. On a running server with a real SMTP server.
 */
describe('the unsubscribe link of an erased person', () => {
  let t: Awaited<ReturnType<typeof storeWithMailbox>>;
  let store: Store;
  let server: RunningServer;
  let write: string;
  let admin: string;

  beforeAll(async () => {
    registerAllFields();
    t = await storeWithMailbox({ 'email.frequency_cap': 'off' });
    store = t.store;
    write = (await createApiKey(store, ['write'], 'site')).key;
    admin = (await createApiKey(store, ['admin'], 'dpo')).key;
    await createWorkflow(store, 'greet', { text: 'trigger: { event: Hello }\nsteps:\n  - id: mail1\n    email: { subject: "Hi", text: "Bye: {{ unsubscribe_url }}" }\n' }, { now: new Date(Date.now() - 60_000) });
    server = await startServer({ store, port: 0, host: '127.0.0.1', workflows: { polledSources: [] } });
  });
  afterAll(async () => {
    await server?.close();
    await t?.close();
  });

  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: basic(write) }, body: JSON.stringify(body) });
    expect(res.status).toBe(200);
  };

  it('records nothing, and leaves no row holding their ids', async () => {
    await post('/v1/identify', { userId: 'vic-zzq', traits: { email: 'vic@example.test', email_consent: 'granted' } });
    await post('/v1/track', { userId: 'vic-zzq', event: 'Hello' });
    const mail = await eventually(async () => t.smtp.received.find((m) => m.to === 'vic@example.test'), 'the email');
    const link = unsubscribeLink(mail);
    const { customer, run } = (await store.one<{ customer: string; run: string }>(
      "SELECT i.customer_id AS customer, r.run_id AS run FROM identities i JOIN workflow_runs r USING (customer_id) WHERE i.kind = 'user_id' AND i.value = 'vic-zzq'",
    ))!;
    const erased = await fetch(`${server.url}/v1/customers/vic-zzq?reason=ticket%204711`, { method: 'DELETE', headers: { authorization: basic(admin) } });
    expect(erased.status, await erased.clone().text()).toBe(200);
    for (const id of [customer, run]) expect(await cellsContaining(store, id)).toEqual({});

    // The person clicks the link of the email they still have: the page answers, nothing is written.
    expect((await fetch(link)).status).toBe(200);
    const res = await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('you will not receive marketing emails from us');
    await server.app.workflows!.idle();
    for (const id of [customer, run]) expect(await cellsContaining(store, id)).toEqual({});
  });
});
