import type { Command } from 'commander';
import { SegmintError } from '../../domain/errors.js';
import { cliActor } from '../../privacy/audit.js';
import { parseExpiry } from '../../server/key-expiry.js';
import { createApiKey, isExpired, listKeys, revokeKey, type ApiKeyInfo, type KeyKind, type Scope } from '../../server/keys.js';
import { output, withStore } from '../context.js';
import { audited } from './privacy.js';

export function register(program: Command): void {
  const keys = program
    .command('keys')
    .description('API keys for the HTTP API (stored hashed; also under /v1/keys with an admin key)');

  keys
    .command('create')
    .description('Create a key; it is printed once and cannot be shown again')
    .option('--write', 'may send events (the Segment write key)')
    .option('--read', 'may read segments, customers and reports')
    .option('--admin', 'may do everything, including managing keys')
    .option('--name <name>', 'a label to recognise the key by')
    .option('--browser', 'a public key for web pages: its orders are claims that a server key or an import overrides (default for --write alone)')
    .option('--server', 'a secret key for the shop\'s servers: trusted (default for any key with --read or --admin)')
    .option('--expires <when>', 'stop working after a time (90d, 12h, 4w) or at a date/time (UTC)')
    .option('--json', 'print JSON')
    .action(
      async (
        opts: { write?: boolean; read?: boolean; admin?: boolean; name?: string; browser?: boolean; server?: boolean; expires?: string; json?: boolean },
        cmd: Command,
      ) => {
        const scopes: Scope[] = [];
        if (opts.admin) scopes.push('admin');
        if (opts.write) scopes.push('write');
        if (opts.read) scopes.push('read');
        if (opts.server && opts.browser) throw new SegmintError('invalid_option', 'A key is either --browser (public) or --server (secret), not both.');
        const kind: KeyKind | undefined = opts.server ? 'server' : opts.browser ? 'browser' : undefined;
        const expiresAt = opts.expires === undefined ? null : parseExpiry(opts.expires, '--expires');
        const actor = cliActor();
        const k = await withStore(
          cmd,
          (store) =>
            audited(store, actor, 'keys create', async () => {
              const created = await createApiKey(store, scopes, opts.name, kind, expiresAt);
              return { result: created, target: created.keyId, details: { scopes: created.scopes, kind: created.kind } };
            }),
          { create: true },
        );
        const expiry = k.expiresAt?.toISOString() ?? null;
        output(opts.json, { key: k.key, keyId: k.keyId, scopes: k.scopes, kind: k.kind, name: k.name, createdAt: k.createdAt.toISOString(), expiresAt: expiry }, () =>
          [
            `Created ${k.keyId} (${k.kind} key: ${k.scopes.join(', ')})${k.name ? ` "${k.name}"` : ''}${expiry ? `, expires ${expiry}` : ''}.`,
            `Key: ${k.key}`,
            'Keep it now: it is stored hashed and cannot be shown again.',
          ].join('\n'),
        );
      },
    );

  keys
    .command('list')
    .description('List keys (ids, kinds, scopes, expiry, names; never the secrets)')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const list = await withStore(cmd, (store) => listKeys(store));
      output(opts.json, list, () =>
        list.length === 0
          ? 'No keys. Create one with `segmint keys create --write`.'
          : list.map((k) => `${k.keyId}  ${k.kind.padEnd(8)} ${k.scopes.join(',').padEnd(17)} ${keyState(k)}  ${k.name ?? ''}`).join('\n'),
      );
    });

  keys
    .command('revoke <keyId>')
    .description('Revoke a key; requests using it get 401 from then on')
    .option('--json', 'print JSON')
    .action(async (keyId: string, opts: { json?: boolean }, cmd: Command) => {
      const actor = cliActor();
      await withStore(cmd, (store) => audited(store, actor, 'keys revoke', async () => ({ result: await revokeKey(store, keyId), target: keyId })));
      output(opts.json, { revoked: keyId }, () => `Revoked ${keyId}.`);
    });
}

/** revoked, expired, active until…, or active. */
function keyState(k: ApiKeyInfo): string {
  if (k.revokedAt) return `revoked ${k.revokedAt.toISOString()}`;
  if (k.expiresAt && isExpired(k)) return `expired ${k.expiresAt.toISOString()}`;
  return k.expiresAt ? `active until ${k.expiresAt.toISOString()}` : 'active';
}
