import type { Store } from '../../store/db.js';
import { isMember } from '../../store/queries/segments/members.js';
import { resolveCustomer } from '../../profiles/resolve-customer.js';
import { evaluateSegment, loadCustomerState, type ExplanationNode, type SegmentAst } from '../index.js';
import { loadCatalogue } from './catalogue.js';
import { refreshWouldRecord } from './explain.js';

export interface CustomerSegment {
  segment: string;
  query: string;
  /** member at as_of by the definition, evaluated now for this customer */
  member: boolean;
  /** member by the last refresh; null when the segment was never refreshed */
  storedMember: boolean | null;
  /**
   * whether a `segments refresh` would record a change for this customer (refreshWouldRecord): never for a
   * segment a running server keeps live, nor when the stored membership is of a later moment than asOf
   */
  refreshWouldRecord: boolean;
  asOf: Date;
  changesAt: Date | null;
  explanation: ExplanationNode;
}

/**
 * The saved segments a customer (any identifier) is in, each with the evaluator's explanation: the
 * truth of every part of the definition and the values it saw (what `segmint segments explain` prints).
 * A segment is listed when the last refresh recorded the customer as a member or the definition holds
 * for them now. Each segment is evaluated as of `asOf`, by default as of its last refresh (so the
 * explanation describes the stored membership), else now; a segment `keptLive` by a running server is
 * evaluated by default as of now, the moment its stored (live) membership describes.
 */
export async function customerSegments(
  db: Store,
  ref: string,
  asOf?: Date,
  opts: { keptLive?: (name: string) => boolean } = {},
): Promise<{ customerId: string; segments: CustomerSegment[] }> {
  const customerId = await resolveCustomer(db, ref);
  const catalogue = await loadCatalogue(db);
  const state = await loadCustomerState(db, customerId);
  const out: CustomerSegment[] = [];
  for (const rec of [...catalogue.records.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    const live = opts.keptLive?.(rec.name) === true;
    const at = asOf ?? (live ? null : rec.refreshed_as_of) ?? new Date();
    const result = evaluateSegment(rec.definition as SegmentAst, state, { asOf: at, resolveSegment: catalogue.resolve });
    const stored = rec.refreshed_at ? await isMember(db, rec.segment_id, customerId) : null;
    if (!result.member && stored !== true) continue;
    out.push({
      segment: rec.name,
      query: rec.query_text ?? '',
      member: result.member,
      storedMember: stored,
      refreshWouldRecord: refreshWouldRecord({ member: result.member, storedMember: stored, storedAsOf: rec.refreshed_at ? rec.refreshed_as_of : null, asOf: at }, live),
      asOf: at,
      changesAt: result.changesAt,
      explanation: result.explanation,
    });
  }
  return { customerId, segments: out };
}
