import { fileURLToPath } from 'node:url';
import type { Store } from '../../src/store/db.js';

export const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/import/${name}`, import.meta.url));

/** The live customer holding an identifier, or undefined. */
export async function customerOf(store: Store, kind: string, value: string): Promise<string | undefined> {
  const r = await store.one<{ customer_id: string }>('SELECT customer_id FROM identities WHERE kind = $1 AND value = $2', [kind, value]);
  return r?.customer_id;
}

export async function metricsOf(store: Store, kind: string, value: string): Promise<Record<string, unknown> | undefined> {
  return store.one(
    `SELECT m.orders_count, m.total_spent::DOUBLE AS total_spent, m.refunded::DOUBLE AS refunded
     FROM identities i JOIN customer_metrics m USING (customer_id) WHERE i.kind = $1 AND i.value = $2`,
    [kind, value],
  );
}

export async function traitsOf(store: Store, kind: string, value: string): Promise<Record<string, unknown>> {
  const r = await store.one<{ traits: string }>(
    'SELECT c.traits::VARCHAR AS traits FROM identities i JOIN customers c USING (customer_id) WHERE i.kind = $1 AND i.value = $2',
    [kind, value],
  );
  return JSON.parse(r?.traits ?? '{}') as Record<string, unknown>;
}
