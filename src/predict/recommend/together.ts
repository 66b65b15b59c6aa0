import { SegmintError } from '../../domain/errors.js';
import type { Queryable } from '../../store/db.js';
import { boughtTogether, lastOrderAt, productInfo } from '../../store/queries/recommend.js';
import { DEFAULT_NEIGHBOURS, checkCount, cooccurrenceOptions } from './options.js';

export interface TogetherResult {
  readonly productId: string;
  readonly name: string | null;
  /** Orders holding the product. */
  readonly orders: number;
  readonly asOf: string;
  readonly together: readonly {
    readonly productId: string;
    readonly name: string | null;
    /** Orders holding both products. */
    readonly orders: number;
    /** n(p,q) / √(n(p)·n(q)): 1 when the two are always bought together. */
    readonly cosine: number;
    /** How many times more often than chance the two share an order. */
    readonly lift: number;
  }[];
}

/** "Frequently bought together": the products most often in the same order as productId, popularity-corrected. */
export async function frequentlyBoughtTogether(
  db: Queryable,
  productId: string,
  options: { n?: number; asOf?: Date } = {},
): Promise<TogetherResult> {
  const n = checkCount(options.n ?? 10);
  const asOf = options.asOf ?? (await lastOrderAt(db));
  if (!asOf) throw new SegmintError('no_orders', 'There are no orders in the store to learn from; import orders first.');
  const info = await productInfo(db, productId, asOf);
  if (!info) {
    throw new SegmintError('unknown_product', `No order contains a product with id ${productId}`, { productId }, 404);
  }
  // The neighbour cap exists for the bulk path; here it must not cut a longer list the user asked for.
  const rows = await boughtTogether(db, productId, n, cooccurrenceOptions(asOf, { neighbours: Math.max(n, DEFAULT_NEIGHBOURS) }));
  return {
    productId,
    name: info.name,
    orders: info.baskets,
    asOf: asOf.toISOString(),
    together: rows.map((r) => ({ productId: r.product_id, name: r.name, orders: r.together, cosine: r.cosine, lift: r.lift })),
  };
}
