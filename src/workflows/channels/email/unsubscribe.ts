import { createHmac, timingSafeEqual } from 'node:crypto';
import { unsubscribeSecret } from '../../../config/settings.js';
import type { Queryable } from '../../../store/db.js';

/** Who an unsubscribe link is for, and which email carried it. */
export interface UnsubscribeClaim {
  readonly customerId: string;
  readonly runId: string;
  readonly stepId: string;
}

/**
 * The token of an unsubscribe link: the claim in base64url, a dot, and an HMAC-SHA256 of it (128 bits)
 * under the workspace's unsubscribe key, so a link can only be made by this server and only
 * unsubscribes the customer it was sent to.
 */
export function unsubscribeToken(secret: string, c: UnsubscribeClaim): string {
  const payload = Buffer.from([c.customerId, c.runId, c.stepId].join('\n'), 'utf8').toString('base64url');
  return `${payload}.${sign(secret, payload)}`;
}

/** The claim of a token made with this secret, or undefined when it is malformed or forged. */
export function verifyUnsubscribeToken(secret: string, token: string): UnsubscribeClaim | undefined {
  const [payload, sig, extra] = token.split('.');
  if (!payload || !sig || extra !== undefined) return undefined;
  const expected = Buffer.from(sign(secret, payload));
  const given = Buffer.from(sig);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  const parts = Buffer.from(payload, 'base64url').toString('utf8').split('\n');
  if (parts.length !== 3 || parts.some((p) => p === '')) return undefined;
  return { customerId: parts[0]!, runId: parts[1]!, stepId: parts[2]! };
}

export function unsubscribeUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/v1/unsubscribe?token=${token}`;
}

/** Where links point when neither server.public_url nor a listening server says: `segmint serve`'s default address. */
export const DEFAULT_LINK_BASE = 'http://127.0.0.1:3000';

/**
 * Where an address a server listens on is reached from this machine: a wildcard host (0.0.0.0, [::])
 * becomes 127.0.0.1; any other address is kept. `http://0.0.0.0:3813` → `http://127.0.0.1:3813`.
 */
export function reachableUrl(listening: string): string {
  return listening.replace(/^(https?:\/\/)(0\.0\.0\.0|\[::\])(?=[:/]|$)/, '$1127.0.0.1');
}

/**
 * The unsubscribe link of one email, the one function both the sends (engine/deliver.ts) and the
 * previews (manage/preview.ts) build it with (docs/workflows.md, "Unsubscribe"): on `publicUrl` (the
 * server.public_url setting) when set, else on the address the server listens on (`listening`, when a
 * server runs: the engine's own, or the server carrying out a CLI command), else DEFAULT_LINK_BASE; the
 * token signs `claim` with the workspace's unsubscribe key as of `now`.
 */
export async function unsubscribeLink(
  db: Queryable,
  base: { readonly publicUrl: string | undefined; readonly listening: string | undefined },
  claim: UnsubscribeClaim,
  now: Date,
  secret: SecretOf = (at) => unsubscribeSecret(db, at),
): Promise<string> {
  const url = base.publicUrl ?? (base.listening !== undefined ? reachableUrl(base.listening) : DEFAULT_LINK_BASE);
  return unsubscribeUrl(url, unsubscribeToken(await secret(now), claim));
}

/** Gives the workspace's unsubscribe key (unsubscribeSecret; `now` dates it if this call makes it). */
export type SecretOf = (now: Date) => Promise<string>;

/**
 * The unsubscribe key (unsubscribeSecret: made on first use, dated `now`) read from the store on the
 * first call and remembered for the calls after it: the engine keeps one for its store, so its emails
 * read the key once instead of once per email. Exact, not a cache that can go stale: the key is written
 * once (writeSettingOnce) and never changed or removed (it is no `segmint config` key), so every later
 * read would give the same value. A failed read is not remembered.
 */
export function unsubscribeSecretOnce(db: Queryable): SecretOf {
  let secret: Promise<string> | undefined;
  return (now) =>
    (secret ??= unsubscribeSecret(db, now).catch((e: unknown) => {
      secret = undefined;
      throw e;
    }));
}

function sign(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(`unsubscribe\n${payload}`).digest().subarray(0, 16).toString('base64url');
}
