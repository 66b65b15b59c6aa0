import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { compileSegment, evaluateSegment, loadCustomerState, unparse, type SegmentAst } from '../../../src/segments/index.js';
import { Store } from '../../../src/store/db.js';
import { definitionArb, namedSegments } from './arbitraries.js';
import { asOfArb, customerArb, expectLoadedState, loadWorld, stateOf, worldArb, type WorldCustomer } from './world.js';

const resolveSegment = (name: string) => namedSegments[name];

/** Runs the compiled query and the evaluator over the same customers; throws with the case on a difference. */
async function agree(store: Store, ast: SegmentAst, world: readonly WorldCustomer[], asOf: Date): Promise<void> {
  const { sql, parameters } = compileSegment(ast, { asOf, resolveSegment });
  const fromSql = (await store.all<{ customer_id: string }>(sql, parameters as never)).map((r) => r.customer_id).sort();
  const inMemory = world
    .filter((c) => !c.merged && evaluateSegment(ast, stateOf(c), { asOf, resolveSegment }).member)
    .map((c) => c.id)
    .sort();
  if (JSON.stringify(fromSql) !== JSON.stringify(inMemory)) {
    const only = (a: string[], b: string[]) => a.filter((x) => !b.includes(x));
    const diff = [...only(fromSql, inMemory), ...only(inMemory, fromSql)];
    const customers = world.filter((c) => diff.includes(c.id));
    throw new Error(
      `as_of ${asOf.toISOString()}: ${unparse(ast)}\nonly in SQL: ${only(fromSql, inMemory).join(',')}\n` +
        `only in memory: ${only(inMemory, fromSql).join(',')}\n${JSON.stringify(customers)}`,
    );
  }
}

describe('compiled SQL and the in-memory evaluator agree', () => {
  let store: Store;
  beforeAll(async () => {
    // In memory: the property is about semantics, and one store is reused by every run.
    store = await Store.open(':memory:');
  });
  afterAll(() => store.close());

  it('on 40 random customers, for 1,000 random definitions at random as_of', async () => {
    // A pool of customers loaded once (ids unique across the pool); each run is one definition, one
    // as_of, one query, and every customer of the pool compared.
    const seed = Date.now() % 1_000_000;
    const pool = fc
      .sample(fc.array(fc.nat(), { minLength: 40, maxLength: 40 }).chain((xs) => fc.tuple(...xs.map((_, i) => customerArb(`p${i}`)))), { numRuns: 1, seed })[0]!
      .map((c) => ({ ...c, merged: c.merged && c.id !== 'p0' }));
    await loadWorld(store, pool);
    await fc.assert(
      fc.asyncProperty(definitionArb, asOfArb, async (ast, asOf) => {
        try {
          await agree(store, ast, pool, new Date(asOf));
        } catch (e) {
          throw new Error(`customer pool seed ${seed}: ${(e as Error).message}`, { cause: e });
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('on small worlds generated (and shrunk) with the definition (100 runs)', async () => {
    await fc.assert(
      fc.asyncProperty(definitionArb, worldArb, asOfArb, async (ast, world, asOf) => {
        await loadWorld(store, world);
        await agree(store, ast, world, new Date(asOf));
      }),
      { numRuns: 100 },
    );
  });

  it('loadCustomerState reads back what the world put in the store', async () => {
    await fc.assert(
      fc.asyncProperty(worldArb, async (world) => {
        await loadWorld(store, world);
        for (const c of world) {
          const loaded = await loadCustomerState(store, c.id);
          expectLoadedState(loaded, c);
        }
      }),
      { numRuns: 15 },
    );
  });
});
