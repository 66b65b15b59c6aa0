import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../src/ingest/import/run.js';
import { previewSegment } from '../../src/segments/manage/preview.js';
import { testServer, type TestServer } from './helpers.js';

/**
 * The email trait is an identifier: stored trimmed and lower-cased as the email identity is, from live
 * identify calls and from imports alike, and a segment on traits.email compares a text written with
 * other case or spaces the same way (docs/identity.md, docs/segment-language.md). Checked through the
 * SQL of a preview and through the live engine's members, which evaluates in memory.
 */

let t: TestServer;
let dir: string;
beforeAll(async () => {
  t = await testServer(['write', 'read', 'admin']);
  dir = mkdtempSync(join(tmpdir(), 'segmint-email-trait-'));
});
afterAll(async () => {
  await t.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

const traitsOf = async (userId: string): Promise<Record<string, unknown>> => {
  const row = await t.store.one<{ t: string }>(
    "SELECT c.traits::VARCHAR t FROM customers c JOIN identities i USING (customer_id) WHERE i.kind = 'user_id' AND i.value = $1",
    [userId],
  );
  return JSON.parse(row!.t) as Record<string, unknown>;
};

const count = async (query: string): Promise<number> => (await previewSegment(t.store, { query }, { asOf: new Date('2025-01-01T00:00:00Z') })).count;

describe('the email trait, stored and compared as the email identity', () => {
  it('a live identify stores it trimmed and lower-cased; the event keeps what was sent', async () => {
    const r = await t.post('/v1/identify', { userId: 'cara', traits: { email: ' Cara@Example.com ', name: ' Cara ' }, timestamp: '2024-05-01T10:00:00Z', messageId: 'i-cara' });
    expect(r.status).toBe(200);
    // Only the identifier trait is normalised; the name keeps its spaces.
    expect(await traitsOf('cara')).toEqual({ email: 'cara@example.com', name: ' Cara ' });
    const ev = await t.store.one<{ t: string }>("SELECT traits::VARCHAR t FROM events WHERE message_id = 'i-cara'");
    expect(JSON.parse(ev!.t)).toEqual({ email: ' Cara@Example.com ', name: ' Cara ' });
  });

  it('an import stores it the same way, for a generic trait column too', async () => {
    const file = join(dir, 'people.csv');
    writeFileSync(file, 'Customer,Mail\neve,"\tEve@Example.COM "\n');
    await importFile(t.store, file, { map: ['Customer=user_id', 'Mail=trait.email'], exportedAt: new Date('2024-05-02T00:00:00Z') });
    expect(await traitsOf('eve')).toEqual({ email: 'eve@example.com' });
  });

  it('a segment on traits.email finds them however the value is written, in SQL and live', async () => {
    expect(await count('traits.email = "cara@example.com"')).toBe(1);
    expect(await count('traits.email = " Cara@Example.COM"')).toBe(1);
    expect(await count('traits.email in ("EVE@example.com", "nobody@example.com")')).toBe(1);
    expect(await count('traits.email contains "@EXAMPLE."')).toBe(2);
    expect(await count('traits.email starts_with "Cara@"')).toBe(1);
    expect(await count('traits.email != "CARA@example.com"')).toBe(1);
    // Other traits keep their case: text comparisons there are exact.
    expect(await count('traits.name = "cara"')).toBe(0);
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/segments',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${t.key}` },
      payload: JSON.stringify({ name: 'cara-by-mail', query: 'traits.email = "Cara@Example.com"' }),
    });
    expect(res.statusCode).toBe(201);
    // Kept live by the engine, which evaluates the definition in memory.
    expect(t.app.segmint.realtime!.isLive('cara-by-mail')).toBe(true);
    expect((res.json() as { members: number }).members).toBe(1);
  });
});
