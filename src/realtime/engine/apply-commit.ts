import { consentOf } from '../../ingest/events/consent.js';
import { orderKindOf } from '../../ingest/events/orders.js';
import type { IngestOutcome } from '../../ingest/live/ingest.js';
import type { Queryable } from '../../store/db.js';
import { consentRows, customerHeads, tableRows } from '../../store/queries/realtime/state.js';
import type { StreamDef } from '../plan/streams.js';
import type { CustomerRecord } from '../state/customer.js';
import { parseTraitsJson } from '../../domain/traits-json.js';
import { profileChanges, pruneTraits } from '../state/profile.js';
import { loadProfiles } from './load.js';
import type { Stage } from './stage.js';
import { addToStreams, mergeCustomer, pruneRecord, reevaluate, removeCustomer } from './steps.js';

const METRICS = 'customer_metrics';

/**
 * Which parts of a customer's profile an event may change, so that applyCommit reads them again:
 * traits (an identify call with traits), consent (a decision), metrics (an order).
 */
export function profileParts(e: IngestOutcome['events'][number]['event']): { traits: boolean; consent: boolean; metrics: boolean } {
  return {
    traits: e.type === 'identify' && e.traits !== undefined && Object.keys(e.traits).length > 0,
    consent: consentOf(e).length > 0,
    metrics: e.type === 'track' && orderKindOf(e.event) !== undefined,
  };
}

/** The stream definitions of the stage by the event name they read. */
export function streamsByEvent(stage: Stage): Map<string, StreamDef[]> {
  const byEvent = new Map<string, StreamDef[]>();
  for (const def of stage.streams.values()) byEvent.set(def.event, [...(byEvent.get(def.event) ?? []), def]);
  return byEvent;
}

/**
 * What one commit of live events changes, at the step's clock. Merges first (the absorbed customer's
 * memberships and streams become the survivor's: mergeCustomer). Then only the parts of profiles the events can
 * have changed are read again, and only when a definition reads them: traits after an identify call,
 * consent when an event carries a decision, metrics after an order; a customer new to the engine (or a
 * merge's survivor) is read whole. Then the events go into the streams whose where clause they
 * satisfy. Only definitions reading something that changed are evaluated. `readsDone` is called once the
 * reads are over: what follows makes no statement (the engine overlaps its watermark's write with it).
 * The customers in `handled` were done by applyEarly while the commit was written: their events are
 * skipped here.
 */
export async function applyCommit(
  tx: Queryable,
  stage: Stage,
  outcome: IngestOutcome,
  readsDone?: () => void,
  handled: ReadonlySet<string> = new Set(),
): Promise<void> {
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

  // What to read again, by customer.
  const whole = new Set<string>();
  const traits = new Set<string>();
  const consent = new Set<string>();
  const metrics = new Set<string>();
  for (const s of outcome.merged.values()) whole.add(survivorOf(s));
  for (const id of outcome.customers) if (!outcome.merged.has(id) && !stage.get(id)) whole.add(id);
  for (const { event: e, customerId: id } of outcome.events) {
    if (id === null || handled.has(id)) continue;
    if (!stage.get(id)) whole.add(id);
    const parts = profileParts(e);
    if (parts.traits) traits.add(id);
    if (parts.consent) consent.add(id);
    if (parts.metrics) metrics.add(id);
  }
  const reads = stage.reads;
  const { live, merged } = await loadProfiles(tx, reads, [...whole]);

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
  for (const [id, profile] of live) {
    const rec = recordOf(id)!;
    if (rec.profile === profile) continue;
    profileChanges(rec.profile, profile, reads, keysOf(id));
    rec.profile = profile;
  }

  // The parts that may have changed, for customers the engine already had.
  const known = (ids: Set<string>): string[] => [...ids].filter((id) => !whole.has(id) && stage.get(id));
  const update = (id: string, change: (p: CustomerRecord['profile']) => CustomerRecord['profile']): void => {
    const rec = stage.mutable(id);
    if (!rec) return;
    const next = change(rec.profile);
    profileChanges(rec.profile, next, reads, keysOf(id));
    rec.profile = next;
  };
  if (reads.traits.size > 0) {
    const setTraits = (id: string, text: string | null): void => update(id, (p) => ({ ...p, traits: pruneTraits(parseTraitsJson(text), reads.traits) }));
    // The traits the commit's identify calls left come with the outcome (saving a read of the rows),
    // except where a consent decision of the same commit changed a <channel>_consent key after them.
    const unread: string[] = [];
    for (const id of known(traits)) {
      const text = consent.has(id) ? undefined : outcome.traits?.get(id);
      if (text === undefined) unread.push(id);
      else setTraits(id, text);
    }
    for (const h of await customerHeads(tx, unread)) setTraits(h.customer_id, h.traits);
  }
  if (reads.consent.length > 0) {
    const ids = known(consent);
    const now = new Map<string, Record<string, string>>(ids.map((id) => [id, {}]));
    for (const r of await consentRows(tx, reads.consent, ids)) now.get(r.customer_id)![r.channel] = r.status;
    for (const [id, c] of now) update(id, (p) => ({ ...p, consent: c }));
  }
  const metricColumns = reads.tables.get(METRICS);
  if (metricColumns) {
    // The rows the commit's orders recomputed come with the outcome (saving a read of them).
    const rows = new Map<string, Record<string, unknown> | undefined>();
    const unread: string[] = [];
    for (const id of known(metrics)) {
      if (outcome.metrics?.has(id)) rows.set(id, outcome.metrics.get(id));
      else {
        rows.set(id, undefined);
        unread.push(id);
      }
    }
    for (const r of await tableRows(tx, METRICS, metricColumns, unread)) rows.set(r.customer_id as string, r);
    for (const [id, row] of rows) {
      update(id, (p) => {
        const kept = row ? Object.fromEntries(metricColumns.map((c) => [c, (row[c] ?? null) as never])) : undefined;
        return { ...p, rows: { ...p.rows, [METRICS]: kept } };
      });
    }
  }
  readsDone?.();

  const byEvent = streamsByEvent(stage);
  for (const { event: e, customerId: id } of outcome.events) {
    if (id === null || e.event === undefined || handled.has(id)) continue;
    const defs = byEvent.get(e.event);
    if (!defs) continue;
    const rec = recordOf(id);
    if (!rec) continue;
    if (addToStreams(stage, rec, defs, e.timestamp.getTime(), e.properties ?? null)) keysOf(rec.id).add(`e:${e.event}`);
  }

  for (const [id, keys] of changed) {
    const rec = stage.mutable(id);
    if (!rec) continue;
    reevaluate(stage, rec, keys);
    pruneRecord(stage, rec);
  }
}
