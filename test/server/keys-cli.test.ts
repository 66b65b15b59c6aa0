import { runCli } from '../helpers/cli.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { Store } from '../../src/store/db.js';
import { basic } from './helpers.js';


describe('segmint keys', () => {
  let dir: string;
  let db: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'segmint-keys-'));
    db = join(dir, 'k.duckdb');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('creates a key shown once, stores only its hash, lists and revokes it', async () => {
    const created = JSON.parse(await runCli(db, 'keys', 'create', '--write', '--name', 'web', '--json')) as { key: string; keyId: string; scopes: string[] };
    expect(created.key).toMatch(/^sgm_[A-Za-z0-9_-]{32}$/);
    expect(created.scopes).toEqual(['write']);
    const listed = JSON.parse(await runCli(db, 'keys', 'list', '--json')) as { keyId: string; name: string; revokedAt: string | null }[];
    expect(listed).toMatchObject([{ keyId: created.keyId, name: 'web', revokedAt: null }]);
    expect(JSON.stringify(listed)).not.toContain(created.key);

    const store = await Store.open(db);
    const stored = await store.one<{ key_hash: string }>('SELECT key_hash FROM api_keys');
    expect(stored?.key_hash).toMatch(/^[0-9a-f]{64}$/);
    const app = await buildApp({ store });
    const send = () =>
      app.inject({ method: 'POST', url: '/v1/track', headers: { authorization: basic(created.key) }, payload: { userId: 'u', event: 'E' } });
    expect((await send()).statusCode).toBe(200);
    await app.close();
    store.close();

    expect(await runCli(db, 'keys', 'revoke', created.keyId)).toMatch(`Revoked ${created.keyId}`);
    await expect(runCli(db, 'keys', 'revoke', created.keyId)).rejects.toThrow(/No active key has the id/);
    await expect(runCli(db, 'keys', 'create', '--name', 'nothing')).rejects.toThrow(/at least one scope/);
    const again = await Store.open(db);
    const app2 = await buildApp({ store: again });
    const res = await app2.inject({ method: 'POST', url: '/v1/track', headers: { authorization: basic(created.key) }, payload: { userId: 'u', event: 'E' } });
    expect(res.statusCode).toBe(401);
    await app2.close();
    again.close();
  });

  it('manages keys over HTTP with an admin key while serving', async () => {
    const store = await Store.open(join(dir, 'h.duckdb'));
    const { createApiKey } = await import('../../src/server/keys.js');
    const admin = await createApiKey(store, ['admin']);
    const app = await buildApp({ store });
    const auth = { authorization: basic(admin.key) };
    const made = await app.inject({ method: 'POST', url: '/v1/keys', headers: auth, payload: { scopes: ['write'], name: 'app' } });
    expect(made.statusCode).toBe(201);
    const k = made.json<{ key: string; keyId: string }>();
    const track = () => app.inject({ method: 'POST', url: '/v1/t', headers: { 'x-write-key': k.key }, payload: { anonymousId: 'a', event: 'E' } });
    expect((await track()).statusCode).toBe(200);
    const bad = await app.inject({ method: 'POST', url: '/v1/keys', headers: auth, payload: { scopes: ['root'] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ error: string; message: string }>()).toMatchObject({ error: 'invalid_request', message: expect.stringMatching(/^The body field "scopes\[0\]" is "root"; accepted: one of admin, write, read\.$/) });
    const notAdmin = await app.inject({ method: 'GET', url: '/v1/keys', headers: { 'x-write-key': k.key } });
    expect(notAdmin.statusCode).toBe(403);
    expect((await app.inject({ method: 'DELETE', url: `/v1/keys/${k.keyId}`, headers: auth })).statusCode).toBe(200);
    expect((await track()).statusCode).toBe(401);
    const list = await app.inject({ method: 'GET', url: '/v1/keys', headers: auth });
    expect(list.json<{ keys: { keyId: string; revokedAt: string | null }[] }>().keys.find((x) => x.keyId === k.keyId)?.revokedAt).toEqual(expect.any(String));
    const doc = await app.inject({ method: 'GET', url: '/openapi.json' });
    const paths = Object.keys(doc.json<{ paths: Record<string, unknown> }>().paths);
    expect(paths).toEqual(expect.arrayContaining(['/v1/identify', '/v1/track', '/v1/batch', '/v1/keys', '/health']));
    await app.close();
    store.close();
  });
});
