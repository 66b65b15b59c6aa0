import type { Command } from 'commander';
import { displayWidth, padEndDisplay } from '../../domain/display-width.js';
import { grouped } from '../../domain/words.js';
import type { EngineStatus } from '../../realtime/index.js';
import { deliveryCounts } from '../../realtime/webhooks/manage.js';
import { resolveDbPath } from '../../store/paths.js';
import { listSegmentRecords } from '../../store/queries/segments/definitions.js';
import { globalOptions, output, servedCommand, withStore } from '../context.js';

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export function register(program: Command): void {
  program
    .command('status')
    .description('Is a server running on this database; which segments it keeps live (and which not, and why); memory used')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const ctx = servedCommand();
      const db = resolveDbPath(globalOptions(cmd).db);
      await withStore(cmd, async (store) => {
        const webhooks = await deliveryCounts(store);
        if (!ctx?.engine) {
          const segments = (await listSegmentRecords(store)).length;
          output(opts.json, { served: false, db, segments, webhooks }, () =>
            `No server is running on ${db}: its ${segments === 1 ? '1 segment changes' : `${segments} segments change`} only with \`segmint segments refresh\`. ` +
              'Start `segmint serve` to keep them live.',
          );
          return;
        }
        const status = ctx.engine.status();
        const server = { pid: ctx.server.pid, url: ctx.server.url, startedAt: ctx.server.startedAt };
        output(opts.json, { served: true, db, server, realtime: status, webhooks }, () => formatStatus(db, server, status, webhooks));
      });
    });
}

function formatStatus(db: string, server: { pid: number; url: string; startedAt: Date }, s: EngineStatus, webhooks: { pending: number; failed: number; delivered: number }): string {
  const lines = [
    `${db} is served by segmint serve (PID ${server.pid}) at ${server.url} since ${server.startedAt.toISOString()}`,
    `real time: ${s.segments.length} segment${s.segments.length === 1 ? '' : 's'} kept live over ${grouped(s.customers)} customers; every change recorded up to ${s.watermark?.toISOString() ?? '—'}`,
  ];
  // Names padded in terminal columns (a name with CJK or an emoji is wider than its length), at least 24.
  const width = Math.max(24, ...[...s.segments, ...s.refused].map((x) => displayWidth(x.name)));
  for (const seg of s.segments) lines.push(`  ${padEndDisplay(seg.name, width)} ${grouped(seg.members).padStart(9)} members  ${grouped(seg.heldEvents)} events held`);
  for (const r of s.refused) lines.push(`  ${padEndDisplay(r.name, width)} ${r.reason}`);
  if (s.nextChangeAt) lines.push(`next time-based change due at ${s.nextChangeAt.toISOString()}`);
  lines.push(
    `memory: ${mb(s.memory.stateBytes)} of state (≈ ${s.memory.bytesPerCustomer} bytes per customer, ${grouped(s.memory.heldEvents)} events held); ` +
      `process heap ${mb(s.memory.heapUsed)}, resident ${mb(s.memory.rss)}`,
    `webhooks: ${webhooks.pending} pending, ${webhooks.failed} failed, ${webhooks.delivered} delivered`,
  );
  return lines.join('\n');
}
