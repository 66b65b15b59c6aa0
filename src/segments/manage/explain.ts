import type { Store } from '../../store/db.js';
import { findSegmentRecord } from '../../store/queries/segments/definitions.js';
import { isMember } from '../../store/queries/segments/members.js';
import { evaluateSegment, loadCustomerState, type ExplanationNode, type SegmentAst } from '../index.js';
import { loadCatalogue } from './catalogue.js';
import { resolveCustomer } from '../../profiles/resolve-customer.js';
import { segmentNotFound } from './names.js';

export interface MembershipExplanation {
  segment: string;
  query: string;
  identifier: string;
  customerId: string;
  asOf: Date;
  member: boolean;
  /** The next instant membership flips with no new data (a window closing), or null. */
  changesAt: Date | null;
  /** Whether the stored membership (last refresh) says member, or null when never refreshed. */
  storedMember: boolean | null;
  explanation: ExplanationNode;
}

/**
 * Why a customer is or is not in a segment at as_of: loads that one customer's state and runs the
 * in-memory evaluator, which reports the truth of every part of the definition with the values it saw.
 */
export async function explainMembership(db: Store, name: string, identifier: string, asOf: Date): Promise<MembershipExplanation> {
  const catalogue = await loadCatalogue(db);
  const rec = catalogue.records.get(name) ?? (await findSegmentRecord(db, name));
  if (!rec) throw segmentNotFound(name);
  const customerId = await resolveCustomer(db, identifier);
  const state = await loadCustomerState(db, customerId);
  const result = evaluateSegment(rec.definition as SegmentAst, state, { asOf, resolveSegment: catalogue.resolve });
  const stored = rec.refreshed_at ? await isMember(db, rec.segment_id, customerId) : null;
  return {
    segment: name,
    query: rec.query_text ?? '',
    identifier,
    customerId,
    asOf,
    member: result.member,
    changesAt: result.changesAt,
    storedMember: stored,
    explanation: result.explanation,
  };
}

const MARK: Record<ExplanationNode['result'], string> = { true: '✓', false: '✗', unknown: '?' };

/** The explanation as an indented tree: ✓ held, ✗ did not, ? unknown (a missing value). */
export function formatExplanation(e: MembershipExplanation): string {
  const head = `${e.customerId}${e.identifier !== e.customerId ? ` (${e.identifier})` : ''} is ${e.member ? '' : 'NOT '}in "${e.segment}" as of ${e.asOf.toISOString()}`;
  const lines = [head];
  const walk = (n: ExplanationNode, depth: number): void => {
    const pad = '  '.repeat(depth + 1);
    lines.push(`${pad}${MARK[n.result]} ${n.condition}${n.detail ? `  — ${n.detail}` : ''}`);
    for (const c of n.children ?? []) walk(c, depth + 1);
  };
  walk(e.explanation, 0);
  if (e.changesAt) lines.push(`changes by itself at ${e.changesAt.toISOString()} if nothing else happens`);
  if (e.storedMember !== null && e.storedMember !== e.member) {
    lines.push(`note: the last refresh recorded this customer as ${e.storedMember ? 'a member' : 'not a member'}; run \`segmint segments refresh\` to update`);
  }
  lines.push('(✓ holds, ✗ does not hold, ? unknown because a value is missing)');
  return lines.join('\n');
}
