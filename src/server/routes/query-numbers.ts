import { z } from 'zod';
import { decimalNumberText, wholeNumberText } from '../../domain/whole-number.js';

/**
 * Numbers in a query string, read by the CLI's grammar (domain/whole-number.ts) rather than by
 * `z.coerce.number()`, whose `Number()` also reads `1e1`, `0x10`, ` 12`, `Infinity` and, for a whole
 * number, `1.0`: text no user means as a count, which the CLI refuses. A text outside the grammar is left
 * as it is and fails the number schema, so the answer is the server's usual 400 (`invalid_request`, errors.ts)
 * naming the parameter, the value sent and the range accepted. test/server/query-numbers.test.ts walks
 * every route's query schema for a bare coercion.
 */

/** A text the grammar reads becomes its number; anything else (another text, a repeated parameter) is kept, to be refused. */
function readBy(grammar: (text: string) => number) {
  return (v: unknown): unknown => {
    if (typeof v !== 'string') return v;
    const n = grammar(v);
    return Number.isNaN(n) ? v : n;
  };
}

/** A query parameter that is a whole number of decimal digits from `min` to `max` (inclusive; no upper bound when absent). */
export function queryWhole(min: number, max?: number) {
  const n = z.number().int().min(min);
  return z.preprocess(readBy(wholeNumberText), max === undefined ? n : n.max(max));
}

/** A query parameter that is a decimal number (digits with an optional point: `0.05`, `.5`, `1`) from `min` to `max`. */
export function queryDecimal(min: number, max: number) {
  return z.preprocess(readBy(decimalNumberText), z.number().min(min).max(max));
}
