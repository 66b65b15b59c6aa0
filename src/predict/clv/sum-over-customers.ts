import type { Summaries } from './summary.js';

/**
 * Σ over the customers of weight × term(x, tₓ, T): the shape every model's log-likelihood has. Rows of
 * compressed summaries stand for several customers (weight); plain ones for one each.
 */
export function sumOverCustomers(d: Summaries, term: (x: number, tx: number, T: number) => number): number {
  const w = d.weight;
  let total = 0;
  for (let i = 0; i < d.x.length; i++) {
    total += (w ? (w[i] as number) : 1) * term(d.x[i] as number, d.tx[i] as number, d.T[i] as number);
  }
  return total;
}
