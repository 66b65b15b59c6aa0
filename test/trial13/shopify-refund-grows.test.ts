import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, withStderr } from '../helpers/cli.js';

// Trial 13, H2: Shopify's "Refunded Amount" is the order's refunds so far. A shop that imports its export
// every month sees order #2001 refunded 15.00 one month and 30.00 (a second partial refund) the next; the
// second import reports the refund "already present" and the customer keeps net 30.00 instead of 15.00.
const dir = mkdtempSync(join(tmpdir(), 'segmint-refund-grows-'));
const db = join(dir, 'shop.duckdb');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const header = readFileSync(new URL('../fixtures/import/shopify-orders.csv', import.meta.url), 'utf8').split('\n')[0]!.replace(/^\uFEFF/, '');

function exportWith(refunded: string): string {
  const cols = header.split(',');
  const row: Record<string, string> = {
    Name: '#2001', Email: 'ann@example.com', 'Financial Status': 'partially_refunded', 'Paid at': '2024-03-05 14:05:00 -0500',
    Currency: 'USD', Subtotal: '45.00', Shipping: '0.00', Taxes: '0.00', Total: '45.00', 'Created at': '2024-03-05 14:03:22 -0500',
    'Lineitem quantity': '1', 'Lineitem name': 'Scarf', 'Lineitem price': '45.00', 'Lineitem sku': 'S-1', Id: '5551', 'Refunded Amount': refunded,
  };
  const file = join(dir, `export-${refunded}.csv`);
  writeFileSync(file, `${header}\n${cols.map((c) => row[c] ?? '').join(',')}\n`);
  return file;
}

describe('a Shopify refund that grows between two exports', () => {
  it('the customer nets the order minus everything refunded so far', async () => {
    await withStderr(() => runCli(db, 'import', exportWith('15.00')));
    await withStderr(() => runCli(db, 'import', exportWith('30.00')));
    const show = JSON.parse((await withStderr(() => runCli(db, 'customers', 'show', 'ann@example.com', '--json'))).out) as { metrics: { refunded: number; total_spent: number } };
    expect(show.metrics.refunded).toBe(30);
    expect(show.metrics.total_spent).toBe(15);
  });
});
