import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

  it('a quality check whose details hold counts by kind prints them, not [object Object]', () => {
    const text = renderQuality({
      as_of: new Date('2025-01-01T00:00:00Z'),
      checks: [{ id: 'order_conflicts', title: 'Order ids claimed for different customers', count: 2, out_of: 10, details: { by_outcome: { replaced: 1, unassigned: 1 } }, examples: [], definition: 'd' }],
    } as unknown as Parameters<typeof renderQuality>[0]);
    expect(text).toContain('by_outcome (replaced 1, unassigned 1)');
    expect(text).not.toContain('[object Object]');
  });
});
