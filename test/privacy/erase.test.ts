import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatReport } from '../../src/ingest/import/report.js';
import { importFile } from '../../src/ingest/import/run.js';
import type { Regulation } from '../../src/privacy/regulations.js';
import { buildApp } from '../../src/server/app.js';
import { createApiKey } from '../../src/server/keys.js';
import { Store } from '../../src/store/db.js';
import { dropErasureScope, fillErasureScope, presentPersonTables, deletePersonRows, anonymisePersonRows } from '../../src/store/queries/privacy/erase.js';
import { tempStore } from '../helpers/store.js';
import { WorkflowEngine } from '../../src/workflows/engine/engine.js';
import { basic } from '../server/helpers.js';
import { cellsContaining } from './cells.js';
import { CONTROL, VICTIM, buildShop, liveEvents, sendEvents, victimRows, type ShopWorld } from './shop.js';

/**
 * The erasure contract (docs/privacy.md), on a shop filled through the real paths: after erasing one
 * person, no table holds anything of theirs, the database file and its log hold none of their bytes
 * (while a plain DELETE + CHECKPOINT leaves them there), revenue totals are unchanged, and re-importing
 * the original file or re-sending the original events creates nothing and is counted.
 *
 * The store writes uncompressed blocks (force_compression) so that a byte search of the file can see
 * strings at all: DuckDB's string compression would otherwise hide them from a plain search whether
 * they are there or not, which would prove nothing.
 */

let t: Awaited<ReturnType<typeof tempStore>>;
let store: Store;
let csv: string;
let key: string;
let victimIds: string[];
let before: { revenue: number; orders: number; perDay: string; perProduct: string; customers: number; controlRows: number };
let naiveHits: Record<string, number>;
let reg: Regulation;
let world: ShopWorld;
let mailsBefore: string[];
let liveBefore: { status: number; segments: unknown[] };
let liveAfter: { status: number; body: string };

const STRINGS = [VICTIM.email, VICTIM.name, VICTIM.phone, VICTIM.userId, VICTIM.anonymousId, VICTIM.orderPrefix, VICTIM.city, 'zq-identify-1'];

/** Occurrences of each string's UTF-8 bytes in the database file and its write-ahead log. */
function fileHits(path: string, needles: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of [path, `${path}.wal`]) {
    if (!existsSync(f)) continue;
    const bytes = readFileSync(f);
    for (const s of needles) {
      let i = -1;
      while ((i = bytes.indexOf(s, i + 1, 'utf8')) >= 0) out[s] = (out[s] ?? 0) + 1;
    }
  }
  return out;
}

const aggregates = async (db: Store) =>
  (await db.one<{ revenue: number; orders: number; perDay: string; perProduct: string }>(
    `SELECT (SELECT sum(revenue)::DOUBLE FROM orders) AS revenue, (SELECT count(*) FROM orders) AS orders,
       (SELECT string_agg(d || '=' || r, ';' ORDER BY d) FROM (SELECT placed_at::DATE::VARCHAR AS d, sum(revenue)::VARCHAR AS r FROM orders GROUP BY 1)) AS "perDay",
       (SELECT string_agg(p || '=' || a, ';' ORDER BY p) FROM (SELECT coalesce(product_id, name) AS p, sum(amount)::VARCHAR AS a FROM order_lines GROUP BY 1)) AS "perProduct"`,
  ))!;

beforeAll(async () => {
  t = await tempStore();
  store = t.store;
  await store.run("SET force_compression = 'uncompressed'");
  ({ csv, key, world } = await buildShop(store, t.dir));
  mailsBefore = world.smtp.received.map((m) => `${m.to}: ${String(m.mail.subject)}`);
  victimIds = (await store.all<{ id: string }>("SELECT DISTINCT customer_id AS id FROM identities WHERE value IN ($1, $2)", [VICTIM.email, VICTIM.userId])).map((r) => r.id);
  const agg = await aggregates(store);
  before = {
    ...agg,
    customers: (await store.one<{ n: number }>('SELECT count(*) AS n FROM customers'))!.n,
    controlRows: Object.values(await cellsContaining(store, CONTROL.email)).reduce((a, b) => a + b, 0),
  };

  // The naive way, on a copy of the file: delete the same rows, checkpoint, and look at the bytes.
  await store.checkpoint();
  const naivePath = join(t.dir, 'naive.duckdb');
  copyFileSync(t.path, naivePath);
  const naive = await Store.open(naivePath);
  await naive.run("SET force_compression = 'uncompressed'");
  await naive.transaction(async (tx) => {
    await fillErasureScope(tx, victimIds);
    for (const e of await presentPersonTables(tx)) await (e.anonymise ? anonymisePersonRows(tx, e) : deletePersonRows(tx, e));
    await dropErasureScope(tx);
  });
  await naive.run('CHECKPOINT');
  await naive.run('VACUUM');
  await naive.run('CHECKPOINT');
  expect(await cellsContaining(naive, VICTIM.email)).toEqual({});
  naive.close();
  naiveHits = fileHits(naivePath, STRINGS);

  // Erased as an admin would: over HTTP, in a server whose workflow engine has the person's run waiting.
  const app = await buildApp({ store, workflows: { clock: world.clock } });
  try {
    const admin = (await createApiKey(store, ['admin'], 'dpo')).key;
    // The real-time engine holds the person's memberships, and the server remembers the email it was asked by.
    const live = () => app.inject({ method: 'GET', url: `/v1/customers/${encodeURIComponent(VICTIM.email)}/segments`, headers: { authorization: basic(admin) } });
    const seen = await live();
    liveBefore = { status: seen.statusCode, segments: (seen.json() as { segments: unknown[] }).segments };
    const res = await app.inject({ method: 'DELETE', url: `/v1/customers/${encodeURIComponent(VICTIM.email)}?reason=ticket%204711`, headers: { authorization: basic(admin) } });
    expect(res.statusCode, res.body).toBe(200);
    reg = res.json();
    const gone = await live();
    liveAfter = { status: gone.statusCode, body: gone.body };
  } finally {
    await app.close();
  }
}, 600_000);

afterAll(async () => {
  await world.close();
  t.cleanup();
});

describe('erasure of one person', () => {
  it('finds the person under any of their identifiers, and had data of theirs in every kind of table', async () => {
    expect(victimIds).toHaveLength(1);
    expect(reg.status).toBe('finished');
    expect(reg.customersErased).toBe(1);
    expect(reg.fileRewritten).toBe(true);
    // identities: the email and the user id met in one identify call, plus the anonymous id
    expect(reg.identifiersSuppressed).toBe(3);
    const tables = [
      ...['customers', 'identities', 'events', 'consent', 'consent_history', 'trait_times', 'order_claims'],
      ...['customer_metrics', 'customer_rfm', 'customer_clusters', 'customer_predictions', 'propensity_scores'],
      ...['segment_members', 'segment_history', 'segment_kpi_members', 'experiment_assignments', 'webhook_deliveries'],
      ...['workflow_runs', 'workflow_run_log', 'workflow_triggers', 'workflow_sends', 'workflow_assignments', 'customer_tags', 'static_list_members'],
    ];
    for (const table of tables) {
      expect(reg.rowsDeleted?.[table], table).toBeGreaterThan(0);
    }
    expect(reg.ordersAnonymised).toBe(6); // five imported orders and one live order
  });

  it('leaves nothing of them in the real-time engine: their memberships were live, and their email is no longer known', () => {
    // The live segment's webhook had posted their entry to a real receiver, and recorded the delivery.
    expect(world.hooks.received.filter((b) => b.includes(victimIds[0]!))).toHaveLength(1);
    expect(liveBefore.status).toBe(200);
    expect(liveBefore.segments.length).toBeGreaterThan(0);
    expect(liveAfter.status, liveAfter.body).toBe(404);
    expect(liveAfter.body).not.toContain(victimIds[0]!);
  });

  it('leaves no cell of any table with their email, name, phone, city, ids or order names, and no row of their customer id', async () => {
    for (const s of [...STRINGS, ...victimIds]) expect(await cellsContaining(store, s), s).toEqual({});
  });

  it('leaves none of their bytes in the database file or its log, where a plain DELETE and CHECKPOINT leaves them', async () => {
    // Without the rewrite the freed blocks still hold the person (DuckDB does not clear them)...
    expect(naiveHits[VICTIM.email] ?? 0).toBeGreaterThan(0);
    expect(naiveHits[VICTIM.name] ?? 0).toBeGreaterThan(0);
    // ...after the erasure, nothing; and the search does see strings that are there.
    expect(fileHits(t.path, [...STRINGS, ...victimIds])).toEqual({});
    expect(fileHits(t.path, [CONTROL.email])[CONTROL.email]).toBeGreaterThan(0);
  });

  it('keeps revenue totals, per day and per product, with the orders linked to no one', async () => {
    const after = await aggregates(store);
    expect(after).toEqual({ revenue: before.revenue, orders: before.orders, perDay: before.perDay, perProduct: before.perProduct });
    const anon = await store.all<{ order_id: string; customer_id: string | null; message_id: string | null }>(
      "SELECT order_id, customer_id, message_id FROM orders WHERE order_id LIKE 'erased\\_%' ESCAPE '\\'",
    );
    expect(anon).toHaveLength(6);
    expect(anon.every((o) => o.customer_id === null && o.message_id === null && /^erased_[0-9a-f]{32}$/.test(o.order_id))).toBe(true);
    expect(new Set(anon.map((o) => o.order_id)).size).toBe(6);
  });

  it('touches no one else', async () => {
    expect((await store.one<{ n: number }>('SELECT count(*) AS n FROM customers'))!.n).toBe(before.customers - 1);
    expect(Object.values(await cellsContaining(store, CONTROL.email)).reduce((a, b) => a + b, 0)).toBe(before.controlRows);
  });

  it('keeps only keyed hashes: the suppression list and the request hold no identifier', async () => {
    const rows = await store.all<{ identifier_hash: string; kind: string }>('SELECT identifier_hash, kind FROM suppressions ORDER BY kind');
    // one entry per identifier under its kind, and one per value under `*` (migration 32: the check hashes a value once)
    expect(rows.map((r) => r.kind)).toEqual(['*', '*', '*', 'anonymous_id', 'email', 'user_id']);
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.identifier_hash))).toBe(true);
    expect(reg.reason).toBe('ticket 4711');
  });

  it('skips the rows of the person when the original file is imported again, and says so', async () => {
    const customers = (await store.one<{ n: number }>('SELECT count(*) AS n FROM customers'))!.n;
    const report = await importFile(store, csv);
    expect(report.erased_skipped).toBe(victimRows(csv));
    expect(formatReport(report)).toContain(`${victimRows(csv)} rows of erased customers skipped`);
    expect(report.orders_new).toBe(0);
    expect((await store.one<{ n: number }>('SELECT count(*) AS n FROM customers'))!.n).toBe(customers);
    for (const s of STRINGS) expect(await cellsContaining(store, s), s).toEqual({});
  });

  it('drops the original live events when they are sent again, and counts them in the answer', async () => {
    const events = (await store.one<{ n: number }>('SELECT count(*) AS n FROM events'))!.n;
    const app = await buildApp({ store });
    try {
      const victims = liveEvents().filter((e) => JSON.stringify(e.body).includes('zq-'));
      const answers = await sendEvents(app, key, victims);
      expect(answers).toEqual(victims.map(() => ({ success: true, stored: 0, duplicates: 0, suppressed: 1 })));
      // A new anonymous id joined to the erased email is dropped too: it carries a suppressed identifier.
      const [fresh] = await sendEvents(app, key, [
        { path: '/v1/identify', body: { anonymousId: 'brand-new-device', messageId: 'zq-new-1', traits: { email: VICTIM.email.toUpperCase() } } },
      ]);
      expect(fresh).toMatchObject({ stored: 0, suppressed: 1 });
    } finally {
      await app.close();
    }
    expect((await store.one<{ n: number }>('SELECT count(*) AS n FROM events'))!.n).toBe(events);
    for (const s of [...STRINGS, 'brand-new-device']) expect(await cellsContaining(store, s), s).toEqual({});
  });

  it('had sent the person the first email of a running workflow, and sends them nothing more once erased', async () => {
    expect(mailsBefore).toHaveLength(2);
    expect(mailsBefore.find((m) => m.includes(VICTIM.email))).toContain(`Still thinking, ${VICTIM.name}?`);
    expect(mailsBefore.find((m) => m.includes(CONTROL.email))).toContain('Still thinking');
    const engine = new WorkflowEngine(store, { clock: world.clock });
    try {
      world.clock.advance(3 * 86_400_000);
      await engine.tick();
    } finally {
      await engine.stop();
    }
    const later = world.smtp.received.slice(mailsBefore.length);
    // Two days on, the other customer's run sends its last email; the erased person's run is gone.
    expect(later.map((m) => String(m.mail.subject))).toEqual([`Last chance, ${CONTROL.name}`]);
    expect(later[0]!.to).toContain(CONTROL.email);
    for (const s of [...STRINGS, ...victimIds]) expect(await cellsContaining(store, s), s).toEqual({});
  });
});
