/**
 * The Segment message types segmint accepts, and the limits it enforces. Field names follow Segment's
 * HTTP Tracking API so that existing SDKs work unchanged.
 */
export const MESSAGE_TYPES = ['identify', 'track', 'page', 'screen', 'group', 'alias'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

export const LIMITS = {
  /** bytes of one message, as JSON */
  eventBytes: 32 * 1024,
  /** bytes of one request body */
  requestBytes: 500 * 1024,
  /** messages in one batch */
  batchEvents: 2500,
  /** characters of messageId */
  messageIdChars: 200,
  /** characters of any other identifier or name: userId, anonymousId, groupId, previousId, event, externalIds, order and product ids */
  identifierChars: 1000,
} as const;

/** A message after validation: the fields segmint uses, ids as strings, times parsed. */
export interface ValidMessage {
  readonly type: MessageType;
  readonly messageId?: string;
  readonly userId?: string;
  readonly anonymousId?: string;
  readonly event?: string;
  readonly name?: string;
  readonly groupId?: string;
  readonly previousId?: string;
  readonly properties?: Record<string, unknown>;
  readonly traits?: Record<string, unknown>;
  readonly context?: Record<string, unknown>;
  readonly timestamp?: Date;
  readonly originalTimestamp?: Date;
  readonly sentAt?: Date;
}

/** What is wrong with one message of a request: which one (its index in batch[]), which field, why. */
export interface MessageIssue {
  readonly index: number;
  readonly field: string;
  readonly message: string;
}

/** A message ready to be stored. */
export interface IncomingEvent {
  readonly messageId: string;
  readonly type: MessageType;
  readonly event?: string;
  readonly userId?: string;
  readonly anonymousId?: string;
  readonly previousId?: string;
  readonly timestamp: Date;
  readonly receivedAt: Date;
  readonly properties?: Record<string, unknown>;
  readonly traits?: Record<string, unknown>;
  readonly context?: Record<string, unknown>;
  /**
   * How far the sender is trusted: 'browser' (a public key: its orders are claims that a trusted source
   * replaces) or 'server' (a secret key; also what internal callers are). Default 'server'.
   */
  readonly trust?: 'browser' | 'server';
}
