import { postWebhook } from '../../webhooks/post.js';
import { SendFailure } from './email/smtp.js';

/**
 * A webhook step's POST: the run's context as JSON, signed and sent by postWebhook (src/webhooks/, the
 * scheme every segmint webhook shares, docs/webhooks.md), with the idempotency key every attempt of the
 * same (run, step) shares. Returns a short note of the answer (`HTTP 200`).
 * @throws SendFailure for any other answer: permanent unless another attempt could go differently
 *   (408, 429, 5xx, a timeout, a refused connection), so the engine's retry schedule decides
 */
export async function sendWorkflowWebhook(
  req: { url: string; body: string; secret: string; idempotencyKey: string; headers: Readonly<Record<string, string>>; now: Date; timeoutMs?: number },
): Promise<string> {
  const outcome = await postWebhook({
    url: req.url,
    body: req.body,
    secret: req.secret,
    idempotencyKey: req.idempotencyKey,
    nowMs: req.now.getTime(),
    userAgent: 'segmint-workflows',
    headers: req.headers,
    ...(req.timeoutMs !== undefined ? { timeoutMs: req.timeoutMs } : {}),
  });
  if (outcome.ok) return `HTTP ${outcome.status}`;
  throw new SendFailure(`${req.url}: ${outcome.error}`, !outcome.retryable);
}
