import { expect, it } from 'vitest';
import { registerAllFields } from '../../src/fields.js';
import { createSegment, listSegments } from '../../src/segments/manage/crud.js';
import { formatList, formatSegment } from '../../src/segments/manage/format.js';
import { startServer } from '../../src/server/app.js';
import { createApiKey } from '../../src/server/keys.js';
import { tempStore } from '../helpers/store.js';
import { basic } from '../server/helpers.js';

// Members kept live by a server are stored members: once it stops, the commands that read the stored
// membership (segments list, show, audit) see them as current as of the moment it stopped.
it('after the server stops, a live segment reads as refreshed as of its last recorded moment, with its members', async () => {
  registerAllFields();
  const t = await tempStore();
  try {
    const key = (await createApiKey(t.store, ['write'], 'test')).key;
    await createSegment(t.store, { name: 'pinged', definition: { query: 'performed "Ping"' } });
    const server = await startServer({ store: t.store, port: 0, host: '127.0.0.1' });
    const sent = Date.now();
    const res = await fetch(`${server.url}/v1/track`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: basic(key) },
      body: JSON.stringify({ userId: 'u1', event: 'Ping' }),
    });
    expect(res.status).toBe(200);
    await server.close();
    const [s] = await listSegments(t.store);
    expect(s!.members).toBe(1);
    expect(s!.refreshedAsOf).toBeInstanceOf(Date);
    expect(s!.refreshedAsOf!.getTime()).toBeGreaterThanOrEqual(sent);
    expect(formatList([s!])).toMatch(/^pinged\s+1\s/);
    expect(formatSegment(s!)).toContain('members:     1 as of');
  } finally {
    t.cleanup();
  }
});
