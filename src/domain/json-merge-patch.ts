/**
 * JSON Merge Patch (RFC 7396, section 2): `patch` applied to `target`. A patch that is not an object
 * replaces the target; in an object patch a null member removes that key, an object member is merged
 * into the target's member the same way, anything else replaces it. Neither argument is changed.
 *
 * The store applies workflow traits with DuckDB's json_merge_patch (the same RFC); this is the same
 * rule in memory, so a branch can read the traits a run set before they are stored (a property test
 * holds the two to each other).
 */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
