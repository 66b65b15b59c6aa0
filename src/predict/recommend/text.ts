import type { RecommendEvaluation } from './evaluate.js';
import type { MethodInUse } from './method.js';
import type { CustomerRecommendations } from './recommend-customer.js';

/**
 * The text of `segmint recommend CUSTOMER`: who, the method and why, the list, and why it is short.
 * Names are printed trimmed: shop data such as Online Retail's descriptions end in blanks.
 */
export function recommendationsText(r: CustomerRecommendations): string {
  return [
    `Recommended for ${r.customerId} (${r.ordersSoFar} order${r.ordersSoFar === 1 ? '' : 's'} so far):`,
    ...r.recommendations.map((x, i) => `${String(i + 1).padStart(3)}. ${x.productId}  ${(x.name ?? '').trim()}  — ${x.reason}`),
    ...(r.note ? [`  ${r.note}`] : []),
    `Method: ${r.method.reason}`,
  ].join('\n');
}

/** The text of `segmint recommend evaluate`: both hit rates and the method that becomes the default. */
export function evaluationText(e: RecommendEvaluation, choice: MethodInUse): string {
  return [
    `Split ${e.split.slice(0, 10)}: ${e.customers} customer${e.customers === 1 ? '' : 's'} with an order before and after it.`,
    `Hit rate at ${e.n} (any recommended product in their next order):`,
    `  co-occurrence  ${(100 * e.cooccurrence.hitRate).toFixed(1)}%  (${e.cooccurrence.hits})`,
    `  popularity     ${(100 * e.popularity.hitRate).toFixed(1)}%  (${e.popularity.hits})`,
    choice.method === 'cooccurrence'
      ? '`segmint recommend CUSTOMER` now uses co-occurrence: it beat best-sellers here.'
      : '`segmint recommend CUSTOMER` now recommends best-sellers: co-occurrence did not beat them here.',
  ].join('\n');
}
