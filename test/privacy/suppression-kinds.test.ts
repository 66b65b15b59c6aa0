import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../src/ingest/import/run.js';
import { buildApp } from '../../src/server/app.js';
import { createApiKey } from '../../src/server/keys.js';
import type { Store } from '../../src/store/db.js';
import { UNLIMITED } from '../fixtures/limits.js';
import { tempStore } from '../helpers/store.js';
import { basic } from '../server/helpers.js';
import { cellsContaining } from './cells.js';

// An erasure suppresses a value whatever identity kind it comes back under (docs/privacy.md, trial 11 P1):
// every kind erased × every kind sent, the alias cases of the trial, through HTTP and through an import.

type Kind = 'user_id' | 'anonymous_id' | 'email' | 'external';
const KINDS: readonly Kind[] = ['user_id', 'anonymous_id', 'email', 'external'];

/** A value of its own per case; an email shape when either side is an email (only those are email identities). */
const valueOf = (erased: Kind, sent: Kind): string =>
  erased === 'email' || sent === 'email' ? `sk-${erased}-${sent}-q@example.test` : `sk-${erased}-${sent}-q`;

/** An identify naming `value` as `kind` (with a device id of its own beside it when the kind needs one). */
function identifyAs(kind: Kind, value: string, other: string): Record<string, unknown> {
  switch (kind) {
    case 'user_id':
      return { userId: value };
    case 'anonymous_id':
      return { anonymousId: value };
    case 'email':
      return { anonymousId: other, traits: { email: value } };
    case 'external':
      return { anonymousId: other, context: { externalIds: [{ type: 'loyalty', id: value, collection: 'users', encoding: 'none' }] } };
  }
}

let t: Awaited<ReturnType<typeof tempStore>>;
let store: Store;
let app: FastifyInstance;
let admin: string;
let writer: string;

const call = async (method: 'GET' | 'POST' | 'DELETE', url: string, key: string, body?: unknown) => {
  const res = await app.inject({
    method,
    url,
    headers: { authorization: basic(key), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    payload: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.statusCode, json: res.json() as Record<string, unknown> };
};

const CASES = KINDS.flatMap((erased) => KINDS.map((sent) => ({ erased, sent, value: valueOf(erased, sent) })));
// The trial's people: u3 with an email and a merged device id, erased by user id.
const U3 = { userId: 'tr11-u3', email: 'tr11-u3@x.test', anon: 'tr11-a3' };
// A device id in the shape of an email, in capitals: emails are stored lower-cased, so its later email
// form is another text (fixA11's open point, closed by the lead).
const CASED = 'Tr11-Cased@Example.test';

beforeAll(async () => {
  t = await tempStore();
  store = t.store;
  admin = (await createApiKey(store, ['admin'], 'ops')).key;
  writer = (await createApiKey(store, ['write'], 'site')).key;
  app = await buildApp({ store, limits: UNLIMITED });
  let n = 0;
  for (const c of CASES) {
    const r = await call('POST', '/v1/identify', writer, { ...identifyAs(c.erased, c.value, `holder-${n++}`), messageId: `hold-${c.value}` });
    expect(r.json, c.value).toMatchObject({ stored: 1 });
  }
  await call('POST', '/v1/identify', writer, { userId: U3.userId, traits: { email: U3.email } });
  await call('POST', '/v1/identify', writer, { userId: U3.userId, anonymousId: U3.anon });
  expect((await call('POST', '/v1/track', writer, { anonymousId: CASED, event: 'Seen' })).json).toMatchObject({ stored: 1 });
  const reg = await call('POST', '/v1/regulations', admin, { identifiers: [...CASES.map((c) => c.value), U3.userId, CASED], reason: 'ticket 11' });
  expect(reg.status).toBe(202);
  for (;;) {
    const r = await call('GET', `/v1/regulations/${String(reg.json.regulationId)}`, admin);
    if (r.json.status === 'failed') throw new Error(String(r.json.error));
    if (r.json.status === 'finished') {
      expect(r.json.customersErased).toBe(CASES.length + 2);
      break;
    }
    await new Promise((res) => setTimeout(res, 20));
  }
}, 120_000);

afterAll(async () => {
  await app.close();
  t.cleanup();
});

describe('an erased value is suppressed whatever kind it comes back as', () => {
  it.each(CASES)('erased as $erased, sent as $sent', async ({ erased, sent, value }) => {
    const r = await call('POST', '/v1/identify', writer, { ...identifyAs(sent, value, `newcomer-${erased}-${sent}`), messageId: `back-${value}` });
    expect(r.json).toMatchObject({ stored: 0, suppressed: 1 });
    expect((await call('GET', `/v1/customers/${encodeURIComponent(value)}`, admin)).json.error).toBe('customer_erased');
    expect(await cellsContaining(store, value)).toEqual({});
  });

  it('drops an alias whose previousId is the erased user id or email, in a batch too (trial 11 P1)', async () => {
    for (const previousId of [U3.userId, U3.email, U3.email.toUpperCase(), U3.anon]) {
      const r = await call('POST', '/v1/alias', writer, { userId: `new-alias-${previousId}`, previousId });
      expect(r.json, previousId).toMatchObject({ stored: 0, suppressed: 1 });
    }
    const batch = await call('POST', '/v1/batch', writer, {
      batch: [
        { type: 'alias', userId: 'new-alias-b', previousId: U3.userId },
        { type: 'track', event: 'Seen', anonymousId: U3.userId },
        { type: 'page', userId: U3.anon },
        { type: 'group', groupId: 'g1', userId: 'someone-else', context: { externalIds: [{ type: 'crm', id: U3.userId, collection: 'users', encoding: 'none' }] } },
        { type: 'track', event: 'Seen', userId: 'innocent-bystander' },
      ],
    });
    expect(batch.json).toMatchObject({ stored: 1, suppressed: 4 });
    for (const v of [U3.userId, U3.email, U3.anon]) {
      expect((await call('GET', `/v1/customers/${encodeURIComponent(v)}`, admin)).json.error, v).toBe('customer_erased');
      expect(await cellsContaining(store, v), v).toEqual({});
    }
    expect((await call('GET', '/v1/customers/innocent-bystander', admin)).status).toBe(200);
  });

  it('suppresses an email-shaped value erased in capitals when it comes back as an email, lower-cased', async () => {
    const r = await call('POST', '/v1/identify', writer, { anonymousId: 'tr11-other-device', traits: { email: CASED.toLowerCase() }, messageId: 'back-cased' });
    expect(r.json).toMatchObject({ stored: 0, suppressed: 1 });
    expect(await cellsContaining(store, CASED.toLowerCase())).toEqual({});
    expect(await cellsContaining(store, CASED)).toEqual({});
  });

  it('skips import rows carrying an erased value under another kind', async () => {
    const file = join(t.dir, 'crm.csv');
    writeFileSync(
      file,
      ['Client,Mail,Device', `${U3.anon},,`, `,,${U3.userId}`, `${U3.email},,`, `kept-client,kept@example.test,`, `,,${CASES[0]!.value}`].join('\n') + '\n',
    );
    const report = await importFile(store, file, { map: ['Client=user_id', 'Mail=email', 'Device=anonymous_id'] });
    expect(report.erased_skipped).toBe(4);
    for (const v of [U3.userId, U3.email, U3.anon, CASES[0]!.value]) expect(await cellsContaining(store, v), v).toEqual({});
    expect((await call('GET', '/v1/customers/kept-client', admin)).status).toBe(200);
  });
});
