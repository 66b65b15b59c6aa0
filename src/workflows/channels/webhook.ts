import { createHmac, timingSafeEqual } from 'node:crypto';
import { SendFailure } from './email/smtp.js';

export const SIGNATURE_HEADER = 'x-segmint-signature';
export const TIMESTAMP_HEADER = 'x-segmint-timestamp';
export const IDEMPOTENCY_HEADER = 'idempotency-key';

/**
 * The signature of a webhook body: `v1=` and the hex HMAC-SHA256, under the shared secret, of
 * `<timestamp>.<body>` (timestamp in Unix seconds, body the exact bytes sent). Signing the timestamp
 * with the body lets a receiver refuse old deliveries replayed later.
 */
export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * What a receiver runs: true when the signature header matches the body and timestamp, and the
 * timestamp is within `toleranceSeconds` of `now`.
 */
export function verifyWebhookSignature(
  secret: string,
  headers: { signature: string | undefined; timestamp: string | undefined },
  body: string,
  now = new Date(),
  toleranceSeconds = 300,
): boolean {
  const ts = Number(headers.timestamp);
  if (!headers.signature || !Number.isInteger(ts)) return false;
  if (Math.abs(now.getTime() / 1000 - ts) > toleranceSeconds) return false;
  const expected = Buffer.from(webhookSignature(secret, ts, body));
  const given = Buffer.from(headers.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/**
 * POSTs a JSON body, signed, with the idempotency key every attempt of the same (run, step) shares.
 * 2xx is success; 408, 429 and 5xx, a timeout or a refused connection are worth a retry; any other
 * answer is final.
 * @throws SendFailure
 */
export async function postWebhook(
  req: { url: string; body: string; secret: string; idempotencyKey: string; headers: Readonly<Record<string, string>>; now: Date; timeoutMs?: number },
): Promise<string> {
  const ts = Math.floor(req.now.getTime() / 1000);
  let res: Response;
  try {
    res = await fetch(req.url, {
      method: 'POST',
      headers: {
        ...req.headers,
        'content-type': 'application/json',
        'user-agent': 'segmint-workflows',
        [IDEMPOTENCY_HEADER]: req.idempotencyKey,
        [TIMESTAMP_HEADER]: String(ts),
        [SIGNATURE_HEADER]: webhookSignature(req.secret, ts, req.body),
      },
      body: req.body,
      signal: AbortSignal.timeout(req.timeoutMs ?? 10_000),
      redirect: 'manual',
    });
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause?.code;
    throw new SendFailure(`no answer from ${req.url}: ${cause ?? (e as Error).message}`, false);
  }
  await res.body?.cancel().catch(() => undefined);
  if (res.status >= 200 && res.status < 300) return `HTTP ${res.status}`;
  const retry = res.status === 408 || res.status === 429 || res.status >= 500;
  throw new SendFailure(`${req.url} answered HTTP ${res.status}`, !retry);
}
