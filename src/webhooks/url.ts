import { isIP } from 'node:net';

/** The longest webhook URL accepted: longer ones are refused by common servers (HTTP 414/431) anyway. */
export const MAX_WEBHOOK_URL = 2048;

/**
 * Why `raw` can never be a webhook's address, or undefined when it can: one sentence naming the
 * problem. Used where a webhook is added (segment webhooks) and where a workflow's webhook step is
 * saved, so an address that could never be delivered is refused at once rather than retried for a day.
 * - http:// or https:// only, with a host;
 * - no user name or password in it: fetch refuses such a URL, and it would be printed in listings
 *   (send credentials as a header of a workflow webhook step, or check the signature instead);
 * - at most MAX_WEBHOOK_URL characters;
 * - not a link-local address written as an IP (169.254.0.0/16, fe80::/10): that is where cloud
 *   machines answer with their own credentials (169.254.169.254), never a receiver of webhooks.
 *   Loopback and private addresses stay allowed: a self-hosted receiver often lives beside segmint
 *   (docs/security.md says why and what is not checked).
 */
export function webhookUrlProblem(raw: string): string | undefined {
  if (raw.length > MAX_WEBHOOK_URL) return `the URL has ${raw.length} characters; a webhook URL has at most ${MAX_WEBHOOK_URL}`;
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return `"${raw}" is not a URL; give one such as https://example.com/hooks/segmint`;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return `a webhook URL must start with http:// or https://, not ${u.protocol}`;
  if (u.hostname === '') return `"${raw}" names no host; give one such as https://example.com/hooks/segmint`;
  if (u.username !== '' || u.password !== '') {
    return 'a webhook URL cannot hold a user name or password (user:password@): it could not be sent, and it would be shown in listings; check the Segmint-Signature header instead';
  }
  if (isLinkLocal(u.hostname)) return `${u.hostname} is a link-local address (where a cloud machine's metadata service answers), never a webhook receiver`;
  return undefined;
}

/** Whether a URL's hostname is a literal link-local address: 169.254.0.0/16 or fe80::/10. */
function isLinkLocal(hostname: string): boolean {
  const host = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  if (isIP(host) === 4) return host.startsWith('169.254.');
  if (isIP(host) === 6) {
    // IPv4 written in IPv6 (::ffff:169.254.169.254 is normalised by URL to ::ffff:a9fe:a9fe)
    if (/^::ffff:a9fe:/i.test(host)) return true;
    return /^fe[89ab][0-9a-f]:/i.test(host);
  }
  return false;
}

/**
 * A URL as it may be printed: a user name kept, a password replaced by ***. For webhooks saved before
 * credentials were refused.
 */
export function printableUrl(raw: string): string {
  try {
    const u = new URL(raw);
    if (u.password === '') return raw;
    u.password = '***';
    return u.toString();
  } catch {
    return raw;
  }
}
