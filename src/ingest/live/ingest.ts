import type { Queryable } from '../../store/db.js';
import { insertEvents, knownUserIds, storedMessageIds, upsertConsent, type ConsentRow } from '../../store/queries/events.js';
import { refreshCustomerMetrics } from '../../store/queries/metrics.js';
import { insertOrders, storedOrderIds, type OrderLineRow, type OrderRow } from '../../store/queries/orders.js';
import { consentOf } from '../events/consent.js';
import { identifiersOf } from '../events/identifiers.js';
import type { IncomingEvent } from '../events/message.js';
import { orderKindOf, parseOrder } from '../events/orders.js';
import { resolveIdentifierSetsDetailed } from '../identity/resolve.js';
import { applyIdentifyTraits } from './traits.js';

export interface IngestOutcome {
  /** message ids stored by this call; every other id of the input was a duplicate */
  readonly stored: ReadonlySet<string>;
  /** customers whose profile (traits, consent, orders, identity) this call changed */
  readonly customers: ReadonlySet<string>;
  /** customers merged away by this call → the customer that absorbed them */
  readonly merged: ReadonlyMap<string, string>;
  /** message ids dropped because they carry an erased person's identifier (docs/privacy.md) */
  readonly suppressed: ReadonlySet<string>;
}

/**
 * Stores validated events in the caller's transaction: drops the ones already stored (same messageId,
 * forever), resolves their identities, writes the events, applies identify traits and consent, and turns
 * order events into orders whose customers' metrics are recomputed before the transaction commits.
 */
export async function ingestEvents(tx: Queryable, input: readonly IncomingEvent[], source = 'http'): Promise<IngestOutcome> {
  const firstOfId = new Map<string, IncomingEvent>();
  for (const e of input) if (!firstOfId.has(e.messageId)) firstOfId.set(e.messageId, e);
  const already = await storedMessageIds(tx, [...firstOfId.keys()]);
  // Identity is resolved in event-time order, so replaying the same events gives the same customers.
  const events = [...firstOfId.values()]
    .filter((e) => !already.has(e.messageId))
    .sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime());
  if (events.length === 0) return { stored: new Set(), customers: new Set(), merged: new Map(), suppressed: new Set() };

  const previousIds = events.filter((e) => e.type === 'alias' && e.previousId !== undefined).map((e) => e.previousId!);
  const previousUsers = await knownUserIds(tx, previousIds);
  const { customers: customerIds, absorbed, suppressed } = await resolveIdentifierSetsDetailed(
    tx,
    events.map((e) => ({
      identifiers: identifiersOf(e, e.previousId !== undefined && previousUsers.has(e.previousId)),
      at: e.timestamp,
      messageId: e.messageId,
      reason: e.type,
    })),
  );
  // A later event of this batch may have merged an earlier event's customer away: the resolver returns
  // the customer each set ends up in, so every row written below names a live customer.
  const touched = new Set<string>();
  // Events of erased people are not stored at all.
  const withCustomer = events.map((e, i) => ({ e, customerId: customerIds[i] ?? null })).filter((_, i) => !suppressed[i]);
  const dropped = new Set(events.filter((_, i) => suppressed[i]).map((e) => e.messageId));

  await applyIdentifyTraits(tx, withCustomer, touched);
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

  const consent: ConsentRow[] = [];
  for (const { e, customerId } of withCustomer) {
    if (customerId === null) continue;
    for (const c of consentOf(e)) {
      consent.push({ customerId, channel: c.channel, status: c.status, updatedAt: e.timestamp, source: `${source}:${e.messageId}` });
      touched.add(customerId);
    }
  }
  await upsertConsent(tx, consent);

  await writeOrders(tx, withCustomer, source, touched);
  for (const id of customerIds) if (id !== null) touched.add(id);
  return { stored: new Set(withCustomer.map(({ e }) => e.messageId)), customers: touched, merged: absorbed, suppressed: dropped };
}

async function writeOrders(
  tx: Queryable,
  events: readonly { e: IncomingEvent; customerId: string | null }[],
  source: string,
  touched: Set<string>,
): Promise<void> {
  const orders: OrderRow[] = [];
  const lines: OrderLineRow[] = [];
  const seen = new Set<string>();
  for (const { e, customerId } of events) {
    const kind = e.type === 'track' ? orderKindOf(e.event) : undefined;
    if (!kind) continue;
    const parsed = parseOrder(kind, e.properties, e.messageId);
    // Validation already refused unreadable orders; this only guards against a change in between.
    if (!('order' in parsed) || seen.has(parsed.order.orderId)) continue;
    const o = parsed.order;
    seen.add(o.orderId);
    orders.push({ orderId: o.orderId, customerId, kind: o.kind, placedAt: e.timestamp, revenue: o.revenue, currency: o.currency, messageId: e.messageId, source });
    for (const l of o.lines) lines.push({ orderId: o.orderId, ...l });
  }
  if (orders.length === 0) return;
  // An order already imported (from a CSV, or an earlier event with another messageId) is kept as is.
  const stored = await storedOrderIds(tx, orders.map((o) => o.orderId));
  const fresh = orders.filter((o) => !stored.has(o.orderId));
  await insertOrders(tx, fresh, lines.filter((l) => !stored.has(l.orderId)));
  const customers = [...new Set(fresh.map((o) => o.customerId).filter((c): c is string => c !== null))];
  await refreshCustomerMetrics(tx, customers);
  for (const c of customers) touched.add(c);
}
