import type { CustomerSearch } from './search.js';

/** The text form of `segmint customers search`. */
export function renderSearch(s: CustomerSearch): string {
  if (s.hits.length === 0) return `Nobody matches "${s.query}".`;
  const out = [`${s.hits.length} customer${s.hits.length === 1 ? '' : 's'} matching "${s.query}":`];
  for (const h of s.hits) {
    out.push(
      `  ${h.customer_id.padEnd(25)} ${h.matched.kind}: ${h.matched.value}${h.matched.exact ? '' : ' (starts with)'}  ` +
        `${h.orders_count} orders, ${h.total_spent.toFixed(2)} net`,
    );
  }
  return out.join('\n');
}
