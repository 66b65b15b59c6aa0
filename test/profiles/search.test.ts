import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerProfile } from '../../src/profiles/profile.js';
import { renderProfile } from '../../src/profiles/render.js';
import { searchCustomers } from '../../src/profiles/search.js';
import { renderQuality } from '../../src/ingest/quality/render.js';
import type { Store } from '../../src/store/db.js';
import { tempStore } from '../helpers/store.js';

let store: Store;
let cleanup: () => void;
beforeAll(async () => {
  ({ store, cleanup } = await tempStore());
  await store.run(`INSERT INTO customers VALUES
    ('c1', now(), now(), '{"name":"Mia Wong"}', NULL),
    ('c2', now(), now(), '{"first_name":"Miap","last_name":"Roe"}', NULL)`);
  await store.run(`INSERT INTO identities VALUES ('user_id', 'mia-7', 'c1', now()), ('email', 'zed@example.org', 'c2', now())`);
});
afterAll(() => cleanup());

describe('customer search shows what matched', () => {
  it('a single name trait is the value shown; kind and value come from the same hit', async () => {
    const r = await searchCustomers(store, 'mia');
    const c1 = r.hits.find((h) => h.customer_id === 'c1')!;
    // c1 matches by name ("Mia Wong") and by the start of a user id ("mia-7"): one of them, whole
    expect([
      { kind: 'name', value: 'Mia Wong', exact: false },
      { kind: 'user_id', value: 'mia-7', exact: false },
    ]).toContainEqual(c1.matched);
    expect(r.hits.find((h) => h.customer_id === 'c2')!.matched).toEqual({ kind: 'name', value: 'Miap Roe', exact: false });
    expect((await searchCustomers(store, 'Mia Wong')).hits[0]!.matched).toEqual({ kind: 'name', value: 'Mia Wong', exact: true });
  });
});

describe('texts of stored values', () => {
  it('an order event sent with products alone shows the amount the ingestion rule reads', () => {
    const text = renderProfile({
      customer_id: 'c1',
      identities: [],
      traits: {},
      metrics: null,
      warnings: [],
      segments: [],
      consent: [],
      recent_events: [
        { timestamp: new Date('2025-01-02T00:00:00Z'), type: 'track', event: 'Order Completed', properties: { order_id: 'ok1', products: [{ price: 10, quantity: 2 }, { price: 2.5 }] } },
        { timestamp: new Date('2025-01-03T00:00:00Z'), type: 'track', event: 'Viewed', properties: { order_id: 'x' } },
      ],
    } as unknown as Parameters<typeof renderProfile>[0]);
    expect(text).toContain('track Order Completed order ok1 revenue 22.5');
    expect(text).toContain('track Viewed order x');
    expect(text).not.toContain('undefined');
  });

  it('an order event shows the revenue stored for its order, not its lines re-read (a Shopify discount)', async () => {
    // As an import of a Shopify export stores it: lines 2 × 15 + 20 before a discount of 5, order revenue 45.
    const props = JSON.stringify({ order_id: '#1001', revenue: 45, discount: 5, products: [{ price: 15, quantity: 2 }, { price: 20, quantity: 1 }] });
    await store.run(
      `INSERT INTO events (message_id, type, event, customer_id, timestamp, received_at, properties, source)
       VALUES ('import:shopify:#1001', 'track', 'Order Completed', 'c1', TIMESTAMP '2024-03-05 19:03:22', now(), $1::JSON, 'import')`,
      [props],
    );
    await store.run(
      `INSERT INTO orders (order_id, customer_id, kind, placed_at, revenue, message_id, source)
       VALUES ('#1001', 'c1', 'order', TIMESTAMP '2024-03-05 19:03:22', 45, 'import:shopify:#1001', 'import')`,
    );
    const profile = await customerProfile(store, 'c1', new Date('2024-04-01T00:00:00Z'));
    expect(profile.recent_events.map((e) => e.order_revenue)).toEqual([45]);
    const text = renderProfile({ ...profile, segments: [] } as unknown as Parameters<typeof renderProfile>[0]);
    expect(text).toContain('track Order Completed order #1001 revenue 45');
  });

  it('a quality check whose details hold counts by kind prints them, not [object Object]', () => {
    const text = renderQuality({
      as_of: new Date('2025-01-01T00:00:00Z'),
      checks: [{ id: 'order_conflicts', title: 'Order ids claimed for different customers', count: 2, out_of: 10, details: { by_outcome: { replaced: 1, unassigned: 1 } }, examples: [], definition: 'd' }],
    } as unknown as Parameters<typeof renderQuality>[0]);
    expect(text).toContain('by_outcome (replaced 1, unassigned 1)');
    expect(text).not.toContain('[object Object]');
  });
});
