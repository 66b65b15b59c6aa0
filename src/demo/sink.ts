import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** The tables the demo fills, in load order. */
export const DEMO_TABLES = ['customers', 'identities', 'events', 'orders', 'order_lines', 'consent'] as const;
export type DemoTable = (typeof DEMO_TABLES)[number];

/**
 * Rows of one chunk, written as tab-separated files with no quoting that the store bulk-loads with
 * read_csv. Every value the demo writes comes from its own word lists or from JSON.stringify, neither
 * of which ever contains a tab or a line break, so no escaping is needed; an empty field is NULL.
 * Each table buffers a few thousand rows before writing, so memory stays flat whatever the chunk size.
 */
export class ChunkFiles {
  private readonly fds = new Map<DemoTable, number>();
  private readonly buffers = new Map<DemoTable, string[]>();
  readonly rows: Record<DemoTable, number> = { customers: 0, identities: 0, events: 0, orders: 0, order_lines: 0, consent: 0 };

  constructor(readonly dir: string, readonly chunk: number) {
    for (const t of DEMO_TABLES) {
      this.fds.set(t, openSync(this.path(t), 'w'));
      this.buffers.set(t, []);
    }
  }

  path(table: DemoTable): string {
    return join(this.dir, `${table}-${this.chunk}.tsv`);
  }

  /** Appends one row (tab-separated fields, without the line break). */
  row(table: DemoTable, line: string): void {
    this.rows[table]++;
    const buf = this.buffers.get(table)!;
    buf.push(line);
    // Joining a batch is much cheaper than growing one string row by row.
    if (buf.length >= 4096) this.flush(table);
  }

  close(): void {
    for (const t of DEMO_TABLES) {
      this.flush(t);
      closeSync(this.fds.get(t)!);
    }
  }

  private flush(table: DemoTable): void {
    const buf = this.buffers.get(table)!;
    if (buf.length === 0) return;
    writeSync(this.fds.get(table)!, buf.join('\n') + '\n');
    buf.length = 0;
  }
}

/** Money in cents as the decimal text the store parses. */
export function money(cents: number): string {
  return (cents / 100).toFixed(2);
}
