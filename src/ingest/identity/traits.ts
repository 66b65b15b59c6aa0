import type { Queryable } from '../../store/db.js';
import { customerTraits, writeCustomerTraits } from '../../store/queries/identity.js';

/**
 * Gives each survivor the union of its own traits and those of the customers it absorbed. Per key, the
 * value of the customer updated most recently wins (ties: the survivor's), so a merge never brings back
 * an older email or name over a newer one.
 */
export async function mergeTraitsInto(tx: Queryable, absorbed: ReadonlyMap<string, string>, at: Date): Promise<void> {
  const groups = new Map<string, string[]>();
  for (const [a, s] of absorbed) {
    const g = groups.get(s) ?? [];
    g.push(a);
    groups.set(s, g);
  }
  const rows = await customerTraits(tx, [...absorbed.keys(), ...groups.keys()]);
  const byId = new Map(rows.map((r) => [r.customer_id, r]));
  const writes: { id: string; traits: string; updatedAt: Date }[] = [];
  for (const [survivor, members] of groups) {
    const ordered = [...members, survivor]
      .map((id) => byId.get(id))
      .filter((r): r is NonNullable<typeof r> => r !== undefined)
      .sort((x, y) => x.updated_at.getTime() - y.updated_at.getTime() || (x.customer_id === survivor ? 1 : y.customer_id === survivor ? -1 : 0));
    const merged: Record<string, unknown> = {};
    for (const r of ordered) Object.assign(merged, parseTraits(r.traits));
    writes.push({ id: survivor, traits: JSON.stringify(merged), updatedAt: at });
  }
  await writeCustomerTraits(tx, writes);
}

function parseTraits(text: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
