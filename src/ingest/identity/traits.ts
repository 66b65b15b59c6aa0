import type { Queryable } from '../../store/db.js';
import { customerTraits, writeCustomerTraits } from '../../store/queries/identity.js';
import { replaceTraitTimes, traitTimeRows } from '../../store/queries/traits.js';

/**
 * Gives each survivor the union of its own traits and those of the customers it absorbed. Per key, the
 * value set by the newest data wins (trait_times, the time of the data that set it); a key with no known
 * time loses to one with a time, and among those the customer updated most recently wins (ties: the
 * survivor's). So a merge never brings back an older email or name over a newer one. The survivor keeps
 * the winning values' times.
 */
export async function mergeTraitsInto(tx: Queryable, absorbed: ReadonlyMap<string, string>, at: Date): Promise<void> {
  const groups = new Map<string, string[]>();
  for (const [a, s] of absorbed) {
    const g = groups.get(s) ?? [];
    g.push(a);
    groups.set(s, g);
  }
  const all = [...absorbed.keys(), ...groups.keys()];
  const rows = await customerTraits(tx, all);
  const byId = new Map(rows.map((r) => [r.customer_id, r]));
  const times = new Map<string, Map<string, { at: number; source: string }>>();
  for (const t of await traitTimeRows(tx, all)) {
    const m = times.get(t.customer_id) ?? new Map<string, { at: number; source: string }>();
    m.set(t.trait, { at: t.decided_at.getTime(), source: t.source });
    times.set(t.customer_id, m);
  }
  const writes: { id: string; traits: string; updatedAt: Date }[] = [];
  const survivorTimes = new Map<string, Map<string, { at: number; source: string }>>();
  for (const [survivor, members] of groups) {
    // Oldest update first, the survivor last among equals: a later entry wins a tie.
    const ordered = [...members, survivor]
      .map((id) => byId.get(id))
      .filter((r): r is NonNullable<typeof r> => r !== undefined)
      .sort((x, y) => x.updated_at.getTime() - y.updated_at.getTime() || (x.customer_id === survivor ? 1 : y.customer_id === survivor ? -1 : 0));
    const merged: Record<string, unknown> = {};
    const best = new Map<string, { at: number; source: string } | undefined>();
    for (const r of ordered) {
      const own = times.get(r.customer_id);
      for (const [k, v] of Object.entries(parseTraits(r.traits))) {
        const t = own?.get(k);
        const held = best.get(k);
        if (k in merged && (held?.at ?? -Infinity) > (t?.at ?? -Infinity)) continue;
        merged[k] = v;
        best.set(k, t);
      }
    }
    const kept = new Map<string, { at: number; source: string }>();
    for (const [k, t] of best) if (t) kept.set(k, t);
    survivorTimes.set(survivor, kept);
    writes.push({ id: survivor, traits: JSON.stringify(merged), updatedAt: at });
  }
  await writeCustomerTraits(tx, writes);
  await replaceTraitTimes(tx, [...absorbed.keys()], survivorTimes);
}

function parseTraits(text: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
