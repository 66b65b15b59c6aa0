import { canonicalText, isPlausibleEmail } from './identifiers.js';

/**
 * A customer's emails for an export, best first (docs/segments.md, "the email trait, else the first
 * email seen"): the email trait (what the customer last told us; the newer data wins, docs/identity.md),
 * then the email identities in the order they were first seen (`identityEmails`, as
 * emailIdentitiesSql lists them). Only plausible emails, each once after NFC (canonicalText), trimming
 * and lower-casing; returned in NFC and trimmed. Every export that names "the customer's email" takes the first (customerEmail).
 */
export function customerEmails(trait: unknown, identityEmails: readonly string[] | null | undefined): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const c of [trait, ...(identityEmails ?? [])]) {
    if (typeof c !== 'string') continue;
    const text = canonicalText(c).trim();
    const norm = text.toLowerCase();
    if (!isPlausibleEmail(norm) || seen.has(norm)) continue;
    seen.add(norm);
    out.push(text);
  }
  return out;
}

/** The customer's email in force, or undefined when they have none (customerEmails, first). */
export function customerEmail(trait: unknown, identityEmails: readonly string[] | null | undefined): string | undefined {
  return customerEmails(trait, identityEmails)[0];
}
