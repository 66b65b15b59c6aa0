import type { IngestOutcome } from '../../ingest/live/ingest.js';
import type { Queryable } from '../../store/db.js';
import { committedEvents } from '../../store/queries/realtime/state.js';
import type { StreamDef } from '../plan/streams.js';
import type { CustomerRecord } from '../state/customer.js';
import { profileChanges } from '../state/profile.js';
import { loadProfiles } from './load.js';
import type { Stage } from './stage.js';
import { addToStreams, mergeCustomer, pruneRecord, reevaluate, removeCustomer } from './steps.js';

/**
 * What one commit of live events changes, at the step's clock: merges first (the absorbed customer
 * leaves its segments, its streams join the survivor's), then the touched customers' profiles are read
 * again (traits, consent, metrics: only what definitions read), then the stored events go into the
 * streams whose where clause they satisfy. Only definitions reading something that changed are
 * evaluated.
 */
export async function applyCommit(tx: Queryable, stage: Stage, outcome: IngestOutcome): Promise<void> {
  const changed = new Map<string, Set<string>>();
  const keysOf = (id: string): Set<string> => {
    let k = changed.get(id);
    if (!k) changed.set(id, (k = new Set()));
    return k;
  };
  const survivorOf = (id: string): string => {
    let at = id;
    for (let hops = 0; outcome.merged.has(at) && hops < 50; hops++) at = outcome.merged.get(at)!;
    return at;
  };

  const touched = new Set(outcome.customers);
  for (const id of outcome.merged.keys()) touched.delete(id);
  for (const s of outcome.merged.values()) touched.add(survivorOf(s));
  const { live, merged } = await loadProfiles(tx, stage.reads, [...touched]);

  const recordOf = (id: string): CustomerRecord | undefined => {
    const existing = stage.mutable(id);
    if (existing) return existing;
    const profile = live.get(id);
    if (!profile) return undefined;
    keysOf(id).add('*');
    return stage.create(id, profile);
  };

  for (const [absorbed, to] of outcome.merged) {
    const survivor = recordOf(survivorOf(to));
    if (!survivor) continue;
    mergeCustomer(stage, absorbed, survivor);
    keysOf(survivor.id).add('*');
  }
  for (const id of merged.keys()) removeCustomer(stage, id);
  for (const id of touched) {
    const profile = live.get(id);
    if (!profile) continue;
    const rec = recordOf(id)!;
    if (rec.profile !== profile) {
      profileChanges(rec.profile, profile, stage.reads, keysOf(id));
      rec.profile = profile;
    }
  }

  const byEvent = new Map<string, StreamDef[]>();
  for (const def of stage.streams.values()) byEvent.set(def.event, [...(byEvent.get(def.event) ?? []), def]);
  if (byEvent.size > 0) {
    for (const row of await committedEvents(tx, [...outcome.stored], [...byEvent.keys()])) {
      if (row.customer_id === null || row.event === null) continue;
      const defs = byEvent.get(row.event);
      if (!defs) continue;
      const rec = recordOf(row.customer_id);
      if (!rec) continue;
      const properties: unknown = row.properties ? JSON.parse(row.properties) : null;
      if (addToStreams(stage, rec, defs, row.t, properties)) keysOf(rec.id).add(`e:${row.event}`);
    }
  }

  for (const [id, keys] of changed) {
    const rec = stage.mutable(id);
    if (!rec) continue;
    reevaluate(stage, rec, keys);
    pruneRecord(stage, rec);
  }
}
