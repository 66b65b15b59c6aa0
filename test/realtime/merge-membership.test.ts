import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerAllFields } from '../../src/fields.js';
import { createSegment } from '../../src/segments/manage/crud.js';
import { refreshSegments } from '../../src/segments/manage/refresh.js';
import { startServer, type RunningServer } from '../../src/server/app.js';
import { createApiKey } from '../../src/server/keys.js';
import type { Store } from '../../src/store/db.js';
import { tempStore } from '../helpers/store.js';
import { basic } from '../server/helpers.js';

/**
 * A merge joins two customers that are one person (docs/identity.md): the absorbed customer's segment
 * memberships become the survivor's, keeping the earlier time, with no exit and no entry recorded, so no
 * webhook or workflow triggered on entering fires again for the same person; a bulk refresh after the
 * merge agrees (it records nothing either). Trial 7, D13: with a server, the merge recorded the absorbed
 * customer leaving and the survivor entering anew, with `since` reset to the merge.
 */
describe('a merge with a server keeping segments live', () => {
  let t: Awaited<ReturnType<typeof tempStore>>;
  let store: Store;
  let server: RunningServer | undefined;
  let writeKey: string;

  beforeAll(async () => {
    registerAllFields();
    t = await tempStore();
    store = t.store;
    writeKey = (await createApiKey(store, ['write'], 'test', 'server')).key;
    await createSegment(store, { name: 'gold', definition: { query: 'traits.plan = "gold"' } });
    await createSegment(store, { name: 'buyers', definition: { query: 'performed "Order Completed"' } });
    server = await startServer({ store, port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await server?.close();
    t.cleanup();
  });

  const send = async (batch: Record<string, unknown>[]): Promise<void> => {
    const res = await fetch(`${server!.url}/v1/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: basic(writeKey) },
      body: JSON.stringify({ batch }),
    });
    expect(res.status).toBe(200);
  };
  const history = () =>
    store.all<{ segment: string; customer_id: string; change: string }>(
      'SELECT s.name AS segment, h.customer_id, h.change FROM segment_history h JOIN segments s USING (segment_id) ORDER BY h.seq',
    );
  const members = () =>
    store.all<{ segment: string; customer_id: string; since: Date }>(
      'SELECT s.name AS segment, m.customer_id, m.since FROM segment_members m JOIN segments s USING (segment_id) ORDER BY 1, 2',
    );
  const customerOf = async (kind: string, value: string) =>
    (await store.one<{ id: string }>('SELECT customer_id AS id FROM identities WHERE kind = $1 AND value = $2', [kind, value]))?.id;

  it('moves the memberships to the survivor with the earlier time, and records no exit or entry', async () => {
    await send([{ type: 'identify', anonymousId: 'cookie-m1', traits: { plan: 'gold' }, messageId: 'm1' }]);
    const anon = await customerOf('anonymous_id', 'cookie-m1');
    const [entered] = await members();
    expect(entered).toMatchObject({ segment: 'gold', customer_id: anon });
    await send([{ type: 'track', userId: 'mu-1', event: 'Order Completed', properties: { order_id: 'o-1', revenue: 10 }, messageId: 'm2' }]);
    const user = await customerOf('user_id', 'mu-1');
    expect(user).not.toBe(anon);
    const before = await history();
    expect(before.map((h) => `${h.segment} ${h.change} ${h.customer_id === anon ? 'anon' : 'user'}`)).toEqual(['gold entered anon', 'buyers entered user']);

    await send([{ type: 'identify', userId: 'mu-1', anonymousId: 'cookie-m1', messageId: 'm3' }]);
    expect(await customerOf('anonymous_id', 'cookie-m1')).toBe(user);
    // No exit of the absorbed customer, no entry of the survivor: the person was in gold all along.
    expect(await history()).toEqual(before);
    expect(await members()).toEqual([
      { segment: 'buyers', customer_id: user, since: expect.any(Date) },
      { segment: 'gold', customer_id: user, since: entered!.since },
    ]);

    // A bulk refresh of the same moment, without the server, records nothing either.
    await server!.close();
    server = undefined;
    const results = await refreshSegments(store, { asOf: new Date() });
    expect(results.map((r) => [r.name, r.entered, r.exited])).toEqual([
      ['buyers', 0, 0],
      ['gold', 0, 0],
    ]);
  });
});
