import type { ShopOrder } from '../../fixtures/predict/shop.js';

/**
 * The recommendation definitions of docs/recommendations.md computed the slow, obvious way in memory,
 * to check the SQL against. Orders of the fixture hold one line per product.
 */
export interface BruteOptions {
  readonly asOf: Date;
  readonly minPair: number;
  readonly neighbours: number;
  readonly halfLifeDays: number;
}

export function itemCounts(orders: readonly ShopOrder[], asOf: Date): Map<string, number> {
  const n = new Map<string, number>();
  for (const o of orders) if (o.placedAt <= asOf) for (const p of o.products) n.set(p, (n.get(p) ?? 0) + 1);
  return n;
}

/** Each product's kept neighbours: cosine over baskets, pairs with ≥ minPair baskets, best `neighbours`. */
export function neighbours(orders: readonly ShopOrder[], o: BruteOptions): Map<string, { q: string; nPq: number; cosine: number }[]> {
  const n = itemCounts(orders, o.asOf);
  const pair = new Map<string, number>();
  for (const ord of orders) {
    if (ord.placedAt > o.asOf) continue;
    for (const p of ord.products) for (const q of ord.products) if (p !== q) pair.set(`${p}|${q}`, (pair.get(`${p}|${q}`) ?? 0) + 1);
  }
  const out = new Map<string, { q: string; nPq: number; cosine: number }[]>();
  for (const [key, nPq] of pair) {
    if (nPq < o.minPair) continue;
    const [p, q] = key.split('|') as [string, string];
    const list = out.get(p) ?? [];
    list.push({ q, nPq, cosine: nPq / Math.sqrt(n.get(p)! * n.get(q)!) });
    out.set(p, list);
  }
  for (const [p, list] of out) {
    list.sort((a, b) => b.cosine - a.cosine || (a.q < b.q ? -1 : 1));
    out.set(p, list.slice(0, o.neighbours));
  }
  return out;
}

export interface Scored {
  readonly productId: string;
  readonly score: number;
}

/** Top n unbought products for a customer: recency-weighted summed cosine, then popularity, then id. */
export function recommend(orders: readonly ShopOrder[], customerId: string, n: number, o: BruteOptions): Scored[] {
  const counts = itemCounts(orders, o.asOf);
  const nb = neighbours(orders, o);
  const lastBought = new Map<string, number>();
  for (const ord of orders) {
    if (ord.customerId !== customerId || ord.placedAt > o.asOf) continue;
    for (const p of ord.products) lastBought.set(p, Math.max(lastBought.get(p) ?? -Infinity, ord.placedAt.getTime()));
  }
  const score = new Map<string, number>();
  for (const [p, t] of lastBought) {
    const w = 2 ** (-(o.asOf.getTime() - t) / 86_400_000 / o.halfLifeDays);
    for (const { q, cosine } of nb.get(p) ?? []) if (!lastBought.has(q)) score.set(q, (score.get(q) ?? 0) + cosine * w);
  }
  return [...counts.keys()]
    .filter((p) => !lastBought.has(p))
    .map((p) => ({ productId: p, score: score.get(p) ?? 0, pop: counts.get(p)! }))
    .sort((a, b) => b.score - a.score || b.pop - a.pop || (a.productId < b.productId ? -1 : 1))
    .slice(0, n)
    .map(({ productId, score: s }) => ({ productId, score: s }));
}

/** Hit rate at n of the next order after the split, for co-occurrence and popularity. */
export function hitRates(orders: readonly ShopOrder[], n: number, o: BruteOptions): { customers: number; cooc: number; pop: number } {
  const counts = itemCounts(orders, o.asOf);
  const before = new Set(orders.filter((x) => x.placedAt <= o.asOf).map((x) => x.customerId));
  const next = new Map<string, ShopOrder>();
  for (const x of orders) {
    if (x.placedAt <= o.asOf || !before.has(x.customerId)) continue;
    const cur = next.get(x.customerId);
    if (!cur || x.placedAt < cur.placedAt || (x.placedAt.getTime() === cur.placedAt.getTime() && x.orderId < cur.orderId)) next.set(x.customerId, x);
  }
  let cooc = 0;
  let pop = 0;
  for (const [c, x] of next) {
    const truth = new Set(x.products);
    if (recommend(orders, c, n, o).some((r) => truth.has(r.productId))) cooc++;
    const owned = new Set(orders.filter((y) => y.customerId === c && y.placedAt <= o.asOf).flatMap((y) => y.products));
    const popular = [...counts.entries()]
      .filter(([p]) => !owned.has(p))
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, n);
    if (popular.some(([p]) => truth.has(p))) pop++;
  }
  return { customers: next.size, cooc, pop };
}
