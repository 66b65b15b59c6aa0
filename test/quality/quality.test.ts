import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../src/ingest/import/run.js';
import { renderQuality } from '../../src/ingest/quality/render.js';
import { qualityReport, type QualityCheck, type QualityReport } from '../../src/ingest/quality/report.js';
import { tempStore } from '../helpers/store.js';

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/import/quality-${name}`, import.meta.url));

/** Quantile by linear interpolation between order statistics (R's type 7), written out independently. */
function quantile(sorted: number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  return sorted[lo]! + (h - lo) * (sorted[Math.min(lo + 1, sorted.length - 1)]! - sorted[lo]!);
}

let report: QualityReport;
let cleanup: () => void;
const check = (id: string): QualityCheck => report.checks.find((c) => c.id === id)!;

beforeAll(async () => {
  const t = await tempStore();
  cleanup = t.cleanup;
  await importFile(t.store, fixture('customers.csv'), {
    map: ['user=user_id', 'email=email', 'email=trait.email', 'first=trait.first_name', 'last=trait.last_name'],
  });
  await importFile(t.store, fixture('orders.csv'), {
    map: ['order=order_id', 'date=placed_at', 'user=user_id', 'sku=product_id', 'qty=quantity', 'price=price', 'type=kind'],
  });
  report = await qualityReport(t.store, new Date('2025-01-01T00:00:00Z'));
});
afterAll(() => cleanup());

describe('data quality checks', () => {
  it('counts guest lines', () => {
    expect(check('lines_without_customer')).toMatchObject({ count: 1, out_of: 18, details: { orders: 1 } });
  });

  it('finds one email held by two customers, and one mailbox under two spellings', () => {
    const dup = check('duplicate_emails');
    // Counted in customers, the unit of its base (live customers); the emails they share in details.
    expect(dup).toMatchObject({ count: 2, details: { emails: 1 } });
    expect(dup.examples[0]).toMatchObject({ email: 'bob@example.com' });
    expect((dup.examples[0] as { customer_ids: string[] }).customer_ids).toHaveLength(2);
    const v = check('email_variants');
    expect(v.count).toBe(1);
    expect(v.examples[0]).toMatchObject({ normalised_email: 'janedoe@gmail.com', emails: ['jane.doe+shop@gmail.com', 'janedoe@gmail.com'], name: 'jane doe' });
  });

  it('flags the invalid email, the zero and negative prices and the negative order', () => {
    expect(check('invalid_emails')).toMatchObject({ count: 1, examples: [{ email: 'not-an-email' }] });
    // Each share is of its own base: the 16 product lines of sales and the 16 orders of kind order,
    // not the 18 lines and rows that include the two cancellations (O4, O5).
    expect(check('non_positive_prices')).toMatchObject({ count: 2, out_of: 16, details: { zero: 1, negative: 1 } });
    expect(check('negative_orders')).toMatchObject({ count: 1, out_of: 16, examples: [{ order_id: 'O3', revenue: -5 }] });
  });

  it('matches cancellations to earlier purchases of the same product', () => {
    // O5 returns P1, bought in O1; O4 returns P9, which u1 never bought.
    expect(check('unmatched_cancellations')).toMatchObject({ count: 1, out_of: 2, examples: [{ order_id: 'O4', revenue: -10 }] });
  });

  it('finds the event after as_of', () => {
    expect(check('future_events')).toMatchObject({ count: 1, out_of: 18, examples: [{ message_id: 'import:generic:O6' }] });
  });

  it("uses Tukey's far-out fences over order revenue", () => {
    const revenues = [10, 0, -5, 10, 12, 14, 15, 16, 18, 19, 20, 21, 22, 25, 10000, 20].sort((a, b) => a - b);
    const q1 = quantile(revenues, 0.25);
    const q3 = quantile(revenues, 0.75);
    const o = check('revenue_outliers');
    expect(o.details).toMatchObject({ q1, q3, high_fence: q3 + 3 * (q3 - q1), low_fence: q1 - 3 * (q3 - q1) });
    expect(o.count).toBe(revenues.filter((r) => r > q3 + 3 * (q3 - q1) || r < q1 - 3 * (q3 - q1)).length);
    expect(o.examples[0]).toMatchObject({ order_id: 'O17', revenue: 10000 });
    expect(renderQuality(report)).toContain('WARN Orders with extreme revenue: ');
  });
});

it('a line of another kind (a bad-debt adjustment, stock code B in Online Retail) is not a product price to check', async () => {
  const t = await tempStore();
  try {
    await t.store.run("INSERT INTO orders (order_id, customer_id, kind, placed_at, revenue, source) VALUES ('A1', NULL, 'order', TIMESTAMP '2024-01-01', -11053.06, 'import')");
    await t.store.run(
      `INSERT INTO order_lines (order_id, line_no, product_id, name, price, quantity, amount, kind) VALUES
       ('A1', 1, 'P1', 'Mug', 10, 1, 10, 'product'),
       ('A1', 2, 'P2', 'Typo', -1, 1, -1, 'product'),
       ('A1', 3, 'B', 'Adjust bad debt', -11062.06, 1, -11062.06, 'adjustment')`,
    );
    const r = await qualityReport(t.store, new Date('2025-01-01T00:00:00Z'));
    expect(r.checks.find((c) => c.id === 'non_positive_prices')).toMatchObject({ count: 1, out_of: 2, details: { zero: 0, negative: 1 } });
  } finally {
    t.cleanup();
  }
});
