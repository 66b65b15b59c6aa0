import { canonicalText } from '../../domain/identifiers.js';
import { isMember } from '../state/customer.js';
import type { EngineModel } from './model.js';

/** The live segments a customer is in now, with since when, by name; undefined for a customer the model does not hold. */
export function membershipsOf(model: EngineModel, customerId: string): { segmentId: string; name: string; since: Date }[] | undefined {
  const rec = model.customers.get(customerId);
  if (!rec) return undefined;
  const out: { segmentId: string; name: string; since: Date }[] = [];
  for (const e of model.plans.values()) {
    if (isMember(rec, e.slot)) out.push({ segmentId: e.plan.segmentId, name: e.plan.name, since: new Date(rec.since[e.slot]!) });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The members of a live segment now (customer id → since), or undefined when the segment is not live. */
export function membersOf(model: EngineModel, name: string): Map<string, Date> | undefined {
  // Names are stored in NFC: so is the one looked up.
  const nfc = canonicalText(name);
  const entry = [...model.plans.values()].find((e) => e.plan.name === nfc);
  if (!entry) return undefined;
  const out = new Map<string, Date>();
  for (const rec of model.customers.values()) if (isMember(rec, entry.slot)) out.set(rec.id, new Date(rec.since[entry.slot]!));
  return out;
}
