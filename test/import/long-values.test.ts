import { describe, expect, it } from 'vitest';
import { previewImport } from '../../src/ingest/import/preview.js';
import { formatReport } from '../../src/ingest/import/report.js';
import { importsOfText } from './helpers.js';
import { join } from 'node:path';

/**
 * Trial 10, L6: a 200,000-character malformed cell was echoed whole by the import's error line, its
 * --json, the stored report and the upload preview. A received value is quoted cut, with its length.
 */
const imported = importsOfText();
const MAP = ['--map', 'order=order_id', '--map', 'customer=user_id', '--map', 'date=placed_at', '--map', 'amount=amount'].filter((_, i) => i % 2 === 1);

describe('a huge cell in a message', () => {
  it('is quoted cut to 100 characters with its length, in the report, its text and the stored report', async () => {
    const huge = 'Z'.repeat(200_000);
    const text = `order,customer,date,amount\nA-1,c1,2024-03-01,12.50\nA-2,c2,2024-03-02,${huge}\nA-3,c3,2024-03-03,${'9'.repeat(150_000)}\n`;
    const { report, store, dir } = await imported(text, { map: MAP }, 'awk.csv');
    expect(report.imported).toBe(1);
    expect(report.errors.map((e) => e.line)).toEqual([3, 4]);
    expect(report.errors[0]!.reason).toBe(`not an amount in column "amount": ${'Z'.repeat(100)}… (200,000 characters)`);
    expect(report.errors[1]!.reason).toMatch(/^[^\n]{0,200}9{100}… \(150,000 characters\)$/);
    expect(JSON.stringify(report).length).toBeLessThan(5000);
    expect(formatReport(report).length).toBeLessThan(5000);
    const stored = await store.one<{ n: number }>('SELECT max(length(report::VARCHAR))::INTEGER AS n FROM imports');
    expect(stored!.n).toBeLessThan(5000);
    // the upload preview shows the cell cut the same way
    const preview = await previewImport(join(dir, 'awk.csv'), { map: MAP });
    expect(preview.rows[1]![3]).toBe(`${"Z".repeat(200)}… (200,000 characters)`);
  });

  it('the preview reads only the head of the file, and a record cut at its end does not disturb the rows before', async () => {
    // 12 short rows, then a quoted note of 300,000 characters over several lines: the head ends inside it.
    const rows = Array.from({ length: 12 }, (_, i) => `A-${i},c${i},2024-03-01,1.00,"n${i}"`).join('\n');
    const text = `order,customer,date,amount,note\n${rows}\nB-1,c1,2024-03-01,1.00,"${'long line\n'.repeat(30_000)}end"\nB-2,c2,2024-03-02,2.00,x\n`;
    const { dir } = await imported(text, { map: [...MAP, 'note=trait.note'] }, 'head.csv');
    const preview = await previewImport(join(dir, 'head.csv'), { map: MAP });
    expect(preview.rows).toHaveLength(10);
    expect(preview.rows.map((r) => r[0])).toEqual(Array.from({ length: 10 }, (_, i) => `A-${i}`));
    expect(preview.rows[9]![4]).toBe('n9');
  });
});

