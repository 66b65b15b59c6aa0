import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { SegmintError } from '../../src/domain/errors.js';
import { installErrorHandling } from '../../src/server/errors.js';

describe('the HTTP error handler', () => {
  it('maps user errors to their status, hides bugs behind a logged 500, and answers unknown routes with 404', async () => {
    const logged: unknown[] = [];
    const app = Fastify({ logger: { level: 'error', stream: { write: (line: string) => void logged.push(JSON.parse(line)) } } });
    installErrorHandling(app);
    app.get('/user', async () => {
      throw new SegmintError('segment_not_found', 'No segment named "vip".', { name: 'vip' }, 404);
    });
    app.get('/bug', async () => {
      throw new TypeError('cannot read properties of undefined');
    });
    await app.ready();

    const user = await app.inject({ method: 'GET', url: '/user' });
    expect(user.statusCode).toBe(404);
    expect(user.json()).toEqual({ error: 'segment_not_found', message: 'No segment named "vip".', details: { name: 'vip' } });

    const bug = await app.inject({ method: 'GET', url: '/bug' });
    expect(bug.statusCode).toBe(500);
    expect(bug.json()).toEqual({ error: 'internal', message: 'Internal error; it has been logged on the server.' });
    expect(JSON.stringify(bug.json())).not.toContain('undefined');
    expect(logged).toEqual([expect.objectContaining({ msg: 'unhandled error', err: expect.objectContaining({ message: 'cannot read properties of undefined' }) })]);

    const missing = await app.inject({ method: 'GET', url: '/nowhere' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error: 'not_found', message: 'No route GET /nowhere; the routes are listed at GET /openapi.json.' });
    await app.close();
  });
});
