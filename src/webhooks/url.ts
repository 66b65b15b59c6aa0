import { isIP } from 'node:net';
import { figure } from '../domain/words.js';

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
 * - not a link-local address written as an IP (169.254.0.0/16, fe80::/10), nor an IPv6 address
 *   that embeds one (isLinkLocal): that is where cloud machines answer with their own credentials
 *   (169.254.169.254), never a receiver of webhooks; nor a cloud metadata service's address outside
 *   that range (METADATA_SERVICES: EC2's fd00:ec2::254, Alibaba's 100.100.100.200), in any spelling.
 *   Loopback and private addresses stay allowed: a self-hosted receiver often lives beside segmint
 *   (docs/security.md says why and what is not checked).
 */
export function webhookUrlProblem(raw: string): string | undefined {
  if (raw.length > MAX_WEBHOOK_URL) return `the URL has ${figure(raw.length)} characters; a webhook URL has at most ${figure(MAX_WEBHOOK_URL)}`;
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
  const metadata = metadataService(u.hostname);
  if (metadata) return `${u.hostname} is ${metadata}, which answers with the machine's own credentials; never a webhook receiver`;
  return undefined;
}

/**
 * Cloud metadata services at addresses outside 169.254.0.0/16 (those inside it are refused as
 * link-local): the address as 16 IPv6 bytes or 4 IPv4 bytes, and whose it is.
 * - fd00:ec2::254: EC2's instance metadata service over IPv6 (AWS, "Use the Instance Metadata Service
 *   to access instance metadata": the IPv6 endpoint of Nitro instances), a unique-local address;
 * - 100.100.100.200: Alibaba Cloud ECS's metadata service (Alibaba Cloud, "Instance metadata").
 */
const METADATA_SERVICES: readonly { bytes: readonly number[]; whose: string }[] = [
  { bytes: ipv6Bytes('fd00:ec2::254')!, whose: "EC2's instance metadata service (IPv6)" },
  { bytes: [100, 100, 100, 200], whose: "Alibaba Cloud's instance metadata service" },
];

/**
 * Which cloud metadata service a URL's hostname is, written as an IP in any spelling (an IPv6 address
 * embedding the IPv4 one too, as isLinkLocal), or undefined. Host names are not resolved.
 */
function metadataService(hostname: string): string | undefined {
  const host = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  const v4 = isIP(host) === 4 ? [host.split('.').map(Number)] : [];
  const v6 = ipv6Bytes(host);
  const candidates = v6 ? [v6, ...embeddedIPv4s(v6)] : v4;
  const same = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
  const found = METADATA_SERVICES.find((m) => candidates.some((c) => same(c, m.bytes)));
  return found === undefined ? undefined : `the address of ${found.whose}`;
}

/**
 * Whether a URL's hostname is a literal link-local address: 169.254.0.0/16 or fe80::/10, or an IPv6
 * address that carries a 169.254.0.0/16 address inside it (embeddedIPv4s), since on a network that
 * translates those (NAT64, a dual stack) it reaches the IPv4 machine.
 */
function isLinkLocal(hostname: string): boolean {
  const host = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  if (isIP(host) === 4) return host.startsWith('169.254.');
  const bytes = ipv6Bytes(host);
  if (!bytes) return false;
  if (bytes[0] === 0xfe && (bytes[1]! & 0xc0) === 0x80) return true;
  return embeddedIPv4s(bytes).some((v4) => v4[0] === 169 && v4[1] === 254);
}

/**
 * The IPv4 addresses an IPv6 address can stand for, as 4 bytes each:
 * - IPv4-compatible `::a.b.c.d` (RFC 4291 2.5.5.1, deprecated but still routed by some stacks);
 * - IPv4-mapped `::ffff:a.b.c.d` (RFC 4291 2.5.5.2) and IPv4-translated `::ffff:0:a.b.c.d` (RFC 2765);
 * - NAT64's well-known prefix `64:ff9b::/96` (RFC 6052 2.1) and the local-use `64:ff9b:1::/48`
 *   (RFC 8215), where the operator chooses a prefix of 48, 56, 64 or 96 bits, so every layout of
 *   RFC 6052 2.2 that fits is taken (the bits 64–71 are skipped);
 * - 6to4 `2002:AABB:CCDD::/48` (RFC 3056): the relay's IPv4 address;
 * - Teredo `2001:0::/32` (RFC 4380 4): the server (bits 32–63) and the client, stored inverted (96–127).
 */
export function embeddedIPv4s(b: readonly number[]): number[][] {
  const zero = (from: number, to: number): boolean => b.slice(from, to).every((x) => x === 0);
  const at = (...i: number[]): number[] => i.map((k) => b[k]!);
  const tail = at(12, 13, 14, 15);
  const out: number[][] = [];
  if (zero(0, 12)) out.push(tail);
  if (zero(0, 10) && b[10] === 0xff && b[11] === 0xff) out.push(tail);
  if (zero(0, 8) && b[8] === 0xff && b[9] === 0xff && zero(10, 12)) out.push(tail);
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b) {
    if (zero(4, 12)) out.push(tail);
    if (b[4] === 0 && b[5] === 1) out.push(at(6, 7, 9, 10), at(7, 9, 10, 11), at(9, 10, 11, 12), tail);
  }
  if (b[0] === 0x20 && b[1] === 0x02) out.push(at(2, 3, 4, 5));
  if (b[0] === 0x20 && b[1] === 0x01 && b[2] === 0 && b[3] === 0) out.push(at(4, 5, 6, 7), tail.map((x) => x ^ 0xff));
  return out;
}

/** The 16 bytes of an IPv6 address in any spelling (`::` shortening, a dotted IPv4 tail), or undefined. */
export function ipv6Bytes(text: string): number[] | undefined {
  if (isIP(text) !== 6) return undefined;
  let groups = text.split('%')[0]!.toLowerCase();
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(groups);
  if (dotted) {
    const [p, q, r, s] = dotted.slice(1).map(Number) as [number, number, number, number];
    groups = groups.slice(0, dotted.index) + `${((p << 8) | q).toString(16)}:${((r << 8) | s).toString(16)}`;
  }
  const [head, rest] = groups.split('::') as [string, string | undefined];
  const left = head === '' ? [] : head.split(':');
  const right = rest === undefined || rest === '' ? [] : rest.split(':');
  const words = rest === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return words.flatMap((w) => {
    const n = parseInt(w, 16);
    return [n >> 8, n & 0xff];
  });
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
