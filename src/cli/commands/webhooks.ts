import type { Command } from 'commander';
import { alignColumns } from '../../analytics/format/table.js';
import { intOption } from '../../segments/manage/input.js';
import { addWebhook, DELIVERIES_PAGE_MAX, deliveries, removeWebhook, webhooks, type Delivery, type WebhookEvents } from '../../realtime/webhooks/manage.js';
import { output, withStore } from '../context.js';

const iso = (d: Date | null): string => (d ? d.toISOString() : '—');

export function register(program: Command): void {
  const wh = program
    .command('webhooks')
    .description('POST segment entries and exits to your URLs, signed with HMAC-SHA256 (sent by `segmint serve`; docs/realtime.md)');

  wh.command('add <segment> <url>')
    .description('Send every entry and/or exit of a segment to a URL; prints the signing secret once')
    .option('--on <which>', 'entered, exited or both', 'both')
    .option('--secret <secret>', 'the signing secret (at least 16 characters); made when absent')
    .option('--json', 'print JSON')
    .action(async (segment: string, url: string, opts: { on: string; secret?: string; json?: boolean }, cmd: Command) => {
      await withStore(cmd, async (store) => {
        const w = await addWebhook(store, { segment, url, on: opts.on as WebhookEvents, ...(opts.secret !== undefined ? { secret: opts.secret } : {}) });
        output(opts.json, w, () =>
          [
            `Added ${w.id}: ${w.on === 'both' ? 'entries and exits' : w.on === 'entered' ? 'entries' : 'exits'} of "${w.segment}" → ${w.url}`,
            `Signing secret: ${w.secret}`,
            'Keep it: receivers verify Segmint-Signature with it (docs/webhooks.md). It is not shown in full again.',
          ].join('\n'),
        );
      });
    });

  wh.command('list')
    .description('List webhooks')
    .option('--segment <name>', 'only this segment')
    .option('--json', 'print JSON')
    .action(async (opts: { segment?: string; json?: boolean }, cmd: Command) => {
      await withStore(cmd, async (store) => {
        const list = await webhooks(store, opts.segment);
        output(opts.json, list, () =>
          list.length === 0
            ? 'No webhooks. Add one with `segmint webhooks add SEGMENT URL`.'
            : alignColumns(list.map((w) => [w.id, w.segment ?? '(deleted segment)', w.on, w.url])).join('\n'),
        );
      });
    });

  wh.command('remove <id>')
    .description('Remove a webhook and its deliveries not made yet')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { json?: boolean }, cmd: Command) => {
      await withStore(cmd, (store) => removeWebhook(store, id));
      output(opts.json, { removed: id }, () => `Removed ${id}.`);
    });

  wh.command('deliveries')
    .description('Deliveries, newest first: pending (with the next attempt), delivered, or failed (no success within 24 hours of the delivery being recorded)')
    .option('--webhook <id>', 'only this webhook')
    .option('--status <status>', 'pending, delivered or failed')
    .option('--limit <n>', 'at most this many', '50')
    .option('--json', 'print JSON')
    .action(async (opts: { webhook?: string; status?: string; limit: string; json?: boolean }, cmd: Command) => {
      await withStore(cmd, async (store) => {
        const list = await deliveries(store, {
          ...(opts.webhook !== undefined ? { webhook: opts.webhook } : {}),
          ...(opts.status !== undefined ? { status: opts.status } : {}),
          limit: intOption(opts.limit, '--limit', 1, DELIVERIES_PAGE_MAX)!,
        });
        output(opts.json, list, () => (list.length === 0 ? 'No deliveries.' : list.map(formatDelivery).join('\n')));
      });
    });
}

function formatDelivery(d: Delivery): string {
  const state =
    d.status === 'delivered'
      ? `delivered ${iso(d.deliveredAt)}`
      : d.status === 'failed'
        ? `FAILED after ${d.attempts} attempts (last: ${d.lastError ?? '?'})`
        : d.waitingFor !== null
          ? `pending, waiting for ${d.waitingFor} (an earlier change of this customer goes first)${d.lastError ? ` (last: ${d.lastError})` : ''}`
          : `pending, attempt ${d.attempts + 1} at ${iso(d.nextAttemptAt)}${d.lastError ? ` (last: ${d.lastError})` : ''}`;
  return `${d.id}  ${d.webhookId}  ${d.segment ?? '?'}  ${d.change.padEnd(7)} ${d.customerId}  at ${iso(d.at)}  ${state}`;
}
