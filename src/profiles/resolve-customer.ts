import { SegmintError } from '../domain/errors.js';
import { storedIdForm } from '../domain/identifiers.js';
import type { Queryable } from '../store/db.js';
import { isSuppressedValue } from '../privacy/suppression.js';
import { customersForIdentifier } from '../store/queries/customers.js';

/**
 * The one customer an identifier means: a customer id, a user id, an email, or an external id such as
 * an Online Retail CustomerID (`12347`). None or several is a user error that says so; an identifier of
 * an erased person is `customer_erased` (404, docs/privacy.md) on every route, not `customer_not_found`.
 */
export async function resolveCustomer(db: Queryable, identifier: string): Promise<string> {
  const ids = await customersForIdentifier(db, identifier.trim());
  if (ids.length === 0) {
    // An erased person's id as the file writes it (00004) is theirs as the import stored it (4).
    const stored = storedIdForm(identifier);
    if ((await isSuppressedValue(db, identifier)) || (stored !== undefined && (await isSuppressedValue(db, stored)))) throw erasedCustomer(identifier);
    throw new SegmintError('customer_not_found', `No customer has the identifier "${identifier}".`, { identifier }, 404);
  }
  if (ids.length > 1) {
    throw new SegmintError(
      'customer_ambiguous',
      `"${identifier}" identifies ${ids.length} customers (${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ', …' : ''}); use a customer id.`,
      { identifier, customers: ids.slice(0, 20) },
      409,
    );
  }
  return ids[0]!;
}

/** The answer for an identifier of an erased person: only a keyed hash of it remains. */
export function erasedCustomer(identifier: string): SegmintError {
  return new SegmintError(
    'customer_erased',
    `"${identifier}" belongs to an erased customer: segmint holds nothing about them but a keyed hash of the identifier, which keeps their data from coming back.`,
    { identifier },
    404,
  );
}
