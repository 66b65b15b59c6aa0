import { SegmintError } from '../../domain/errors.js';
import { inInstantRange, readInstant } from '../../domain/timestamp.js';
import { jsonBytesWithin } from './json-size.js';
import { correctedTimestamp } from './normalise.js';
import { orderKindOf, parseOrder } from './orders.js';
import { LIMITS, MESSAGE_TYPES, type MessageIssue, type MessageType, type ValidMessage } from './message.js';
import { identifierProblem } from './text.js';
import { figure } from '../../domain/words.js';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The messages of one request, validated. `path` is the endpoint's type, or 'batch' for /v1/batch and
 * /v1/import. Any bad message rejects the whole request with a 400 that lists every bad message by its
 * index in batch[] and its field: nothing is stored, so the client can fix and resend the same request.
 * receivedAt is when the request arrived: a message's time corrected by its sentAt must stay in range.
 */
export function messagesOfRequest(path: MessageType | 'batch', body: unknown, receivedAt = new Date()): { message: ValidMessage; raw: unknown }[] {
  if (!isObj(body)) {
    const got = typeof body === 'string' ? `text that is not JSON (${JSON.stringify(body.slice(0, 40))})` : Array.isArray(body) ? 'a JSON array' : `JSON ${body === null ? 'null' : typeof body}`;
    throw new SegmintError(
      'invalid_body',
      `The request body must be a JSON object${path === 'batch' ? ' with "batch": [messages]' : ''}; received ${got}.`,
      { received: Array.isArray(body) ? 'array' : body === null ? 'null' : typeof body, accepted: 'a JSON object' },
      400,
    );
  }
  let items: unknown[];
  if (path === 'batch') {
    const batch = body.batch;
    if (!Array.isArray(batch)) {
      const got = batch === undefined ? 'no "batch" field' : `"batch" as ${batch === null ? 'null' : typeof batch}`;
      throw new SegmintError('invalid_body', `A batch request needs "batch": an array of messages; received ${got}.`, { field: 'batch' }, 400);
    }
    if (batch.length > LIMITS.batchEvents) {
      throw new SegmintError(
        'batch_too_large',
        `The batch has ${figure(batch.length)} messages; at most ${figure(LIMITS.batchEvents)} are accepted per request. Split it.`,
        { field: 'batch', count: batch.length, limit: LIMITS.batchEvents },
        400,
      );
    }
    // Batch-level context and sentAt apply to every message that does not carry its own.
    items = batch.map((item) => withBatchDefaults(item, body));
  } else {
    items = [{ ...body, type: path }];
  }
  const where = (index: number): string => (path === 'batch' ? `batch[${index}]` : 'body');
  const issues: (MessageIssue & { where: string })[] = [];
  const messages: { message: ValidMessage; raw: unknown }[] = [];
  const found: { field: string; message: string }[] = [];
  for (let index = 0; index < items.length; index++) {
    const item = items[index];
    found.length = 0;
    const m = validateMessage(item, found, receivedAt);
    for (const f of found) issues.push({ index, where: where(index), field: f.field, message: f.message });
    if (m && found.length === 0) messages.push({ message: m, raw: item });
  }
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
  // Nothing to add (the usual batch): the message is read as sent, not copied.
  if (!isObj(body.context) && (body.sentAt === undefined || item.sentAt !== undefined)) return item;
  const out: Obj = { ...item };
  if (isObj(body.context)) out.context = { ...body.context, ...(isObj(item.context) ? item.context : {}) };
  if (out.sentAt === undefined && body.sentAt !== undefined) out.sentAt = body.sentAt;
  return out;
}

function validateMessage(item: unknown, issues: { field: string; message: string }[], receivedAt: Date): ValidMessage | undefined {
  if (!isObj(item)) {
    issues.push({ field: '(message)', message: `must be a JSON object, not ${Array.isArray(item) ? 'an array' : item === null ? 'null' : typeof item}` });
    return undefined;
  }
  const size = jsonBytesWithin(item, LIMITS.eventBytes);
  if (!size.within) {
    issues.push({ field: '(message)', message: `is ${figure(size.bytes)} bytes; at most ${figure(LIMITS.eventBytes)} bytes per message` });
    return undefined;
  }
  const type = item.type;
  if (typeof type !== 'string' || !(MESSAGE_TYPES as readonly string[]).includes(type)) {
    const got = type === undefined ? 'missing' : JSON.stringify(type).slice(0, 60);
    issues.push({ field: 'type', message: `must be one of ${MESSAGE_TYPES.join(', ')} (received ${got})` });
    return undefined;
  }
  const t = type as MessageType;
  const msg = {
    type: t,
    messageId: idField(item, 'messageId', issues),
    userId: idField(item, 'userId', issues),
    anonymousId: idField(item, 'anonymousId', issues),
    event: textField(item, 'event', issues),
    name: textField(item, 'name', issues),
    groupId: idField(item, 'groupId', issues),
    previousId: idField(item, 'previousId', issues),
    properties: objField(item, 'properties', issues),
    traits: objField(item, 'traits', issues),
    context: objField(item, 'context', issues),
    timestamp: timeField(item, 'timestamp', issues),
    originalTimestamp: timeField(item, 'originalTimestamp', issues),
    sentAt: timeField(item, 'sentAt', issues),
  } satisfies ValidMessage;
  if (msg.messageId !== undefined && msg.messageId.length > LIMITS.messageIdChars) {
    issues.push({ field: 'messageId', message: `is ${figure(msg.messageId.length)} characters; at most ${figure(LIMITS.messageIdChars)}` });
  }
  checkExternalIds(msg.context, issues);
  // sentAt moves the time by the client's clock error; the result must still be a time the store keeps.
  if (msg.sentAt !== undefined && (msg.timestamp ?? msg.originalTimestamp) !== undefined) {
    const corrected = correctedTimestamp(msg, receivedAt).getTime();
    if (!inInstantRange(corrected)) {
      issues.push({
        field: 'sentAt',
        message: `corrects the event time by the client's clock (received − (sentAt − timestamp)) to a moment outside the range segmint stores (0001-01-01 to 9999-12-31, UTC); check the client's clock`,
      });
    }
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

type Issues = { field: string; message: string }[];

// The field readers below are module functions, not closures made per message: a batch of 1,000 would
// otherwise allocate four functions per message on the hot path of ingestion.

/**
 * An identifier field: a number is its text as written (the body reader keeps it exact); control
 * characters and lone surrogates are refused, never cleaned, so two different ids never become one.
 */
function idField(item: Obj, field: string, issues: Issues): string | undefined {
  const v = item[field];
  // Blank text is no identifier: refused as '' is ("every message needs userId or anonymousId"), not stored.
  if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) return undefined;
  const s = typeof v === 'number' && Number.isFinite(v) ? String(v) : typeof v === 'string' ? v : undefined;
  if (s === undefined) {
    issues.push({ field, message: `must be a string or a number, not ${Array.isArray(v) ? 'an array' : typeof v}` });
    return undefined;
  }
  const problem = identifierProblem(s, LIMITS.identifierChars);
  if (problem) issues.push({ field, message: problem });
  return s;
}

function textField(item: Obj, field: string, issues: Issues): string | undefined {
  const v = item[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') {
    const problem = identifierProblem(v, LIMITS.identifierChars);
    if (problem) issues.push({ field, message: problem });
    return v;
  }
  issues.push({ field, message: `must be a string, not ${Array.isArray(v) ? 'an array' : typeof v}` });
  return undefined;
}

function objField(item: Obj, field: string, issues: Issues): Obj | undefined {
  const v = item[field];
  if (v === undefined || v === null) return undefined;
  if (isObj(v)) return v;
  issues.push({ field, message: `must be a JSON object, not ${Array.isArray(v) ? 'an array' : typeof v}` });
  return undefined;
}

/** The timestamp rule of domain/timestamp.ts: ISO-8601, zone-less is UTC, anything else refused. */
function timeField(item: Obj, field: string, issues: Issues): Date | undefined {
  const v = item[field];
  if (v === undefined || v === null || v === '') return undefined;
  const r = readInstant(v);
  if (r.ok) return new Date(r.ms);
  issues.push({ field, message: r.reason });
  return undefined;
}

/** context.externalIds[]: each id is an identifier like userId (string or number, no control characters). */
function checkExternalIds(context: Obj | undefined, issues: { field: string; message: string }[]): void {
  const list = context?.externalIds;
  if (list === undefined || list === null) return;
  if (!Array.isArray(list)) {
    issues.push({ field: 'context.externalIds', message: 'must be an array of {"id", "type"}' });
    return;
  }
  list.forEach((x, i) => {
    if (!isObj(x)) return;
    const v = x.id;
    if (typeof v === 'string') {
      const problem = identifierProblem(v, LIMITS.identifierChars);
      if (problem) issues.push({ field: `context.externalIds[${i}].id`, message: problem });
    }
    if (typeof x.type === 'string') {
      const problem = identifierProblem(x.type, LIMITS.identifierChars);
      if (problem) issues.push({ field: `context.externalIds[${i}].type`, message: problem });
    }
  });
}
