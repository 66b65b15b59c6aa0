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

  // Trial 13, M5: a parser's exception thrown by a route that read a JSON body was answered 400 "aborted:
  // the request was not received whole": a body read to its end leaves Node's request stream destroyed,
  // which the handler took for a client that went away.
  it('answers an exception after a body was read whole as a bug, never as an aborted request', async () => {
    const app = Fastify({ logger: false });
    installErrorHandling(app);
    app.post('/parse', async () => {
      throw new ReferenceError('Excessive alias count indicates a resource exhaustion attack');
    });
    // Over a real socket: injected requests never end their stream the way Node's do.
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const res = await fetch(`${address}/parse`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ source: 'a: 1' }) });
      expect(await res.json()).toEqual({ error: 'internal', message: 'Internal error; it has been logged on the server.' });
      expect(res.status).toBe(500);
    } finally {
      await app.close();
    }
  });
});
