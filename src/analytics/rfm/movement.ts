import { SegmintError } from '../../domain/errors.js';
import type { Queryable } from '../../store/db.js';
import { NOT_YET_A_CUSTOMER, rfmMovement } from '../../store/queries/analytics/rfm.js';
import { formatMoment, reportTimeZone } from '../asOf.js';
import { cellNames, type RfmGroupTable } from './groups.js';

export interface RfmMovement {
  readonly from: string;
  readonly to: string;
  /** Row labels: "(not yet a customer)" first, then the groups in table order. */
  readonly rows: readonly string[];
  readonly columns: readonly string[];
  /** matrix[from][to] = customers in group `from` at the first moment and `to` at the second. */
  readonly matrix: Record<string, Record<string, number>>;
  /** Non-zero cells as a list, largest first: easy to filter in scripts. */
  readonly transitions: readonly { from: string; to: string; count: number }[];
  readonly customers_at_from: number;
  readonly customers_at_to: number;
  readonly new_customers: number;
}

/** How customers moved between RFM groups from one moment to a later one; nobody scored at `to` is refused. */
export async function rfmMovementReport(db: Queryable, from: Date, to: Date, table: RfmGroupTable): Promise<RfmMovement> {
  const tz = await reportTimeZone(db);
  const shown = (t: Date) => formatMoment(t, tz);
  if (from.getTime() >= to.getTime()) {
    throw new SegmintError('invalid_period', `--from (${shown(from)}) must be before --to (${shown(to)}).`, {
      from: shown(from),
      to: shown(to),
    });
  }
  const rows = await rfmMovement(db, from, to, table.bins, cellNames(table));
  const names = [...new Set(table.groups.map((g) => g.name))];
  const rowLabels = [NOT_YET_A_CUSTOMER, ...names];
  const matrix: Record<string, Record<string, number>> = {};
  for (const r of rowLabels) matrix[r] = Object.fromEntries(names.map((c) => [c, 0]));
  for (const r of rows) matrix[r.from_group]![r.to_group] = r.count;
  const total = rows.reduce((a, r) => a + r.count, 0);
  if (total === 0) {
    throw new SegmintError('nothing_to_score', `No customer had ordered before ${shown(to)}, so there is no movement to show; choose a later --to.`, {
      to: shown(to),
    });
  }
  const fresh = rows.filter((r) => r.from_group === NOT_YET_A_CUSTOMER).reduce((a, r) => a + r.count, 0);
  return {
    from: shown(from),
    to: shown(to),
    rows: rowLabels,
    columns: names,
    matrix,
    transitions: rows
      .filter((r) => r.count > 0)
      .map((r) => ({ from: r.from_group, to: r.to_group, count: r.count }))
      .sort((a, b) => b.count - a.count || a.from.localeCompare(b.from) || a.to.localeCompare(b.to)),
    customers_at_from: total - fresh,
    customers_at_to: total,
    new_customers: fresh,
  };
}
