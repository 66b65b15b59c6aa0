import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The one signature scheme of every webhook segmint sends (segment webhooks of the real-time engine and
 * workflow webhook steps), documented for receivers in docs/webhooks.md. It is the scheme Stripe and
 * Standard Webhooks use: HMAC-SHA256 (RFC 2104, FIPS 180-4), keyed with the webhook's secret, over
 * `<timestamp>.<body>`, where timestamp is the Segmint-Timestamp header (Unix seconds) and body the raw
 * request body. Signing the timestamp with the body lets a receiver refuse an old request replayed later.
 */

/** `v1=<lower-case hex of the HMAC>` */
export const SIGNATURE_HEADER = 'segmint-signature';
/** Unix seconds when the attempt was made */
export const TIMESTAMP_HEADER = 'segmint-timestamp';
/** the same on every attempt of one delivery, so a receiver can drop a repeat */
export const IDEMPOTENCY_HEADER = 'idempotency-key';

/** The Segmint-Signature value of a body sent at `timestamp` (Unix seconds): `v1=` and the hex HMAC-SHA256. */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex')}`;
}

/**
 * What a receiver runs: recompute the signature over the bytes received and compare in constant time,
 * and refuse a timestamp more than `toleranceSeconds` (default 300) from `nowSeconds`, its own clock.
 * Returns false for a missing or malformed header.
 */
export function verifyWebhook(
  secret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  body: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const t = Number(headers.timestamp);
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > toleranceSeconds || !headers.signature) return false;
  const expected = Buffer.from(signWebhook(secret, t, body));
  const given = Buffer.from(headers.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
