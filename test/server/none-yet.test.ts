import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, testServer, type TestServer } from './helpers.js';

/**
 * Trial 7, D12: the dashboard's Predict page logged a failed request (404) before any prediction existed.
 * A GET may ask (Prefer: none-yet, RFC 7240) to hear "nothing computed yet" as 204 with the code in a header.
 */
describe('"none yet" as an answer (the dashboard asks with Prefer: none-yet)', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await testServer(['read']);
  });
  afterAll(async () => s.cleanup());

  it('answers 204 naming the code when asked, and the documented 404 otherwise', async () => {
    for (const [url, code] of [
      ['/v1/clv/predictions', 'clv_not_predicted'],
      ['/v1/rfm/grid', 'rfm_not_saved'],
      ['/v1/clusters', 'clusters_not_saved'],
    ] as const) {
      const plain = await s.app.inject({ method: 'GET', url, headers: { authorization: basic(s.key) } });
      expect(plain.statusCode, url).toBe(404);
      expect(plain.json()).toMatchObject({ error: code });
      const asked = await s.app.inject({ method: 'GET', url, headers: { authorization: basic(s.key), prefer: 'respond-async, none-yet' } });
      expect(asked.statusCode, url).toBe(204);
      expect(asked.body).toBe('');
      expect(asked.headers['preference-applied']).toBe('none-yet');
      expect(asked.headers['segmint-none-yet']).toBe(code);
      expect(decodeURIComponent(String(asked.headers['segmint-none-yet-message']))).toBe((plain.json() as { message: string }).message);
    }
    // a 404 that means "no such thing" stays a 404
    const missing = await s.app.inject({ method: 'GET', url: '/v1/segments/nope', headers: { authorization: basic(s.key), prefer: 'none-yet' } });
    expect(missing.statusCode).toBe(404);
  });
});
