import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateRecommendations } from '../../../src/predict/recommend/evaluate.js';
import { recommendProducts } from '../../../src/predict/recommend/recommend-customer.js';
import { frequentlyBoughtTogether } from '../../../src/predict/recommend/together.js';
import type { Store } from '../../../src/store/db.js';
import { hitRates as sqlHitRates } from '../../../src/store/queries/recommend-evaluate.js';
import { boughtTogether, recommendForCustomer } from '../../../src/store/queries/recommend.js';
import { seedShop, type ShopOrder } from '../../fixtures/predict/shop.js';
import { tempStore } from '../../helpers/store.js';
import * as brute from './brute-force.js';

let store: Store;
let orders: ShopOrder[];
let cleanup: () => void;

beforeAll(async () => {
  const t = await tempStore();
  store = t.store;
  cleanup = t.cleanup;
  orders = await seedShop(store, { customers: 400, seed: 9 });
});
afterAll(() => cleanup());

const asOf = new Date('2024-10-01T00:00:00Z');
const settings = [
  { asOf, minPair: 2, neighbours: 10, halfLifeDays: 30 },
  { asOf, minPair: 1, neighbours: 3, halfLifeDays: 5 },
];

/** Same ranking: equal scores (to rounding) in order, and equal ids wherever the scores are not tied. */
function expectSameRanking(got: { productId: string; score: number }[], want: brute.Scored[]): void {
  expect(got.map((g) => g.score)).toHaveLength(want.length);
  got.forEach((g, i) => {
    expect(g.score).toBeCloseTo(want[i]!.score, 10);
    const tiedWithNeighbour = [i - 1, i + 1].some((j) => want[j] && Math.abs(want[j]!.score - want[i]!.score) < 1e-9);
    if (!tiedWithNeighbour) expect(g.productId).toBe(want[i]!.productId);
  });
}

describe('co-occurrence in SQL against a brute-force count', () => {
  it.each(settings)('bought together (minPair $minPair, neighbours $neighbours)', async (o) => {
    const nb = brute.neighbours(orders, o);
    for (const p of ['g0p0', 'g3p2', 'g5p7']) {
      const got = await boughtTogether(store, p, 50, o);
      const want = nb.get(p) ?? [];
      expect(got.map((r) => [r.product_id, r.together])).toEqual(want.map((w) => [w.q, w.nPq]));
      got.forEach((r, i) => expect(r.cosine).toBeCloseTo(want[i]!.cosine, 12));
    }
  });

  it.each(settings)('recommendations for a customer (minPair $minPair, neighbours $neighbours)', async (o) => {
    for (const c of ['c00003', 'c00010', 'c00123', 'c00399']) {
      const got = await recommendForCustomer(store, c, 10, o);
      expectSameRanking(
        got.map((r) => ({ productId: r.product_id, score: r.score })),
        brute.recommend(orders, c, 10, o),
      );
    }
  });

  it.each(settings)('hit rates on a time split (minPair $minPair, neighbours $neighbours)', async (o) => {
    const want = brute.hitRates(orders, 10, o);
    const got = await sqlHitRates(store, 10, o);
    expect(got).toEqual({ customers: want.customers, cooccurrence_hits: want.cooc, popularity_hits: want.pop });
  });
});

describe('recommendation commands', () => {
  it('never recommends what the customer already bought and says why', async () => {
    const r = await recommendProducts(store, 'c00003', { n: 5 });
    const owned = new Set(orders.filter((o) => o.customerId === 'c00003').flatMap((o) => o.products));
    expect(r.recommendations).toHaveLength(5);
    for (const x of r.recommendations) {
      expect(owned.has(x.productId)).toBe(false);
      expect(x.reason).toMatch(x.becauseOf ? /^often bought with / : /^popular/);
    }
  });

  it('names unknown customers and products, and refuses bad counts', async () => {
    await expect(recommendProducts(store, 'nobody')).rejects.toMatchObject({ code: 'customer_not_found' });
    await expect(frequentlyBoughtTogether(store, 'no-such-product')).rejects.toMatchObject({ code: 'unknown_product' });
    await expect(recommendProducts(store, 'c00003', { n: 0 })).rejects.toMatchObject({ code: 'invalid_count' });
  });

  it('finds structure the popularity baseline cannot on the simulated shop', async () => {
    const e = await evaluateRecommendations(store, { split: asOf });
    expect(e.customers).toBeGreaterThan(50);
    expect(e.cooccurrence.hitRate).toBeGreaterThan(e.popularity.hitRate);
  });
});
