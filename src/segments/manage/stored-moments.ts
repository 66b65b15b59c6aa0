import type { Queryable } from '../../store/db.js';
import { storedMoments, type StoredMoment } from '../../store/queries/segments/stored-moments.js';
import { defaultCatalog, type Catalog } from '../catalog/index.js';
import { referencedFields } from '../ast/references.js';
import type { SegmentAst } from '../index.js';
import { DAY_MS } from '../../domain/days.js';
import { localDate } from '../../domain/time-zone.js';
import { reportTimeZone } from '../../analytics/asOf.js';
import { joinWords } from '../../domain/words.js';
import { deletionSeenBy, retentionWarningFor, type RetentionCutoffWarning } from './retention-cutoff.js';

/** A definition reads stored values that describe another moment than the evaluation's as-of. */
export interface StoredMomentWarning {
  readonly code: 'stored_moment';
  readonly message: string;
  readonly fields: readonly string[];
  readonly table: string;
  /** ISO time the stored values describe, or null when nothing is stored yet. */
  readonly storedAsOf: string | null;
}

/**
 * What a definition evaluated at an as-of reads from another moment or cannot read any more: stored
 * values of another moment (`stored_moment`), or events retention deleted (`retention_cutoff`).
 */
export type MomentWarning = StoredMomentWarning | RetentionCutoffWarning;

/** How each stored table is named to a person, and the command that writes it for another moment. */
const SOURCES: Readonly<Record<string, { what: string; command: string }>> = {
  customer_rfm: { what: 'the saved RFM snapshot', command: 'segmint rfm --as-of' },
  customer_clusters: { what: 'the saved clusters', command: 'segmint clusters --as-of' },
  customer_predictions: { what: 'the stored lifetime-value predictions', command: 'segmint clv predict --as-of' },
  customer_propensity: { what: 'the stored propensity scores', command: 'segmint propensity score --cutoff' },
};

/**
 * Two moments as a person tells them apart: their days in the workspace time zone `tz` (DESIGN.md: it
 * decides day boundaries in reports), or their full UTC times when the days are the same.
 */
const distinct = (a: Date, b: Date, tz: string): [string, string] => {
  const day = (d: Date) => localDate(d, tz);
  if (day(a) !== day(b)) return [day(a), day(b)];
  const full = (d: Date) => d.toISOString().replace('.000Z', 'Z');
  return [full(a), full(b)];
};

/**
 * Says when a definition evaluated as of `asOf` reads stored values of another moment, so an answer is
 * never silently about two times: customer metrics that include orders after the as-of, or a snapshot
 * (RFM, clusters, predictions, propensity) computed more than a day away from it, or not computed yet.
 * And when its behaviour conditions reach, at that as-of, before the moment retention deleted every
 * earlier event (retention-cutoff.ts), so an answer of 0 is never silently the deleted events'.
 * The one source of these warnings for preview, refresh, explain, the API and the dashboard.
 */
export async function storedMomentWarnings(db: Queryable, ast: SegmentAst, asOf: Date, catalog: Catalog = defaultCatalog): Promise<MomentWarning[]> {
  const byTable = new Map<string, string[]>();
  for (const name of referencedFields(ast)) {
    const def = catalog.get(name);
    if (!def) continue;
    byTable.set(def.table, [...(byTable.get(def.table) ?? []), name]);
  }
  const moments = byTable.size === 0 ? [] : await storedMoments(db, [...byTable.keys()]);
  const deletion = await deletionSeenBy(db, ast);
  if (moments.length === 0 && !deletion) return [];
  const tz = await reportTimeZone(db);
  return [...moments.flatMap((m) => warningFor(m, byTable.get(m.table)!, asOf, tz)), ...(deletion ? retentionWarningFor(ast, asOf, deletion, tz) : [])];
}

/**
 * The sentence for one table, or none when its moment agrees with the as-of. Days are told in the
 * workspace time zone `tz` (default UTC), the zone a date alone given to `--as-of` is read in, so the
 * command it suggests names the day meant.
 */
export function warningFor(m: StoredMoment, fields: readonly string[], asOf: Date, tz = 'UTC'): StoredMomentWarning[] {
  // CLV's days are UTC days whatever the zone (docs/analytics.md: the published figures stay reproducible),
  // so its snapshot's day, and the day `clv predict --as-of` is suggested, are UTC days.
  const day = (d: Date) => localDate(d, m.table === 'customer_predictions' ? 'UTC' : tz);
  const names = joinWords(fields);
  const base = { code: 'stored_moment' as const, fields, table: m.table, storedAsOf: m.moment ? m.moment.toISOString() : null };
  if (m.table === 'customer_metrics') {
    if (!m.moment || m.moment.getTime() <= asOf.getTime()) return [];
    // Both on one day (trial 5, D8: "up to 2026-12-01, later than this as-of (2026-12-01)"): the times say which is later.
    const [upTo, at] = distinct(m.moment, asOf, tz);
    return [
      {
        ...base,
        message:
          `${names} ${fields.length === 1 ? 'is a customer metric' : 'are customer metrics'} over every order up to ${upTo}, ` +
          `later than this as-of (${at}): ${fields.length === 1 ? 'it counts' : 'they count'} orders placed after it.`,
      },
    ];
  }
  const source = SOURCES[m.table];
  if (!source) return [];
  if (!m.moment) {
    return [{ ...base, message: `${names} ${fields.length === 1 ? 'has' : 'have'} no values yet: run \`${source.command.replace(/ --.*$/, '')}\` first.` }];
  }
  if (Math.abs(m.moment.getTime() - asOf.getTime()) <= DAY_MS) return [];
  return [
    {
      ...base,
      message:
        `${names} ${fields.length === 1 ? 'comes' : 'come'} from ${source.what} as of ${day(m.moment)}, not from this as-of (${day(asOf)}); ` +
        `run \`${source.command} ${day(asOf)}\` first for values of that moment.`,
    },
  ];
}
