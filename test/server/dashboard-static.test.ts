import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { tempStore } from '../helpers/store.js';

/** The dashboard's files are served at / from a build folder (here a tiny stand-in named by SEGMINT_WEB_DIR). */
describe('serving the dashboard', () => {
  let web: string;
  let app: FastifyInstance;
  let cleanup: () => void;
  const script = `console.log(${JSON.stringify('x'.repeat(4000))});`;

  beforeAll(async () => {
    web = mkdtempSync(join(tmpdir(), 'segmint-web-'));
    mkdirSync(join(web, 'assets'));
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>segmint</title><script type="module" src="./assets/app-abc123.js"></script>');
    writeFileSync(join(web, 'assets', 'app-abc123.js'), script);
    writeFileSync(join(web, 'secret.duckdb'), 'not a web file');
    process.env.SEGMINT_WEB_DIR = web;
    const t = await tempStore();
    cleanup = t.cleanup;
    app = await buildApp({ store: t.store });
  });
  afterAll(async () => {
    await app.close();
    cleanup();
    rmSync(web, { recursive: true, force: true });
    delete process.env.SEGMINT_WEB_DIR;
  });

  it('serves index.html at / without a key, revalidated on every load, under a strict content policy', async () => {
    const res = await app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.body).toContain('<title>segmint</title>');
  });

  it('serves hashed assets for a year, gzipped to browsers that accept it', async () => {
    const plain = await app.inject({ method: 'GET', url: '/assets/app-abc123.js' });
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['cache-control']).toContain('immutable');
    expect(plain.body).toBe(script);
    const zipped = await app.inject({ method: 'GET', url: '/assets/app-abc123.js', headers: { 'accept-encoding': 'gzip, br' } });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(zipped.rawPayload).toString('utf8')).toBe(script);
    expect(zipped.rawPayload.length).toBeLessThan(script.length / 10);
  });

  it('serves nothing but the build: other files, traversal and unknown paths are 404 in the API error shape', async () => {
    for (const url of ['/secret.duckdb', '/assets/../secret.duckdb', '/assets/%2e%2e/index.html', '/assets/nope.js', '/v1/nope']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json().error, url).toBe('not_found');
    }
  });

  it('keeps the API beside it', async () => {
    expect((await app.inject({ method: 'GET', url: '/health' })).json()).toEqual({ ok: true });
    expect((await app.inject({ method: 'GET', url: '/v1/me' })).statusCode).toBe(401);
  });
});
