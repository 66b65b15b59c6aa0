import { SegmintError } from '../domain/errors.js';
import { canonicalText, findOrStoredForm } from '../domain/identifiers.js';
import { wholeNumberIn } from '../domain/whole-number.js';
import type { Queryable } from '../store/db.js';
import { searchCustomerRows } from '../store/queries/profiles/search.js';
import { parseObject } from './profile.js';

export interface CustomerSearchHit {
  customer_id: string;
  /** what matched: customer_id, order_id, name, email, user_id, anonymous_id, external:<type> */
  matched: { kind: string; value: string; exact: boolean };
  traits: Record<string, unknown>;
  email: string | null;
  user_id: string | null;
  orders_count: number;
  total_spent: number;
  last_order_at: Date | null;
}

export interface CustomerSearch {
  query: string;
  hits: CustomerSearchHit[];
}

/** The most hits one search returns (`--limit`, `limit` with `q`). */
export const SEARCH_LIMIT_MAX = 100;

/**
 * Finds customers by any identifier a person may have at hand: the whole of a customer id, order id,
 * email, user id, anonymous id or external id (such as an Online Retail CustomerID), or the start of
 * an identifier or a name (case-insensitive; two characters at least for names), in NFC whatever form
 * the text was typed in (canonicalText: macOS and many copy-pastes give `e` + U+0301 for `é`). Exact matches first,
 * then by net spend; at most `limit` (1 to SEARCH_LIMIT_MAX, 100; more is refused, not cut) hits. A
 * value that finds nothing is searched for as the id an import stored for it (`12347.0` → `12347`,
 * `00004` → `4`: storedIdForm), as every lookup by identifier does (customersForIdentifier).
 */
export async function searchCustomers(db: Queryable, query: string, limit = 20): Promise<CustomerSearch> {
  // In NFC, the form identities are stored in (canonicalText): `rene` + U+0301 + `e` finds `renée`.
  const q = canonicalText(query).trim();
  if (q === '') throw new SegmintError('search_empty', 'Type an email, user id, anonymous id, order id, customer id or name to search for.', { field: 'q' });
  if (q.length > 200) throw new SegmintError('search_too_long', 'The search text is longer than 200 characters.', { field: 'q' });
  const n = wholeNumberIn(limit, 'limit', 1, SEARCH_LIMIT_MAX);
  const rows = await findOrStoredForm(q, (v) => searchCustomerRows(db, v, n));
  return {
    query: q,
    hits: rows.map((r) => ({
      customer_id: r.customer_id,
      matched: { kind: r.matched_kind, value: r.matched_value, exact: r.exact },
      traits: parseObject(r.traits),
      email: r.email,
      user_id: r.user_id,
      orders_count: r.orders_count,
      total_spent: r.total_spent,
      last_order_at: r.last_order_at,
    })),
  };
}
