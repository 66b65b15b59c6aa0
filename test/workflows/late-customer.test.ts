import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setSetting } from '../../src/config/settings.js';
import { registerAllFields } from '../../src/fields.js';
import { createSegment } from '../../src/segments/manage/crud.js';
import { startServer, type RunningServer } from '../../src/server/app.js';
import { createApiKey } from '../../src/server/keys.js';
import type { Store } from '../../src/store/db.js';
import { ManualClock } from '../../src/workflows/engine/clock.js';
import { createWorkflow } from '../../src/workflows/manage/crud.js';
import { eventually } from '../helpers/serve.js';
import { basic } from '../server/helpers.js';
import { storeWithMailbox, unsubscribeLink, webhookReceiver } from './helpers.js';

/**
 * A customer id stored at one moment and acted on later (an unsubscribe token, a run and its sends, a
 * queued segment entry) follows a merge made in between to the survivor, whatever made the merge
 * (docs/identity.md, docs/workflows.md). On a running server (real HTTP, the real-time segment engine,
 * a real SMTP server and a real webhook receiver); the workflow engine's clock is a ManualClock, so a
 * wait of an hour is a step of the clock, while everything else runs on the machine's time.
 */
describe('runs, sends and unsubscribe links follow merges', () => {
  const secret = 'a-shared-secret-of-some-length';
  let t: Awaited<ReturnType<typeof storeWithMailbox>>;
  let store: Store;
  let server: RunningServer;
  let hooks: Awaited<ReturnType<typeof webhookReceiver>>;
  let write: string;
  let admin: string;
  let clock: ManualClock;

  const post = async (path: string, body: unknown, key = write, type = 'application/json') => {
    const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': type, authorization: basic(key) }, body: typeof body === 'string' ? body : JSON.stringify(body) });
    expect(res.status, `${path}: ${await res.clone().text()}`).toBeLessThan(300);
    return res;
  };
  const idOf = async (kind: string, value: string) =>
    (await store.one<{ id: string }>('SELECT customer_id AS id FROM identities WHERE kind = $1 AND value = $2', [kind, value]))?.id;
  const headOf = async (id: string) => store.one<{ merged_into: string | null }>('SELECT merged_into FROM customers WHERE customer_id = $1', [id]);
  const runsOf = (workflow: string, customerIds: readonly string[]) =>
    store.all<{ run_id: string; customer_id: string; status: string }>(
      'SELECT run_id, customer_id, status FROM workflow_runs WHERE workflow_name = $1 AND customer_id IN (SELECT unnest($2::VARCHAR[])) ORDER BY entered_at',
      [workflow, customerIds],
    );
  const sendsOf = (runId: string) =>
    store.all<{ step_id: string; customer_id: string; status: string; reason: string | null; last_error: string | null }>(
      'SELECT step_id, customer_id, status, reason, last_error FROM workflow_sends WHERE run_id = $1 ORDER BY step_id',
      [runId],
    );
  const hooksFor = (customerId: string, step: string) =>
    hooks.deliveries.filter((d) => (d.body as { customer: { id: string }; step: string }).customer.id === customerId && (d.body as { step: string }).step === step);

  beforeAll(async () => {
    registerAllFields();
    t = await storeWithMailbox({ 'email.frequency_cap': 'off' });
    store = t.store;
    hooks = await webhookReceiver(secret);
    await setSetting(store, 'webhook.secret', secret);
    write = (await createApiKey(store, ['write'], 'site')).key;
    admin = (await createApiKey(store, ['admin'], 'shop')).key;
    await createSegment(store, { name: 'recent', definition: { query: 'performed "Page Viewed"' } });
    await createSegment(store, { name: 'browsing', definition: { query: 'performed "Browsed"' } });
    const at = new Date(Date.now() - 60_000);
    await createWorkflow(store, 'greet', { text: 'trigger: { event: Hello }\nsteps:\n  - id: mail1\n    email: { subject: "Hi {{ traits.name }}", text: "Bye: {{ unsubscribe_url }}" }\n' }, { now: at });
    await createWorkflow(store, 'flow', { text: `trigger: { entered: recent }\nsteps:\n  - id: hook1\n    webhook: "${hooks.url}"\n` }, { now: at });
    await createWorkflow(store, 'slow', { text: `trigger: { entered: browsing }\nsteps:\n  - wait: 1h\n  - id: hook2\n    webhook: "${hooks.url}"\n` }, { now: at });
    clock = new ManualClock(new Date());
    server = await startServer({ store, port: 0, host: '127.0.0.1', workflows: { clock, polledSources: [] } });
  });
  afterAll(async () => {
    await server?.close();
    await hooks?.close();
    await t?.close();
  });

  it('records an unsubscribe after a merge on the survivor, whose next marketing email is skipped for consent', async () => {
    await post('/v1/identify', { anonymousId: 'anon-uns-1', traits: { email: 'una@example.test', email_consent: 'granted', name: 'Una' } });
    await post('/v1/track', { anonymousId: 'anon-uns-1', event: 'Hello' });
    const mail = await eventually(async () => t.smtp.received.find((m) => m.to === 'una@example.test'), 'the email to the anonymous visitor');
    const link = unsubscribeLink(mail);
    const absorbed = (await idOf('anonymous_id', 'anon-uns-1'))!;
    // She logs in: the user she is known as absorbs the anonymous profile the email was sent to.
    await post('/v1/identify', { userId: 'uns-user', traits: { email: 'una.main@example.test' } });
    await post('/v1/identify', { userId: 'uns-user', anonymousId: 'anon-uns-1' });
    const survivor = (await idOf('user_id', 'uns-user'))!;
    expect(await headOf(absorbed)).toEqual({ merged_into: survivor });
    clock.set(new Date()); // the server dates the decision by the engine's clock: now, after her opt-in
    const res = await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('You are unsubscribed');
    // The decision in force is the survivor's, denied, from the link; the merged-away id holds none.
    expect(await store.all('SELECT customer_id, channel, status FROM consent WHERE customer_id IN ($1, $2)', [survivor, absorbed])).toEqual([
      { customer_id: survivor, channel: 'email', status: 'denied' },
    ]);
    const traits = await store.one<{ c: string }>("SELECT json_extract_string(traits, '$.email_consent') AS c FROM customers WHERE customer_id = $1", [survivor]);
    expect(traits!.c).toBe('denied');
    // The next marketing email to the person is skipped for consent, and none arrives.
    const before = t.smtp.received.length;
    await post('/v1/track', { userId: 'uns-user', event: 'Hello' });
    const [, second] = await eventually(async () => {
      const runs = await runsOf('greet', [survivor]);
      return runs.length === 2 && runs[1]!.status === 'completed' ? runs : undefined;
    }, 'the second greet run');
    expect(await sendsOf(second!.run_id)).toEqual([{ step_id: 'mail1', customer_id: survivor, status: 'skipped', reason: 'consent_denied', last_error: null }]);
    expect(t.smtp.received.length).toBe(before);
  });

  it('sends the webhook of a visitor who logs in just after entering a segment, to the survivor', async () => {
    for (const n of [1, 2, 3, 4]) {
      await post('/v1/identify', { userId: `mr-${n}`, traits: { email: `mr${n}@example.test` } });
      const survivor = (await idOf('user_id', `mr-${n}`))!;
      // Entering and logging in a moment apart, each acknowledged before the next goes.
      await post('/v1/track', { anonymousId: `mr-anon-${n}`, event: 'Page Viewed' });
      await post('/v1/identify', { userId: `mr-${n}`, anonymousId: `mr-anon-${n}` });
      const absorbed = (await store.one<{ id: string }>("SELECT customer_id AS id FROM customers WHERE customer_id <> $1 AND merged_into = $1", [survivor]))?.id;
      expect(absorbed, `mr-${n}'s anonymous profile merged into them`).toBeDefined();
      const [delivery] = await eventually(async () => {
        const got = hooksFor(survivor, 'hook1');
        return got.length > 0 ? got : undefined;
      }, `the webhook for mr-${n}`);
      expect(delivery!.signed).toBe(true);
      const [run] = await runsOf('flow', [survivor, absorbed!]);
      expect(run).toMatchObject({ customer_id: survivor });
      expect(await sendsOf(run!.run_id)).toEqual([{ step_id: 'hook1', customer_id: survivor, status: 'sent', reason: null, last_error: null }]);
      expect(hooksFor(absorbed!, 'hook1')).toEqual([]);
    }
  });

  it('moves a waiting run with a merge made by an import exactly as with one made by identify', async () => {
    // Two anonymous visitors enter `browsing`; each run waits an hour before its webhook.
    await post('/v1/identify', { userId: 'idu', traits: { email: 'idu@example.test' } });
    await post('/v1/identify', { userId: 'impu', traits: { email: 'imp2@example.test' } });
    await post('/v1/track', { anonymousId: 'anon-id-1', event: 'Browsed' });
    await post('/v1/track', { anonymousId: 'anon-imp-1', event: 'Browsed' });
    const byIdentify = (await idOf('anonymous_id', 'anon-id-1'))!;
    const byImport = (await idOf('anonymous_id', 'anon-imp-1'))!;
    await eventually(async () => ((await runsOf('slow', [byIdentify, byImport])).length === 2 ? true : undefined), 'the two waiting runs');
    // One is merged by identify, the other by an import that links the visitor to a known email.
    await post('/v1/identify', { userId: 'idu', anonymousId: 'anon-id-1' });
    const csv = 'oid,anon,mail,date,amount\nIMP-1,anon-imp-1,imp2@example.test,2026-01-05,12.50\n';
    const up = await post('/v1/uploads?name=impmerge.csv', csv, admin, 'text/csv');
    const upload = ((await up.json()) as { upload: { id: string } }).upload.id;
    const job = (await (await post('/v1/imports', { upload, map: ['oid=order_id', 'anon=anonymous_id', 'mail=email', 'date=placed_at', 'amount=amount'] }, admin)).json()) as { id: string };
    const done = await eventually(async () => {
      const j = (await (await fetch(`${server.url}/v1/jobs/${job.id}`, { headers: { authorization: basic(admin) } })).json()) as { state: string };
      return j.state === 'done' || j.state === 'failed' ? j : undefined;
    }, 'the import job');
    expect(done.state).toBe('done');
    const survivors = { identify: (await idOf('user_id', 'idu'))!, import: (await idOf('user_id', 'impu'))! };
    expect(await store.all("SELECT absorbed_id FROM merges WHERE NOT refused AND reason = 'import'")).toEqual([{ absorbed_id: byImport }]);
    expect(await headOf(byIdentify)).toEqual({ merged_into: survivors.identify });
    expect(await headOf(byImport)).toEqual({ merged_into: survivors.import });
    // Both runs now belong to their survivor, at once (the merge's own transaction moved them).
    for (const [absorbed, survivor] of [[byIdentify, survivors.identify], [byImport, survivors.import]] as const) {
      expect(await runsOf('slow', [absorbed])).toEqual([]);
      expect(await runsOf('slow', [survivor])).toEqual([expect.objectContaining({ status: 'active' })]);
    }
    // An hour later both webhooks go, each for its survivor, and both runs complete.
    clock.advance(3_600_000);
    await server.app.workflows!.tick();
    for (const survivor of Object.values(survivors)) {
      expect(hooksFor(survivor, 'hook2')).toHaveLength(1);
      const [run] = await runsOf('slow', [survivor]);
      expect(run!.status).toBe('completed');
      expect(await sendsOf(run!.run_id)).toEqual([{ step_id: 'hook2', customer_id: survivor, status: 'sent', reason: null, last_error: null }]);
    }
  });
});
