import { customerEmail } from '../../domain/customer-email.js';
import { parseTraitsJson } from '../../domain/traits-json.js';

/**
 * SQL for a customer's email identities as a list in the order they were first seen (ties by value),
 * for customerEmails (src/domain/customer-email.ts): the one definition every export of "the
 * customer's email" reads. `customerId` is a column expression of our own, never input.
 */
export function emailIdentitiesSql(customerId: string): string {
  return `(SELECT list(i.value ORDER BY i.first_seen_at, i.value) FROM identities i WHERE i.customer_id = ${customerId} AND i.kind = 'email')`;
}

/**
 * Rows read with their `traits` (JSON text) and `emails` (emailIdentitiesSql), each given its `email` in
 * force (customerEmail: the trait, else the first email seen), without the `emails` list: for the
 * places that show or use one email of a customer (lists, search, sends).
 */
export function withCustomerEmail<R extends { traits: string | null; emails: readonly string[] | null }>(rows: readonly R[]): (Omit<R, 'emails'> & { email: string | null })[] {
  return rows.map(({ emails, ...rest }) => ({ ...rest, email: customerEmail(parseTraitsJson(rest.traits).email, emails) ?? null }));
}
