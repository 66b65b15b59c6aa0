import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerAllFields } from '../../src/fields.js';
import { createSegment } from '../../src/segments/manage/crud.js';
import { startServer, type RunningServer } from '../../src/server/app.js';
import { createApiKey } from '../../src/server/keys.js';
import type { Store } from '../../src/store/db.js';
import { createWorkflow } from '../../src/workflows/manage/crud.js';
import { eventually } from '../helpers/serve.js';
import { basic } from '../server/helpers.js';
import { storeWithMailbox } from './helpers.js';

/**
 * Segment triggers on a running server (real HTTP, the machine's clock, a real SMTP server): the
 * workflow engine hears the real-time engine's membership changes as they are recorded. The engine is
 * given no polled source here (no reading of segment_history), so an email can only come from the live
 * engine's publication: on the event that makes a customer enter, and on the instant time alone does.
 */
describe('workflows triggered by live segments on a running server', () => {
  let t: Awaited<ReturnType<typeof storeWithMailbox>>;
  let store: Store;
  let server: RunningServer;
  let smtp: Awaited<ReturnType<typeof storeWithMailbox>>['smtp'];
  let key: string;

  const send = async (batch: Record<string, unknown>[]) => {
    const res = await fetch(`${server.url}/v1/batch`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: basic(key) }, body: JSON.stringify({ batch }) });
    expect(res.status).toBe(200);
  };
  const customer = (userId: string) => ({ type: 'identify', userId, traits: { email: `${userId}@example.com`, first_name: userId, email_consent: 'granted' } });
  const mailTo = (userId: string, subject: string) => smtp.received.find((m) => m.to === `${userId}@example.com` && m.mail.subject === subject);
  const history = (userId: string, segment: string) =>
    store.all<{ change: string; changed_at: Date }>(
      `SELECT h.change, h.changed_at FROM segment_history h JOIN segments s USING (segment_id) JOIN identities i ON i.customer_id = h.customer_id
       WHERE i.kind = 'user_id' AND i.value = $1 AND s.name = $2 ORDER BY h.changed_at`,
      [userId, segment],
    );
  const runTrigger = async (userId: string, workflow: string) =>
    (
      await store.one<{ context: string }>(
        `SELECT r.context::VARCHAR AS context FROM workflow_runs r JOIN identities i ON i.customer_id = r.customer_id WHERE i.kind = 'user_id' AND i.value = $1 AND r.workflow_name = $2`,
        [userId, workflow],
      )
    )?.context;

  beforeAll(async () => {
    registerAllFields();
    t = await storeWithMailbox({ 'email.frequency_cap': 'off' });
    ({ store, smtp } = t);
    key = (await createApiKey(store, ['write'], 'test')).key;
    await createSegment(store, { name: 'vip', definition: { query: 'traits.plan = "vip"' } });
    // Entered by time alone, 2 seconds after a checkout without an order.
    await createSegment(store, { name: 'abandoned', definition: { query: 'performed "Checkout Started" then not "Order Completed" within 2s' } });
    await createWorkflow(store, 'vip-welcome', { text: 'trigger: { entered: vip }\nsteps:\n  - id: hello\n    email: { subject: "Welcome to VIP", text: "Hello {{ traits.first_name }}" }\n' });
    await createWorkflow(store, 'cart-nudge', { text: 'trigger: { entered: abandoned }\nsteps:\n  - id: nudge\n    email: { subject: "Your cart", text: "Still there, {{ traits.first_name }}" }\n' });
    server = await startServer({ store, port: 0, host: '127.0.0.1', workflows: { polledSources: [] } });
  });
  afterAll(async () => {
    await server?.close();
    await t?.close();
  });

  it('sends the entry email once the event that makes a customer enter is acknowledged', async () => {
    await send([customer('val')]);
    expect(mailTo('val', 'Welcome to VIP')).toBeUndefined();
    const sent = Date.now();
    await send([{ type: 'identify', userId: 'val', traits: { plan: 'vip' } }]);
    const mail = await eventually(async () => mailTo('val', 'Welcome to VIP'), 'the VIP welcome email', 30_000);
    process.stdout.write(`live segment entry → email received after ${Date.now() - sent} ms\n`);
    expect(mail.mail.text).toContain('Hello val');
    // The run was started by the change the real-time engine recorded, at its instant.
    const [entered] = await history('val', 'vip');
    expect(entered!.change).toBe('entered');
    expect(JSON.parse((await runTrigger('val', 'vip-welcome'))!)).toMatchObject({ trigger: { kind: 'segment', segment: 'vip', change: 'entered', at: entered!.changed_at.toISOString() } });
  });

  it('sends the entry email when time alone makes the customer enter, and none to one who ordered', async () => {
    await send([customer('cal'), customer('ord')]);
    const sent = Date.now();
    // The order comes a tenth of a second after its checkout (events of one batch would share a time).
    const at = (ms: number) => new Date(sent - 500 + ms).toISOString();
    await send([
      { type: 'track', userId: 'cal', event: 'Checkout Started', properties: { checkout_id: 'c1' }, timestamp: at(0) },
      { type: 'track', userId: 'ord', event: 'Checkout Started', properties: { checkout_id: 'c2' }, timestamp: at(0) },
      { type: 'track', userId: 'ord', event: 'Order Completed', properties: { order_id: 'o2', checkout_id: 'c2', total: 20, revenue: 20 }, timestamp: at(100) },
    ]);
    const mail = await eventually(async () => mailTo('cal', 'Your cart'), 'the cart nudge', 30_000);
    process.stdout.write(`time-based live segment entry → email received ${Date.now() - sent} ms after the request (the window closed 1.5 s after it)\n`);
    expect(mail.mail.text).toContain('Still there, cal');
    const [entered] = await history('cal', 'abandoned');
    expect(JSON.parse((await runTrigger('cal', 'cart-nudge'))!)).toMatchObject({ trigger: { kind: 'segment', segment: 'abandoned', change: 'entered', at: entered!.changed_at.toISOString() } });
    // ord ordered within the window: never entered, so no run and no email.
    expect(await history('ord', 'abandoned')).toEqual([]);
    expect(await runTrigger('ord', 'cart-nudge')).toBeUndefined();
    expect(smtp.received.filter((m) => m.to === 'ord@example.com')).toEqual([]);
  });
});
