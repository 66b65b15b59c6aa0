import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeExperiment, liftPossible } from '../../src/measure/experiments/analyze.js';
import { writeAssignmentsCsv } from '../../src/measure/experiments/assignments.js';
import { assignmentBucket, groupForBucket } from '../../src/measure/experiments/bucket.js';
import { createExperiment } from '../../src/measure/experiments/create.js';
import { bucketBounds, parseGroups } from '../../src/measure/experiments/groups.js';
import { deleteExperiment, getExperiment, listExperiments } from '../../src/measure/experiments/manage.js';
import { compareToControl } from '../../src/measure/stats/compare.js';
import { seededRandom } from '../../src/numeric/random.js';
import { createSegment } from '../../src/segments/manage/crud.js';
import type { Store } from '../../src/store/db.js';
import { tempStore } from '../helpers/store.js';
import { momentsOf } from './moments-of.js';
import { appendOrders, loadShop, sourcedExperiment, type ShopEvent, type ShopOrder } from './shop.js';

const DAY = 86_400_000;
const T0 = new Date('2024-03-01T00:00:00Z');
const NOW = new Date('2024-04-15T00:00:00Z');
const N = 2000;
const ids = Array.from({ length: N }, (_, i) => `c${String(i).padStart(4, '0')}`);
const at = (base: Date, days: number) => new Date(base.getTime() + days * DAY);

let store: Store;
let cleanup: () => void;
/** What the generator did, per customer, to check the database's aggregation against. */
const truth = new Map<string, { preRevenue: number; postRevenue: number; postOrders: number; preOrders: number; opensPost: number; opensPre: number }>();
let groupOf: Map<string, string>;

beforeAll(async () => {
  const t = await tempStore();
  store = t.store;
  cleanup = t.cleanup;
  const rand = seededRandom(1313);
  const orders: ShopOrder[] = [];
  const events: ShopEvent[] = [];
  const level = new Map<string, number>();
  for (const [i, id] of ids.entries()) {
    // Everyone bought once in 2023, except the last ten, whose first order comes after T0.
    orders.push({ customer: id, at: i >= N - 10 ? at(T0, 5) : new Date('2023-09-01T12:00:00Z'), revenue: 20 });
    const l = 20 + 60 * rand();
    level.set(id, l);
    const rec = { preRevenue: 0, postRevenue: 0, postOrders: 0, preOrders: 0, opensPost: 0, opensPre: 0 };
    if (i < N - 10 && rand() < 0.4) {
      const r = Math.round(l * (0.5 + rand()) * 100) / 100;
      orders.push({ customer: id, at: at(T0, -10 - Math.floor(rand() * 15)), revenue: r });
      rec.preRevenue += r;
      rec.preOrders++;
    }
    if (rand() < 0.3) {
      events.push({ customer: id, event: 'Email Opened', at: at(T0, -3) });
      rec.opensPre++;
    }
    truth.set(id, rec);
  }
  await loadShop(
    store,
    ids.map((id, i) => ({ id, createdAt: new Date('2023-06-01T00:00:00Z'), userId: `u${i}`, email: i === 7 ? '=HYPERLINK("http://x")@example.com' : `${id}@example.com` })),
    orders,
    events,
  );
  await createSegment(store, { name: 'buyers', definition: { query: 'orders_count >= 1' } });
  await createExperiment(store, { name: 'win-back', segment: 'buyers', groups: 'control:50,treatment:50', at: T0, salt: 'fixed-salt' }, NOW);
  const rows = await store.all<{ customer_id: string; group_name: string }>('SELECT customer_id, group_name FROM experiment_assignments');
  groupOf = new Map(rows.map((r) => [r.customer_id, r.group_name]));
  // After assignment: treatment converts more; spending follows each customer's level.
  const post: ShopOrder[] = [];
  const postEvents: ShopEvent[] = [];
  for (const id of ids.slice(0, N - 10)) {
    const rec = truth.get(id)!;
    const p = groupOf.get(id) === 'treatment' ? 0.3 : 0.2;
    if (rand() < p) {
      const r = Math.round(level.get(id)! * (0.5 + rand()) * 100) / 100;
      post.push({ customer: id, at: at(T0, 1 + Math.floor(rand() * 28)), revenue: r });
      rec.postRevenue += r;
      rec.postOrders++;
    }
    // Outside the window: never counted.
    if (rand() < 0.1) post.push({ customer: id, at: at(T0, 35), revenue: 99 });
    if (rand() < 0.2) {
      postEvents.push({ customer: id, event: 'Email Opened', at: at(T0, 2) });
      rec.opensPost++;
    }
  }
  await appendOrders(store, post);
  await store.run(
    `INSERT INTO events (message_id, type, event, customer_id, timestamp, received_at, source)
     SELECT 'p' || i, 'track', 'Email Opened', c, $2::TIMESTAMP, $2::TIMESTAMP, 'test' FROM (SELECT unnest($1::VARCHAR[]) AS c, unnest(range(len($1::VARCHAR[]))) AS i)`,
    [postEvents.map((e) => e.customer), at(T0, 2)],
  );
});
afterAll(() => cleanup());

describe('creating a campaign experiment', () => {
  it('splits the segment as of --at: customers whose first order came later are not members then', async () => {
    expect(groupOf.size).toBe(N - 10);
    expect(groupOf.has(ids[N - 1]!)).toBe(false);
    const e = await getExperiment(store, 'win-back');
    expect(e).toMatchObject({ name: 'win-back', source: 'campaign', segment: 'buyers', control: 'control', assigned_at: T0, salt: 'fixed-salt' });
    expect(e.groups.reduce((s, g) => s + g.customers, 0)).toBe(N - 10);
    expect(e.srm_p_value).toBeGreaterThan(0.001);
  });

  it('assigns by the stable md5 bucket, the same in the database and in code', async () => {
    const bounds = bucketBounds(parseGroups('control:50,treatment:50'));
    for (const [id, g] of groupOf) expect(groupForBucket(assignmentBucket('fixed-salt', id), bounds)).toBe(g);
    // The same salt gives the same split again; another salt a different one.
    await createExperiment(store, { name: 'again', segment: 'buyers', groups: 'control:50,treatment:50', at: T0, salt: 'fixed-salt' }, NOW);
    const again = await store.all<{ n: number }>(
      `SELECT count(*) AS n FROM experiment_assignments a JOIN experiment_assignments b ON a.customer_id = b.customer_id AND a.group_name <> b.group_name
       JOIN experiments x ON x.experiment_id = a.experiment_id AND x.name = 'win-back' JOIN experiments y ON y.experiment_id = b.experiment_id AND y.name = 'again'`,
    );
    expect(again[0]!.n).toBe(0);
    await deleteExperiment(store, 'again');
    expect((await listExperiments(store)).map((x) => x.name)).toEqual(['win-back']);
  });

  it('refuses what cannot be an experiment, naming the problem', async () => {
    const base = { name: 'x', segment: 'buyers', groups: 'control:50,treatment:50' };
    await expect(createExperiment(store, { ...base, segment: 'nope' }, NOW)).rejects.toMatchObject({ code: 'segment_not_found', httpStatus: 404 });
    await expect(createExperiment(store, { ...base, name: 'win-back' }, NOW)).rejects.toMatchObject({ code: 'experiment_exists', httpStatus: 409 });
    await expect(createExperiment(store, { ...base, groups: 'control:50' }, NOW)).rejects.toMatchObject({ code: 'invalid_groups' });
    await expect(createExperiment(store, { ...base, groups: 'control:50,control:50' }, NOW)).rejects.toThrow(/named twice/);
    await expect(createExperiment(store, { ...base, groups: 'control:50,b:0' }, NOW)).rejects.toThrow(/above 0/);
    await expect(createExperiment(store, { ...base, at: at(NOW, 1) }, NOW)).rejects.toMatchObject({ code: 'experiment_time_future' });
    await expect(createExperiment(store, { ...base, at: new Date('2020-01-01T00:00:00Z') }, NOW)).rejects.toMatchObject({ code: 'experiment_empty' });
    expect((await listExperiments(store)).map((x) => x.name)).toEqual(['win-back']);
  });
});

describe('exporting assignments', () => {
  it('writes customer_id, user_id, email, group, assigned_at with formulas neutralised', async () => {
    let csv = '';
    // No consent is recorded in this world: the emails are written as a shop keeping consent elsewhere asks.
    const { rows } = await writeAssignmentsCsv(store, 'win-back', (c) => void (csv += c), { pageSize: 300, unknownConsent: 'include' });
    expect(rows).toBe(N - 10);
    const lines = csv.trimEnd().split('\n');
    expect(lines[0]).toBe('customer_id,user_id,email,group,assigned_at');
    expect(lines).toHaveLength(N - 10 + 1);
    expect(lines[1]).toBe(`c0000,u0,c0000@example.com,${groupOf.get('c0000')},2024-03-01T00:00:00.000Z`);
    expect(lines[8]).toBe(`c0007,u7,"'=HYPERLINK(""http://x"")@example.com",${groupOf.get('c0007')},2024-03-01T00:00:00.000Z`);
  });
});

describe('analysing it', () => {
  it('aggregates in the database exactly what a direct computation over the generated data gives', async () => {
    const a = await analyzeExperiment(store, 'win-back', { asOf: NOW, windowDays: 30, metrics: 'conversion,revenue,email_opens' });
    expect(a.customers).toBe(N - 10);
    expect(a.complete_windows).toBe(N - 10);
    const cols = (g: string, f: (r: ReturnType<typeof truth.get> & object) => [number, number]) => {
      const members = [...groupOf].filter(([, x]) => x === g).map(([id]) => truth.get(id)!);
      return [members.map((r) => f(r)[0]), members.map((r) => f(r)[1])];
    };
    const checks: [string, 'mean' | 'proportion', (r: NonNullable<ReturnType<typeof truth.get>>) => [number, number]][] = [
      ['conversion', 'proportion', (r) => [r.postOrders > 0 ? 1 : 0, r.preOrders > 0 ? 1 : 0]],
      ['revenue', 'mean', (r) => [r.postRevenue, r.preRevenue]],
      ['email_opens', 'mean', (r) => [r.opensPost, r.opensPre]],
    ];
    for (const [metric, kind, f] of checks) {
      const expected = compareToControl(kind, momentsOf(cols('control', f)), momentsOf(cols('treatment', f)), N - 10);
      const got = a.metrics.find((m) => m.metric === metric)!.groups[1]!;
      expect(got.absolute_lift!.estimate).toBeCloseTo(expected.absolute_lift.estimate!, 9);
      expect(got.absolute_lift!.ci95[0]).toBeCloseTo(expected.absolute_lift.ci95[0]!, 9);
      expect(got.p_value).toBeCloseTo(expected.p_value!, 9);
      expect(got.relative_lift!.ci95[1]).toBeCloseTo(expected.relative_lift.ci95[1]!, 9);
      if (expected.cuped) expect(got.cuped!.absolute_lift.ci95[0]).toBeCloseTo(expected.cuped.absolute_lift.ci95[0]!, 9);
      else expect(got.cuped).toBeNull();
      expect(got.sequential!.absolute_lift.ci95[0]).toBeCloseTo(expected.sequential.absolute_lift.ci95[0]!, 9);
    }
  });

  it('reports the lift the data was built with, inside its interval, in the JSON shape the API promises', async () => {
    const a = await analyzeExperiment(store, 'win-back', { asOf: NOW, windowDays: 30 });
    expect(a.metrics.map((m) => m.metric)).toEqual(['conversion', 'orders', 'revenue', 'aov', 'email_opens', 'email_clicks', 'unsubscribes']);
    const conv = a.metrics[0]!;
    const [c, t] = conv.groups;
    expect(c).toMatchObject({ group: 'control', absolute_lift: null });
    expect(Object.keys(t!)).toEqual(expect.arrayContaining(['group', 'customers', 'mean', 'absolute_lift', 'relative_lift', 'p_value', 'cuped', 'sequential']));
    // Built in: 20% → 30%, a lift of 10 points.
    expect(t!.absolute_lift!.ci95[0]!).toBeLessThan(0.1);
    expect(t!.absolute_lift!.ci95[1]!).toBeGreaterThan(0.1);
    expect(t!.p_value!).toBeLessThan(0.001);
    expect(t!.summary).toMatch(/^treatment raised conversion\. Conversion \d+\.\d% in treatment vs \d+\.\d% in control: \+\d+\.\d points/);
    expect(typeof a.srm_p_value).toBe('number');
    // AOV: a ratio metric, defined where there are orders.
    expect(a.metrics[3]!.groups[1]!.mean).toBeGreaterThan(0);
    // Outside-window orders (day 35) never count: orders per customer stay below the conversion-based bound.
    expect(a.metrics[1]!.groups[0]!.mean).toBeLessThan(0.3);
  });

  it('says when the window is still open, and reads only what had happened by --as-of', async () => {
    const a = await analyzeExperiment(store, 'win-back', { asOf: at(T0, 10), windowDays: 30, metrics: 'conversion' });
    expect(a.complete_windows).toBe(0);
    expect(a.summary[0]).toMatch(/^Window still open: 0 of 1,990 customers have had their full 30 days; the figures will move until 2024-03-31/);
    // one day: "their full 1 day" (trial 6, D14)
    const oneDay = await analyzeExperiment(store, 'win-back', { asOf: at(T0, 0), windowDays: 1, metrics: 'conversion' });
    expect(oneDay.summary.join(' ')).toMatch(/have had their full 1 day[;.]/);
    const early = a.metrics[0]!.groups[1]!.mean!;
    const full = (await analyzeExperiment(store, 'win-back', { asOf: NOW, metrics: 'conversion' })).metrics[0]!.groups[1]!.mean!;
    expect(early).toBeLessThan(full);
  });

  it('says plainly when there is not enough data yet, with the customers still needed', async () => {
    await createSegment(store, { name: 'few', definition: { query: 'orders_count >= 1 and total_spent < 21' } });
    await createExperiment(store, { name: 'small', segment: 'few', groups: 'control:50,treatment:50', at: T0, salt: 's' }, NOW);
    const a = await analyzeExperiment(store, 'small', { asOf: NOW, metrics: 'conversion', mde: 0.1 });
    const t = a.metrics[0]!.groups[1]!;
    expect(t.power!.power).toBeLessThan(0.8);
    expect(t.summary).toMatch(/^not enough data yet: needs about [\d,]+ more customers (per group|in control and [\d,]+ more in treatment) to detect a 10% lift \(power now \d+%\); all customers were split at once/);
    await deleteExperiment(store, 'small');
  });

  it('gives no power for a lift a rate cannot reach (trial 9, E4), and power for the others', async () => {
    const a = await analyzeExperiment(store, 'win-back', { asOf: NOW, metrics: 'conversion,revenue', mde: 9 });
    const [conversion, revenue] = a.metrics;
    // 10 × the control's rate is past 100%: no group could show that lift.
    expect(conversion!.groups[0]!.mean! * 10).toBeGreaterThan(1);
    expect(conversion!.groups[1]!.power).toBeNull();
    expect(conversion!.groups[1]!.summary).not.toMatch(/lift would be found|to detect a/);
    expect(revenue!.groups[1]!.power).not.toBeNull();
    expect(liftPossible('proportion', 0.5, 1)).toBe(true);
    expect(liftPossible('proportion', 0.5, 1.01)).toBe(false);
    expect(liftPossible('mean', 0.9, 9)).toBe(true);
  });

  it('takes assignments from any registered source: the seam workflows will use', async () => {
    await store.run('CREATE TABLE test_workflow_splits (customer_id VARCHAR, variant VARCHAR, entered_at TIMESTAMP)');
    await store.run(
      `INSERT INTO test_workflow_splits SELECT customer_id, CASE WHEN group_name = 'control' THEN 'holdout' ELSE 'email' END, assigned_at FROM experiment_assignments`,
    );
    await sourcedExperiment(store, {
      kind: 'test-workflow',
      name: 'wf-holdout',
      sql: 'SELECT customer_id, variant AS group_name, entered_at AS assigned_at FROM test_workflow_splits WHERE $1 = $1',
      groups: [{ name: 'holdout', weight: 50 }, { name: 'email', weight: 50 }],
      assignedAt: T0,
      accrues: true,
    });
    const viaSource = await analyzeExperiment(store, 'wf-holdout', { asOf: NOW, metrics: 'conversion' });
    const direct = await analyzeExperiment(store, 'win-back', { asOf: NOW, metrics: 'conversion' });
    expect(viaSource.metrics[0]!.groups[1]!.absolute_lift).toEqual(direct.metrics[0]!.groups[1]!.absolute_lift);
    expect((await getExperiment(store, 'wf-holdout')).groups.map((g) => g.name)).toEqual(['holdout', 'email']);
    // its assignments export as a campaign's do, read through the source (one row per customer)
    let csv = '';
    const { rows } = await writeAssignmentsCsv(store, 'wf-holdout', (c) => void (csv += c));
    const n = await store.one<{ n: number }>('SELECT count(*)::INTEGER AS n FROM test_workflow_splits');
    expect(rows).toBe(n!.n);
    expect(new Set(csv.trim().split('\n').slice(1).map((l) => l.split(',')[3]))).toEqual(new Set(['holdout', 'email']));
  });

  it('rejects an unknown metric and an unknown experiment', async () => {
    await expect(analyzeExperiment(store, 'win-back', { metrics: 'conversion,happiness' })).rejects.toThrow(/unknown metric "happiness"/);
    await expect(analyzeExperiment(store, 'nope')).rejects.toMatchObject({ code: 'experiment_not_found', httpStatus: 404 });
  });
});
