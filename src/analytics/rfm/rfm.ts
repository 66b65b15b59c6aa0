import { SegmintError } from '../../domain/errors.js';
import type { Store } from '../../store/db.js';
import {
  rfmOfCustomer,
  rfmSummary,
  saveRfmSnapshot,
  saveRfmSnapshotSummary,
  type RfmCountRow,
  type RfmCustomerRow,
  type RfmSummary,
} from '../../store/queries/analytics/rfm.js';
import { formatMoment, reportTimeZone } from '../asOf.js';
import { DEFAULT_GROUPS_5, cellNames, type Bins, type RfmGroupTable } from './groups.js';
import type { RfmScores } from '../../domain/rfm.js';
import { resolveCustomer } from '../../profiles/resolve-customer.js';
import { rfmWarnings } from './warnings.js';

export interface RfmGroupSummary {
  readonly name: string;
  readonly count: number;
  readonly share: number;
  readonly action: string;
}

export interface RfmCustomer extends RfmScores {
  readonly identifier: string;
  readonly customer_id: string;
  readonly group: string;
  readonly action: string;
}

export interface RfmReport {
  readonly as_of: string;
  readonly bins: Bins;
  readonly scored: number;
  /** group name → number of customers, in the order of the group table. */
  readonly groups: Record<string, number>;
  readonly group_details: readonly RfmGroupSummary[];
  /** score → number of customers, for each of R, F and M. */
  readonly r: Record<string, number>;
  readonly f: Record<string, number>;
  readonly m: Record<string, number>;
  readonly saved: boolean;
  readonly customer?: RfmCustomer;
  /** Too few customers to fill the bins, or a dimension equal for everyone (see rfmWarnings). */
  readonly warnings: readonly string[];
}

export interface RfmOptions {
  readonly asOf: Date;
  readonly table: RfmGroupTable;
  /** Replace the customer_rfm snapshot read by segment fields (default true). */
  readonly save?: boolean;
  /** Any identifier of one customer to show in detail. */
  readonly customer?: string;
}

/**
 * Persists the scores as of asOf into customer_rfm, the table behind the `rfm.*` segment fields
 * (default group table unless one is given). Returns the number of customers scored. Call it after an
 * import to move the snapshot forward; `segmint rfm` calls it on every run without --no-save.
 */
export function refreshRfmSnapshot(store: Store, asOf: Date, table: RfmGroupTable = DEFAULT_GROUPS_5): Promise<number> {
  return saveRfmSnapshot(store, asOf, table.bins, cellNames(table));
}

/** RFM of the whole base as of opts.asOf: group sizes, score distributions and, optionally, one customer. */
export async function runRfm(store: Store, opts: RfmOptions): Promise<RfmReport> {
  const { asOf, table } = opts;
  const cells = cellNames(table);
  const save = opts.save ?? true;
  // Resolve the customer first so a typo fails before minutes of work on a large base.
  const customerId = opts.customer === undefined ? undefined : await resolveCustomer(store, opts.customer);
  // One scoring of the base answers the warnings, the counts and (when saving) the customer: the spread
  // comes with the counts. A run with nothing to score throws inside the save, which keeps the old snapshot.
  let warnings: string[] = [];
  const check = (summary: RfmSummary) => void (warnings = rfmWarnings(summary.spread, table.bins, asOf));
  let counts: RfmCountRow[];
  let row: RfmCustomerRow | undefined;
  if (save) {
    const saved = await saveRfmSnapshotSummary(store, asOf, table.bins, cells, check, customerId);
    counts = saved.counts;
    row = saved.customer;
  } else {
    const summary = await rfmSummary(store, asOf, table.bins, cells);
    check(summary);
    counts = summary.counts;
    if (customerId !== undefined) row = await rfmOfCustomer(store, customerId, asOf, table.bins, cells);
  }
  const dist = (dimension: RfmCountRow['dimension']) => {
    const out: Record<string, number> = {};
    for (let s = 1; s <= table.bins; s++) out[String(s)] = 0;
    for (const c of counts) if (c.dimension === dimension) out[c.key] = c.count;
    return out;
  };
  const byGroup = dist('group');
  const scored = Object.values(dist('r')).reduce((a, b) => a + b, 0);
  const groups: Record<string, number> = {};
  const details: RfmGroupSummary[] = table.groups.map((g) => {
    const count = byGroup[g.name] ?? 0;
    groups[g.name] = (groups[g.name] ?? 0) + count;
    return { name: g.name, count, share: scored ? count / scored : 0, action: g.action };
  });
  let customer: RfmCustomer | undefined;
  if (customerId !== undefined) {
    if (!row) {
      throw new SegmintError(
        'customer_not_scored',
        `Customer ${opts.customer} (${customerId}) has no order before ${formatMoment(asOf, await reportTimeZone(store))}, so has no RFM score.`,
        { customer: opts.customer, customerId },
        404,
      );
    }
    customer = {
      identifier: opts.customer!,
      customer_id: row.customer_id,
      recency_days: row.recency_days,
      frequency: row.frequency,
      monetary: row.monetary,
      r: row.r,
      f: row.f,
      m: row.m,
      score: row.score,
      group: row.rfm_group,
      action: table.groups.find((g) => g.name === row.rfm_group)?.action ?? '',
    };
  }
  return {
    as_of: formatMoment(asOf, await reportTimeZone(store)),
    bins: table.bins,
    scored,
    groups,
    group_details: details,
    r: dist('r'),
    f: dist('f'),
    m: dist('m'),
    saved: save,
    ...(customer ? { customer } : {}),
    warnings,
  };
}
