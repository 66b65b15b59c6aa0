import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

/**
 * Trial 8, D8: `config set` on a path with no database said "This command only reads"; a refused
 * `webhook.secret` was shown as `*** (set)`, as if stored.
 */
const dir = mkdtempSync(join(tmpdir(), 'segmint-config-new-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('config on a new database', () => {
  it('config set creates the database, as workflows.md has it set before any import', async () => {
    const db = join(dir, 'new.duckdb');
    expect(await runCli(db, 'config', 'set', 'email.from', 'shop@example.com')).toBe('email.from = shop@example.com\n');
    expect(await runCli(db, 'config', 'get', 'email.from')).toBe('shop@example.com\n');
  });

  it('a refused secret is neither shown nor called set, nothing is stored, and a new file is not left behind', async () => {
    const db = join(dir, 'secret.duckdb');
    const e = (await runCli(db, 'config', 'set', 'webhook.secret', 'wfsecret123').catch((x: unknown) => x)) as Error;
    expect(e.message).toBe('webhook.secret: the value given (11 characters, not shown: it is a secret) must be at least 16 characters; nothing was stored.');
    expect(existsSync(db)).toBe(false);
    await runCli(db, 'config', 'set', 'email.from', 'shop@example.com');
    await expect(runCli(db, 'config', 'set', 'webhook.secret', 'short')).rejects.toThrow(/not shown: it is a secret\) must be at least 16 characters; nothing was stored/);
    expect(await runCli(db, 'config', 'get', 'webhook.secret')).toBe('(unset)\n');
  });

  it('a command that does not create the database does not claim to only read', async () => {
    const e = (await runCli(join(dir, 'missing.duckdb'), 'config', 'unset', 'email.from').catch((x: unknown) => x)) as Error;
    expect(e.message).toMatch(/^There is no segmint database at .*missing\.duckdb, and this command works on an existing one rather than create it/);
    expect(e.message).not.toMatch(/only reads/);
  });
});
