import type { ColumnQueryable, Queryable } from '../../store/db.js';
import { recordConsent, type ConsentDecision } from '../../privacy/consent/record.js';
import { insertEvents, knownUserIds, storedMessageIds } from '../../store/queries/events.js';
import { refreshedCustomerMetrics, type CustomerMetricsRow } from '../../store/queries/metrics.js';
import {
  deleteOrders,
  insertOrderConflicts,
  insertOrders,
  storedOrdersAndClaims,
  unassignOrders,
  type OrderConflictRow,
  type OrderLineRow,
  type OrderRow,
} from '../../store/queries/orders.js';
import { consentOf } from '../events/consent.js';
import { identifiersOf } from '../events/identifiers.js';
import type { IncomingEvent } from '../events/message.js';
import { orderKindOf, parseOrder } from '../events/orders.js';
import type { StoredMessageIds } from '../events/stored-ids.js';
import type { IdentityMap } from '../identity/identity-map.js';
import { resolveIdentifierSetsDetailed } from '../identity/resolve.js';
import { applyIdentifyTraits } from './traits.js';

/** What a long-lived ingester brings to each call (see ingestRequests): in-memory copies of store state it keeps across commits, and a notice once the events are resolved. */
export interface LiveMemory {
  readonly identities?: IdentityMap;
  readonly messageIds?: StoredMessageIds;
  /**
   * Called once the events to store and their customers are known, before any of them is written
   * (GroupCommitter.whenResolved): `events` and `merged` are what the outcome will hold. Not called when
   * nothing is stored. Whatever it starts must make no statement on the transaction.
   */
  readonly resolved?: (events: IngestOutcome['events'], merged: ReadonlyMap<string, string>) => void;
}

export interface IngestOutcome {
  /** message ids stored by this call; every other id of the input was a duplicate */
  readonly stored: ReadonlySet<string>;
  /** customers whose profile (traits, consent, orders, identity) this call changed */
  readonly customers: ReadonlySet<string>;
  /** customers merged away by this call → the customer that absorbed them */
  readonly merged: ReadonlyMap<string, string>;
  /** message ids dropped because they carry an erased person's identifier (docs/privacy.md) */
  readonly suppressed: ReadonlySet<string>;
  /** the events stored by this call, in event-time order (request by request), each with the customer it was stored under */
  readonly events: readonly { readonly event: IncomingEvent; readonly customerId: string | null }[];
  /** customers.traits (JSON text) as this call's identify traits left them (applyIdentifyTraits); a consent decision may change them after */
  readonly traits?: ReadonlyMap<string, string>;
  /**
   * customer_metrics rows as this call's orders left them, for every customer whose metrics it
   * recomputed after an order (undefined: no row, the customer has no orders); the real-time engine
   * takes them instead of reading the rows again
   */
  readonly metrics?: ReadonlyMap<string, CustomerMetricsRow | undefined>;
}

/**
 * Stores validated events in the caller's transaction: drops the ones already stored (same messageId,
 * forever), resolves their identities, writes the events, applies identify traits and consent, and turns
 * order events into orders whose customers' metrics are recomputed before the transaction commits.
 */
export async function ingestEvents(tx: ColumnQueryable, input: readonly IncomingEvent[], source = 'http'): Promise<IngestOutcome> {
  return ingestRequests(tx, [input], source);
}

/**
 * Stores the events of several requests in one pass, exactly as if each request were stored by
 * ingestEvents after the one before it (group commit, committer.ts): a messageId is kept from the first
 * request that carries it, and identities are resolved request by request, each request's events in
 * event-time order. So a request gets the same customers, merges and first-seen times whether it shares
 * a commit or not, while the statements run once for all of them.
 *
 * `memory`, when given, answers from memory what would otherwise be read from the store: identity
 * resolution (IdentityMap) and the dedupe of message ids (StoredMessageIds); each says what its owner
 * must do when the transaction fails. The outcome is the same with or without them.
 */
export async function ingestRequests(
  tx: ColumnQueryable,
  requests: readonly (readonly IncomingEvent[])[],
  source = 'http',
  memory: LiveMemory = {},
): Promise<IngestOutcome> {
  const { identities, messageIds } = memory;
  const firstOfId = new Map<string, IncomingEvent>();
  const ofRequest = requests.map((input) => {
    const mine: IncomingEvent[] = [];
    for (const e of input) {
      if (firstOfId.has(e.messageId)) continue;
      firstOfId.set(e.messageId, e);
      mine.push(e);
    }
    return mine;
  });
  const already = messageIds ? await messageIds.stored(tx, [...firstOfId.keys()]) : await storedMessageIds(tx, [...firstOfId.keys()]);
  // Identity is resolved in event-time order, so replaying the same events gives the same customers.
  const events = ofRequest.flatMap((mine) => mine.filter((e) => !already.has(e.messageId)).sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime()));
  if (events.length === 0) return { stored: new Set(), customers: new Set(), merged: new Map(), suppressed: new Set(), events: [] };

  const previousIds = events.filter((e) => e.type === 'alias' && e.previousId !== undefined).map((e) => e.previousId!);
  const previousUsers = identities
    ? (await identities.current(tx), new Set(previousIds.filter((v) => identities.has({ kind: 'user_id', value: v }))))
    : await knownUserIds(tx, previousIds);
  const { customers: customerIds, absorbed, suppressed } = await resolveIdentifierSetsDetailed(
    tx,
    events.map((e) => ({
      identifiers: identifiersOf(e, e.previousId !== undefined && previousUsers.has(e.previousId)),
      at: e.timestamp,
      messageId: e.messageId,
      reason: e.type,
    })),
    identities,
  );
  // A later event of this batch may have merged an earlier event's customer away: the resolver returns
  // the customer each set ends up in, so every row written below names a live customer.
  const touched = new Set<string>();
  // Events of erased people are not stored at all.
  const withCustomer = events.map((e, i) => ({ e, customerId: customerIds[i] ?? null })).filter((_, i) => !suppressed[i]);
  const dropped = new Set(events.filter((_, i) => suppressed[i]).map((e) => e.messageId));
  const stored = withCustomer.map(({ e, customerId }) => ({ event: e, customerId }));
  if (stored.length > 0) memory.resolved?.(stored, absorbed);

  const traits = await applyIdentifyTraits(tx, withCustomer, touched);
  await insertEvents(
    tx,
    withCustomer.map(({ e, customerId }) => ({
      messageId: e.messageId,
      type: e.type,
      event: e.event,
      customerId,
      userId: e.userId,
      anonymousId: e.anonymousId,
      timestamp: e.timestamp,
      receivedAt: e.receivedAt,
      properties: e.properties,
      traits: e.traits,
      context: e.context,
      source,
    })),
  );
  messageIds?.added(withCustomer.map(({ e }) => e.messageId));

  const consent: ConsentDecision[] = [];
  for (const { e, customerId } of withCustomer) {
    if (customerId === null) continue;
    for (const c of consentOf(e)) {
      consent.push({ customerId, channel: c.channel, status: c.status, decidedAt: e.timestamp, source: `${source}:${e.messageId}` });
      touched.add(customerId);
    }
  }
  await recordConsent(tx, consent);

  const metrics = await writeOrders(tx, withCustomer, source, touched);
  for (const id of customerIds) if (id !== null) touched.add(id);
  return {
    stored: new Set(withCustomer.map(({ e }) => e.messageId)),
    customers: touched,
    merged: absorbed,
    suppressed: dropped,
    events: stored,
    traits,
    metrics,
  };
}

interface OrderCandidate {
  readonly row: OrderRow;
  readonly lines: OrderLineRow[];
}

/**
 * Turns order events into orders. An order id names one order whoever sends it, so when two sources name
 * the same id the decision follows trust, never arrival (docs/security.md): a trusted source (a server
 * key; imports do the same) replaces a browser key's claim; a browser claim never displaces a trusted
 * order; two browser claims for different customers leave the order to no customer until a trusted
 * source says. Every disagreement about the customer is recorded in order_conflicts. Returns the
 * customer_metrics rows it recomputed (refreshedCustomerMetrics).
 */
async function writeOrders(
  tx: Queryable,
  events: readonly { e: IncomingEvent; customerId: string | null }[],
  source: string,
  touched: Set<string>,
): Promise<Map<string, CustomerMetricsRow | undefined>> {
  const candidates: OrderCandidate[] = [];
  for (const { e, customerId } of events) {
    const kind = e.type === 'track' ? orderKindOf(e.event) : undefined;
    if (!kind) continue;
    const parsed = parseOrder(kind, e.properties, e.messageId);
    // Validation already refused unreadable orders; this only guards against a change in between.
    if (!('order' in parsed)) continue;
    const o = parsed.order;
    const row: OrderRow = {
      orderId: o.orderId,
      customerId,
      kind: o.kind,
      placedAt: e.timestamp,
      revenue: o.revenue,
      currency: o.currency,
      messageId: e.messageId,
      source,
      claimedByBrowser: e.trust === 'browser',
    };
    candidates.push({ row, lines: o.lines.map((l) => ({ orderId: o.orderId, ...l })) });
  }
  if (candidates.length === 0) return new Map();
  const { orders: stored, claims } = await storedOrdersAndClaims(tx, [...new Set(candidates.map((c) => c.row.orderId))]);
  const current = new Map<string, { customerId: string | null; browser: boolean; source: string; messageId: string | null; fresh: boolean }>();
  for (const [id, r] of stored) current.set(id, { customerId: r.customer_id, browser: r.claimed_by_browser, source: sourceName(r.source, r.claimed_by_browser), messageId: r.message_id, fresh: false });
  const inserts = new Map<string, OrderCandidate>();
  const replaced = new Set<string>();
  const unassigned = new Set<string>();
  const conflicts: OrderConflictRow[] = [];
  const changed = new Set<string>();
  const now = new Date();
  for (const c of candidates) {
    const id = c.row.orderId;
    const mine = { customerId: c.row.customerId, browser: c.row.claimedByBrowser === true, source: sourceName(source, c.row.claimedByBrowser === true), messageId: c.row.messageId ?? null, fresh: true };
    const cur = current.get(id);
    if (!cur) {
      current.set(id, mine);
      inserts.set(id, c);
      continue;
    }
    const differ = cur.customerId !== mine.customerId;
    const conflict = (outcome: OrderConflictRow['outcome'], kept: typeof cur | null, other: typeof cur): void => {
      conflicts.push({
        orderId: id,
        outcome,
        keptCustomerId: kept?.customerId ?? null,
        keptSource: kept?.source ?? 'none: the claims disagree',
        otherCustomerId: other.customerId,
        otherSource: other.source,
        otherMessageId: other.messageId,
        recordedAt: now,
      });
    };
    if (cur.browser && !mine.browser) {
      // A trusted source takes the order from a browser claim, lines and all.
      if (!cur.fresh) replaced.add(id);
      unassigned.delete(id);
      inserts.set(id, c);
      current.set(id, mine);
      if (cur.customerId !== null) changed.add(cur.customerId);
      if (differ) conflict('browser_claim_replaced', mine, cur);
      continue;
    }
    if (!differ) continue; // the same order again: the first stays
    if (!cur.browser) {
      conflict(mine.browser ? 'browser_claim_ignored' : 'trusted_sources_disagree', cur, mine);
      continue;
    }
    // Two browser claims for different customers: neither is believed.
    conflict('browser_claims_disagree', null, mine);
    if (cur.customerId !== null) {
      changed.add(cur.customerId);
      const fresh = inserts.get(id);
      if (fresh) inserts.set(id, { row: { ...fresh.row, customerId: null }, lines: fresh.lines });
      else unassigned.add(id);
      cur.customerId = null;
    }
  }
  await deleteOrders(tx, [...replaced]);
  await unassignOrders(tx, [...unassigned]);
  const fresh = [...inserts.values()];
  await insertOrders(
    tx,
    fresh.map((c) => c.row),
    fresh.flatMap((c) => c.lines),
    claims,
  );
  await insertOrderConflicts(tx, conflicts);
  for (const c of fresh) if (c.row.customerId !== null) changed.add(c.row.customerId);
  const customers = [...changed];
  const metrics = await refreshedCustomerMetrics(tx, customers);
  for (const c of customers) touched.add(c);
  return metrics;
}

/** How a source is named in order_conflicts: live orders say which kind of key sent them. */
function sourceName(source: string, browser: boolean): string {
  return source === 'http' ? (browser ? 'http:browser' : 'http:server') : source;
}
