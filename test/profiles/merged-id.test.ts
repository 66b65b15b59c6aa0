import { afterEach, describe, expect, it } from 'vitest';
import { basic, testServer, type TestServer } from '../server/helpers.js';

// docs/webhooks.md "Merges" tells a receiver holding an absorbed customer id to ask GET /v1/customers/{id}:
// the answer is the survivor's profile, whose customer_id is not the id asked (recheck 7, N3).
describe('an absorbed customer id still finds its person', () => {
  let s: TestServer | undefined;
  afterEach(async () => {
    await s?.cleanup();
  });

  it('GET /v1/customers/{absorbed id} answers the survivor', async () => {
    s = await testServer(['write', 'read']);
    const srv = s;
    const holder = async (kind: string, value: string) =>
      (await srv.store.one<{ c: string }>('SELECT customer_id c FROM identities WHERE kind = $1 AND value = $2', [kind, value]))?.c;
    expect((await srv.post('/v1/identify', { anonymousId: 'cookie-m1', traits: { plan: 'gold' }, messageId: 'm1' })).status).toBe(200);
    expect((await srv.post('/v1/identify', { userId: 'mu-1', traits: { plan: 'silver' }, messageId: 'm2' })).status).toBe(200);
    const anonymous = (await holder('anonymous_id', 'cookie-m1'))!;
    const user = (await holder('user_id', 'mu-1'))!;
    expect(anonymous).not.toBe(user);
    expect((await srv.post('/v1/identify', { userId: 'mu-1', anonymousId: 'cookie-m1', messageId: 'm3' })).status).toBe(200);
    const res = await srv.app.inject({ method: 'GET', url: `/v1/customers/${anonymous}`, headers: { authorization: basic(srv.key) } });
    expect(res.statusCode).toBe(200);
    // the survivor is the customer holding a user_id (docs/identity.md)
    expect(res.json()).toMatchObject({ customer_id: user });
  });
});
