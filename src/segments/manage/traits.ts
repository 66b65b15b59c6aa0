/** The traits worth showing beside a customer id in a sample, in the order they are shown. */
const SHOWN = ['email', 'name', 'first_name', 'last_name', 'country', 'city', 'plan'];

/** Picks the few recognisable traits from a customer's traits JSON (text as stored). */
export function sampleTraits(json: string | null): Record<string, unknown> {
  const all = parseTraits(json);
  const out: Record<string, unknown> = {};
  for (const key of SHOWN) if (all[key] !== undefined && all[key] !== null) out[key] = all[key];
  return out;
}

export function parseTraits(json: string | null): Record<string, unknown> {
  if (!json) return {};
  try {
    const v = JSON.parse(json) as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** A trait by dotted path (`address.city`); a key containing dots is tried whole first. */
export function traitAt(traits: Record<string, unknown>, path: string): unknown {
  if (path in traits) return traits[path];
  let cur: unknown = traits;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}
