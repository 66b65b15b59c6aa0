import { describe, expect, it } from 'vitest';
import { analyzeExperiment } from '../../src/measure/experiments/analyze.js';
import { writeAssignmentsCsv } from '../../src/measure/experiments/assignments.js';
import { getExperiment } from '../../src/measure/experiments/manage.js';
import { registerWorkflowAssignmentSource } from '../../src/workflows/assignment-source.js';
import { insertExperiment } from '../../src/store/queries/measure/experiments.js';
import { anon, at, resolvingStore, set, u } from '../identity/sets.js';
import { appendOrders } from './shop.js';

/*
 * Trial 8, D2: a person who was assigned twice under two profiles — an anonymous visitor and a known
 * customer, both entering a workflow (or both in a campaign's segment) — and then merged by an identify
 * is one person (docs/experiments.md, "Assignment sources": one row per customer, its first assignment,
 * merges followed to the survivor). Every experiment source must count them once: n, SRM, conversion
 * and the assignments export. The merge is the real identity resolution, not a hand-set merged_into.
 */
registerWorkflowAssignmentSource();
const world = resolvingStore();
const T = at(0);
const ASOF = new Date(T.getTime() + 40 * 86_400_000);

/** Ten known customers and one anonymous visitor, assigned; then the visitor is merged into u1. */
async function setUp(assign: (rows: { customer: string; group: string; at: Date }[]) => Promise<void>): Promise<{ survivor: string }> {
  const ids: string[] = [];
  for (let i = 0; i < 10; i++) ids.push((await world.resolve(set(i + 1, u(`u${i}`))))[0]!);
  const [visitor] = await world.resolve(set(20, anon('a1')));
  // u0-u4 holdout, u5-u9 treatment; the visitor entered first (minute 30) into treatment, u1 later (minute 40) into holdout.
  const rows = ids.map((c, i) => ({ customer: c, group: i < 5 ? 'holdout' : 'treatment', at: at(i === 1 ? 40 : 30 + i) }));
  rows.push({ customer: visitor!, group: 'treatment', at: at(30) });
  await assign(rows);
  const [survivor] = await world.resolve(set(50, u('u1'), anon('a1')));
  expect(survivor).toBe(ids[1]);
  expect((await world.store.one<{ m: string }>('SELECT merged_into AS m FROM customers WHERE customer_id = $1', [visitor!]))?.m).toBe(survivor);
  // the person orders once, after the merge
  await appendOrders(world.store, [{ customer: survivor!, at: at(60), revenue: 30 }]);
  return { survivor: survivor! };
}

async function expectCountedOnce(name: string, survivor: string): Promise<void> {
  const a = await analyzeExperiment(world.store, name, { asOf: ASOF, windowDays: 14, metrics: 'conversion' });
  expect(a.customers).toBe(10);
  // first assignment wins: the visitor's treatment at minute 30, before u1's holdout at minute 40
  expect(a.srm.observed).toEqual({ holdout: 4, treatment: 6 });
  const [holdout, treatment] = a.metrics[0]!.groups;
  expect(holdout!.customers).toBe(4);
  expect(treatment!.mean).toBeCloseTo(1 / 6, 12);
  expect(holdout!.mean).toBe(0);
  expect((await getExperiment(world.store, name)).groups.map((g) => g.customers)).toEqual([4, 6]);
  let csv = '';
  expect((await writeAssignmentsCsv(world.store, name, (c) => void (csv += c))).rows).toBe(10);
  expect(csv.split('\n').filter((l) => l.startsWith(survivor))).toEqual([expect.stringMatching(new RegExp(`^${survivor},u1,,treatment,`))]);
}

const experiment = (id: string, name: string, source: string, ref: Record<string, string>) =>
  insertExperiment(world.store, {
    experiment_id: id, name, source, source_ref: ref, segment_id: null,
    groups: [{ name: 'holdout', weight: 50 }, { name: 'treatment', weight: 50 }],
    salt: 's', assigned_at: T, planned_customers: null, description: null, created_at: T,
  });

describe('a person assigned under two profiles that were then merged counts once', () => {
  it('in a workflow holdout (workflow_assignments, runs of both profiles)', async () => {
    const { survivor } = await setUp(async (rows) => {
      for (const [i, r] of rows.entries()) {
        await world.store.run(
          `INSERT INTO workflow_assignments (run_id, step_id, workflow_id, workflow_name, version, customer_id, variant, assigned_at)
           VALUES ($1, 'entry', 'wf1', 'vipflow', 1, $2, $3, $4)`,
          [`run${i}`, r.customer, r.group, r.at],
        );
      }
    });
    await experiment('wf-wf1-entry', 'workflow vipflow holdout', 'workflow', { workflow_id: 'wf1', workflow: 'vipflow', step_id: 'entry' });
    await expectCountedOnce('workflow vipflow holdout', survivor);
  });

  it('in a one-off campaign (experiment_assignments)', async () => {
    const { survivor } = await setUp(async (rows) => {
      for (const r of rows) {
        await world.store.run('INSERT INTO experiment_assignments (experiment_id, customer_id, group_name, assigned_at) VALUES ($1, $2, $3, $4)', ['e1', r.customer, r.group, r.at]);
      }
    });
    await experiment('e1', 'winback', 'campaign', {});
    await expectCountedOnce('winback', survivor);
  });
});
