import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseExpiry, setKeyExpiry } from '../../src/server/key-expiry.js';
import { buildApp } from '../../src/server/app.js';
import { createApiKey } from '../../src/server/keys.js';
import { runCli } from '../helpers/cli.js';
import { tempStore } from '../helpers/store.js';
import { basic } from '../server/helpers.js';

describe('key expiry, listing and revocation', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reads durations and dates, and refuses a moment that is not in the future', () => {
    const now = new Date('2025-01-01T00:00:00Z');
    expect(parseExpiry('90d', '--expires', now).toISOString()).toBe('2025-04-01T00:00:00.000Z');
    expect(parseExpiry('12h', '--expires', now).toISOString()).toBe('2025-01-01T12:00:00.000Z');
    expect(parseExpiry('2W', '--expires', now).toISOString()).toBe('2025-01-15T00:00:00.000Z');
    expect(parseExpiry('2025-06-30', '--expires', now).toISOString()).toBe('2025-06-30T00:00:00.000Z');
    expect(() => parseExpiry('2024-12-31', '--expires', now)).toThrow(/not in the future/);
    expect(() => parseExpiry('0d', '--expires', now)).toThrow(/no time at all/);
    // the units a user would try, and an error that names them and is about the expiry (trial 6, D10)
    expect(parseExpiry('30s', '--expires', now).toISOString()).toBe('2025-01-01T00:00:30.000Z');
    expect(parseExpiry('15min', '--expires', now).toISOString()).toBe('2025-01-01T00:15:00.000Z');
    expect(parseExpiry('2 days', '--expires', now).toISOString()).toBe('2025-01-03T00:00:00.000Z');
    expect(parseExpiry('1y', '--expires', now).toISOString()).toBe('2026-01-01T00:00:00.000Z');
    for (const [raw, why] of [
      ['soon', /^expires: "soon" is not a time to expire; write a duration in s, min, h, d, w or y .* or a date/],
      ['3 fortnights', /^expires: "3 fortnights" is not a time to expire; write a duration in s, min, h, d, w or y/],
      ['1m', /^expires: "1m" is ambiguous \(minutes or months\?\); write 1min or 1 month\.$/],
      ['5m', /write 5min or 5 months\.$/],
      ['99999999y', /ends after the year 9999/],
    ] as const) {
      const e = (() => {
        try {
          parseExpiry(raw, 'expires', now);
        } catch (x) {
          return x as { code: string; message: string };
        }
        throw new Error(`${raw} was accepted`);
      })();
      expect(e.code).toBe('invalid_expiry');
      expect(e.message).toMatch(why);
    }
  });

  it('stops a key at its expiry, even one the server has cached, and says why', async () => {
    const t = await tempStore();
    const admin = (await createApiKey(t.store, ['admin'])).key;
    const app = await buildApp({ store: t.store });
    try {
      const created = await app.inject({ method: 'POST', url: '/v1/keys', headers: { authorization: basic(admin) }, payload: { scopes: ['read'], name: 'temp', expires: '1h' } });
      expect(created.statusCode).toBe(201);
      const { key, keyId, expiresAt } = created.json() as { key: string; keyId: string; expiresAt: string };
      expect(new Date(expiresAt).getTime()).toBeGreaterThan(Date.now());
      const use = () => app.inject({ method: 'GET', url: '/v1/audit', headers: { authorization: basic(key) } });
      // read scope: known and unexpired, so refused for the scope (403), not for the key (401)
      expect((await use()).statusCode).toBe(403);
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(new Date(Date.now() + 2 * 3_600_000));
      const late = await use();
      expect(late.statusCode).toBe(401);
      expect(late.json()).toMatchObject({ error: 'key_expired' });
      expect(late.json().message).toContain(keyId);
      vi.useRealTimers();

      // An expiry moved into the past is read by the next lookup (a server started afresh).
      const other = await createApiKey(t.store, ['admin'], 'old');
      await setKeyExpiry(t.store, other.keyId, new Date(Date.now() - 1000));
      const fresh = await buildApp({ store: t.store });
      try {
        const r = await fresh.inject({ method: 'GET', url: '/v1/keys', headers: { authorization: basic(other.key) } });
        expect(r.statusCode).toBe(401);
        expect(r.json().error).toBe('key_expired');
      } finally {
        await fresh.close();
      }

      const list = await app.inject({ method: 'GET', url: '/v1/keys', headers: { authorization: basic(admin) } });
      const text = list.body;
      expect(text).not.toContain(key);
      expect(text).not.toContain(other.key);
      expect(text).not.toMatch(/[0-9a-f]{64}/); // nor any hash
      expect((list.json() as { keys: { keyId: string; expiresAt: string | null }[] }).keys.find((k) => k.keyId === keyId)?.expiresAt).toBe(expiresAt);

      const revoke = await app.inject({ method: 'DELETE', url: `/v1/keys/${keyId}`, headers: { authorization: basic(admin) } });
      expect(revoke.statusCode).toBe(200);
      expect((await use()).statusCode).toBe(401);
    } finally {
      await app.close();
      t.cleanup();
    }
  });

  it('creates expiring keys from the CLI, lists their state, and audits it with the local user', async () => {
    const t = await tempStore();
    t.store.close();
    const made = JSON.parse(await runCli(t.path, 'keys', 'create', '--read', '--expires', '30d', '--name', 'analyst', '--json')) as { keyId: string; expiresAt: string };
    expect(new Date(made.expiresAt).getTime() - Date.now()).toBeGreaterThan(29 * 86_400_000);
    await expect(runCli(t.path, 'keys', 'create', '--read', '--expires', '2000-01-01')).rejects.toThrow(/not in the future/);
    expect(await runCli(t.path, 'keys', 'list')).toContain(`active until ${made.expiresAt}`);
    await runCli(t.path, 'keys', 'revoke', made.keyId);
    const audit = JSON.parse(await runCli(t.path, 'audit', '--json')) as { actor: string; action: string; target: string | null; status: number }[];
    expect(audit.map((e) => [e.action, e.target, e.status])).toEqual([
      ['keys revoke', made.keyId, 200],
      ['keys create', made.keyId, 200],
    ]);
    expect(audit.every((e) => e.actor.startsWith('cli:'))).toBe(true);
    t.cleanup();
  });
});
