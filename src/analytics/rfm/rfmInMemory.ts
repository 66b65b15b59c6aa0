import { cellNames, fmScore, type RfmGroupTable } from './groups.js';
import { scoreValues } from './scoreValues.js';
import type { RfmScores } from '../../domain/rfm.js';
import { DAY_MS } from '../../domain/days.js';

export interface OrderRecord {
  readonly customerId: string;
  readonly kind: 'order' | 'refund';
  readonly placedAt: Date;
  /** Money with up to 4 decimals (the store keeps DECIMAL(18,4)). */
  readonly revenue: number;
}

export interface RfmRow extends RfmScores {
  readonly customer_id: string;
  readonly group: string;
}

/**
 * RFM of every customer from their orders, in memory: the independent second implementation of the
 * definitions in docs/metrics.md, used to check the SQL (test/analytics) and for one customer's state.
 * Money is summed in integer ten-thousandths, so the sum is exact like DECIMAL, then rounded to cents
 * half away from zero as DuckDB's round() does.
 */
export function rfmInMemory(orders: readonly OrderRecord[], asOf: Date, table: RfmGroupTable): RfmRow[] {
  const acc = new Map<string, { orders: number; units: number; last: number }>();
  for (const o of orders) {
    if (o.placedAt.getTime() >= asOf.getTime()) continue;
    const a = acc.get(o.customerId) ?? { orders: 0, units: 0, last: -Infinity };
    a.units += Math.round(o.revenue * 10_000);
    if (o.kind === 'order') {
      a.orders += 1;
      a.last = Math.max(a.last, o.placedAt.getTime());
    }
    acc.set(o.customerId, a);
  }
  const ids = [...acc.keys()].filter((id) => acc.get(id)!.orders > 0).sort();
  const recency = ids.map((id) => Math.floor((asOf.getTime() - acc.get(id)!.last) / DAY_MS));
  const frequency = ids.map((id) => acc.get(id)!.orders);
  const cents = ids.map((id) => centsHalfAway(acc.get(id)!.units));
  const bins = table.bins;
  const r = scoreValues(recency, 'lower', bins);
  const f = scoreValues(frequency, 'higher', bins);
  const m = scoreValues(cents, 'higher', bins);
  const names = cellNames(table);
  return ids.map((id, i) => ({
    customer_id: id,
    recency_days: recency[i]!,
    frequency: frequency[i]!,
    monetary: cents[i]! / 100,
    r: r[i]!,
    f: f[i]!,
    m: m[i]!,
    score: `${r[i]}${f[i]}${m[i]}`,
    group: names[(r[i]! - 1) * bins + fmScore(f[i]!, m[i]!) - 1]!,
  }));
}

/** Ten-thousandths to cents, half away from zero, in integers so nothing is lost to binary fractions. */
function centsHalfAway(units: number): number {
  // + 0 turns the -0 of a tiny negative sum into 0, as the database prints it.
  return Math.sign(units) * Math.floor((Math.abs(units) + 50) / 100) + 0;
}
