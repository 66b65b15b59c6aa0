import { normaliseTraitValue } from '../../domain/identifiers.js';
import { isConsentTrait } from '../../privacy/consent/channels.js';
import type { Queryable } from '../../store/db.js';
import { writeCustomerTraits } from '../../store/queries/identity.js';
import { traitsAndTimesOf, writeTraitTimes, type TraitTimeWrite } from '../../store/queries/traits.js';
import type { IncomingEvent } from '../events/message.js';

type Obj = Record<string, unknown>;

/**
 * Merges the traits of identify calls into customers.traits, key by key: a key takes the value of the
 * call with the latest time (the event's timestamp) unless the value in force is from newer data of
 * any source (trait_times: an import of a later export, a later identify), so an old event arriving
 * late, or after a newer import, changes nothing. Keys no call mentions keep their value.
 *
 * Identifier traits (email) are stored normalised as their identities are (normaliseTraitValue).
 *
 * `<channel>_consent` keys are consent decisions, not traits: recordConsent keeps that trait equal to
 * the consent in force, so they are skipped here.
 *
 * Returns, for each customer an identify call with traits named, the customers.traits JSON text this
 * call left (what it wrote, or what it read when nothing changed): the real-time engine takes it
 * instead of reading the row again. A consent decision stored after this call still changes that
 * customer's `<channel>_consent` key.
 */
export async function applyIdentifyTraits(
  tx: Queryable,
  events: readonly { e: IncomingEvent; customerId: string | null }[],
  touched: Set<string>,
): Promise<Map<string, string>> {
  const byCustomer = new Map<string, IncomingEvent[]>();
  for (const { e, customerId } of events) {
    if (customerId === null || e.type !== 'identify' || !e.traits || Object.keys(e.traits).length === 0) continue;
    const list = byCustomer.get(customerId) ?? [];
    list.push(e);
    byCustomer.set(customerId, list);
  }
  const after = new Map<string, string>();
  if (byCustomer.size === 0) return after;
  const ids = [...byCustomer.keys()];
  const { traits: read, times } = await traitsAndTimesOf(tx, ids);
  for (const r of read) after.set(r.customer_id, r.traits);
  const current = new Map(read.map((r) => [r.customer_id, parseObj(r.traits)]));
  const writes: { id: string; traits: string; updatedAt: Date }[] = [];
  const timeWrites: TraitTimeWrite[] = [];
  for (const [id, list] of byCustomer) {
    const traits = { ...(current.get(id) ?? {}) };
    const known = times.get(id) ?? new Map<string, number>();
    let latest = 0;
    let changed = false;
    for (const e of [...list].sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime())) {
      const at = e.timestamp.getTime();
      for (const [k, sent] of Object.entries(e.traits!)) {
        if (isConsentTrait(k) || (known.get(k) ?? -Infinity) > at) continue;
        // An identifier trait (email) is kept as its identity is: trimmed and lower-cased.
        const v = normaliseTraitValue(k, sent);
        known.set(k, at);
        timeWrites.push({ customerId: id, trait: k, decidedAt: e.timestamp, source: `identify:${e.messageId}` });
        if (JSON.stringify(traits[k]) === JSON.stringify(v)) continue;
        traits[k] = v;
        changed = true;
        latest = Math.max(latest, at);
      }
    }
    if (!changed) continue;
    const text = JSON.stringify(traits);
    writes.push({ id, traits: text, updatedAt: new Date(latest) });
    // only a customer whose row was read has one to update
    if (after.has(id)) after.set(id, text);
    touched.add(id);
  }
  await writeCustomerTraits(tx, writes);
  await writeTraitTimes(tx, timeWrites);
  return after;
}

function parseObj(text: string): Obj {
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {};
  } catch {
    return {};
  }
}
