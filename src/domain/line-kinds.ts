/**
 * What an order line is. Only `product` lines are products: they alone enter product analytics
 * (distinct_products, top_category, baskets, co-occurrence, recommendations). Every line, whatever its
 * kind, counts towards revenue. Rules and overrides: docs/importing.md, "Line kinds".
 */
export const LINE_KINDS = ['product', 'shipping', 'fee', 'discount', 'adjustment', 'gift_card'] as const;
export type LineKind = (typeof LINE_KINDS)[number];

export function isLineKind(v: unknown): v is LineKind {
  return typeof v === 'string' && (LINE_KINDS as readonly string[]).includes(v);
}

/**
 * Online Retail's stock codes that are not products (checked against the UCI file: every code that is
 * not five digits and an optional letter, with its description and what its lines add up to).
 */
export const ONLINE_RETAIL_CODES: Readonly<Record<string, LineKind>> = {
  POST: 'shipping', // POSTAGE
  DOT: 'shipping', // DOTCOM POSTAGE
  C2: 'shipping', // CARRIAGE
  'BANK CHARGES': 'fee',
  AMAZONFEE: 'fee', // AMAZON FEE
  CRUK: 'fee', // CRUK Commission
  D: 'discount', // Discount
  M: 'adjustment', // Manual (also written m)
  B: 'adjustment', // Adjust bad debt
  ADJUST: 'adjustment', // Online Retail II: Adjustment by john
  ADJUST2: 'adjustment',
  S: 'adjustment', // SAMPLES (credited)
  PADS: 'adjustment', // PADS TO MATCH ALL CUSHIONS, a placeholder at 0.001
  TEST001: 'adjustment', // Online Retail II test lines
  TEST002: 'adjustment',
};

/** Online Retail codes by prefix: gift_0001_10 … gift_0001_50 are Dotcomgiftshop gift vouchers. */
export const ONLINE_RETAIL_PREFIXES: Readonly<Record<string, LineKind>> = { GIFT_: 'gift_card' };

/**
 * Line names that mean a line is not a product, where a source has no codes of its own (Shopify line
 * items, live `Order Completed` products, generic files). Matched against the whole name, lower-cased
 * and trimmed, so "Shipping box" stays a product.
 */
export const NAME_RULES: ReadonlyArray<readonly [pattern: string, kind: LineKind]> = [
  ['(shipping|postage|delivery|carriage|freight)( (fee|charge|charges|cost|costs|protection|insurance))?', 'shipping'],
  ['route (package|shipping) protection', 'shipping'],
  ['(tip|tips|gratuity|service fee|handling|handling fee|payment fee|processing fee|transaction fee|bank charges?|cod fee|small order fee)', 'fee'],
  ['(discount|coupon|promo|promotion)', 'discount'],
  ['(adjustment|manual|rounding|correction|price adjustment)', 'adjustment'],
  ['(\\$|€|£)?[0-9.,]* ?(gift ?card|gift voucher|e-gift card)( .*)?', 'gift_card'],
];

const COMPILED = NAME_RULES.map(([p, k]) => [new RegExp(`^(?:${p})$`, 'i'), k] as const);

/**
 * The kind of a line from what a live event or a file says of it: an explicit kind wins, then a name
 * rule; everything else is a product.
 */
export function lineKindOf(line: { kind?: unknown; name?: string | undefined }): LineKind {
  if (isLineKind(line.kind)) return line.kind;
  const name = line.name?.trim().replace(/\s+/g, ' ');
  if (name) for (const [re, kind] of COMPILED) if (re.test(name)) return kind;
  return 'product';
}
