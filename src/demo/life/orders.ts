import { MODEL } from '../params.js';
import { samplePoisson } from '../random/poisson.js';
import type { Draw } from '../random/prng.js';
import type { Product } from '../shop/catalog.js';
import { money } from '../sink.js';
import type { Life } from './life.js';

export interface Line {
  readonly product: Product;
  readonly quantity: number;
}

/** A basket: one line plus Poisson(extraLinesMean × ν) more, distinct products, quantity 1 or 2. */
export function basket(life: Life, favourite: number, spend: number): Line[] {
  const d = life.d;
  const n = 1 + samplePoisson(d.rand, Math.min(10, MODEL.extraLinesMean * spend));
  const lines: Line[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < n * 3 && lines.length < n; i++) {
    const product = life.shop.product(d, favourite);
    if (seen.has(product.id)) continue;
    seen.add(product.id);
    lines.push({ product, quantity: d.chance(MODEL.doubleQuantity) ? 2 : 1 });
  }
  return lines;
}

export function basketCents(lines: readonly Line[]): number {
  return lines.reduce((s, l) => s + l.product.priceCents * l.quantity, 0);
}

/** Segment's products[] array: each product's properties plus its quantity. */
export function productsJson(lines: readonly Line[]): string {
  return '[' + lines.map((l) => withQuantity(l.product, l.quantity)).join(',') + ']';
}

export function withQuantity(p: Product, quantity: number): string {
  return `${p.json.slice(0, -1)},"quantity":${quantity}}`;
}

/**
 * Writes an order exactly as the importers store one: the orders row (kind 'order', revenue = the sum
 * of its lines) and one order_lines row per line, linked to the Order Completed event's message id.
 */
export function writeOrder(life: Life, orderId: string, kind: 'order' | 'refund', t: number, lines: readonly Line[], sign: 1 | -1, messageId: string): void {
  const total = sign * basketCents(lines);
  life.out.row('orders', `${orderId}\t${life.customerId}\t${kind}\t${t}\t${money(total)}\t${MODEL.currency}\t${messageId}`);
  lines.forEach((l, i) => {
    const p = l.product;
    const amount = sign * p.priceCents * l.quantity;
    life.out.row('order_lines', `${orderId}\t${i + 1}\t${p.id}\t${p.name}\t${p.category}\t${money(p.priceCents)}\t${l.quantity}\t${money(amount)}`);
  });
}

/**
 * Maybe refunds an order 2–21 days after it: the whole order, or for a multi-line basket often just one
 * line (a return). Writes the Order Refunded event and a kind 'refund' row with negative revenue.
 */
export function maybeRefund(life: Life, orderId: string, placedAt: number, lines: readonly Line[]): void {
  const d: Draw = life.d;
  if (!d.chance(MODEL.refundShare)) return;
  const t = placedAt + d.int(2, 21) * 86400 + d.int(0, 36000);
  if (t >= life.shop.endSec) return;
  const returned = lines.length > 1 && d.chance(0.5) ? [d.pick(lines)] : lines;
  const cents = basketCents(returned);
  const props = `{"order_id":"${orderId}","total":${money(cents)},"revenue":${money(-cents)},"currency":"${MODEL.currency}","products":${productsJson(returned)}}`;
  // Refunds are sent by the shop's backend: no browser, so no anonymous id and no page context.
  const messageId = life.event('track', 'Order Refunded', t, props, null, 0, true);
  writeOrder(life, `${orderId}/refund`, 'refund', t, returned, -1, messageId);
}
