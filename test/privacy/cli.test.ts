import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { shopifyShop } from '../helpers/shopify-shop.js';

let t: Awaited<ReturnType<typeof shopifyShop>>;

beforeAll(async () => {
  t = await shopifyShop([['jane-watch', "name = 'Jane Doe' or email = 'jane@example.com'"]]);
}, 120_000);

afterAll(() => t.cleanup());

describe('segmint customers export / erase / audit', () => {
  it('exports everything about a person to a file only its owner can read, with segment explanations', async () => {
    const out = join(t.dir, 'jane.json');
    expect(await runCli(t.path, 'customers', 'export', 'JANE@example.com', '--out', out)).toMatch(/^Wrote everything held about cus_\w+ to .*jane\.json \(\d+ tables\)\./);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const e = JSON.parse(readFileSync(out, 'utf8')) as { tables: Record<string, unknown[]>; segments: { segment: string; member: boolean }[]; notes: string[] };
    expect(Object.keys(e.tables)).toEqual(expect.arrayContaining(['customers', 'identities', 'events', 'orders', 'order_lines', 'consent', 'segment_members', 'segment_history']));
    expect(e.segments.map((s) => [s.segment, s.member])).toEqual([
      ['buyers', true],
      ['jane-watch', true],
    ]);
  });

  it('erases in plain words, names the segments whose own text holds the identifier, and keeps the orders anonymised', async () => {
    const text = await runCli(t.path, 'customers', 'erase', 'jane@example.com', '--reason', 'ticket 7');
    expect(text).toMatch(/^Erased 1 customer \(reg_\w+\): \d+ rows deleted in \d+ tables, 3 orders kept anonymised for revenue totals, 1 identifier suppressed\./);
    expect(text).toContain('The database file was rewritten: the deleted data is gone from disk');
    expect(text).toContain('Your own definitions of these segments contain one of the identifiers; edit them: jane-watch.');
    await expect(runCli(t.path, 'customers', 'export', 'jane@example.com')).rejects.toThrow(/belongs to an erased customer/);
    const again = await runCli(t.path, 'customers', 'erase', 'jane@example.com');
    expect(again).toContain('1 identifier had been erased before.');
    await expect(runCli(t.path, 'customers', 'erase', 'john@example.com', '--reason', 'as asked by John Smith')).rejects.toThrow(/reason contains an identifier or a trait value/);
  });

  it('keeps who did what in the audit log, newest first', async () => {
    const log = JSON.parse(await runCli(t.path, 'audit', '--json', '--action', 'customers')) as { action: string; status: number; actor: string; target: string | null }[];
    expect(log.map((e) => [e.action, e.status])).toEqual([
      ['customers erase', 400],
      ['customers erase', 200],
      ['customers export', 404],
      ['customers erase', 200],
      ['customers export', 200],
    ]);
    // the export of the person who was later erased names no one any more
    expect(log.at(-1)!.target).toBe('an erased customer');
    expect(JSON.stringify(log)).not.toMatch(/jane|john/i);
  });
});
