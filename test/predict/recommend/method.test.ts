import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseMethod, givenMethod, methodForShop, recordChoice } from '../../../src/predict/recommend/method.js';
import { recommendProducts } from '../../../src/predict/recommend/recommend-customer.js';
import { evaluationText, recommendationsText } from '../../../src/predict/recommend/text.js';
import type { Store } from '../../../src/store/db.js';
import { popularForCustomer } from '../../../src/store/queries/predict/recommend/popular.js';
import { insertOrders, seedShop, type ShopOrder } from '../../fixtures/predict/shop.js';
import { runCli } from '../../helpers/cli.js';
import { storePerTest, tempStore } from '../../helpers/store.js';
import { itemCounts } from './brute-force.js';

const evaluations = () => {
  let count = 0;
  return { count: () => count, onEvaluating: () => void count++ };
};

describe('the recommender a shop gets is the one its own evaluation shows beats best-sellers', () => {
  // One product group and 40 products: baskets follow global popularity, co-purchases carry nothing
  // more, and on the default split best-sellers hit 69 next orders against co-occurrence's 67.
  let flat: Store;
  let flatDb: string;
  let flatOrders: ShopOrder[];
  let cleanupFlat: () => void;
  // Six groups, each customer mostly in one: co-occurrence finds the group (45 hits against 29).
  let grouped: Store;
  let cleanupGrouped: () => void;
  beforeAll(async () => {
    const a = await tempStore();
    ({ store: flat, path: flatDb, cleanup: cleanupFlat } = a);
    flatOrders = await seedShop(flat, { customers: 400, seed: 9, groups: 1, productsPerGroup: 40 });
    const b = await tempStore();
    ({ store: grouped, cleanup: cleanupGrouped } = b);
    await seedShop(grouped, { customers: 400, seed: 9 });
  });
  afterAll(() => {
    cleanupFlat();
    cleanupGrouped();
  });

  it('where co-occurrence loses to best-sellers, best-sellers are recommended, and the output says why', async () => {
    const ev = evaluations();
    const r = await recommendProducts(flat, 'c00003', { n: 5, onEvaluating: ev.onEvaluating });
    expect(ev.count()).toBe(1);
    expect(r.method).toMatchObject({ method: 'popularity', how: 'evaluation' });
    expect(r.method.evaluation).toMatchObject({ customers: 102, n: 10 });
    expect(r.method.evaluation!.popularityHitRate).toBeGreaterThan(r.method.evaluation!.cooccurrenceHitRate);
    expect(r.method.reason).toMatch(
      /^Best-sellers the customer has not bought, chosen by this shop's evaluation of \d{4}-\d{2}-\d{2}: on the next orders after 2024-10-01 \(102 customers\) co-occurrence hit 65\.7% and best-sellers 67\.6%; co-occurrence did worse, so best-sellers are recommended\.$/,
    );
    expect(r.recommendations.every((x) => x.becauseOf === null && /^popular \(in \d+ orders?\)$/.test(x.reason))).toBe(true);
    expect(recommendationsText(r)).toContain(`Method: ${r.method.reason}`);
  });

  it('keeps the choice until new orders arrive, then evaluates again', async () => {
    const ev = evaluations();
    await recommendProducts(flat, 'c00004', { n: 3, onEvaluating: ev.onEvaluating });
    expect(ev.count()).toBe(0);
    const stored = await flat.all('SELECT method FROM recommend_method_choices');
    expect(stored).toEqual([{ method: 'popularity' }]);
    const last = Math.max(...flatOrders.map((o) => o.placedAt.getTime()));
    await insertOrders(flat, [{ orderId: 'late-1', customerId: 'c00004', placedAt: new Date(last + 86_400_000), products: ['g0p1'] }]);
    await recommendProducts(flat, 'c00004', { n: 3, onEvaluating: ev.onEvaluating });
    expect(ev.count()).toBe(1);
    expect(await flat.all('SELECT count(*)::INTEGER AS n FROM recommend_method_choices')).toEqual([{ n: 2 }]);
  });

  it('where co-occurrence wins, it is used; --method overrides the choice either way', async () => {
    const r = await recommendProducts(grouped, 'c00003', { n: 5 });
    expect(r.method.method).toBe('cooccurrence');
    expect(r.method.reason).toMatch(/^Co-occurrence \(bought together with what this customer bought\), chosen by this shop's evaluation .*co-occurrence hit 44\.1% and best-sellers 28\.4%\.$/);
    const forced = await recommendProducts(grouped, 'c00003', { n: 5, method: 'popularity' });
    expect(forced.method).toEqual(givenMethod('popularity'));
    expect(forced.method.reason).toBe('Best-sellers the customer has not bought, as asked (--method popularity).');
  });

  it('the popularity method ranks best-sellers the customer has not bought, as counted by hand', async () => {
    const asOf = new Date('2024-10-01T00:00:00Z');
    const counts = itemCounts(flatOrders, asOf);
    const owned = new Set(flatOrders.filter((o) => o.customerId === 'c00010' && o.placedAt <= asOf).flatMap((o) => o.products));
    const want = [...counts.entries()]
      .filter(([p]) => !owned.has(p))
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, 8)
      .map(([p, n]) => [p, n]);
    const got = await popularForCustomer(flat, 'c00010', 8, asOf);
    expect(got.map((r) => [r.product_id, r.popularity])).toEqual(want);
  });

  it('`recommend evaluate` prints and stores the choice; `recommend --method` refuses a method it does not know', async () => {
    const text = await runCli(flatDb, 'recommend', 'evaluate');
    expect(text).toMatch(/\n`segmint recommend CUSTOMER` now recommends best-sellers: co-occurrence did not beat them here\.$/m);
    const json = JSON.parse(await runCli(flatDb, 'recommend', 'evaluate', '--json'));
    expect(json).toMatchObject({ chosen: 'popularity' });
    // The same evaluation of the same data again keeps the stored row and its date.
    const rows = await flat.all<{ n: number }>('SELECT count(*)::INTEGER AS n FROM recommend_method_choices');
    await runCli(flatDb, 'recommend', 'evaluate', '--json');
    expect(await flat.all('SELECT count(*)::INTEGER AS n FROM recommend_method_choices')).toEqual(rows);
    await expect(runCli(flatDb, 'recommend', 'c00003', '--method', 'magic')).rejects.toMatchObject({ code: 'invalid_option' });
  });
});

describe('recommendations on degenerate stores', () => {
  const store = storePerTest();
  const one = (customerId: string, day: string, products: string[], k = 0) => ({ orderId: `${customerId}-${k}`, customerId, placedAt: new Date(`${day}T12:00:00Z`), products });

  it('no customer with an order before and after the split: best-sellers, saying why', async () => {
    const s = await store();
    await insertOrders(s, [one('a', '2024-01-01', ['x', 'y']), one('b', '2024-01-02', ['y', 'z'])]);
    const m = await methodForShop(s);
    expect(m).toMatchObject({ method: 'popularity', how: 'no evaluation possible', evaluation: null });
    expect(m.reason).toBe("best-sellers, because the shop's history cannot test co-occurrence yet (No customer has an order both before and after the split 2023-10-04).");
    const r = await recommendProducts(s, 'a', { n: 5 });
    expect(r.recommendations.map((x) => x.productId)).toEqual(['z']);
    expect(r.note).toBe('Only 1 product is left that the customer has not bought.');
    expect(recommendationsText(r)).toMatch(/^Recommended for a \(1 order so far\):\n {2}1\. z {2}z {2}— popular \(in 1 order\)\n {2}Only 1 product is left/);
  });

  it('a customer who bought everything, and a store without product lines', async () => {
    const s = await store();
    await insertOrders(s, [one('a', '2024-01-01', ['x', 'y'])]);
    const r = await recommendProducts(s, 'a', { method: 'cooccurrence' });
    expect(r.recommendations).toEqual([]);
    expect(r.note).toBe('The customer has already bought every product in the store.');
    const bare = await store();
    await bare.run("INSERT INTO customers VALUES ('solo', now(), now(), '{}', NULL)");
    await bare.run("INSERT INTO orders VALUES ('o1', 'solo', 'order', '2024-01-01 10:00:00', 10, 'EUR', NULL, 'test')");
    await expect(recommendProducts(bare, 'solo')).rejects.toThrow(
      'No order up to 2024-01-01 has product lines, so there is nothing to recommend from; import orders with their lines (product ids).',
    );
  });

  it('words every branch of the choice', () => {
    const e = (c: number, p: number) => ({ cooccurrence: { hits: c, hitRate: c / 10 }, popularity: { hits: p, hitRate: p / 10 } });
    expect(chooseMethod(e(5, 4))).toBe('cooccurrence');
    expect(chooseMethod(e(4, 4))).toBe('popularity'); // a tie is not a win over the baseline
    expect(chooseMethod(e(3, 4))).toBe('popularity');
    const ev = { split: '2024-10-01T00:00:00.000Z', n: 10, customers: 1, ...e(1, 0) };
    expect(evaluationText(ev, givenMethod('cooccurrence'))).toBe(
      [
        'Split 2024-10-01: 1 customer with an order before and after it.',
        'Hit rate at 10 (any recommended product in their next order):',
        '  co-occurrence  10.0%  (1)',
        '  popularity     0.0%  (0)',
        '`segmint recommend CUSTOMER` now uses co-occurrence: it beat best-sellers here.',
      ].join('\n'),
    );
    expect(givenMethod('cooccurrence').reason).toBe('Co-occurrence (bought together with what this customer bought), as asked (--method cooccurrence).');
  });

  it('a tie between the two keeps best-sellers, and says co-occurrence did no better', async () => {
    const s = await store();
    const tie = { split: '2024-10-01T00:00:00.000Z', n: 10, customers: 4, cooccurrence: { hits: 2, hitRate: 0.5 }, popularity: { hits: 2, hitRate: 0.5 } };
    const m = await recordChoice(s, tie, new Date('2024-12-01T00:00:00Z'), new Date('2024-12-02T00:00:00Z'));
    expect(m.reason).toBe(
      "Best-sellers the customer has not bought, chosen by this shop's evaluation of 2024-12-02: on the next orders after 2024-10-01 (4 customers) co-occurrence hit 50.0% and best-sellers 50.0%; co-occurrence did no better, so best-sellers are recommended.",
    );
  });
});
