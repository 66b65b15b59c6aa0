import { SegmintError } from '../../domain/errors.js';
import type { Queryable } from '../../store/db.js';
import { customersForIdentifier } from '../../store/queries/customers.js';

/**
 * Turns what a person typed (a customer id, or a user id / email the customer is known by, e.g. the
 * Online Retail CustomerID 17850) into one surviving customer id, or a typed error naming the problem.
 */
export async function resolveCustomer(db: Queryable, ref: string): Promise<string> {
  const ids = await customersForIdentifier(db, ref.trim());
  if (ids.length === 0) throw new SegmintError('unknown_customer', `No customer with id or identifier ${ref}`, { customer: ref }, 404);
  if (ids.length > 1) {
    throw new SegmintError(
      'ambiguous_customer',
      `${ref} identifies ${ids.length} customers (${ids.slice(0, 5).join(', ')}); use a customer id.`,
      { customer: ref, candidates: ids.slice(0, 20) },
    );
  }
  return ids[0] as string;
}
