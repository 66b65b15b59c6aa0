import { describe, expect, it } from 'vitest';
import { formatReport } from '../../src/ingest/import/report.js';
import { importsOfText, metricsOf } from './helpers.js';

/**
 * Trial 13, L6: a generic import's `kind` value that is neither a refund word nor a sale word
 * ("Gutschrift", German for a credit note) was read as a sale without a word. It is still a sale (the
 * documented rule: only the refund words make a refund), but the report names each such value with its
 * rows and first lines, in the text and in JSON.
 */
const importText = importsOfText();
const MAP = ['order_id=order_id', 'user_id=user_id', 'placed_at=placed_at', 'amount=amount', 'type=kind'];

describe('a generic kind value that is neither a refund nor a sale word', () => {
  it('is read as a sale and reported with its rows and first lines', async () => {
    const csv = [
      'order_id,user_id,placed_at,amount,type',
      'K1,k1,2024-01-05T10:00:00Z,10.00,sale',
      'K2,k1,2024-01-06T10:00:00Z,4.00,refunded',
      'K3,k1,2024-01-07T10:00:00Z,3.00, REFUND ',
      'K4,k1,2024-01-08T10:00:00Z,2.00,Gutschrift',
      'K5,k2,2024-01-09T10:00:00Z,1.00,gutschrift',
      'K6,k2,2024-01-10T10:00:00Z,1.00,Credit note',
      'K7,k2,2024-01-11T10:00:00Z,1.00,',
      'K8,k2,2024-01-12T10:00:00Z,1.00,Order',
    ].join('\n');
    const { report, store } = await importText(csv, { format: 'generic', map: MAP });
    // the sale stays a sale (documented rule); the refunds (trimmed, any case) are refunds
    expect(await metricsOf(store, 'user_id', 'k1')).toEqual({ orders_count: 2, total_spent: 5, refunded: 7 });
    expect(report.warnings).toEqual([
      'the kind column "type" has 2 values that are neither a refund nor a sale word, read as sales: "Gutschrift" (2 rows: lines 5, 6), "Credit note" (1 row: line 7). ' +
        'Only refund, return, cancel(led), cancellation and credit (any case) make a row a refund.',
    ]);
    expect(formatReport(report)).toContain('warning: the kind column "type" has 2 values');
  });

  it('says nothing when every value is a known word', async () => {
    const csv = ['order_id,user_id,placed_at,amount,type', 'K1,k1,2024-01-05T10:00:00Z,10.00,Sale', 'K2,k1,2024-01-06T10:00:00Z,4.00,return'].join('\n');
    const { report } = await importText(csv, { format: 'generic', map: MAP });
    expect(report.warnings).toEqual([]);
  });
});
