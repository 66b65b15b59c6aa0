import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  compileSegment,
  evaluateSegment,
  loadCustomerState,
  parseSegment,
  type CustomerState,
  type SegmentAst,
} from '../../../src/segments/index.js';
import type { Param, Store } from '../../../src/store/db.js';
import { loadWorld, type FixtureWorld } from '../../fixtures/segments/world.js';
import { tempStore } from '../../helpers/store.js';
import { cases, type ConformanceCase } from './cases.js';

/** One way of answering "who is in this segment at as_of": the table below runs against each. */
interface Implementation {
  readonly name: string;
  members(world: LoadedWorld, ast: SegmentAst, asOf: Date, resolve: (n: string) => SegmentAst | undefined): Promise<string[]>;
}

interface LoadedWorld {
  store: Store;
  states: CustomerState[];
}

const implementations: readonly Implementation[] = [
  {
    name: 'SQL (compileSegment on DuckDB)',
    async members(world, ast, asOf, resolve) {
      const { sql, parameters } = compileSegment(ast, { asOf, resolveSegment: resolve });
      // no DISTINCT: one row per member is part of the compiler's contract (preview and refresh rely on it)
      const rows = await world.store.all<{ customer_id: string }>(
        `SELECT customer_id FROM (${sql}) AS q ORDER BY customer_id`,
        parameters as Param[],
      );
      return rows.map((r) => r.customer_id);
    },
  },
  {
    name: 'evaluator (evaluateSegment on loaded states)',
    async members(world, ast, asOf, resolve) {
      return world.states
        .filter((s) => evaluateSegment(ast, s, { asOf, resolveSegment: resolve }).member)
        .map((s) => s.customerId)
        .sort();
    },
  },
];

function parse(text: string): SegmentAst {
  const { ast, diagnostics } = parseSegment(text);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (!ast || errors.length > 0) throw new Error(`does not parse: ${text}\n${JSON.stringify(errors)}`);
  return ast;
}

const worlds = new Map<FixtureWorld, LoadedWorld>();
const cleanups: (() => void)[] = [];

beforeAll(async () => {
  for (const world of new Set(cases.map((c) => c.world))) {
    const t = await tempStore();
    cleanups.push(t.cleanup);
    await loadWorld(t.store, world);
    const states = await Promise.all(world.map((c) => loadCustomerState(t.store, c.id)));
    worlds.set(world, { store: t.store, states });
  }
});

afterAll(() => cleanups.forEach((c) => c()));

function run(impl: Implementation, c: ConformanceCase): () => Promise<void> {
  return async () => {
    const ast = parse(c.query);
    const saved = new Map(Object.entries(c.segments ?? {}).map(([n, q]) => [n, parse(q)]));
    const got = await impl.members(worlds.get(c.world)!, ast, new Date(c.asOf), (n) => saved.get(n));
    expect(got, c.query).toEqual([...c.expected].sort());
  };
}

it('the table has at least 60 cases, with unique names', () => {
  expect(cases.length).toBeGreaterThanOrEqual(60);
  expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
});

for (const impl of implementations) {
  describe(impl.name, () => {
    for (const c of cases) it(`${c.name}: ${c.query}`, run(impl, c));
  });
}
