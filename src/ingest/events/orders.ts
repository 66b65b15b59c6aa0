import { lineKindOf, type LineKind } from '../../domain/line-kinds.js';
import { LIMITS } from './message.js';
import { identifierProblem } from './text.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface LiveOrderLine {
  readonly lineNo: number;
  readonly productId?: string;
  readonly name?: string;
  readonly category?: string;
  readonly price: number;
  readonly quantity: number;
  readonly amount: number;
  /** product, or what else the line is (shipping, fee, ...): its `kind` property, else its name */
  readonly kind: LineKind;
}

/** An order (or refund) carried by a track event, shaped like an imported one. */
export interface LiveOrder {
  readonly orderId: string;
  readonly kind: 'order' | 'refund';
  readonly revenue: number;
  readonly currency?: string;
  readonly lines: readonly LiveOrderLine[];
}

/** Which track events are orders, per Segment's e-commerce spec (names compared case-insensitively). */
export function orderKindOf(event: string | undefined): 'order' | 'refund' | undefined {
  const e = event?.trim().toLowerCase();
  if (e === 'order completed') return 'order';
  if (e === 'order refunded') return 'refund';
  return undefined;
}

/**
 * Reads the order of an `Order Completed` / `Order Refunded` event.
 *
 * - order id: properties.order_id (required).
 * - amount: the sum of products[].price × products[].quantity (quantity defaults to 1) when products are
 *   given, else properties.revenue, else properties.total.
 * - a refund is its own row: order id `<order_id>:refund:<messageId>`, kind 'refund', negative revenue,
 *   so partial refunds of one order add up and a resent event (same messageId) counts once. To refund a
 *   whole order, send its total.
 * Returns the problems instead when the event cannot be read as an order.
 */
export function parseOrder(
  kind: 'order' | 'refund',
  properties: Obj | undefined,
  messageId: string,
): { order: LiveOrder } | { issues: { field: string; message: string }[] } {
  const issues: { field: string; message: string }[] = [];
  const p = properties ?? {};
  const rawId = p.order_id;
  const orderId = typeof rawId === 'string' && rawId.trim() !== '' ? rawId.trim() : typeof rawId === 'number' ? String(rawId) : undefined;
  if (orderId === undefined) issues.push({ field: 'properties.order_id', message: `an ${kind === 'order' ? 'Order Completed' : 'Order Refunded'} event needs the order id` });
  const idProblem = orderId === undefined ? undefined : identifierProblem(orderId, LIMITS.identifierChars);
  if (idProblem) issues.push({ field: 'properties.order_id', message: idProblem });

  const lines: LiveOrderLine[] = [];
  const products = p.products;
  if (products !== undefined && !Array.isArray(products)) issues.push({ field: 'properties.products', message: 'must be an array' });
  if (Array.isArray(products)) {
    products.forEach((raw, i) => {
      const field = `properties.products[${i}]`;
      if (!isObj(raw)) {
        issues.push({ field, message: 'must be an object' });
        return;
      }
      const price = numberOf(raw.price);
      const quantity = raw.quantity === undefined || raw.quantity === null ? 1 : numberOf(raw.quantity);
      if (price === undefined) issues.push({ field: `${field}.price`, message: given(raw.price) ? notANumber(raw.price) : 'must be a number' });
      else if (Math.abs(price) >= MAX_AMOUNT) issues.push({ field: `${field}.price`, message: `${price} is beyond the amounts accepted (less than ${MAX_AMOUNT_TEXT} in size)` });
      if (quantity === undefined || quantity <= 0) issues.push({ field: `${field}.quantity`, message: quantity === undefined ? notANumber(raw.quantity) : 'must be a positive number' });
      else if (quantity > MAX_QUANTITY) issues.push({ field: `${field}.quantity`, message: `${quantity} is beyond the quantities accepted (at most ${MAX_QUANTITY.toLocaleString('en-US')})` });
      if (price === undefined || Math.abs(price) >= MAX_AMOUNT || quantity === undefined || quantity <= 0 || quantity > MAX_QUANTITY) return;
      // The line's amount is what the store keeps and sums: it must fit too, not only its factors.
      if (Math.abs(price * quantity) >= MAX_AMOUNT) {
        issues.push({ field, message: `the line amount price × quantity = ${price * quantity} is beyond the amounts accepted (less than ${MAX_AMOUNT_TEXT} in size)` });
        return;
      }
      for (const key of ['product_id', 'sku', 'id'] as const) {
        const v = raw[key];
        const problem = typeof v === 'string' ? identifierProblem(v, LIMITS.identifierChars) : undefined;
        if (problem) issues.push({ field: `${field}.${key}`, message: problem });
      }
      const sign = kind === 'refund' ? -1 : 1;
      lines.push({
        lineNo: i + 1,
        productId: textOf(raw.product_id) ?? textOf(raw.sku) ?? textOf(raw.id),
        name: textOf(raw.name),
        category: textOf(raw.category),
        price,
        quantity,
        amount: sign * round4(price * quantity),
        kind: lineKindOf({ kind: raw.kind, name: textOf(raw.name) }),
      });
    });
  }
  let amount: number | undefined;
  // A line may be negative (a discount line); the order's amount is the signed sum of its lines.
  if (Array.isArray(products) && products.length > 0) amount = lines.reduce((sum, l) => sum + l.price * l.quantity, 0);
  else {
    amount = numberOf(p.revenue) ?? numberOf(p.total);
    // A revenue (or total) that is there but not a number is named as such, with its value (trial 12, C9:
    // "12,50" was refused as if no revenue had been given). A number in total still serves, as before.
    const bad = given(p.revenue) ? 'revenue' : given(p.total) ? 'total' : undefined;
    if (amount === undefined && bad === undefined) issues.push({ field: 'properties.revenue', message: 'give products (price, quantity), or revenue, or total' });
    else if (amount === undefined && bad !== undefined) issues.push({ field: `properties.${bad}`, message: notANumber(p[bad]) });
  }
  // The store keeps money as DECIMAL(18,4); a larger amount is a mistake, not an order.
  if (amount !== undefined && Math.abs(amount) >= MAX_AMOUNT) {
    const from = Array.isArray(products) && products.length > 0 ? 'properties.products' : p.revenue !== undefined ? 'properties.revenue' : 'properties.total';
    issues.push({ field: from, message: `the order amount ${amount} is beyond the amounts accepted (less than ${MAX_AMOUNT_TEXT} in size)` });
  }
  if (issues.length > 0 || orderId === undefined || amount === undefined) return { issues };
  const currency = textOf(p.currency)?.toUpperCase();
  return {
    order: {
      orderId: kind === 'refund' ? `${orderId}:refund:${messageId}` : orderId,
      kind,
      revenue: kind === 'refund' ? -round4(Math.abs(amount)) : round4(amount),
      currency,
      lines,
    },
  };
}

function numberOf(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/** Whether a property is there at all (null and "" count as absent, as numberOf reads them). */
function given(v: unknown): boolean {
  return v !== undefined && v !== null && !(typeof v === 'string' && v.trim() === '');
}

/**
 * The problem with a value given where a number belongs, the value quoted as sent (cut to 40 characters)
 * with the form expected: `"12,50" is not a number: write it with a decimal point and no thousands
 * separators, e.g. 12.50`. A decimal comma, thousands separators, "NaN" or an object all read this way.
 */
function notANumber(v: unknown): string {
  const shown = JSON.stringify(v) ?? String(v);
  return `${shown.length > 40 ? `${shown.slice(0, 39)}…` : shown} is not a number: write it with a decimal point and no thousands separators, e.g. 12.50`;
}

function textOf(v: unknown): string | undefined {
  if (typeof v === 'string' && v.trim() !== '') return v.trim();
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

/**
 * Amounts of a line and of an order are below 10^12 in size; quantities at most 10^9. The store keeps
 * money as DECIMAL(18,4) per order and DECIMAL(38,x) per customer, so no accepted input overflows.
 */
export const MAX_AMOUNT = 1e12;
/** MAX_AMOUNT as messages write it. */
export const MAX_AMOUNT_TEXT = '1,000,000,000,000';
const MAX_QUANTITY = 1e9;
const round4 = (n: number): number => Math.round(n * 10_000) / 10_000;
