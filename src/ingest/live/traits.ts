import type { Queryable } from '../../store/db.js';
import { identifyTraitsSince } from '../../store/queries/events.js';
import { customerTraits, writeCustomerTraits } from '../../store/queries/identity.js';
import type { IncomingEvent } from '../events/message.js';

type Obj = Record<string, unknown>;

/**
 * Merges the traits of identify calls into customers.traits, key by key: a key takes the value of the
 * latest identify call (by event time) that set it, so an old event arriving late (a phone coming back
 * online) does not overwrite a newer value. Keys no call mentions keep their value.
 */
export async function applyIdentifyTraits(
  tx: Queryable,
  events: readonly { e: IncomingEvent; customerId: string | null }[],
  touched: Set<string>,
): Promise<void> {
  const byCustomer = new Map<string, IncomingEvent[]>();
  for (const { e, customerId } of events) {
    if (customerId === null || e.type !== 'identify' || !e.traits || Object.keys(e.traits).length === 0) continue;
    const list = byCustomer.get(customerId) ?? [];
    list.push(e);
    byCustomer.set(customerId, list);
  }
  if (byCustomer.size === 0) return;
  const ids = [...byCustomer.keys()];
  const earliest = new Date(Math.min(...[...byCustomer.values()].flat().map((e) => e.timestamp.getTime())));
  // Newer stored identify calls, per customer and key: the time of the newest that set the key.
  const newerStored = new Map<string, Map<string, number>>();
  for (const row of await identifyTraitsSince(tx, ids, earliest)) {
    const keys = newerStored.get(row.customer_id) ?? new Map<string, number>();
    for (const k of Object.keys(parseObj(row.traits))) keys.set(k, Math.max(keys.get(k) ?? -Infinity, row.timestamp.getTime()));
    newerStored.set(row.customer_id, keys);
  }
  const current = new Map((await customerTraits(tx, ids)).map((r) => [r.customer_id, parseObj(r.traits)]));
  const writes: { id: string; traits: string; updatedAt: Date }[] = [];
  for (const [id, list] of byCustomer) {
    const traits = { ...(current.get(id) ?? {}) };
    const stored = newerStored.get(id);
    let latest = 0;
    let changed = false;
    for (const e of [...list].sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime())) {
      latest = Math.max(latest, e.timestamp.getTime());
      for (const [k, v] of Object.entries(e.traits!)) {
        if ((stored?.get(k) ?? -Infinity) > e.timestamp.getTime()) continue;
        traits[k] = v;
        changed = true;
      }
    }
    if (!changed) continue;
    writes.push({ id, traits: JSON.stringify(traits), updatedAt: new Date(latest) });
    touched.add(id);
  }
  await writeCustomerTraits(tx, writes);
}

function parseObj(text: string): Obj {
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {};
  } catch {
    return {};
  }
}
