import { attemptFailure } from './failure.js';
import { IDEMPOTENCY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, signWebhook } from './signature.js';

/** One attempt to deliver a webhook. */
export interface WebhookRequest {
  readonly url: string;
  /** the JSON body, exactly the bytes signed and sent */
  readonly body: string;
  readonly secret: string;
  /** the same on every attempt of one delivery (Idempotency-Key) */
  readonly idempotencyKey: string;
  /** when the attempt is made, in ms since the epoch (the signed timestamp is its Unix seconds) */
  readonly nowMs: number;
  /** the sender, e.g. `segmint-webhooks` or `segmint-workflows` */
  readonly userAgent: string;
  /** extra headers (a workflow step's own); the signature headers always win */
  readonly headers?: Readonly<Record<string, string>>;
  /** how long the attempt may take, in ms (default 10 s) */
  readonly timeoutMs?: number;
}

/** How an attempt went. `retryable` says whether another attempt could go differently. */
export type WebhookOutcome =
  | { readonly ok: true; readonly status: number }
  | { readonly ok: false; readonly status?: number; readonly error: string; readonly retryable: boolean };

/**
 * POSTs a signed webhook (docs/webhooks.md): JSON body, Segmint-Timestamp, Segmint-Signature and
 * Idempotency-Key headers, no redirects followed. Never throws: a 2xx answer is `ok`; 408, 429 and 5xx,
 * a timeout and a refused or broken connection are failures worth a retry; any other answer (a 3xx, a
 * 4xx such as 404) is a failure another attempt would repeat. Each sender keeps its own retry schedule
 * and its own record of attempts (real-time deliveries, workflow sends).
 */
export async function postWebhook(req: WebhookRequest): Promise<WebhookOutcome> {
  const timestamp = Math.floor(req.nowMs / 1000);
  const timeoutMs = req.timeoutMs ?? 10_000;
  let status: number;
  try {
    const res = await fetch(req.url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
      headers: {
        ...ownHeaders(req.headers),
        'content-type': 'application/json',
        'user-agent': req.userAgent,
        [IDEMPOTENCY_HEADER]: req.idempotencyKey,
        [TIMESTAMP_HEADER]: String(timestamp),
        [SIGNATURE_HEADER]: signWebhook(req.secret, timestamp, req.body),
      },
      body: req.body,
    });
    status = res.status;
    await res.body?.cancel().catch(() => undefined);
  } catch (e) {
    // In words, not the HTTP library's codes (attemptFailure): the same for every sender.
    return { ok: false, error: attemptFailure(e, req.url, timeoutMs), retryable: true };
  }
  if (status >= 200 && status < 300) return { ok: true, status };
  return { ok: false, status, error: `HTTP ${status}`, retryable: status === 408 || status === 429 || status >= 500 };
}

const RESERVED = new Set(['content-type', 'user-agent', IDEMPOTENCY_HEADER, TIMESTAMP_HEADER, SIGNATURE_HEADER]);

/** A sender's extra headers without any that would clash with the signed ones, whatever their case. */
function ownHeaders(headers: Readonly<Record<string, string>> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).filter(([k]) => !RESERVED.has(k.toLowerCase())));
}
