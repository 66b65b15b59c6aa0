import { SegmintError } from '../../domain/errors.js';
import { orderKindOf, parseOrder } from './orders.js';
import { LIMITS, MESSAGE_TYPES, type MessageIssue, type MessageType, type ValidMessage } from './message.js';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The messages of one request, validated. `path` is the endpoint's type, or 'batch' for /v1/batch and
 * /v1/import. Any bad message rejects the whole request with a 400 that lists every bad message by its
 * index in batch[] and its field: nothing is stored, so the client can fix and resend the same request.
 */
export function messagesOfRequest(path: MessageType | 'batch', body: unknown): { message: ValidMessage; raw: unknown }[] {
  if (!isObj(body)) {
    throw new SegmintError('invalid_body', 'The request body must be a JSON object.', undefined, 400);
  }
  let raw: { item: unknown; where: string }[];
  if (path === 'batch') {
    const batch = body.batch;
    if (!Array.isArray(batch)) {
      throw new SegmintError('invalid_body', 'A batch request needs "batch": an array of messages.', { field: 'batch' }, 400);
    }
    if (batch.length > LIMITS.batchEvents) {
      throw new SegmintError(
        'batch_too_large',
        `The batch has ${batch.length} messages; at most ${LIMITS.batchEvents} are accepted per request. Split it.`,
        { field: 'batch', count: batch.length, limit: LIMITS.batchEvents },
        400,
      );
    }
    // Batch-level context and sentAt apply to every message that does not carry its own.
    raw = batch.map((item, i) => ({ item: withBatchDefaults(item, body), where: `batch[${i}]` }));
  } else {
    raw = [{ item: { ...body, type: path }, where: 'body' }];
  }
  const issues: (MessageIssue & { where: string })[] = [];
  const messages: { message: ValidMessage; raw: unknown }[] = [];
  raw.forEach(({ item, where }, index) => {
    const found: { field: string; message: string }[] = [];
    const m = validateMessage(item, found);
    for (const f of found) issues.push({ index, where, field: f.field, message: f.message });
    if (m && found.length === 0) messages.push({ message: m, raw: item });
  });
  if (issues.length > 0) {
    const shown = issues.slice(0, 20).map((i) => `${i.where}.${i.field}: ${i.message}`);
    const more = issues.length > shown.length ? `; and ${issues.length - shown.length} more` : '';
    throw new SegmintError(
      'invalid_events',
      `${issues.length} problem(s) in the request, nothing was stored: ${shown.join('; ')}${more}`,
      { items: issues.map(({ index, field, message }) => ({ index, field, message })) },
      400,
    );
  }
  return messages;
}

function withBatchDefaults(item: unknown, body: Obj): unknown {
  if (!isObj(item)) return item;
  const out: Obj = { ...item };
  if (isObj(body.context)) out.context = { ...body.context, ...(isObj(item.context) ? item.context : {}) };
  if (out.sentAt === undefined && body.sentAt !== undefined) out.sentAt = body.sentAt;
  return out;
}

function validateMessage(item: unknown, issues: { field: string; message: string }[]): ValidMessage | undefined {
  if (!isObj(item)) {
    issues.push({ field: '(message)', message: 'must be a JSON object' });
    return undefined;
  }
  const bytes = Buffer.byteLength(JSON.stringify(item));
  if (bytes > LIMITS.eventBytes) {
    issues.push({ field: '(message)', message: `is ${bytes} bytes; at most ${LIMITS.eventBytes} bytes per message` });
    return undefined;
  }
  const type = item.type;
  if (typeof type !== 'string' || !(MESSAGE_TYPES as readonly string[]).includes(type)) {
    issues.push({ field: 'type', message: `must be one of ${MESSAGE_TYPES.join(', ')}` });
    return undefined;
  }
  const t = type as MessageType;
  const id = (field: string): string | undefined => {
    const v = item[field];
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
    if (typeof v === 'string') return v;
    issues.push({ field, message: 'must be a string or a number' });
    return undefined;
  };
  const text = (field: string): string | undefined => {
    const v = item[field];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') return v;
    issues.push({ field, message: 'must be a string' });
    return undefined;
  };
  const obj = (field: string): Obj | undefined => {
    const v = item[field];
    if (v === undefined || v === null) return undefined;
    if (isObj(v)) return v;
    issues.push({ field, message: 'must be a JSON object' });
    return undefined;
  };
  const time = (field: string): Date | undefined => {
    const v = item[field];
    if (v === undefined || v === null || v === '') return undefined;
    const d = typeof v === 'string' || typeof v === 'number' ? new Date(v) : undefined;
    if (d && Number.isFinite(d.getTime())) return d;
    issues.push({ field, message: 'must be an ISO-8601 date-time, e.g. 2024-05-01T12:00:00Z' });
    return undefined;
  };

  const msg = {
    type: t,
    messageId: id('messageId'),
    userId: id('userId'),
    anonymousId: id('anonymousId'),
    event: text('event'),
    name: text('name'),
    groupId: id('groupId'),
    previousId: id('previousId'),
    properties: obj('properties'),
    traits: obj('traits'),
    context: obj('context'),
    timestamp: time('timestamp'),
    originalTimestamp: time('originalTimestamp'),
    sentAt: time('sentAt'),
  } satisfies ValidMessage;
  if (msg.messageId !== undefined && msg.messageId.length > 200) {
    issues.push({ field: 'messageId', message: 'must be at most 200 characters' });
  }
  if (t === 'alias') {
    if (msg.userId === undefined) issues.push({ field: 'userId', message: 'an alias call needs the new "userId"' });
    if (msg.previousId === undefined) issues.push({ field: 'previousId', message: 'an alias call needs "previousId", the id being merged' });
  } else if (msg.userId === undefined && msg.anonymousId === undefined) {
    issues.push({ field: 'userId', message: 'every message needs "userId" or "anonymousId"' });
  }
  if (t === 'track' && (msg.event === undefined || msg.event.trim() === '')) {
    issues.push({ field: 'event', message: 'a track call needs "event", the name of the action' });
  }
  const orderKind = t === 'track' ? orderKindOf(msg.event) : undefined;
  if (orderKind) {
    const parsed = parseOrder(orderKind, msg.properties, msg.messageId ?? '');
    if ('issues' in parsed) issues.push(...parsed.issues);
  }
  if (t === 'group' && msg.groupId === undefined) {
    issues.push({ field: 'groupId', message: 'a group call needs "groupId"' });
  }
  return msg;
}
