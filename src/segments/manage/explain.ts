import type { Store } from '../../store/db.js';
import { findSegmentRecord } from '../../store/queries/segments/definitions.js';
import { isMember } from '../../store/queries/segments/members.js';
import { readWatermark } from '../../store/queries/realtime/record.js';
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
  /** The moment the stored membership describes (the last refresh's as-of), or null when never refreshed. */
  storedAsOf: Date | null;
  explanation: ExplanationNode;
}

/** How the text is written: whether --as-of was given, and whether a running server keeps the segment live. */
export interface ExplainTextOptions {
  readonly asOfAsked?: boolean;
  readonly keptLive?: boolean;
}

/**
 * Whether a `segments refresh` would change what is stored for this customer: the stored membership
 * differs from the definition's answer and describes a moment no later than the as-of asked. A stored
 * membership of a later moment answers another question (explain as of 2011 against a refresh as of
 * now), and a segment a running server keeps live is current at every moment, with nothing to refresh
 * (trial 7, D2): neither is a reason to refresh.
 */
export function refreshWouldRecord(e: Pick<MembershipExplanation, 'member' | 'storedMember' | 'storedAsOf' | 'asOf'>, keptLive = false): boolean {
  return !keptLive && e.storedMember !== null && e.storedMember !== e.member && e.storedAsOf !== null && e.storedAsOf.getTime() <= e.asOf.getTime();
}

/**
 * Why a customer is or is not in a segment at as_of: loads that one customer's state and runs the
 * in-memory evaluator, which reports the truth of every part of the definition with the values it saw.
 * `keptLive`: a running server keeps the segment live (its stored moment is the engine's, storedMoment).
 */
export async function explainMembership(db: Store, name: string, identifier: string, asOf: Date, opts: { keptLive?: boolean } = {}): Promise<MembershipExplanation> {
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
    storedAsOf: rec.refreshed_at ? await storedMoment(db, rec.refreshed_as_of, opts.keptLive === true) : null,
    explanation: result.explanation,
  };
}

/**
 * The moment a segment's stored membership describes. A segment a running server keeps live has its
 * members kept current up to the engine's watermark, which the segment's row records only when the
 * engine starts and stops (markSegmentsCurrent): read while it runs, the stored moment is the watermark
 * (never earlier than a bulk refresh), so that `explain --json` says through the server what it says once
 * the server stops (recheck 7, N6), not the moment the server started.
 */
async function storedMoment(db: Store, refreshedAsOf: Date | null, keptLive: boolean): Promise<Date | null> {
  if (!keptLive) return refreshedAsOf;
  const watermark = await readWatermark(db);
  if (watermark === undefined || (refreshedAsOf !== null && refreshedAsOf.getTime() >= watermark)) return refreshedAsOf;
  return new Date(watermark);
}

const MARK: Record<ExplanationNode['result'], string> = { true: '✓', false: '✗', unknown: '?' };

/**
 * The explanation as an indented tree: ✓ held, ✗ did not, ? unknown (a missing value). A last note says
 * when the stored membership is behind (refreshWouldRecord), with the refresh that records it: the same
 * text with or without a running server, as long as the segment is not one it keeps live.
 */
export function formatExplanation(e: MembershipExplanation, opts: ExplainTextOptions = {}): string {
  const head = `${e.customerId}${e.identifier !== e.customerId ? ` (${e.identifier})` : ''} is ${e.member ? '' : 'NOT '}in "${e.segment}" as of ${e.asOf.toISOString()}`;
  const lines = [head];
  const walk = (n: ExplanationNode, depth: number): void => {
    const pad = '  '.repeat(depth + 1);
    lines.push(`${pad}${MARK[n.result]} ${n.condition}${n.detail ? `  — ${n.detail}` : ''}`);
    for (const c of n.children ?? []) walk(c, depth + 1);
  };
  walk(e.explanation, 0);
  if (e.changesAt) lines.push(`changes by itself at ${e.changesAt.toISOString()} if nothing else happens`);
  if (refreshWouldRecord(e, opts.keptLive)) {
    const refresh = `segmint segments refresh${opts.asOfAsked ? ` --as-of ${e.asOf.toISOString()}` : ''}`;
    lines.push(`note: the last refresh (as of ${e.storedAsOf!.toISOString()}) recorded this customer as ${e.storedMember ? 'a member' : 'not a member'}; run \`${refresh}\` to update`);
  }
  lines.push('(✓ holds, ✗ does not hold, ? unknown because a value is missing)');
  return lines.join('\n');
}
