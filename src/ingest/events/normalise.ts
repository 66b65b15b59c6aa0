import { createHash, randomUUID } from 'node:crypto';
import type { IncomingEvent, ValidMessage } from './message.js';

/**
 * The time an event happened. Device clocks are often wrong, so when the client says when it sent the
 * message (sentAt), the offset between its clock and ours is removed:
 *   timestamp = receivedAt − (sentAt − originalTimestamp)
 * where originalTimestamp is the message's `timestamp` if given, else `originalTimestamp`. Without
 * sentAt the given time is trusted (historical imports); without any time, receivedAt.
 *
 * Nothing can have happened after it was received: a time later than receivedAt (after the correction)
 * is stored as receivedAt (docs/api.md, Event time). Consent decisions and trait values are ordered by
 * this time, so a message dated in the future could otherwise never be overridden by a later one.
 */
export function correctedTimestamp(m: ValidMessage, receivedAt: Date): Date {
  const t = claimedTimestamp(m, receivedAt);
  return t.getTime() > receivedAt.getTime() ? receivedAt : t;
}

/** The time a message claims after the sentAt correction, before the cap at receivedAt. */
function claimedTimestamp(m: ValidMessage, receivedAt: Date): Date {
  const original = m.timestamp ?? m.originalTimestamp;
  if (m.sentAt !== undefined) {
    if (original === undefined) return receivedAt;
    return new Date(receivedAt.getTime() - (m.sentAt.getTime() - original.getTime()));
  }
  return original ?? receivedAt;
}

/**
 * A message without messageId gets one. When it carries its own time, the id is a hash of its content
 * (sentAt aside, which changes on a retry), so a resent request is still recognised as a duplicate; a
 * message with no time of its own cannot be told apart from a genuine repeat, so it gets a random id.
 */
export function messageIdFor(m: ValidMessage, raw: unknown): string {
  if (m.messageId !== undefined) return m.messageId;
  if (m.timestamp === undefined && m.originalTimestamp === undefined) return `gen-${randomUUID()}`;
  const { sentAt: _sentAt, writeKey: _writeKey, ...content } = (raw ?? {}) as Record<string, unknown>;
  return 'gen-' + createHash('sha256').update(stableJson(content)).digest('hex').slice(0, 32);
}

/** The event stored for a validated message; `trust` is the sender's (IncomingEvent.trust), when known. */
export function toIncomingEvent(m: ValidMessage, raw: unknown, receivedAt: Date, trust?: IncomingEvent['trust']): IncomingEvent {
  const properties =
    m.type === 'group' ? { ...m.properties, groupId: m.groupId } : m.type === 'alias' ? { ...m.properties, previousId: m.previousId } : m.properties;
  return {
    messageId: messageIdFor(m, raw),
    type: m.type,
    // page and screen calls are named by `name`; track calls by `event`
    event: m.type === 'track' ? m.event : m.type === 'page' || m.type === 'screen' ? m.name : undefined,
    userId: m.userId,
    anonymousId: m.anonymousId,
    previousId: m.previousId,
    timestamp: correctedTimestamp(m, receivedAt),
    receivedAt,
    properties,
    traits: m.traits,
    context: m.context,
    ...(trust === undefined ? {} : { trust }),
  };
}

/** JSON with object keys sorted, so equal content hashes equally whatever the key order. */
function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .filter((k) => o[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}
