import { figure } from '../domain/words.js';

/** What fetch threw, as far as these words read it: the error and the cause undici gives it. */
interface Thrown {
  readonly name?: unknown;
  readonly message?: unknown;
  readonly code?: unknown;
  readonly cause?: Thrown;
}

/** Node's codes of a connection the other side ended or broke before a whole answer came. */
const CLOSED = new Set(['UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ECONNRESET', 'EPIPE', 'ECONNABORTED']);

/** Node's codes of a certificate the receiver showed and this machine does not trust (OpenSSL's names). */
const CERTIFICATE = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ALTNAME/;

/**
 * A failed HTTP attempt in words a shop owner can act on, for every sender of webhooks (segment
 * webhooks and workflow webhook steps, through postWebhook): what happened and where, instead of the HTTP
 * library's codes (trial 11, C5: `no answer: UND_ERR_SOCKET`, `The operation was aborted due to
 * timeout`). `e` is what fetch threw, `url` the address tried, `timeoutMs` the time the attempt was
 * given. An error this does not know keeps its own message (the first line), with its code when it has one.
 */
export function attemptFailure(e: unknown, url: string, timeoutMs: number): string {
  const err = (e ?? {}) as Thrown;
  const cause = err.cause ?? {};
  const code = typeof cause.code === 'string' ? cause.code : typeof err.code === 'string' ? err.code : undefined;
  const where = place(url);
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return `no answer within ${figure(timeoutMs / 1000)} s`;
  if (code === undefined) return `the request could not be sent: ${text(cause.message) ?? text(err.message) ?? 'no reason given'}`;
  if (CLOSED.has(code)) return 'the receiver closed the connection before answering';
  if (code === 'ECONNREFUSED') return `connection refused by ${where.hostPort}: nothing listens there`;
  if (code === 'ENOTFOUND') return `DNS name not found: ${where.host}`;
  if (code === 'EAI_AGAIN') return `the DNS lookup of ${where.host} failed for now (no answer from the name server)`;
  if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') return `could not connect to ${where.hostPort}: no answer to the connection`;
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return `${where.host} cannot be reached from this machine (no network route)`;
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') return 'the receiver took too long to answer';
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'EPROTO') return `TLS error: ${where.hostPort} does not answer in TLS (an http:// receiver given as https://?)`;
  if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || CERTIFICATE.test(code)) {
    return `TLS error: the certificate of ${where.host} is not trusted (${text(cause.message) ?? code})`;
  }
  return `the request failed: ${text(cause.message) ?? text(err.message) ?? 'no reason given'} (${code})`;
}

/** The first line of a message, when there is one (OpenSSL's are several lines of its internals). */
function text(m: unknown): string | undefined {
  if (typeof m !== 'string' || m.trim() === '') return undefined;
  return m.split('\n')[0]!.trim();
}

/** The host, and host:port, of the address tried (the port its scheme implies when none is written). */
function place(url: string): { host: string; hostPort: string } {
  try {
    const u = new URL(url);
    const port = u.port || (u.protocol === 'https:' ? '443' : '80');
    return { host: u.hostname, hostPort: `${u.hostname}:${port}` };
  } catch {
    return { host: url, hostPort: url };
  }
}
