import type { Catalog } from '../../segments/catalog/catalog.js';
import { compileEventWhere } from '../../segments/compiler/compile.js';
import type { CustomerState } from '../../segments/evaluator/state.js';
import type { Queryable } from '../../store/db.js';
import { consentRows, customerHeads, streamRows, streamSummary, tableRows } from '../../store/queries/realtime/state.js';
import { keepFrom, type StreamDef } from '../plan/streams.js';
import { parseTraitsJson } from '../../domain/traits-json.js';
import { profileOf, type ProfileReads } from '../state/profile.js';
import { addEvent, emptyStream, type StreamState } from '../state/stream-state.js';

export interface LoadedProfiles {
  /** live customers → profile */
  readonly live: Map<string, CustomerState>;
  /** customers asked for (by id) that were merged away → the customer they went into */
  readonly merged: Map<string, string>;
}

/**
 * Profiles of every live customer (no ids) or of the given ones, with only what the definitions read:
 * one query for customers, one per catalog table read, one for consent.
 */
export async function loadProfiles(db: Queryable, reads: ProfileReads, ids?: readonly string[]): Promise<LoadedProfiles> {
  const heads = await customerHeads(db, ids);
  const rows = new Map<string, Record<string, Record<string, unknown>>>();
  for (const [table, columns] of reads.tables) {
    for (const r of await tableRows(db, table, columns, ids)) {
      const id = r.customer_id as string;
      if (!rows.has(id)) rows.set(id, {});
      rows.get(id)![table] = r;
    }
  }
  const consent = new Map<string, Record<string, string>>();
  for (const r of await consentRows(db, reads.consent, ids)) {
    if (!consent.has(r.customer_id)) consent.set(r.customer_id, {});
    consent.get(r.customer_id)![r.channel] = r.status;
  }
  const live = new Map<string, CustomerState>();
  const merged = new Map<string, string>();
  for (const h of heads) {
    if (h.merged_into !== null) {
      merged.set(h.customer_id, h.merged_into);
      continue;
    }
    live.set(h.customer_id, profileOf(h.customer_id, parseTraitsJson(h.traits), rows.get(h.customer_id) ?? {}, consent.get(h.customer_id) ?? {}, reads));
  }
  return { live, merged };
}

/**
 * Every customer's state of a stream as of `asOf`: events a window may still need are held, the rest
 * is summarised in SQL. The where clause and the value columns are evaluated in SQL too (compiled as
 * the segment SQL compiles them), so no event's JSON leaves the database.
 */
export async function loadStream(db: Queryable, def: StreamDef, asOf: number, catalog: Catalog): Promise<Map<string, StreamState>> {
  const keep = keepFrom(def, asOf);
  const filter = def.where ? compileEventWhere(def.where, { json: 'e.properties', catalog }) : undefined;
  const out = new Map<string, StreamState>();
  const stateOf = (id: string): StreamState => {
    let s = out.get(id);
    if (!s) {
      s = emptyStream(def.props.length);
      out.set(id, s);
    }
    return s;
  };
  if (keep > -Infinity) {
    const before = Number.isFinite(keep) ? Math.min(keep, asOf + 1) : asOf + 1;
    for (const r of await streamSummary(db, def.event, { ...(filter ? { filter } : {}), props: def.props, before: new Date(before), asOf: new Date(asOf) })) {
      const s = stateOf(r.customer_id);
      s.count = r.count;
      s.first = r.first;
      def.props.forEach((_, i) => {
        s.n[i] = r[`n${i}`] ?? 0;
        s.sum[i] = r[`s${i}`] ?? 0;
        s.min[i] = r[`lo${i}`] ?? Infinity;
        s.max[i] = r[`hi${i}`] ?? -Infinity;
      });
    }
  }
  const rows = await streamRows(db, def.event, {
    ...(filter ? { filter } : {}),
    props: def.props,
    ...(Number.isFinite(keep) ? { from: new Date(keep) } : {}),
    ...(keep > -Infinity ? { after: new Date(asOf) } : {}),
  });
  for (const r of rows) {
    addEvent(stateOf(r.customer_id), r.t, def.props.map((_, i) => r[`v${i}`] ?? NaN), keep, asOf);
  }
  return out;
}
