import { createHmac, timingSafeEqual } from 'node:crypto';

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

function sign(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(`unsubscribe\n${payload}`).digest().subarray(0, 16).toString('base64url');
}
