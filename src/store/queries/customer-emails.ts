/**
 * SQL for a customer's email identities as a list in the order they were first seen (ties by value),
 * for customerEmails (src/profiles/customer-email.ts): the one definition every export of "the
 * customer's email" reads. `customerId` is a column expression of our own, never input.
 */
export function emailIdentitiesSql(customerId: string): string {
  return `(SELECT list(i.value ORDER BY i.first_seen_at, i.value) FROM identities i WHERE i.customer_id = ${customerId} AND i.kind = 'email')`;
}
