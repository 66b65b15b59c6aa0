import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HTTP_LIMITS } from '../../src/server/limits.js';
import { LIMIT_NAMES, parseLimitOverrides, parseTrustProxy } from '../../src/server/limit-options.js';
import { segmint, startServe } from '../helpers/serve.js';

const dir = mkdtempSync(join(tmpdir(), 'segmint-serve-options-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('segmint serve --limit and --trust-proxy', () => {
  it('reads every limit by its kebab-case name, and refuses unknown names and bad values naming the setting', () => {
    expect(LIMIT_NAMES).toHaveLength(Object.keys(HTTP_LIMITS).length);
    expect(LIMIT_NAMES).toContain('requests-per-address');
    expect(parseLimitOverrides(['requests-per-address=5000', 'database-memory=2GB', 'requests-per-address=6000'])).toEqual({
      requestsPerAddress: 6000,
      databaseMemory: '2GB',
    });
    expect(() => parseLimitOverrides(['request-per-adress=5'])).toThrow(/--limit "request-per-adress=5": no limit is named "request-per-adress"; the limits are .*requests-per-address/);
    expect(() => parseLimitOverrides(['json-depth'])).toThrow(/give a value, as in --limit json-depth=128/);
    for (const bad of ['0', '-3', '1.5', '1e3', 'lots', '']) {
      expect(() => parseLimitOverrides([`json-depth=${bad}`])).toThrow(/json-depth is a whole number above 0 \(default 128\)/);
    }
    expect(() => parseLimitOverrides(['database-memory=lots'])).toThrow(/a size such as 512MB/);
    expect(parseTrustProxy('true')).toBe(true);
    expect(parseTrustProxy('10.0.0.1, 192.168.0.0/16')).toEqual(['10.0.0.1', '192.168.0.0/16']);
    expect(() => parseTrustProxy(' , ')).toThrow(/--trust-proxy takes true/);
  });

  it('a bad setting stops the command before it opens the database, exit 2', async () => {
    const r = await segmint(['--db', join(dir, 'bad.duckdb'), 'serve', '--port', '0', '--limit', 'nope=1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^segmint: --limit "nope=1": no limit is named "nope"/);
  });

  it('behind a trusted proxy, the per-address rate limit counts each client of X-Forwarded-For, not the proxy', async () => {
    const db = join(dir, 'proxy.duckdb');
    const { child, url, stderr } = await startServe(db, ['--limit', 'requests-per-address=3', '--trust-proxy', '127.0.0.1']);
    try {
      // the dashboard's address is printed beside the API's (on stderr: stdout carries only the address)
      await expect.poll(() => stderr()).toContain(`dashboard: ${url}/`);
      const from = (client: string) => fetch(`${url}/health`, { headers: { 'x-forwarded-for': client } }).then((r) => r.status);
      const first = [await from('203.0.113.7'), await from('203.0.113.7'), await from('203.0.113.7'), await from('203.0.113.7')];
      expect(first).toEqual([200, 200, 200, 429]);
      // another client behind the same proxy has its own allowance
      expect(await from('198.51.100.2')).toBe(200);
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  });
});
