import type { Store } from '../../store/db.js';
import { findSegmentRecord } from '../../store/queries/segments/definitions.js';
import { segmentKpiRow } from '../../store/queries/segments/kpis.js';
import { segmentNotFound } from './names.js';

export interface SegmentKpis {
  name: string;
  refreshedAsOf: Date | null;
  members: number;
  /** members / customers in the base (0 for an empty base) */
  share: number;
  /** members with at least one order */
  buyers: number;
  /** sum of the members' net spend (total_spent) */
  netRevenue: number;
  orders: number;
  /** mean net spend per member, customers without orders counting 0; null without members */
  avgSpent: number | null;
  /** members who granted email consent */
  emailConsented: number;
}

/** Headline figures of a segment's members as of its last refresh (docs/metrics.md for total_spent). */
export async function segmentKpis(db: Store, name: string): Promise<SegmentKpis> {
  const rec = await findSegmentRecord(db, name);
  if (!rec) throw segmentNotFound(name);
  const k = await segmentKpiRow(db, rec.segment_id);
  return {
    name,
    refreshedAsOf: rec.refreshed_as_of,
    members: k.members,
    share: k.base > 0 ? k.members / k.base : 0,
    buyers: k.buyers,
    netRevenue: k.net_revenue,
    orders: k.orders,
    avgSpent: k.members > 0 ? k.avg_spent : null,
    emailConsented: k.email_consented,
  };
}
