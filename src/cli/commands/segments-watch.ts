import type { Command } from 'commander';
import { SegmintError } from '../../domain/errors.js';
import { latestCursor, parseCursor, segmentChanges, type StreamedChange } from '../../realtime/changes.js';
import { cliStdout, servedCommand } from '../context.js';
import { terminalSafe } from '../terminal-text.js';

/**
 * `segmint segments watch NAME`: prints each entry and exit of a segment as it happens, until Ctrl-C.
 * Membership moves only while `segmint serve` runs, so the command is carried out by that server; with
 * --after it first prints what was recorded after that cursor. Ctrl-C ends it with exit 130.
 */
export function registerWatch(segments: Command): void {
  segments
    .command('watch <name>')
    .description('Print entries and exits of a segment as they happen (needs `segmint serve` running on the database)')
    .option('--after <cursor>', 'first print the changes recorded after this cursor (0: from the beginning)')
    .option('--json', 'one JSON object per line')
    .action(async (name: string, opts: { after?: string; json?: boolean }) => {
      const ctx = servedCommand();
      if (!ctx?.engine) {
        throw new SegmintError(
          'watch_needs_server',
          'Segment membership changes only while `segmint serve` runs on this database; start it, then run `segmint segments watch` again (in another terminal).',
        );
      }
      const engine = ctx.engine;
      // Captured now: the engine calls back outside this command's async context, where cliStdout() is the process's.
      const out = cliStdout();
      const print = (c: StreamedChange): void => {
        // escaped as printOut does (terminal-text.ts)
        out.write(terminalSafe(
          opts.json
            ? JSON.stringify({ segment: name, ...c }) + '\n'
            : `${c.at.toISOString()}  ${c.change.padEnd(7)}  ${c.customerId}  (cursor ${c.cursor})\n`,
          ),
        );
      };
      // Subscribe first, so nothing recorded while the backlog is read is missed; print each change once.
      const seen = { last: 0 };
      const queued: StreamedChange[] = [];
      let live = false;
      const unsubscribe = engine.subscribe((c) => {
        if (c.segment !== name) return;
        const s: StreamedChange = { cursor: String(c.seq), customerId: c.customerId, change: c.change, at: c.at, recordedAt: c.recordedAt };
        if (live) emit(s);
        else queued.push(s);
      });
      const emit = (c: StreamedChange): void => {
        if (Number(c.cursor) <= seen.last) return;
        seen.last = Number(c.cursor);
        print(c);
      };
      try {
        const latest = await latestCursor(ctx.store, name);
        if (opts.after !== undefined) {
          let after = parseCursor(opts.after);
          for (;;) {
            const page = await segmentChanges(ctx.store, name, after, 1000);
            page.changes.forEach(emit);
            if (page.changes.length < 1000) break;
            after = Number(page.next);
          }
        } else seen.last = Number(latest.cursor);
        live = true;
        queued.forEach(emit);
        ctx.stderr.write(`watching "${name}" (Ctrl-C to stop)\n`);
        await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
      } finally {
        unsubscribe();
      }
      // Ctrl-C (the CLI's cancel, or its closing the socket) is how a watch ends: exit 130, as cli.md says.
      throw new SegmintError('interrupted', `Stopped watching "${name}" (Ctrl-C).`, { segment: name });
    });
}
