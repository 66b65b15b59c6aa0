import { fileURLToPath } from 'node:url';
import { runCli } from './cli.js';
import { tempStore } from './store.js';

/** The Shopify orders export of the fixtures (a few customers, Jane Doe among them). */
export const SHOPIFY_ORDERS = fileURLToPath(new URL('../fixtures/import/shopify-orders.csv', import.meta.url));

/**
 * A database file made through the CLI as a user makes one: the Shopify export imported, a segment
 * `buyers` (orders_count >= 1) plus `segments` given as [name, query], all refreshed as of 2024-12-31.
 * The store is closed, so commands open the file themselves; `cleanup()` removes it.
 */
export async function shopifyShop(segments: readonly (readonly [string, string])[] = []): Promise<Awaited<ReturnType<typeof tempStore>>> {
  const t = await tempStore();
  t.store.close();
  await runCli(t.path, 'import', SHOPIFY_ORDERS);
  for (const [name, query] of [['buyers', 'orders_count >= 1'] as const, ...segments]) await runCli(t.path, 'segments', 'create', name, '--query', query);
  await runCli(t.path, 'segments', 'refresh', '--as-of', '2024-12-31');
  return t;
}
