import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The signature of a webhook POST (the scheme Stripe and Standard Webhooks use): HMAC-SHA256, keyed
 * with the webhook's secret, over `<timestamp>.<body>`, where timestamp is the Segmint-Timestamp header
 * (Unix seconds) and body the raw request body. Sent as `Segmint-Signature: v1=<lower-case hex>`.
 * Signing the timestamp lets a receiver refuse a replayed old request. RFC 2104 (HMAC), FIPS 180-4 (SHA-256).
 */
export function signPayload(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex')}`;
}

/**
 * What a receiver does (docs/realtime.md): recompute the signature and compare in constant time, and
 * refuse a timestamp more than `toleranceSeconds` from its own clock.
 */
export function verifySignature(
  secret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  body: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const t = Number(headers.timestamp);
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > toleranceSeconds || !headers.signature) return false;
  const expected = Buffer.from(signPayload(secret, t, body));
  const given = Buffer.from(headers.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
