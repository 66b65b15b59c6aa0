import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setSetting } from '../../src/config/settings.js';
import { basic, testServer, type TestServer } from './helpers.js';

/*
 * Fix 9, item 2, through the API: the asOf of GET /v1/customers/{id} and GET /v1/quality, a date alone,
 * is midnight in the workspace time zone, as customers show --as-of and quality --as-of
 * (test/cli/zone-dates.test.ts) and the segment endpoints read it. Pacific/Kiritimati is UTC+14: midnight
 * starting 2024-04-01 there is 2024-03-31T10:00Z.
 */

let s: TestServer;
beforeAll(async () => {
  s = await testServer(['write', 'read']);
  await setSetting(s.store, 'workspace.timezone', 'Pacific/Kiritimati');
  expect((await s.post('/v1/identify', { userId: 'kiri', traits: { email: 'kiri@example.com' } })).status).toBe(200);
});
afterAll(async () => s.cleanup());

const get = async (url: string) => {
  const res = await s.app.inject({ method: 'GET', url, headers: { authorization: basic(s.key) } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { as_of: string };
};

describe('asOf of the profile and the quality report, a date alone', () => {
  it('is midnight in the workspace time zone; a datetime keeps its offset', async () => {
    expect((await get('/v1/customers/kiri?asOf=2024-04-01')).as_of).toBe('2024-03-31T10:00:00.000Z');
    expect((await get('/v1/quality?asOf=2024-04-01')).as_of).toBe('2024-03-31T10:00:00.000Z');
    expect((await get('/v1/customers/kiri?asOf=2024-04-01T00:00:00Z')).as_of).toBe('2024-04-01T00:00:00.000Z');
  });
});
