import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatReport } from '../../src/ingest/import/report.js';
import { importFile } from '../../src/ingest/import/run.js';
import { runCli, withStderr } from '../helpers/cli.js';
import { tempStore } from '../helpers/store.js';
import { metricsOf } from './helpers.js';

// Trial 13, H2: Shopify's "Refunded Amount" is the order's refunds so far. A shop that imports its export
// every month sees order #2001 refunded 15.00 one month and 30.00 (a second partial refund) the next; the
// second import reported the refund "already present" and the customer kept net 30.00 instead of 15.00.
const dir = mkdtempSync(join(tmpdir(), 'segmint-refund-grows-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const header = readFileSync(new URL('../fixtures/import/shopify-orders.csv', import.meta.url), 'utf8').split('\n')[0]!.replace(/^\uFEFF/, '');

function exportWith(refunded: string): string {
  const cols = header.split(',');
  const row: Record<string, string> = {
    Name: '#2001', Email: 'ann@example.com', 'Financial Status': refunded ? 'partially_refunded' : 'paid', 'Paid at': '2024-03-05 14:05:00 -0500',
    Currency: 'USD', Subtotal: '45.00', Shipping: '0.00', Taxes: '0.00', Total: '45.00', 'Created at': '2024-03-05 14:03:22 -0500',
    'Lineitem quantity': '1', 'Lineitem name': 'Scarf', 'Lineitem price': '45.00', 'Lineitem sku': 'S-1', Id: '5551', 'Refunded Amount': refunded,
  };
  const file = join(dir, `export-${refunded || 'none'}.csv`);
  writeFileSync(file, `${header}\n${cols.map((c) => row[c] ?? '').join(',')}\n`);
  return file;
}

interface Report { refunds_updated: number; orders_new: number; orders_already_present: number; orders_differing: number; events_new: number }

async function importJson(db: string, file: string): Promise<Report> {
  return JSON.parse((await withStderr(() => runCli(db, 'import', file, '--json'))).out) as Report;
}

async function metrics(db: string): Promise<{ refunded: number; total_spent: number }> {
  const show = JSON.parse((await withStderr(() => runCli(db, 'customers', 'show', 'ann@example.com', '--json'))).out) as { metrics: { refunded: number; total_spent: number } };
  return show.metrics;
}

describe('a Shopify refund that grows between two exports', () => {
  it('the customer nets the order minus everything refunded so far', async () => {
    const db = join(dir, 'grows.duckdb');
    await importJson(db, exportWith(''));
    await importJson(db, exportWith('15.00'));
    const r = await importJson(db, exportWith('30.00'));
    expect(r).toMatchObject({ refunds_updated: 1, orders_new: 0, orders_already_present: 1, orders_differing: 0, events_new: 0 });
    expect(await metrics(db)).toMatchObject({ refunded: 30, total_spent: 15 });
    // The same export again changes nothing.
    expect(await importJson(db, exportWith('30.00'))).toMatchObject({ refunds_updated: 0, orders_new: 0, orders_already_present: 2, orders_differing: 0 });
    expect(await metrics(db)).toMatchObject({ refunded: 30, total_spent: 15 });
  });

  it('an older export imported after a newer one leaves the larger refund, and says its refund differs', async () => {
    const t = await tempStore();
    try {
      await importFile(t.store, exportWith('30.00'));
      const r = await importFile(t.store, exportWith('15.00'));
      expect(r).toMatchObject({ refunds_updated: 0, orders_differing: 1 });
      expect(formatReport(r)).toContain('order #2001/refund (line 2): amount, lines differ');
      expect(await metricsOf(t.store, 'email', 'ann@example.com')).toMatchObject({ refunded: 30, total_spent: 15 });
    } finally {
      t.cleanup();
    }
  });
});
