import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/server/keys.js';
import { createSegment } from '../../src/segments/manage/crud.js';
import { runCli } from '../helpers/cli.js';
import { tempStore } from '../helpers/store.js';
import { basic, testServer, type TestServer } from '../server/helpers.js';
import { loadShop } from './shop.js';

const customers = Array.from({ length: 400 }, (_, i) => ({ id: `k${String(i).padStart(3, '0')}`, createdAt: new Date('2024-01-01T00:00:00Z'), email: `k${i}@example.com` }));
const orders = customers.flatMap((c, i) => [
  { customer: c.id, at: new Date('2024-01-10T00:00:00Z'), revenue: 10 + (i % 7) },
  ...(i % 4 === 0 ? [{ customer: c.id, at: new Date('2024-02-10T00:00:00Z'), revenue: 30 }] : []),
]);

describe('/v1/experiments', () => {
  let s: TestServer;
  let readKey: string;
  beforeAll(async () => {
    s = await testServer(['admin']);
    readKey = (await createApiKey(s.store, ['read'], 'reader')).key;
    await loadShop(s.store, customers, orders);
    await createSegment(s.store, { name: 'all', definition: { query: 'orders_count >= 1' } });
  });
  afterAll(() => s.cleanup());

  it('creates with an admin key, reads with a read key, and refuses writes without admin', async () => {
    const created = await s.post('/v1/experiments', { name: 'promo', segment: 'all', groups: 'control:20,treatment:80', at: '2024-02-01', seed: 'k' });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ name: 'promo', control: 'control', segment: 'all' });
    const denied = await s.post('/v1/experiments', { name: 'x', segment: 'all' }, { authorization: basic(readKey) });
    expect(denied.status).toBe(403);
    const get = (url: string) => s.app.inject({ method: 'GET', url, headers: { authorization: basic(readKey) } });
    expect((await get('/v1/experiments')).json()).toHaveLength(1);
    const analysis = (await get('/v1/experiments/promo/analysis?metric=conversion,revenue&window=30d&asOf=2024-03-15')).json();
    expect(analysis.metrics.map((m: { metric: string }) => m.metric)).toEqual(['conversion', 'revenue']);
    expect(analysis.metrics[0].groups[1]).toMatchObject({ group: 'treatment', absolute_lift: { ci95: [expect.any(Number), expect.any(Number)] } });
    expect(analysis).toHaveProperty('srm_p_value');
    const csv = await get('/v1/experiments/promo/assignments');
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.body.split('\n')[0]).toBe('customer_id,user_id,email,group,assigned_at');
    expect((await get('/v1/experiments/promo/analysis?window=forever')).statusCode).toBe(400);
    expect((await get('/v1/experiments/nope')).statusCode).toBe(404);
    const del = await s.app.inject({ method: 'DELETE', url: '/v1/experiments/promo', headers: { authorization: basic(s.key) } });
    expect(del.statusCode).toBe(204);
  });
});

describe('segmint experiments (CLI)', () => {
  let db: string;
  let cleanup: () => void;
  beforeAll(async () => {
    const t = await tempStore();
    await loadShop(t.store, customers, orders);
    await createSegment(t.store, { name: 'all', definition: { query: 'orders_count >= 1' } });
    t.store.close();
    db = t.path;
    cleanup = t.cleanup;
  });
  afterAll(() => cleanup());

  it('creates, lists, shows, analyses and exports', async () => {
    const created = JSON.parse(await runCli(db, 'experiments', 'create', 'promo', '--segment', 'all', '--groups', 'control:50,treatment:50', '--at', '2024-02-01', '--seed', 'x', '--json'));
    expect(created.groups.map((g: { customers: number }) => g.customers).reduce((a: number, b: number) => a + b, 0)).toBe(400);
    expect(await runCli(db, 'experiments', 'list')).toMatch(/^promo {2}campaign of "all" {2}assigned 2024-02-01T00:00:00.000Z {2}control \d+, treatment \d+/);
    expect(await runCli(db, 'experiments', 'show', 'promo')).toContain('source:      campaign (segment "all")');
    const text = await runCli(db, 'experiments', 'analyze', 'promo', '--metric', 'conversion', '--as-of', '2024-03-15', '--window', '30d');
    expect(text).toMatch(/^promo: 400 customers, 30-day window, as of 2024-03-15T00:00:00.000Z; SRM p = /);
    expect(text).toContain('conversion — share of customers who placed an order');
    const json = JSON.parse(await runCli(db, 'experiments', 'analyze', 'promo', '--metric', 'revenue', '--as-of', '2024-03-15', '--json'));
    expect(json.metrics[0].metric).toBe('revenue');
    const csv = await runCli(db, 'experiments', 'assignments', 'promo', '--csv');
    expect(csv.trimEnd().split('\n')).toHaveLength(401);
    await expect(runCli(db, 'experiments', 'analyze', 'promo', '--mde', 'lots')).rejects.toThrow(/--mde: "lots" is not a relative lift/);
  });
});
