import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import type { ImportReport } from '../../src/ingest/import/report.js';
import { importFile, type ImportOptions } from '../../src/ingest/import/run.js';
import type { Store } from '../../src/store/db.js';
import { tempStore } from '../helpers/store.js';

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

/**
 * For test files that import many small texts: call at the top of the file; each call of the returned
 * function writes `text` as a file and imports it into a new store of its own (closed and removed after
 * the file's tests).
 */
export function importsOfText(): (text: string, options?: ImportOptions, name?: string) => Promise<{ report: ImportReport; store: Store; dir: string }> {
  const cleanups: (() => void)[] = [];
  afterAll(() => cleanups.forEach((c) => c()));
  return async (text, options = {}, name = 'file.csv') => {
    const t = await tempStore();
    cleanups.push(t.cleanup);
    const path = join(t.dir, name);
    writeFileSync(path, text);
    return { report: await importFile(t.store, path, options), store: t.store, dir: t.dir };
  };
}
