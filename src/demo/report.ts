import type { DemoResult } from './generate.js';
import { countOf } from '../domain/words.js';
import type { DemoOptions } from './options.js';

const n = (x: number) => x.toLocaleString('en-US');
const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : '-');

export interface NextSteps {
  /** `--db <path>` to repeat in every suggested command, when the user gave one. */
  dbFlag: string;
  /** Base URL of the running server; undefined with --no-serve. */
  url?: string;
  /** A customer id from the data worth looking at. */
  customerId?: string;
  email?: string | null;
  userId?: string | null;
  /** The dashboard's address with this run's admin key in it, when serving. */
  dashboard?: string;
}

/** The suggested segment: people who started a checkout in the last 30 days and did not order within the hour. */
export function abandonQuery(): string {
  return 'performed "Checkout Started" within 30d then not "Order Completed" within 1h';
}

/** What `segmint demo` prints: the shop in numbers, the write and admin keys, and what to try next. */
export function demoText(path: string, o: DemoOptions, r: DemoResult, next: NextSteps): string {
  const c = r.counts;
  const lines = [
    r.alreadyLoaded
      ? `The demo shop is already in ${path} (seed ${o.seed}): nothing to generate.`
      : `Demo shop generated into ${path} in ${(r.totalMs / 1000).toFixed(1)} s (seed ${o.seed}).`,
    `  period               ${day(c.first_event_at)} to ${day(c.last_event_at)} (${o.days} days ending ${day(o.end)})`,
    `  people               ${n(c.customers)}: ${n(c.identified)} identified, ${countOf(c.anonymous_only, 'anonymous-only visitor')}`,
    `  buyers               ${n(c.buyers)} (${n(c.repeat_buyers)} bought more than once)`,
    `  orders               ${n(c.orders)} with ${countOf(c.order_lines, 'line')}, ${countOf(c.refunds, 'refund')}; net revenue EUR ${c.net_revenue.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`,
    `  events               ${n(c.events)} (${(c.events / Math.max(1, c.customers)).toFixed(1)} per person), ${countOf(c.abandoned_checkouts, 'abandoned checkout')}`,
    `  email consent        ${n(c.email_consent_granted)} granted of ${n(c.email_consent_asked)} asked`,
    `  write key            ${r.key.key}`,
    '                       (scope write: send events; derived from the seed, so only for trying the API on this machine)',
    `  admin key            ${r.adminKey.key}`,
    '                       (scope admin: segments and keys; made for this database; revoke both before serving beyond this machine)',
    '',
  ];
  const db = next.dbFlag;
  const asOf = day(o.end);
  // `segmint` is not on the PATH after `npm ci`; `npx segmint` runs this project's command from its folder.
  const cli = [
    `${CLI}${db} customers stats`,
    next.customerId ? `${CLI}${db} customers show ${next.customerId}${next.email ? `     # or by email: ${next.email}` : ''}` : undefined,
    `${CLI}${db} quality`,
    `${CLI}${db} rfm`,
    `${CLI}${db} segments preview --as-of ${asOf} --query '${abandonQuery()}'`,
  ].filter((x): x is string => x !== undefined);
  if (next.url) {
    if (next.dashboard) {
      lines.push(`Dashboard: ${next.dashboard}`);
      lines.push('           (open it in a browser: the link signs you in with the admin key above)', '');
    }
    lines.push(`Server listening on ${next.url} (Ctrl-C stops it). Send an event, and count a segment, while it runs:`);
    lines.push(`  ${curlTrack(next.url, r.key.key, next.userId)}`);
    lines.push(`  ${curlPreview(next.url, r.adminKey.key, asOf)}`);
    lines.push('', 'While it runs, try in another terminal, in this folder (the server carries the commands out and keeps segments live):');
  } else {
    lines.push('Try next, in this folder:');
  }
  for (const c of cli) lines.push(`  ${c}`);
  if (!next.url) {
    lines.push(`  ${CLI}${db} serve   # then, while it runs:`);
    lines.push(`    ${curlTrack('http://127.0.0.1:3000', r.key.key, next.userId)}`);
    lines.push(`    ${curlPreview('http://127.0.0.1:3000', r.adminKey.key, asOf)}`);
  }
  return lines.join('\n');
}

/** How the next steps call segmint: through npx, which finds this project's command after `npm ci`. */
export const CLI = 'npx segmint';

/** A Segment-style track call authenticated with the write key (HTTP Basic, key as user name). */
export function curlTrack(url: string, key: string, userId?: string | null): string {
  const body = JSON.stringify({ userId: userId ?? 'demo-user', event: 'Product Viewed', properties: { product_id: 'SKU-1001' } });
  return `curl -u '${key}:' -H 'Content-Type: application/json' -d '${body}' ${url}/v1/track`;
}

/** A segment preview through the HTTP API, authenticated with the admin key. */
export function curlPreview(url: string, adminKey: string, asOf: string): string {
  const body = JSON.stringify({ query: 'orders_count >= 3 and total_spent > 500', asOf });
  return `curl -u '${adminKey}:' -H 'Content-Type: application/json' -d '${body}' ${url}/v1/segments/preview`;
}
